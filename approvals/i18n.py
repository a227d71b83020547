"""A marker for strings the web interface translates.

The core speaks Chinese, the official language of its users. `N_` returns its argument
unchanged; it only tells `pybabel extract` (babel.cfg, keyword N_) which labels the interface
offers in English too. The web layer translates them when it renders them.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    return message
