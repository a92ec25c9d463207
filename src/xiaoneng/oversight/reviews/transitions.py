"""The allowed status moves of a director's review (STYLE.md: state machines)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.oversight.reviews.models import DirectorReview

D = DirectorReview.Status
DIRECTOR_REVIEW = Transitions(
    {D.PENDING: {D.CONFIRMED, D.PROBLEM}, D.CONFIRMED: set(), D.PROBLEM: set()},
    subject=_("所长抽查"),
)
