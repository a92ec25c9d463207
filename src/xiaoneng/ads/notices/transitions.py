"""The allowed moves of a notice: 已送达 → 已履行 | 逾期未履行."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.notices.models import AdNotice
from xiaoneng.core.states import Transitions

S = AdNotice.Status
NOTICE = Transitions(
    {S.ISSUED: {S.COMPLIED, S.NOT_COMPLIED}, S.COMPLIED: set(), S.NOT_COMPLIED: set()},
    subject=_("文书"),
)
