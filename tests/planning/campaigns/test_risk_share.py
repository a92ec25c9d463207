"""Targeted spot checks (定向抽查, issue 12): a campaign given a risk share takes exactly the
highest-risk share of its population, records what it used, orders its tasks by risk, and
refuses a bad share (or a population with no score) through the service, the page and the API,
writing nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.planning.campaigns.test_services import _error, ad_campaign, start
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.registry.models import Entity
from xiaoneng.registry.risk_scores import set_risk_scores

D = dt.date
SCORED_ON = D(2026, 9, 20)
VERSION = 7
NO_SCORES = "尚未计算风险评分：请先训练并评分（xiaoneng targeting score）"
# Ten entities' scores: three share 0.5, so the tie goes to the smaller entity id.
SCORES = [0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.5, 0.05, 0.3, 0.7]


def scored(county: County, scores: list[float], **values: Any) -> list[Entity]:
    """Entities of the east grid with the risk model's ``scores``, one each, in id order."""
    entities = [east_entity(county, **values) for _ in scores]
    set_risk_scores(
        scores={e.pk: s for e, s in zip(entities, scores, strict=True)},
        version=VERSION,
        on=SCORED_ON,
    )
    return entities


def task_entities(campaign: Campaign) -> list[int]:
    """The campaign's entities in the order its tasks were placed."""
    return list(
        Task.objects.filter(plan=campaign.plan).order_by("id").values_list("entity_id", flat=True)
    )


def nothing_written(events: int) -> bool:
    return (
        not Campaign.objects.exists()
        and not Plan.objects.exists()
        and not Task.objects.exists()
        and AuditEvent.objects.count() == events
    )


def test_a_risk_share_takes_exactly_the_highest_risk_entities_ties_by_id(county: County) -> None:
    e = scored(county, SCORES)
    campaign = start(county, ad_campaign(risk_share="50"))
    # 0.9, 0.8, 0.7, then two of the three 0.5s: the smaller ids; the tasks highest risk first.
    assert task_entities(campaign) == [e[1].pk, e[5].pk, e[9].pk, e[2].pk, e[3].pk]
    assert campaign.population == {
        "filters": {"industry": "H62"},
        "risk_share": {
            "share": 50,
            "model_version": VERSION,
            "scored_on": "2026-09-20",
            "population": 10,
            "unscored": 0,
            "taken": 5,
        },
    }


@pytest.mark.parametrize(
    ("share", "taken"),
    [("30", 3), ("30%", 3), (12.5, 2), ("0.1", 1), ("100", 10), (100, 10)],
)
def test_the_share_is_rounded_up_exactly(county: County, share: Any, taken: int) -> None:
    scored(county, SCORES)
    campaign = start(county, ad_campaign(risk_share=share))
    assert len(task_entities(campaign)) == taken  # 30% of 10 is 3, never 4 by float rounding
    assert campaign.population["risk_share"]["taken"] == taken


def test_entities_without_a_score_are_left_out_and_counted(county: County) -> None:
    e = scored(county, [0.4, 0.6, 0.2, 0.8])
    later = [east_entity(county) for _ in range(2)]  # registered since the scoring
    campaign = start(county, ad_campaign(risk_share=50))
    assert task_entities(campaign) == [e[3].pk, e[1].pk, e[0].pk]  # ⌈50% × 6⌉ = 3
    record = campaign.population["risk_share"]
    assert (record["population"], record["unscored"], record["taken"]) == (6, 2, 3)
    everything = start(county, ad_campaign(title="全部", risk_share=100))
    assert set(task_entities(everything)) == {x.pk for x in e}
    assert not set(task_entities(everything)) & {x.pk for x in later}


def test_without_a_share_tasks_go_scored_first_highest_first_then_class_and_grade(
    county: County,
) -> None:
    grade_d = east_entity(county, credit_grade="D")  # left unscored: after every scored one
    low, high = scored(county, [0.2, 0.6], credit_grade="A")
    grade_b = east_entity(county, credit_grade="B")  # registered since the scoring
    campaign = start(county)
    assert task_entities(campaign) == [high.pk, low.pk, grade_d.pk, grade_b.pk]
    assert "risk_share" not in campaign.population


BAD_SHARES = [
    ("abc", "risk_share: 按风险抽取比例应为数字（百分比）：abc"),
    ("NaN", "risk_share: 按风险抽取比例应为数字（百分比）：NaN"),
    (True, "risk_share: 按风险抽取比例应为数字（百分比）：True"),
    ("0", "risk_share: 按风险抽取比例应大于 0 且不超过 100：0"),
    (-5, "risk_share: 按风险抽取比例应大于 0 且不超过 100：-5"),
    ("100.5", "risk_share: 按风险抽取比例应大于 0 且不超过 100：100.5"),
]


@pytest.mark.parametrize(("share", "message"), BAD_SHARES)
def test_a_bad_share_is_refused_by_the_service_and_nothing_written(
    county: County, share: Any, message: str
) -> None:
    scored(county, SCORES)
    events = AuditEvent.objects.count()
    assert _error(lambda: start(county, ad_campaign(risk_share=share))).message == message
    assert nothing_written(events)


def test_a_population_with_no_score_is_refused_and_nothing_written(county: County) -> None:
    east_entity(county)
    other = east_entity(county, industry="F5211")  # scored, but outside the population
    set_risk_scores(scores={other.pk: 0.9}, version=VERSION, on=SCORED_ON)
    events = AuditEvent.objects.count()
    error = _error(lambda: start(county, ad_campaign(risk_share="20")))
    assert error.message == f"risk_share: {NO_SCORES}"
    assert nothing_written(events)


def page_values(**change: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "title": "定向抽查：高风险餐饮",
        "theme": "industry",
        "checkpoints": "进货查验、从业人员健康证明",
        "start_on": today.isoformat(),
        "end_on": (today + dt.timedelta(days=20)).isoformat(),
        "population": "filters",
        "industry": "H62",
    } | change


@pytest.mark.parametrize(
    ("share", "message"),
    [
        ("三成", "按风险抽取比例应为数字（百分比）：三成"),
        ("0", "按风险抽取比例应大于 0 且不超过 100：0"),
        ("101", "按风险抽取比例应大于 0 且不超过 100：101"),
        ("20", NO_SCORES),
    ],
)
def test_the_form_page_shows_a_bad_share_on_its_field_and_writes_nothing(
    county: County, share: str, message: str
) -> None:
    east_entity(county)  # no score: only a share the service reads gets as far as the scores
    events = AuditEvent.objects.count()
    response = client_for(county.division_staff).post(
        "/campaigns/new/", page_values(risk_share=share)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="invalid-feedback">{message}</div>' in page
    assert f'name="risk_share" value="{share}"' in page
    assert nothing_written(events)


def test_the_page_deploys_a_targeted_campaign_and_shows_share_version_and_unscored(
    county: County,
) -> None:
    e = scored(county, [0.3, 0.9, 0.6])
    east_entity(county)  # unscored
    client = client_for(county.division_staff)
    response = client.post("/campaigns/new/", page_values(risk_share="50"), follow=True)
    page = response.content.decode()
    campaign = Campaign.objects.get()
    assert task_entities(campaign) == [e[1].pk, e[2].pk]  # ⌈50% × 4⌉ = 2 of the 3 scored
    assert "定向抽查：按风险抽取比例 50%，取风险评分最高的 2 户（对象范围 4 户）" in page
    assert f"风险模型第 {VERSION} 版，2026-09-20 评分" in page
    assert "对象范围 4 户中有 1 户尚无风险评分" in page
    plain = client.get(f"/campaigns/{start(county).pk}/").content.decode()
    assert 'data-testid="risk-share"' not in plain


def api_body(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in page_values().items() if k != "population"}
    values.pop("industry")
    return values | {"filters": {"industry": "H62"}} | changes


def post(county: County, body: dict[str, Any]) -> Any:
    return client_for(county.division_staff).post(
        "/api/v1/campaigns", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("share", "detail"),
    [
        ("abc", "risk_share: 按风险抽取比例应为数字（百分比）：abc"),
        (0, "risk_share: 按风险抽取比例应大于 0 且不超过 100：0"),
        (-1.5, "risk_share: 按风险抽取比例应大于 0 且不超过 100：-1.5"),
        (150, "risk_share: 按风险抽取比例应大于 0 且不超过 100：150"),
    ],
)
def test_the_api_refuses_a_bad_share_with_422_and_writes_nothing(
    county: County, share: Any, detail: str
) -> None:
    scored(county, SCORES)
    events = AuditEvent.objects.count()
    response = post(county, api_body(risk_share=share))
    assert response.status_code == 422 and response.json()["detail"] == detail
    assert nothing_written(events)


def test_the_api_refuses_a_population_with_no_score(county: County) -> None:
    east_entity(county)
    events = AuditEvent.objects.count()
    response = post(county, api_body(risk_share=20))
    assert response.status_code == 422
    assert response.json()["detail"] == f"risk_share: {NO_SCORES}"
    assert nothing_written(events)


def test_the_api_starts_a_targeted_campaign_and_answers_its_share(county: County) -> None:
    e = scored(county, SCORES)
    response = post(county, api_body(risk_share=20))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["risk_share"], body["risk_model_version"]) == (20, VERSION)
    assert body["population"]["risk_share"]["taken"] == body["statistics"]["tasks"] == 2
    assert task_entities(Campaign.objects.get()) == [e[1].pk, e[5].pk]
    plain = post(county, api_body(title="全部对象")).json()
    assert (plain["risk_share"], plain["risk_model_version"]) == (None, None)
