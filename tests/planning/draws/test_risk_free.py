"""Double-random draws never read the risk model (issue 12).

The law requires the entities of a double-random spot check (双随机、一公开, 国办发〔2015〕58号)
to be drawn purely at random; only targeted checks (campaigns with a risk share) may follow
``RiskScore``. So no score changes a draw, its verification or a fresh draw with the
same seed, and no module of planning/draws names the scores at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import County
from tests.planning.draws.factories import make_draw, populate, run
from xiaoneng.planning import draws as draws_package
from xiaoneng.planning.draws.models import DrawSelection, RandomDraw
from xiaoneng.planning.draws.verify import verify_draw
from xiaoneng.registry.models import RiskScore
from xiaoneng.registry.risk_scores import set_risk_scores

SEED = "与风险无关"
SCORED_ON = dt.date(2026, 3, 1)
# What the risk model writes on the register; a draw module naming any of them reads the model.
RISK_NAMES = ("RiskScore", "risk_scores", "risk__", "risk_order", "xiaoneng.risk")


def selected(draw: RandomDraw) -> list[tuple[int, str]]:
    """The draw's entities in draw order."""
    rows = DrawSelection.objects.filter(draw=draw).order_by("order")
    return list(rows.values_list("order", "uscc"))


def test_risk_scores_change_neither_a_draw_its_verification_nor_a_fresh_draw(
    county: County,
) -> None:
    entities = populate(county)
    set_risk_scores(
        scores={e.pk: (i + 1) / 100 for i, e in enumerate(entities)}, version=1, on=SCORED_ON
    )
    first = run(make_draw(county, seed=SEED), county, seed=SEED)
    first.refresh_from_db()
    chosen = selected(first)
    assert 0 < len(chosen) < len(entities)
    # Wildly different scores: every drawn entity now the safest, every other the riskiest.
    drawn = {uscc for _order, uscc in chosen}
    set_risk_scores(
        scores={e.pk: 0.0 if e.uscc in drawn else 1.0 for e in entities}, version=2, on=SCORED_ON
    )
    assert RiskScore.objects.filter(score=1.0).count() == len(entities) - len(chosen)
    assert verify_draw(draw=RandomDraw.objects.get(pk=first.pk)).verified
    fresh = run(make_draw(county, seed=SEED), county, seed=SEED)
    fresh.refresh_from_db()
    assert fresh.population_digest == first.population_digest  # no score in the frozen list
    assert selected(fresh) == chosen


def test_no_draw_module_names_the_risk_scores() -> None:
    folder = Path(draws_package.__file__).parent
    naming = {
        f"{path.relative_to(folder)}: {name}"
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".py", ".html", ".sql"}
        for name in RISK_NAMES
        if name in path.read_text(encoding="utf-8")
    }
    assert not naming, (
        "double-random draws must stay purely random (双随机: the law requires it); only "
        f"targeted checks may use the risk model, but these draw modules name it: {sorted(naming)}"
    )
