"""The admin path is traced like every other; production hashes passwords with Argon2."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.test import override_settings

from tests.conftest import County, client_for
from xiaoneng import settings as project_settings
from xiaoneng.core.audit import history
from xiaoneng.org.models import Unit


def test_a_change_in_the_admin_is_traced_with_its_user_and_source(county: County) -> None:
    county.admin.is_superuser = True
    county.admin.save()
    unit = county.west
    response = client_for(county.admin).post(
        f"/admin/org/unit/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "城西市场监督管理所",
            "kind": unit.kind,
            "parent": unit.parent_id,
            "region_code": unit.region_code,
            "address": "",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content[:300]
    event = history(Unit.objects.get(pk=unit.pk)).first()
    assert event is not None
    assert (event.source, event.actor, event.changes) == (
        "admin",
        county.admin,
        {"name": ["城西所", "城西市场监督管理所"]},
    )


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("correct horse battery").startswith("argon2$")
