"""The supervision policy: versions from an effective date, complete, within range."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.planning.models import Policy, PolicyCell
from xiaoneng.planning.policy import services as policies


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def test_the_default_policy_is_in_force_from_the_start(db: Any) -> None:
    table = policies.PolicyTable.in_force(dt.date(2001, 1, 1))
    assert table.policy.version == 1
    assert table.treatment("I", "D") == policies.Treatment("zero", 182, Decimal("0.8000"))
    assert table.treatment("III", "A").distance == "remote"
    assert table.interval_days.shape == (3, 4) and (table.interval_days > 0).all()


def test_a_new_version_applies_from_its_effective_date_only(county: County) -> None:
    cells = policies.default_cells()
    cells["I-D"]["patrol_interval_days"] = 90
    new = policies.create_policy(
        effective_from=tomorrow(), cells=cells, note="食品安全专项期间加密巡查", actor=county.admin
    )
    assert new.version == 2
    assert policies.policy_in_force().version == 1
    assert policies.policy_in_force(tomorrow()).version == 2
    assert policies.PolicyTable(new).treatment("I", "D").patrol_interval_days == 90


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda c: c.pop("II-C"), "II-C", "政策缺少 II 类 × C 级"),
        (
            lambda c: c["I-A"].update(draw_ratio="1.5"),
            "I-A.draw_ratio",
            "抽查比例应在 0 至 1 之间：1.5",
        ),
        (
            lambda c: c["I-A"].update(draw_ratio="-0.1"),
            "I-A.draw_ratio",
            "抽查比例应在 0 至 1 之间：-0.1",
        ),
        (
            lambda c: c["III-B"].update(patrol_interval_days=0),
            "III-B.patrol_interval_days",
            "巡查间隔应在 1 至 3650 天之间：0",
        ),
        (
            lambda c: c["III-B"].update(patrol_interval_days="often"),
            "III-B.patrol_interval_days",
            "巡查间隔应为整数天数",
        ),
        (
            lambda c: c["II-A"].update(distance="far"),
            "II-A.distance",
            "监管距离应为 remote、near 或 zero：far",
        ),
        (lambda c: c.update({"IV-A": c["I-A"]}), "IV-A", "未知的类别×等级：IV-A"),
    ],
)
def test_a_bad_policy_is_refused_naming_the_cell_and_nothing_is_written(
    county: County, change: Any, field: str, message: str
) -> None:
    cells = policies.default_cells()
    change(cells)
    with pytest.raises(InvalidInput) as refused:
        policies.create_policy(effective_from=tomorrow(), cells=cells, actor=county.admin)
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    assert Policy.objects.count() == 1 and PolicyCell.objects.count() == 12


def test_a_policy_cannot_start_in_the_past_or_on_a_taken_date(county: County) -> None:
    with pytest.raises(InvalidInput) as past:
        policies.create_policy(
            effective_from=dt.date(2020, 1, 1), cells=policies.default_cells(), actor=county.admin
        )
    assert past.value.errors[0].message == "生效日期不能早于今天：2020-01-01"
    policies.create_policy(
        effective_from=tomorrow(), cells=policies.default_cells(), actor=county.admin
    )
    with pytest.raises(InvalidInput) as taken:
        policies.create_policy(
            effective_from=tomorrow(), cells=policies.default_cells(), actor=county.admin
        )
    assert taken.value.errors[0].message == f"该日期已有政策版本：{tomorrow()}"


def test_only_administrators_make_policy(county: County) -> None:
    with pytest.raises(NotPermitted):
        policies.create_policy(
            effective_from=tomorrow(), cells=policies.default_cells(), actor=county.leader
        )


def test_policy_page_and_form(county: County) -> None:
    page = client_for(county.east_officer).get("/policy/").content.decode()
    assert 'data-testid="policy-matrix"' in page and "制定新版本" not in page
    assert client_for(county.east_officer).get("/policy/new/").status_code == 403
    form = {
        f"{key}.{name}": value
        for key, cell in policies.default_cells().items()
        for name, value in cell.items()
    }
    form.update(
        {"effective_from": tomorrow().isoformat(), "note": "年度调整", "I-B.draw_ratio": "2"}
    )
    response = client_for(county.admin).post("/policy/new/", form)
    assert 'data-testid="error-I-B">抽查比例应在 0 至 1 之间：2</div>' in response.content.decode()
    form["I-B.draw_ratio"] = "0.2"
    response = client_for(county.admin).post("/policy/new/", form)
    assert response.status_code == 302 and response["Location"] == "/policy/v2/"
    assert policies.PolicyTable(Policy.objects.get(version=2)).treatment(
        "I", "B"
    ).draw_ratio == Decimal("0.2000")


def test_policy_api(county: County) -> None:
    client = client_for(county.admin)
    listed = client.get("/api/v1/policy").json()
    assert [(p["version"], p["in_force"], len(p["cells"])) for p in listed] == [(1, True, 12)]
    body = {"effective_from": tomorrow().isoformat(), "cells": policies.default_cells()}
    del body["cells"]["III-D"]
    refused = client.post("/api/v1/policy", data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "III-D", "message": "政策缺少 III 类 × D 级"}]
    body["cells"] = policies.default_cells()
    created = client.post("/api/v1/policy", data=json.dumps(body), content_type="application/json")
    assert (
        created.status_code == 201
        and created.json()["version"] == 2
        and created.json()["in_force"] is False
    )
    forbidden = client_for(county.leader).post(
        "/api/v1/policy", data=json.dumps(body), content_type="application/json"
    )
    assert forbidden.status_code == 403


def test_a_date_with_no_such_day_is_refused_on_the_form_not_a_server_error(
    county: County,
) -> None:
    form = {
        f"{key}.{name}": value
        for key, cell in policies.default_cells().items()
        for name, value in cell.items()
    }
    form["effective_from"] = f"{tomorrow().year + 1}-02-30"  # parse_day: None, no ValueError
    response = client_for(county.admin).post("/policy/new/", form)
    assert response.status_code == 200
    assert "请填写生效日期（YYYY-MM-DD）" in response.content.decode()
    assert not Policy.objects.filter(version=2).exists()
