"""The allowed moves of a filing: 已提交 → 已备案 | 退回; 已备案 → 已撤销."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.filings.models import Filing
from xiaoneng.core.states import Transitions

S = Filing.Status
FILING = Transitions(
    {
        S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
        S.ACCEPTED: {S.REVOKED},
        S.RETURNED: set(),
        S.REVOKED: set(),
    },
    subject=_("备案"),
)
