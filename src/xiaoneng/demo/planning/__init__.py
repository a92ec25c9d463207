"""The demo county's planning: four steps, run in this order by ``demo.county``.

- ``build_coverage`` (``coverage.py``): departments, the responsibility table and the sizes
  of the entities (篇3, 篇5);
- ``build_draws`` (``draws.py``): conflict declarations and the double-random draws, each
  committed on the register as it stood then;
- ``build_plans`` (``plans.py``): the campaigns (``campaigns.py``) and a year of monthly
  patrol plans (``patrol.py``) that read the visits made before them (the campaigns' and
  the unplanned ones ``demo.inspections`` chose), written in bulk through ``writer.py``;
- ``build_current_plans`` (``plans.py``), run after the year's inspections: this month's and
  next month's plans made by the service (the stations' and the bureau's), which merge the
  campaigns' open tasks into joint visits.

``propensity.py`` gives each entity its hidden propensity to break the rules, which every
failure the demo draws follows (the tasks' here, the other visits' in ``demo.inspections``).
"""

from xiaoneng.demo.planning.coverage import build_coverage
from xiaoneng.demo.planning.draws import build_draws
from xiaoneng.demo.planning.plans import build_current_plans, build_plans

__all__ = ["build_coverage", "build_current_plans", "build_draws", "build_plans"]
