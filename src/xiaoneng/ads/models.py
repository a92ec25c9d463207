"""The models of ``xiaoneng.ads``; sub-packages keep their own and are gathered here."""

from xiaoneng.ads.filings.models import Filing
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.operators.models import AdOperator, QualificationCheck

__all__ = [
    "AdHit",
    "AdNotice",
    "AdOperator",
    "Confiscation",
    "Filing",
    "MonitoredAd",
    "QualificationCheck",
]
