"""The demo county's advertising supervision (篇1): ad operators and media from the register,
their annual qualification checks, filings, a year of monitored ads with their confirmations,
notices and confiscations, all through the ads services and consistent in time (nothing
before the entity was registered, nothing after now).

``build_operators`` runs with the year's inspections, before the oversight builders: its
checks are signed inspections of the first quarter, which the directors' monthly samples
draw from. ``build_ads`` runs after the keyword library is loaded (filings and ads are scanned
with it) and after the timeliness builders, so the cases opened here follow those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from xiaoneng.demo.ads.monitoring import build_monitoring
from xiaoneng.demo.ads.operators import build_filings, build_operators
from xiaoneng.demo.org import Organisation


def build_ads(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Filings, then a year of monitoring with notices."""
    build_filings(rng, organisation, now=now, progress=progress)
    build_monitoring(rng, organisation, now=now, progress=progress)


__all__ = ["build_ads", "build_operators"]
