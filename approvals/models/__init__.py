"""Every table of the domain core."""

from approvals.models.accounts import DEFAULT_LANGUAGE, LANGUAGES, ROLE_LABELS, ApiToken, Role, RoleGrant, User
from approvals.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from approvals.models.documents import DocumentJob, DocumentNumber, StoredDocument
from approvals.models.execution import ExecutionRecord, PlanAmendment
from approvals.models.execution_service import (
    AssistanceRecord,
    DifficultyPerson,
    Household,
    HouseholdMember,
    PostRecord,
    SelfEmploymentSupport,
    ServiceRecord,
)
from approvals.models.holidays import HolidayDay, HolidayYear
from approvals.models.parameters import ParameterValue, RegionWageTier
from approvals.models.plans import (
    BureauReview,
    CongressDocument,
    CongressVote,
    FundingEvidence,
    Plan,
    PlanRevision,
    ReturnReason,
    WorkingGroupAdvice,
    WorkingGroupRecord,
)
from approvals.models.public_notice import OBJECTION_STATUSES, Objection, ObjectionStep, PublicNotice
from approvals.models.reference import INDUSTRIES, Enterprise, Region, WorkingGroup
from approvals.models.roster import (
    FilingConfirmation,
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
    "AssistanceRecord",
    "AuditCheckpoint",
    "AuditHead",
    "AuditEvent",
    "BureauReview",
    "CongressDocument",
    "CongressVote",
    "DocumentJob",
    "DifficultyPerson",
    "DocumentNumber",
    "Enterprise",
    "ExecutionRecord",
    "FilingConfirmation",
    "FundingEvidence",
    "HolidayDay",
    "HolidayYear",
    "Household",
    "HouseholdMember",
    "HumanTask",
    "OBJECTION_STATUSES",
    "Objection",
    "ParameterValue",
    "ObjectionStep",
    "Plan",
    "PlanAmendment",
    "PlanRevision",
    "PostRecord",
    "ReturnReason",
    "ProcessVersion",
    "PublicNotice",
    "Region",
    "RegionWageTier",
    "Role",
    "RosterImport",
    "RosterVerification",
    "RosterWorker",
    "RosterWorkerChange",
    "StoredDocument",
    "SelfEmploymentSupport",
    "ServiceRecord",
    "WageParameter",
    "RoleGrant",
    "User",
    "WorkflowInstance",
    "WorkingGroupAdvice",
    "WorkingGroupRecord",
    "WorkingGroup",
]
