"""Every table of the domain core."""

from approvals.models.accounts import DEFAULT_LANGUAGE, LANGUAGES, ROLE_LABELS, ApiToken, Role, RoleGrant, User
from approvals.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from approvals.models.plans import (
    BureauReview,
    CongressDocument,
    CongressVote,
    FundingEvidence,
    Plan,
    PlanRevision,
    WorkingGroupRecord,
)
from approvals.models.public_notice import Objection, PublicNotice
from approvals.models.reference import INDUSTRIES, Enterprise, Region, WorkingGroup
from approvals.models.roster import (
    RosterImport,
    RosterVerification,
    RosterWorker,
    RosterWorkerChange,
    WageParameter,
)
from approvals.models.workflow import HumanTask, ProcessVersion, WorkflowInstance

__all__ = [
    "DEFAULT_LANGUAGE",
    "INDUSTRIES",
    "LANGUAGES",
    "ROLE_LABELS",
    "ApiToken",
    "AuditCheckpoint",
    "AuditHead",
    "AuditEvent",
    "BureauReview",
    "CongressDocument",
    "CongressVote",
    "Enterprise",
    "FundingEvidence",
    "HumanTask",
    "Objection",
    "Plan",
    "PlanRevision",
    "ProcessVersion",
    "PublicNotice",
    "Region",
    "Role",
    "RosterImport",
    "RosterVerification",
    "RosterWorker",
    "RosterWorkerChange",
    "WageParameter",
    "RoleGrant",
    "User",
    "WorkflowInstance",
    "WorkingGroupRecord",
    "WorkingGroup",
]
