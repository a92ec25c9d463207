"""Three-level oversight (篇2): director spot checks (所长抽查) and division supervision (督办).

The third level, the leader's view of what is overdue, flagged or escalated, reads these
records and needs no table of its own. Each sub-domain keeps its models; they are gathered
here for Django.
"""

from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem

__all__ = ["DirectorReview", "ReviewRound", "SupervisionItem"]
