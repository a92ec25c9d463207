"""The demo county's planning: three steps, run in this order by ``demo.county``.

- ``build_coverage`` (``coverage.py``): departments, the responsibility table and the sizes
  of the entities (篇3, 篇5);
- ``build_plans`` (``plans.py``): a year of monthly patrol plans (``patrol.py``), this month's
  and next month's made by the service, and the campaigns with their joint visits
  (``campaigns.py``), written in bulk through ``writer.py``;
- ``build_draws`` (``draws.py``): conflict declarations and the double-random draws.
"""

from xiaoneng.demo.planning.coverage import build_coverage
from xiaoneng.demo.planning.draws import build_draws
from xiaoneng.demo.planning.plans import build_plans

__all__ = ["build_coverage", "build_draws", "build_plans"]
