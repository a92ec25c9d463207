"""The demo county's cases of the past year, their money and goods, this year's targets, and
the credit feedback of everything the year recorded.

``build_cases`` (``build.py``): the leads (``leads.py``) of each kind (``kinds.py``), each
case's course (``course.py``) written as today finds it (``cases.py``) with its collections
and goods (``money.py``); the credit feedback (``credit.py``). ``build_case_targets``: the
targets (``targets.py``), set once every module has opened its cases.
"""

from xiaoneng.demo.cases.build import build_case_targets, build_cases

__all__ = ["build_case_targets", "build_cases"]
