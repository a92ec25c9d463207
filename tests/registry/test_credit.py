"""Feedback into classification (信用反馈): the rule table, automatic rules, and proposals
confirmed or rejected on the page and through the API, with history."""

from __future__ import annotations

import json

from tests.conftest import County, client_for
from tests.planning.patrol.test_schedule import east_entity
from tests.registry.factories import make_entity
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import ClassificationChange, CreditProposal, CreditRule, Entity


def proposal_for(entity: Entity, trigger: str = "finding_critical") -> CreditProposal:
    proposal = credit_event(entity=entity, trigger=trigger, source="检查记录 #1 第2项（严重）")
    assert proposal is not None
    return proposal


def test_automatic_rule_lowers_the_grade_at_once_with_history(county: County) -> None:
    entity = east_entity(county)
    proposal = credit_event(
        entity=entity, trigger="case_penalised", source="伊市监罚〔2026〕12号", actor=county.admin
    )
    assert proposal is not None and proposal.status == CreditProposal.Status.APPLIED
    entity.refresh_from_db()
    assert entity.credit_grade == "C"
    change = ClassificationChange.objects.get(entity=entity)
    assert (change.field, change.old_value, change.new_value) == ("credit_grade", "B", "C")
    assert change.reason == "作出行政处罚决定（伊市监罚〔2026〕12号）"


def test_inactive_rule_does_nothing(county: County) -> None:
    CreditRule.objects.filter(trigger="finding_critical").update(active=False)
    assert credit_event(entity=east_entity(county), trigger="finding_critical", source="x") is None
    assert not CreditProposal.objects.exists()


def test_a_pending_proposal_is_not_repeated(county: County) -> None:
    entity = east_entity(county)
    first = proposal_for(entity)
    assert proposal_for(entity) == first
    assert CreditProposal.objects.count() == 1


def test_confirming_on_the_page_changes_the_grade_with_history(county: County) -> None:
    entity = east_entity(county)
    proposal = proposal_for(entity)
    response = client_for(county.east_director).post(
        f"/credit/{proposal.pk}/decide/", {"decision": "confirm", "reason": "情况属实"}
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    proposal.refresh_from_db()
    assert entity.credit_grade == "C" and proposal.status == "confirmed"
    assert (proposal.decided_by, proposal.decision_reason) == (county.east_director, "情况属实")
    change = ClassificationChange.objects.get(entity=entity)
    assert (change.old_value, change.new_value, change.changed_by) == (
        "B",
        "C",
        county.east_director,
    )
    assert change.reason == "检查记录 #1 第2项（严重）：情况属实"


def test_rejecting_leaves_the_grade(county: County) -> None:
    entity = east_entity(county)
    proposal = proposal_for(entity)
    client_for(county.east_director).post(
        f"/credit/{proposal.pk}/decide/", {"decision": "reject", "reason": "已当场整改"}
    )
    entity.refresh_from_db()
    proposal.refresh_from_db()
    assert entity.credit_grade == "B" and proposal.status == "rejected"
    assert not ClassificationChange.objects.exists()


def test_a_decision_needs_a_reason(county: County) -> None:
    proposal = proposal_for(east_entity(county))
    client = client_for(county.east_director)
    response = client.post(
        f"/credit/{proposal.pk}/decide/", {"decision": "confirm", "reason": ""}, follow=True
    )
    assert "请填写确认意见" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_grid_officer_sees_proposals_but_may_not_decide(county: County) -> None:
    proposal = proposal_for(east_entity(county))
    client = client_for(county.east_officer)
    page = client.get("/credit/")
    assert (
        page.status_code == 200
        and f'data-testid="decide-{proposal.pk}"' not in page.content.decode()
    )
    refused = client.post(f"/credit/{proposal.pk}/decide/", {"decision": "confirm", "reason": "是"})
    assert refused.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_page_lists_pending_proposals_of_the_users_units_and_the_rules(county: County) -> None:
    east = proposal_for(east_entity(county, name="城东饭店"))
    lon, lat = county.west_point()
    proposal_for(make_entity(name="城西饭店", longitude=lon, latitude=lat))
    page = client_for(county.east_director).get("/credit/").content.decode()
    assert "城东饭店" in page and "城西饭店" not in page
    assert f'data-testid="decide-{east.pk}"' in page
    assert "注销（吊销）后仍在经营：严重失信，经确认" in page  # the rule table, read-only
    assert client_for(county.leader).get("/credit/").content.decode().count("饭店") == 2


def test_another_stations_proposal_answers_404(county: County) -> None:
    proposal = proposal_for(east_entity(county))
    client = client_for(county.west_director)
    assert (
        client.post(
            f"/credit/{proposal.pk}/decide/", {"decision": "confirm", "reason": "是"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/credit-proposals/{proposal.pk}").status_code == 404
    decided = client.post(
        f"/api/v1/credit-proposals/{proposal.pk}/decide",
        json.dumps({"confirm": True, "reason": "是"}),
        content_type="application/json",
    )
    assert decided.status_code == 404
    assert client.get("/api/v1/credit-proposals").json()["count"] == 0
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_api_lists_decides_and_shows_the_rules(county: County) -> None:
    entity = east_entity(county)
    proposal = proposal_for(entity)
    client = client_for(county.east_director)
    listed = client.get("/api/v1/credit-proposals").json()
    assert [p["id"] for p in listed["items"]] == [proposal.pk]
    assert listed["items"][0]["uscc"] == entity.uscc
    rules = {r["trigger"]: r for r in client.get("/api/v1/credit-proposals/rules").json()}
    assert rules["case_penalised"]["automatic"] is True and rules["exit_operating"]["grade"] == "D"
    bad = client.post(
        f"/api/v1/credit-proposals/{proposal.pk}/decide",
        json.dumps({"confirm": True, "reason": ""}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "reason", "message": "请填写确认意见"}]
    done = client.post(
        f"/api/v1/credit-proposals/{proposal.pk}/decide",
        json.dumps({"confirm": True, "reason": "属实"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    entity.refresh_from_db()
    assert entity.credit_grade == "C"


def test_administrator_can_edit_the_rules_in_the_admin(county: County) -> None:
    user = county.admin
    user.is_staff = True
    user.is_superuser = True
    user.save()
    response = client_for(user).get("/admin/registry/creditrule/")
    assert response.status_code == 200 and "作出行政处罚决定" in response.content.decode()
