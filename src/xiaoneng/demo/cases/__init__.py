"""The demo county's cases of the past year, their money and goods, this year's targets, and
the credit feedback of everything the year recorded.

``build_cases`` (``build.py``): the leads (``leads.py``) of each kind (``kinds.py``), each
case's course (``course.py``) written as today finds it (``cases.py``) with its collections
and goods (``money.py``); the targets (``targets.py``); the credit feedback (``credit.py``).
"""

from xiaoneng.demo.cases.build import build_cases

__all__ = ["build_cases"]
