"""Planning: the supervision policy, and (as they land) due dates, plans, draws, campaigns."""

from xiaoneng.planning.policy.models import Distance, Policy, PolicyCell

__all__ = ["Distance", "Policy", "PolicyCell"]
