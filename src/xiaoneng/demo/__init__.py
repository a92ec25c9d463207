"""The demo county 伊宁示范县: a year of a county bureau's work, built from one seed.

``county.build_county`` runs every domain's builder in order; ``xiaoneng demo`` calls it.

- The place and its people: ``geography.py`` (outline, where businesses are), ``cells.py``
  (the grid cells), ``names.py`` (streets, villages, people), ``trades.py`` (lines of
  business).
- Helpers of every builder: ``days.py`` (working days and moments as arrays), ``rows.py``
  (rows written in bulk with their trace).
- One builder per domain, in the order they run: ``org.py``, ``registry/``, ``planning/``,
  ``inspections/``, ``oversight/``, ``cases/``; each package's ``__init__`` names its entry.
- ``logins.py`` (the demo accounts and their password) and ``reset.py`` (emptying the
  database for a new county).

No domain imports this package; only the ``demo`` and ``serve`` commands do.
"""
