"""The allowed status moves of a flagged seller and of a referral (STYLE.md: state machines).

卖家: 待处理 → 已转检查任务 | 已移送 | 已排除. 移送: 已移送 → 对方已接收 → 已反馈处理结果
(or straight to 已反馈).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.online.sellers.models import Referral, Seller

S = Seller.Status
SELLER = Transitions(
    {
        S.PENDING: {S.TASK, S.REFERRAL, S.DISMISSED},
        S.TASK: set(),
        S.REFERRAL: set(),
        S.DISMISSED: set(),
    },
    subject=_("卖家"),
)
R = Referral.Status
REFERRAL = Transitions(
    {R.SENT: {R.RECEIVED, R.ANSWERED}, R.RECEIVED: {R.ANSWERED}, R.ANSWERED: set()},
    subject=_("移送"),
)
