"""The demo county's 电子监察 (篇9): a year of service cases and complaints with their clocks,
the warnings they raised, the callbacks and the accountability actions.

``build_timeliness`` runs the sub-domains' builders in the order their records depend on each
other: service cases (``permits.py``) and complaints and reports (``complaints.py``) open the
clocks; ``clocks.py`` settles the year's warnings and recomputes them as of now; callbacks
(``callbacks.py``) sample the completed work; accountability (``accountability.py``) cites the
warnings, callbacks and trace flags it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from xiaoneng.demo.org import Organisation
from xiaoneng.demo.timeliness.accountability import build_accountability
from xiaoneng.demo.timeliness.callbacks import build_callbacks
from xiaoneng.demo.timeliness.clocks import build_clocks
from xiaoneng.demo.timeliness.complaints import build_complaints
from xiaoneng.demo.timeliness.permits import build_permits
from xiaoneng.timeliness.clocks.warnings import deferred

# The service cases and complaints of the 20,000-entity demo; a smaller county has fewer.
FULL_COUNTY = 20_000
SERVICE_CASES = 1500


def build_timeliness(
    seed: int,
    organisation: Organisation,
    *,
    now: dt.datetime,
    entities: int,
    progress: Callable[[str], None] = print,
) -> None:
    """Each builder in order, each with a generator of its own (``[seed, 20 + n]``), as many
    service cases and complaints as the county's size calls for. Their
    days are in the past, so no clock change recomputes the warnings as of today:
    ``build_clocks`` writes the year's warnings as they happened, then recomputes once."""
    scale = entities / FULL_COUNTY

    def rng(n: int) -> np.random.Generator:
        return np.random.default_rng([seed, 20 + n])

    with deferred():
        cases = max(round(SERVICE_CASES * scale), 60)
        build_permits(rng(0), organisation, now=now, progress=progress, cases=cases)
        build_complaints(rng(1), organisation, now=now, progress=progress, scale=scale)
        build_clocks(rng(2), organisation, now=now, progress=progress)
        build_callbacks(rng(3), organisation, now=now, progress=progress)
        build_accountability(rng(4), organisation, now=now, progress=progress)


__all__ = ["build_timeliness"]
