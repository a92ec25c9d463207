"""The allowed status moves of a case (STYLE.md: state machines).

线索 → 立案 | 不予立案; 立案 → 调查 | 撤销; 调查 → 告知 | 撤销; 告知 → 决定 | 调查 (陈述申辩 brought
new facts) | 撤销; 决定 → 执行 | 结案 (nothing to execute, e.g. 不予行政处罚); 执行 → 结案.
结案, 不予立案 and 撤销 are final. Each move is a service in ``cases.services``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.states import Transitions

S = Case.Status

CASE = Transitions(
    {
        S.LEAD: {S.FILED, S.NOT_FILED},
        S.FILED: {S.INVESTIGATING, S.WITHDRAWN},
        S.INVESTIGATING: {S.NOTIFIED, S.WITHDRAWN},
        S.NOTIFIED: {S.DECIDED, S.INVESTIGATING, S.WITHDRAWN},
        S.DECIDED: {S.EXECUTING, S.CLOSED},
        S.EXECUTING: {S.CLOSED},
        S.CLOSED: set(),
        S.NOT_FILED: set(),
        S.WITHDRAWN: set(),
    },
    subject=_("案件"),
)

# Stages still running: their time limits are watched.
ACTIVE = (S.LEAD, S.FILED, S.INVESTIGATING, S.NOTIFIED, S.DECIDED, S.EXECUTING)
FINAL = (S.CLOSED, S.NOT_FILED, S.WITHDRAWN)
