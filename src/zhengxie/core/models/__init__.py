from zhengxie.core.models.accounts import ApiToken, Role, RoleAssignment, StaffOffice, User
from zhengxie.core.models.attachments import Attachment
from zhengxie.core.models.audit import AuditAction, AuditEntry
from zhengxie.core.models.base import HistoryEntry, ImmutableModel, ImmutableRowError
from zhengxie.core.models.config import CalendarDay, CommitteeSetting
from zhengxie.core.models.followup import (
    Instruction,
    Recommendation,
    RecommendationHistory,
    RecommendationState,
)
from zhengxie.core.models.ledger import DutyRecord, DutyRole, Level
from zhengxie.core.models.notifications import Notification
from zhengxie.core.models.public import ModerationItem, ModerationState, PhoneCode
from zhengxie.core.models.sharing import Share, ShareKind

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditAction",
    "AuditEntry",
    "CalendarDay",
    "CommitteeSetting",
    "DutyRecord",
    "DutyRole",
    "HistoryEntry",
    "ImmutableModel",
    "ImmutableRowError",
    "Instruction",
    "Level",
    "ModerationItem",
    "ModerationState",
    "Notification",
    "PhoneCode",
    "Recommendation",
    "RecommendationHistory",
    "RecommendationState",
    "Role",
    "RoleAssignment",
    "Share",
    "ShareKind",
    "StaffOffice",
    "User",
]
