"""The demo county's inspections: a year of records and what followed, and the spot checks.

- ``unplanned_visits`` (``build.py``), run before the year's patrol plans: the visits no plan
  made (draws, complaints, ad hoc and exit checks, ``sources.unplanned``), which those plans
  read;
- ``build_inspections`` (``build.py``): the visits of the year (``sources.py``, completed in
  ``visits.py``), written as signed records (``records.py``, ``photos.py``), the orders they
  set off (``orders.py``) with their re-inspections (``reinspections.py``), findings and exit
  checks (``followup.py``), unlicensed operators (``unlicensed.py``), then the trace checks;
- ``build_sampling`` (``sampling.py``): the product quality spot checks (篇4), run after the
  oversight step.

``context.py`` reads what every later step needs (the register and staff as arrays, the
checklists of ``checklists.py``); the oversight and cases builders read it too.
"""

from xiaoneng.demo.inspections.build import build_inspections, unplanned_visits
from xiaoneng.demo.inspections.sampling import build_sampling

__all__ = ["build_inspections", "build_sampling", "unplanned_visits"]
