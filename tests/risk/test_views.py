"""The risk pages: who may open them, the train / score / evaluate buttons on a small Chicago-
format history, the evaluation form's refusals, and the dossier's risk card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.risk import history
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity, RiskScore
from xiaoneng.risk import drift, services
from xiaoneng.risk.chicago import import_chicago
from xiaoneng.risk.models import DriftCheck, Evaluation, RiskModel
from xiaoneng.risk.panels import TaskRisk

pytestmark = pytest.mark.django_db

PAGES = ("risk:home",)
POSTS = ("risk:train", "risk:score", "risk:evaluate")


@pytest.fixture
def imported(county: County, tmp_path: Path) -> County:
    """300 days of five inspections a day (2012-01-02 …), some businesses careless."""
    path = history.write(tmp_path / "history.csv", history.rows(days=300, per_day=5))
    import_chicago(source=path)
    return county


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("role", ["admin", "leader", "division_staff"])
def test_risk_page_opens_for_model_managers_with_a_nav_link(county: County, role: str) -> None:
    response = client_for(getattr(county, role)).get(reverse("risk:home"))
    assert response.status_code == 200
    assert 'href="/risk/"' in response.content.decode()
    assert "还没有训练过风险模型" in response.content.decode()


@pytest.mark.parametrize("role", ["east_officer", "east_director"])
def test_risk_pages_refuse_officers_and_directors(county: County, role: str) -> None:
    client = client_for(getattr(county, role))
    assert client.get(reverse("risk:home")).status_code == 403
    for name in POSTS:
        assert (
            client.post(reverse(name), {"start": "2012-09-01", "end": "2012-10-01"}).status_code
            == 403
        )
    evaluation = Evaluation.objects.create(
        start=dt.date(2012, 9, 1),
        end=dt.date(2012, 10, 1),
        report={},
        code_version="x",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert client.get(reverse("risk:evaluation_detail", args=[evaluation.pk])).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert 'href="/risk/"' not in home
    assert not RiskModel.objects.exists()


def test_train_button_stores_a_version_and_score_button_scores_the_register(
    imported: County,
) -> None:
    client = client_for(imported.division_staff)
    response = client.post(reverse("risk:train"), {"until": ""}, follow=True)
    record = RiskModel.objects.get()
    assert record.trained_by == imported.division_staff
    assert f"已训练模型 v{record.version}" in _messages(response)[0]
    page = response.content.decode()
    assert f"v{record.version}" in page and record.code_version in page

    response = client.post(reverse("risk:score"), follow=True)
    scored = RiskScore.objects.all()
    assert scored.count() == Entity.objects.filter(status=Entity.Status.OPERATING).count() > 0
    assert set(scored.values_list("model_version", flat=True)) == {record.version}
    assert (
        f"已用模型 v{record.version} 为 {scored.count()} 户在业主体评分" in _messages(response)[0]
    )


def test_train_until_a_day_learns_only_from_before_it(imported: County) -> None:
    client = client_for(imported.admin)
    client.post(reverse("risk:train"), {"until": "2012-08-01"})
    record = RiskModel.objects.get()
    assert record.until == dt.date(2012, 8, 1)
    assert record.window_end < dt.date(2012, 8, 1)


def test_train_with_too_little_history_says_plans_keep_class_order(imported: County) -> None:
    client = client_for(imported.leader)
    response = client.post(reverse("risk:train"), {"until": "2012-01-20"}, follow=True)
    (message,) = _messages(response)
    assert message.startswith("检查历史太少，无法训练并验证模型")
    assert message.endswith("在训练出模型之前，巡查计划继续按风险类别排序。")
    assert not RiskModel.objects.exists()


def test_train_refuses_a_cut_off_that_is_no_day(imported: County) -> None:
    response = client_for(imported.admin).post(reverse("risk:train"), {"until": "2012-13-01"})
    assert "训练截止日期应为 YYYY-MM-DD：2012-13-01" in response.content.decode()
    assert not RiskModel.objects.exists()


def test_score_without_a_model_is_a_readable_error(county: County) -> None:
    response = client_for(county.admin).post(reverse("risk:score"), follow=True)
    assert _messages(response) == ["还没有训练过风险模型：请先运行 xiaoneng targeting train。"]
    assert not RiskScore.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "", "end": "2012-10-01"}, "start", "请填写评估期起始日期。"),
        ({"start": "2012-09-01", "end": ""}, "end", "请填写评估期结束日期。"),
        ({"start": "2012-09-01", "end": "2012-08-01"}, "end", "评估期的结束日期早于开始日期。"),
        ({"start": "9月1日", "end": "2012-10-01"}, "start", "评估期起应为 YYYY-MM-DD：9月1日"),
        (
            {"start": "2012-09-01", "end": "2012-02-30"},
            "end",
            "评估期止应为 YYYY-MM-DD：2012-02-30",
        ),
    ],
)
def test_evaluation_form_refuses_bad_periods_and_writes_nothing(
    county: County, data: dict[str, str], field: str, message: str
) -> None:
    before = AuditEvent.objects.count()
    response = client_for(county.division_staff).post(reverse("risk:evaluate"), data)
    assert response.status_code == 200
    assert response.context["evaluation_errors"][field] == message
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()
    assert AuditEvent.objects.count() == before


def test_evaluation_of_a_period_without_inspections_is_refused(imported: County) -> None:
    data = {"start": "2020-01-01", "end": "2020-02-01"}
    response = client_for(imported.admin).post(reverse("risk:evaluate"), data)
    assert "2020-01-01 至 2020-02-01 之间没有已签名的检查记录。" in _messages(response)
    assert not Evaluation.objects.exists()


def test_evaluation_runs_and_its_page_shows_the_report(imported: County) -> None:
    client = client_for(imported.leader)
    data = {"start": "2012-08-01", "end": "2012-10-27"}
    response = client.post(reverse("risk:evaluate"), data)
    evaluation = Evaluation.objects.get()
    assert response["Location"] == reverse("risk:evaluation_detail", args=[evaluation.pk])
    assert evaluation.created_by == imported.leader
    page = client.get(response["Location"]).content.decode()
    model = evaluation.report["orders"]["model"]
    assert f"{model['days_sooner']:.2f}" in page
    assert f"{model['first_half_share']:.1%}" in page
    assert f"{model['top_shares']['0.20']:.1%}" in page
    for label in ("模型排序", "实际顺序", "随机顺序", "按风险类别", "按检查单位", "按区域"):
        assert label in page
    assert "芝加哥检查组 blue" in page  # the unit breakdown names the units
    assert 'data-testid="within-unit"' in page
    home = client.get(reverse("risk:home")).content.decode()
    assert reverse("risk:evaluation_detail", args=[evaluation.pk]) in home


def test_evaluation_page_shows_a_dash_for_missing_figures(county: County) -> None:
    group = {
        "group": "6060x",
        "inspections": 3,
        "violations": 0,
        "auc": None,
        "days_sooner": None,
        "share_of_period": 0.5,
        "share_of_top": 0.0,
    }
    evaluation = Evaluation.objects.create(
        start=dt.date(2012, 9, 1),
        end=dt.date(2012, 10, 1),
        report={"orders": {}, "breakdowns": {"area": [group]}, "within_unit": None},
        code_version="x",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    page = client_for(county.admin).get(reverse("risk:evaluation_detail", args=[evaluation.pk]))
    row = page.content.decode().split('data-testid="breakdown-area"')[1].split("</tr>")[1]
    assert row.count("—") == 2 and "50.0%" in row and "0.0%" in row


def test_drift_is_unchecked_until_the_job_or_the_button_runs(imported: County) -> None:
    services.train_model(until=dt.date(2012, 10, 20), actor=None)
    client = client_for(imported.admin)
    page = client.get(reverse("risk:home")).content.decode()
    assert "尚未检查" in page and 'data-testid="drift-form"' in page
    response = client.post(reverse("risk:check_drift"))
    assert response.status_code == 302
    assert DriftCheck.objects.count() == 1
    page = client.get(reverse("risk:home")).content.decode()
    assert 'data-testid="too-few"' in page and "样本不足" in page and "检查于" in page


def test_drift_shows_the_recent_auc_once_enough_were_signed_since(imported: County) -> None:
    record = services.train_model(until=dt.date(2012, 8, 1), actor=None)
    drift.check(record)
    page = client_for(imported.admin).get(reverse("risk:home")).content.decode()
    assert "样本不足" not in page and "近期AUC 0." in page


def test_drift_below_the_validated_level_proposes_retraining(imported: County) -> None:
    record = services.train_model(until=dt.date(2012, 8, 1), actor=None)
    RiskModel.objects.filter(pk=record.pk).update(validation_auc=0.8)
    DriftCheck.objects.create(
        model=record, checked_at=timezone.now(), inspections=700, violations=120, recent_auc=0.62
    )
    page = client_for(imported.admin).get(reverse("risk:home")).content.decode()
    assert 'data-testid="drifted"' in page and "建议重新训练" in page
    assert "近期AUC 0.620，验证AUC 0.800" in page


def test_only_model_managers_may_check_drift(imported: County) -> None:
    services.train_model(actor=None)
    for officer in (imported.east_officer, imported.east_director):
        assert client_for(officer).post(reverse("risk:check_drift")).status_code == 403
    assert not DriftCheck.objects.exists()


def test_dossier_shows_the_risk_card_once_a_model_is_trained(imported: County) -> None:
    entity = Entity.objects.order_by("pk").first()
    assert entity is not None
    url = reverse("registry:entity_detail", args=[entity.uscc])
    card = reverse("risk:entity_risk_card", args=[entity.uscc])
    client: Client = client_for(imported.admin)
    assert 'data-testid="dossier-risk' not in client.get(url).content.decode()
    assert client.get(card).content.decode() == ""

    record = services.train_model(actor=None)
    # The dossier answers at once with a placeholder that fetches the card.
    dossier = client.get(url).content.decode()
    assert 'data-testid="dossier-risk-pending"' in dossier
    assert f'hx-get="{card}" hx-trigger="load" hx-swap="outerHTML"' in dossier
    live = client.get(card).content.decode()
    assert 'data-testid="dossier-risk"' in live and "尚未评分" in live

    services.score_register(on=dt.date(2013, 1, 1), actor=None)
    entity.refresh_from_db()
    page = client.get(card).content.decode()
    assert f"{RiskScore.objects.get(entity=entity).score:.1%}" in page
    assert f"模型 v{record.version}，2013-01-01 评分" in page
    reasons = page.split('data-testid="risk-reasons"')[1].split("</ul>")[0]
    assert 1 <= reasons.count("<li>") <= 3
    assert "（风险↑）" in reasons or "（风险↓）" in reasons


def test_plan_tables_show_each_task_risk_and_its_main_reason(imported: County) -> None:
    column = TaskRisk()
    assert not column.applies()  # no model yet: no column
    services.train_model(actor=None)
    services.score_register(on=dt.date(2012, 11, 1), actor=None)
    assert column.applies()
    scored, unscored = Entity.objects.order_by("pk")[:2]
    RiskScore.objects.filter(entity=unscored).delete()
    rows = [Task(pk=1, entity_id=scored.pk), Task(pk=2, entity_id=unscored.pk)]
    values = column.values(rows)
    assert values[1].startswith(f"{RiskScore.objects.get(entity=scored).score:.0%} · ")
    assert values[1].endswith("↑）") or values[1].endswith("↓）")
    assert values[2] == "未评分"


def test_the_risk_card_of_another_stations_entity_is_not_found(imported: County) -> None:
    services.train_model(actor=None)
    entity = Entity.objects.order_by("pk").first()
    assert entity is not None
    outsider = (
        imported.east_officer if entity.unit_id == imported.west.pk else imported.west_officer
    )
    card = reverse("risk:entity_risk_card", args=[entity.uscc])
    assert client_for(outsider).get(card).status_code == 404
    answer = client_for(imported.admin).get(card)
    assert answer.status_code == 200 and 'data-testid="dossier-risk"' in answer.content.decode()
