"""The form that narrows a list of plans: a search and the filters of approvals/queries/plan_list.py,
read from the query string so that a filtered view is a link. The bureau's queue and the plan list
show it from one template (web/_plan_filters.html)."""

from __future__ import annotations

from collections.abc import Collection

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length

from app.extensions import db
from app.web.form_helpers import choices
from approvals.models import INDUSTRIES, Role, User
from approvals.queries.plan_list import ALL_STAGES, RISK_LEVELS, SEARCH_MAX, region_choices
from approvals.services.workflow import STATUS_LABELS


class PlanFilterForm(FlaskForm):
    """A GET form (no CSRF token). The city and industry filters are offered only to readers whose grants
    reach a region: a clerk's or union's list holds their enterprise's plans alone."""

    class Meta:
        csrf = False

    q = StringField(_l("查找"), description=_l("方案名称、企业名称或统一社会信用代码"), default="",
                    validators=[Length(max=SEARCH_MAX, message=_l("查找内容不得超过%(max)d个字符，已忽略。"))])  # fmt: skip
    city = SelectField(_l("地区"), default="")
    industry = SelectField(_l("行业"), default="")
    risk = SelectField(_l("风险等级"), default="")
    status = SelectField(_l("阶段"), default=ALL_STAGES)

    def __init__(self, user: User, roles: Collection[Role], default_status: str = ALL_STAGES) -> None:
        super().__init__(formdata=request.args)
        self.default_status = default_status
        if not self.status.raw_data:  # the first view: the list's own default stage
            self.status.data = default_status
        regions = region_choices(db.session, user, roles)
        if regions:
            self.city.choices = choices([("", _l("全部地区")), *regions])
            self.industry.choices = choices([("", _l("全部行业")), *((k, _l(v)) for k, v in INDUSTRIES.items())])
        else:
            del self.city
            del self.industry
        self.risk.choices = choices([("", _l("全部")), *((k, _l(v)) for k, v in RISK_LEVELS.items())])
        self.status.choices = choices([(ALL_STAGES, _l("全部阶段")), *((k, _l(v)) for k, v in STATUS_LABELS.items())])

    def chosen(self) -> dict[str, str]:
        """The valid filters as query parameters (the search without its outer spaces); a value that is
        not valid is shown as an error and ignored."""
        self.validate()
        found = {f.name: f.data.strip() for f in self if f.data and f.data.strip() and not f.errors}
        if found.get("status") == self.default_status:
            found.pop("status")  # the list's default, left out of its links
        return found
