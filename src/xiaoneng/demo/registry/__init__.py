"""The demo county's register (经济户口): entities, licences, classification history, claims.

``build_register`` (``build.py``) plans every column of every entity as arrays from the one
seeded generator (``plan.py``), then writes them in batches with their trace (``write.py``).
The columns come from ``identity.py`` (codes, places, names, addresses, capital),
``dates.py`` (when each entered), ``licences.py``, ``classification.py`` (risk class, credit
grade and their history) and ``marks.py`` (archived, hot-industry, claimed).
"""

from xiaoneng.demo.registry.build import build_register

__all__ = ["build_register"]
