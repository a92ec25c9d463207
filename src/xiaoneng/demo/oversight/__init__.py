"""The demo county's three-level oversight (篇2) of its year of inspections.

``build_oversight`` (``build.py``): the trace checks' flags dated and settled (``flags.py``),
each month's director spot checks drawn and reviewed (``reviews.py``), the divisions'
supervision items (``supervision.py``).
"""

from xiaoneng.demo.oversight.build import build_oversight

__all__ = ["build_oversight"]
