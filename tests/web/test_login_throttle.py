"""Throttling of failed log-ins (django-axes, ``xiaoneng.core.throttle``) on every login path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from tests.conftest import County
from xiaoneng.core.throttle import client_address

PASSWORD = "correct horse 1"  # tests.org.factories.OfficerFactory.password
BLOCKED = "登录失败次数过多，请 15 分钟后再试。"
WRONG = "和密码。注意，两者都区分大小写。"  # Django: 请输入一个正确的%(username)s和密码…
LIMIT = settings.LOGIN_FAILURE_LIMIT
NAT = "10.20.30.40"


def log_in(
    client: Client, username: str, password: str, *, path: str = "/login/", address: str = NAT
) -> Any:
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def failures_of(username: str) -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The user names whose password was checked against the stored hash."""
    checked: list[str] = []
    original = AbstractBaseUser.check_password

    def check_password(user: AbstractBaseUser, raw_password: str | None) -> bool:
        checked.append(user.get_username())
        return original(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", check_password)
    return checked


def test_axes_is_on_in_the_tests() -> None:
    assert settings.AXES_ENABLED
    assert settings.AUTHENTICATION_BACKENDS[0] == "xiaoneng.core.throttle.ThrottleBackend"


def test_a_correct_password_logs_in(county: County) -> None:
    client = Client()
    response = log_in(client, "east_officer", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_after_the_failure_limit_the_correct_password_is_refused(
    county: County, password_checks: list[str]
) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        response = log_in(client, "east_officer", "wrong password")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    response = log_in(client, "east_officer", "wrong password")
    assert (response.status_code, BLOCKED in response.content.decode()) == (429, True)

    response = log_in(client, "east_officer", PASSWORD)

    assert response.status_code == 429
    assert BLOCKED in response.content.decode()
    assert not logged_in(client)
    assert password_checks == ["east_officer"] * LIMIT
    assert failures_of("east_officer") == LIMIT


def test_the_admin_login_is_throttled_and_then_refuses_the_correct_password(
    county: County, password_checks: list[str]
) -> None:
    county.admin.is_staff = True
    county.admin.save()
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "admin", "wrong password", path="/admin/login/")

    response = log_in(client, "admin", PASSWORD, path="/admin/login/")

    assert response.status_code == 429
    page = response.content.decode()
    assert BLOCKED in page
    assert "Account locked" not in page
    assert not logged_in(client)
    assert password_checks == ["admin"] * LIMIT


def test_one_failure_short_of_the_limit_still_logs_in(county: County) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "east_officer", "wrong password")
    log_in(client, "east_officer", PASSWORD)
    assert logged_in(client)


def test_a_successful_log_in_clears_the_users_failures(county: County) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "east_officer", "wrong password")
    log_in(client, "east_officer", PASSWORD)
    assert failures_of("east_officer") == 0

    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "east_officer", "wrong password")
    log_in(client, "east_officer", PASSWORD)
    assert logged_in(client)


def test_user_names_differing_in_case_count_together(county: County) -> None:
    for name in ["East_Officer", "EAST_OFFICER", "east_officer", "east_OFFICER", "East_officer"]:
        log_in(Client(), name, "wrong password")
    client = Client()
    log_in(client, "east_officer", PASSWORD)
    assert not logged_in(client)


def test_locking_one_user_does_not_lock_another(county: County) -> None:
    for _ in range(LIMIT):
        log_in(Client(), "east_officer", "wrong password")
    client = Client()
    log_in(client, "west_officer", PASSWORD)
    assert logged_in(client)


def test_failures_older_than_the_window_do_not_count(county: County) -> None:
    for _ in range(LIMIT):
        log_in(Client(), "east_officer", "wrong password")
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - window)
    client = Client()
    log_in(client, "east_officer", PASSWORD)
    assert logged_in(client)


def test_twenty_failures_behind_one_nat_address_do_not_lock_out_its_other_users(
    county: County,
) -> None:
    for name in ["east_officer", "west_officer", "east_director", "leader"]:
        for _ in range(LIMIT):
            log_in(Client(), name, "wrong password", address=NAT)
    assert AccessAttempt.objects.filter(ip_address=NAT).count() == 4  # 20 failures

    client = Client()
    log_in(client, "west_director", PASSWORD, address=NAT)

    assert logged_in(client)


def test_an_address_is_refused_after_the_address_limit(county: County) -> None:
    address_limit = LIMIT * settings.LOGIN_ADDRESS_FACTOR
    for n in range(address_limit):
        log_in(Client(), f"guess{n}", "wrong password", address="192.0.2.9")

    refused = Client()
    response = log_in(refused, "west_director", PASSWORD, address="192.0.2.9")
    elsewhere = Client()
    log_in(elsewhere, "west_director", PASSWORD, address=NAT)

    assert (response.status_code, logged_in(refused)) == (429, False)
    assert logged_in(elsewhere)


def test_forty_overlapping_wrong_logins_check_at_most_the_limit_of_passwords(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each password check starts the next log-in before it answers, as 40 concurrent
    requests would: the failures are counted before a password is checked, not after."""
    original = AbstractBaseUser.check_password
    checked: list[str] = []
    statuses: list[int] = []
    started = 0

    def next_login() -> None:
        nonlocal started
        if started < 40:
            started += 1
            statuses.append(log_in(Client(), "east_officer", "wrong password").status_code)

    def slow_check(user: AbstractBaseUser, raw_password: str | None) -> bool:
        checked.append(user.get_username())
        next_login()  # another request arrives while this password is hashed
        return original(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", slow_check)
    while started < 40:
        next_login()

    assert len(checked) == LIMIT
    assert statuses.count(429) >= 40 - LIMIT
    assert failures_of("east_officer") == LIMIT


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy trusted: header ignored
        ("10.0.0.2", "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from the proxy
        ("10.0.0.2", "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # spoofed left part
        ("10.0.0.0/24", "10.0.0.2", "198.51.100.1, 10.0.0.9", "198.51.100.1"),  # two proxies
        ("10.0.0.2", "10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    trusted: str, remote: str, forwarded: str, expected: str
) -> None:
    proxies = [p for p in trusted.split(",") if p]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected


def test_behind_the_proxy_each_client_is_counted_apart(county: County) -> None:
    proxy = "10.0.0.2"
    with override_settings(TRUSTED_PROXIES=[proxy]):
        for n in range(LIMIT):
            Client().post(
                "/login/",
                {"username": "east_officer", "password": "wrong"},
                REMOTE_ADDR=proxy,
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {f"198.51.100.{n}" for n in range(LIMIT)}


@pytest.fixture
def locked_east_officer(county: County) -> Iterator[County]:
    for _ in range(LIMIT):
        log_in(Client(), "east_officer", "wrong password")
    yield county


def test_axes_reset_username_unlocks_a_user(locked_east_officer: County) -> None:
    call_command("axes_reset_username", "east_officer", stdout=StringIO())
    client = Client()
    log_in(client, "east_officer", PASSWORD)
    assert logged_in(client)


def test_axes_reset_unlocks_everyone(locked_east_officer: County) -> None:
    call_command("axes_reset", stdout=StringIO())
    assert AccessAttempt.objects.count() == 0
    client = Client()
    log_in(client, "east_officer", PASSWORD)
    assert logged_in(client)


def test_an_authentication_without_a_request_is_not_counted_but_still_checked(
    county: County,
) -> None:
    """The test client's ``login`` and the shell call ``authenticate()`` without a request."""
    assert not Client().login(username="east_officer", password="wrong password")
    assert Client().login(username="east_officer", password=PASSWORD)
    assert AccessAttempt.objects.count() == 0
