"""Planning: the supervision policy, and (as they land) due dates, plans, draws, campaigns."""

from xiaoneng.planning.models import coverage as coverage  # departments, rules, measures
from xiaoneng.planning.models import draws as draws  # 双随机: items, 回避, draws, results
from xiaoneng.planning.models import plans as plans  # plans, tasks (六定), visits, campaigns
from xiaoneng.planning.models.policy import Distance, Policy, PolicyCell

__all__ = ["Distance", "Policy", "PolicyCell"]
