"""Building the demo county 伊宁示范县: every domain's builder, in order, each with its seed.

The organisation and the register share the seed's own generator; every later step has a
generator of its own (``[seed, n]``), so a change inside one step leaves the others' draws
as they were. The same seed and the same day build the same county.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from xiaoneng.demo.ads import build_ads, build_operators
from xiaoneng.demo.ads_governance import build_ads_governance
from xiaoneng.demo.assessment import build_assessment
from xiaoneng.demo.cases import build_case_targets, build_cases
from xiaoneng.demo.days import window_of
from xiaoneng.demo.documents import build_documents
from xiaoneng.demo.inspections import build_inspections, build_sampling, unplanned_visits
from xiaoneng.demo.keywords import build_keywords
from xiaoneng.demo.ledger import build_ledger
from xiaoneng.demo.logins import PASSWORD
from xiaoneng.demo.online import build_online
from xiaoneng.demo.org import Organisation, build_organisation
from xiaoneng.demo.oversight import build_oversight
from xiaoneng.demo.planning import (
    build_coverage,
    build_current_plans,
    build_draws,
    build_plans,
)
from xiaoneng.demo.registry import build_register
from xiaoneng.demo.risk import build_risk, score_for_plans
from xiaoneng.demo.timeliness import build_timeliness
from xiaoneng.demo.training import build_training


def build_county(
    *, seed: int, count: int, now: dt.datetime, progress: Callable[[str], None] = print
) -> Organisation:
    """The demo county with ``count`` entities and its year up to ``now``."""
    rng = np.random.default_rng(seed)
    # Argon2 is slow by design: hash once, every demo account shares the hash.
    password_hash = make_password(PASSWORD)
    with transaction.atomic():
        organisation = build_organisation(rng, password_hash=password_hash, progress=progress)
    build_register(rng, organisation, count=count, now=now, progress=progress)
    build_coverage(np.random.default_rng([seed, 3]), organisation.bureau, progress=progress)
    build_draws(
        np.random.default_rng([seed, 6]),
        organisation.bureau,
        organisation.stations,
        now=now,
        progress=progress,
    )
    # The visits no plan made (the drawn teams', complaints, the ad operators' first-quarter
    # qualification checks…) come first: each month's patrol plan reads the inspections made
    # before it, as the service's due rule does; the directors' monthly samples draw from them.
    unplanned = unplanned_visits(
        np.random.default_rng([seed, 11]), organisation, now=now, progress=progress
    )
    checks = build_operators(
        np.random.default_rng([seed, 29]), organisation, now=now, progress=progress
    )
    inspected = unplanned.entity_days() if unplanned else None
    if inspected is not None:
        inspected = (
            np.concatenate([inspected[0], checks[0]]),
            np.concatenate([inspected[1], checks[1]]),
        )
    build_plans(
        np.random.default_rng([seed, 8]),
        organisation,
        now=now,
        inspected=inspected,
        progress=progress,
    )
    build_inspections(unplanned)
    # This month's plans read the year's records: made once they exist (as the bureau would),
    # ordered by the risk model's scores on the records so far.
    score_for_plans(now=now, progress=progress)
    build_current_plans(organisation, now=now, progress=progress)
    build_oversight(np.random.default_rng([seed, 12]), organisation, now=now, progress=progress)
    build_sampling(np.random.default_rng([seed, 13]), organisation, now=now, progress=progress)
    build_cases(np.random.default_rng([seed, 14]), organisation, now=now, progress=progress)
    # The keyword library first: the later builders scan ads and listings with it.
    build_keywords(organisation, now=now, progress=progress)
    build_timeliness(seed, organisation, now=now, entities=count, progress=progress)
    # Complaints and cases are features of the risk model: retrained once they exist.
    build_risk(now=now, progress=progress)
    build_online(np.random.default_rng([seed, 41]), organisation, now=now, progress=progress)
    build_ads_governance(
        np.random.default_rng([seed, 31]), organisation, now=now, progress=progress
    )
    build_ads(np.random.default_rng([seed, 30]), organisation, now=now, progress=progress)
    build_case_targets(np.random.default_rng([seed, 15]), organisation, now=now, progress=progress)
    build_training(np.random.default_rng([seed, 51]), organisation, now=now, progress=progress)
    build_documents(now=now, progress=progress)
    # Last: the ledger registers the inputs of the activities the builders above recorded.
    build_ledger(np.random.default_rng([seed, 61]), organisation, now=now, progress=progress)
    # After every record: the assessments are computed from all of them.
    first = window_of(timezone.localtime(now).date())
    build_assessment(organisation, now=now, first=first, progress=progress)
    return organisation
