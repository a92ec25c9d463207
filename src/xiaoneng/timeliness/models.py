"""电子监察 (篇9, 篇5, 篇6): clocks and warnings, service cases, complaints and reports,
callbacks, accountability. Each sub-domain keeps its models; they are gathered here for
Django."""

from xiaoneng.timeliness.accountability.models import AccountabilityAction
from xiaoneng.timeliness.callbacks.models import (
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
)
from xiaoneng.timeliness.clocks.models import Clock, Suspension, Warning, WarningPolicy
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import (
    OneTimeNotice,
    ServiceCase,
    ServiceItem,
    ServiceStage,
)

__all__ = [
    "AccountabilityAction",
    "Callback",
    "CallbackProblem",
    "CallbackRound",
    "CallbackRule",
    "Clock",
    "Complaint",
    "OneTimeNotice",
    "ServiceCase",
    "ServiceItem",
    "ServiceStage",
    "Suspension",
    "Warning",
    "WarningPolicy",
]
