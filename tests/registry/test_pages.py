"""Dossier actions on the register's pages show a refusal the one way pages do (core.pages.act)."""

from __future__ import annotations

from django.contrib.messages import get_messages

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.registry.models import Entity


def east_entity(county: County) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat)


def test_a_refused_dossier_action_says_why_without_the_apis_field_name(county: County) -> None:
    entity = east_entity(county)
    response = client_for(county.east_director).post(
        f"/entities/{entity.uscc}/credit-grade/", {"credit_grade": "D", "reason": ""}
    )
    assert response.status_code == 302
    shown = [m.message for m in get_messages(response.wsgi_request)]
    assert shown == ["请填写理由"]  # the page used to show "reason: 请填写理由"


def test_a_dossier_action_the_role_may_not_take_answers_403_with_its_message(
    county: County,
) -> None:
    """A leader may not claim: like every page, the refusal answers 403 (it used to come back
    as a message on the dossier)."""
    entity = east_entity(county)
    response = client_for(county.leader).post(f"/entities/{entity.uscc}/claim/")
    assert response.status_code == 403
    assert "只有该网格的责任人或本所所长可以认领" in response.content.decode()
    entity.refresh_from_db()
    assert entity.claimed_at is None


def test_a_dossier_action_done_shows_the_message_naming_the_new_state(county: County) -> None:
    entity = east_entity(county)
    response = client_for(county.east_director).post(
        f"/entities/{entity.uscc}/credit-grade/",
        {"credit_grade": "D", "reason": "列入严重失信名单"},
    )
    assert [m.message for m in get_messages(response.wsgi_request)] == ["信用等级已调整为 D"]
