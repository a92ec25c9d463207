"""API bearer tokens (created on the command line); log-in throttling: tests/web/test_login_throttle.py."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.conftest import County
from xiaoneng.core.models import ApiToken
from xiaoneng.core.tokens import create_token, revoke_token

PASSWORD = "correct horse 1"  # tests.org.factories.OfficerFactory.password
UNAUTHENTICATED = {"detail": "需要登录或有效的接口令牌", "errors": []}


def token_command(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def get_entities(key: str) -> object:
    return Client().get("/api/v1/entities", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_created_token_authenticates_the_api(county: County) -> None:
    key = token_command("create", "east_officer", "--name", "报表")

    response = get_entities(key)

    assert response.status_code == 200  # type: ignore[attr-defined]
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (county.east_officer, "报表", key[3:11])
    assert token.last_used_at is not None


def test_only_the_sha256_of_a_key_is_stored(county: County) -> None:
    key = token_command("create", "east_officer")
    assert key.startswith("xn_")
    stored = ApiToken.objects.values().get()
    assert stored["key_sha256"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(v) for v in stored.values()}


def test_a_wrong_token_is_refused_with_the_error_body(county: County) -> None:
    token_command("create", "east_officer")
    response = get_entities("xn_not-a-real-token")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json() == UNAUTHENTICATED  # type: ignore[attr-defined]


def test_no_credentials_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/v1/entities")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_a_revoked_token_is_refused(county: County) -> None:
    key = token_command("create", "east_officer")
    assert get_entities(key).status_code == 200  # type: ignore[attr-defined]

    assert token_command("revoke", key[3:11]) == f"revoked {key[3:11]}"

    response = get_entities(key)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json() == UNAUTHENTICATED  # type: ignore[attr-defined]


def test_a_token_of_a_deactivated_user_is_refused(county: County) -> None:
    _token, key = create_token(user=county.east_officer)
    county.east_officer.is_active = False
    county.east_officer.save()
    assert get_entities(key).status_code == 401  # type: ignore[attr-defined]


def test_revoking_twice_keeps_the_first_revocation_time(county: County) -> None:
    token, _key = create_token(user=county.east_officer)
    first = revoke_token(token=token).revoked_at
    assert revoke_token(token=token).revoked_at == first
    assert ApiToken.objects.get().revoked_at == first


def test_token_list_shows_state_without_the_key(county: County) -> None:
    key = token_command("create", "east_officer", "--name", "报表")
    token_command("revoke", key[3:11])
    listing = token_command("list", "east_officer")
    assert listing.split() == [key[3:11], "east_officer", "revoked", "never", "used", "报表"]
    assert key not in listing


def test_token_for_an_unknown_user_is_a_command_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as raised:
        token_command("create", "nobody")
    assert raised.value.returncode == 2
    assert str(raised.value) == "unknown user: nobody"
    assert ApiToken.objects.count() == 0


def test_token_for_an_inactive_user_is_a_command_error(county: County) -> None:
    county.west_officer.is_active = False
    county.west_officer.save()
    with pytest.raises(CommandError) as raised:
        token_command("create", "west_officer")
    assert (raised.value.returncode, str(raised.value)) == (2, "user west_officer is not active")
    assert ApiToken.objects.count() == 0


def test_revoking_an_unknown_prefix_is_a_command_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as raised:
        token_command("revoke", "abcdefgh")
    assert (raised.value.returncode, str(raised.value)) == (
        2,
        "0 active tokens have the prefix abcdefgh",
    )


def test_a_key_is_letters_and_digits_so_its_prefix_never_reads_as_an_option(
    county: County,
) -> None:
    from xiaoneng.core.tokens import create_token

    keys = [create_token(user=county.east_officer)[1] for _ in range(200)]
    assert all(k.startswith("xn_") and k[3:].isalnum() and len(k) == 46 for k in keys)
