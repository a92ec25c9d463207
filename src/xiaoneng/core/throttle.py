"""Throttling of failed log-ins (password guessing) on every login path, with django-axes.

Axes' backend runs before the password backend for every ``authenticate(request=...)`` call,
so the site's log-in page and the admin's are counted alike (the API has bearer tokens and the
session, no password log-in). This module adds what axes does not do (ADR 0014):

- a user name is refused after ``LOGIN_FAILURE_LIMIT`` failures, an address only after
  ``LOGIN_FAILURE_LIMIT × LOGIN_ADDRESS_FACTOR``, so one office behind a NAT is not locked out
  by a few colleagues' typos;
- the attempt is counted *before* the password is checked, in one transaction with the check,
  so concurrent guesses cannot all pass a check that none of them has counted yet;
- the client's address is read through ``TRUSTED_PROXIES`` only.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_query_str
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F, Sum
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str | None:
    """The address of the client: ``REMOTE_ADDR``, or, when that is a trusted proxy, the
    right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy (the part
    left of it is whatever the client chose to send)."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _address(remote)
    if address is None or not _trusted(address):
        return remote or None
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            break
        address = hop_address
        if not _trusted(hop_address):
            break
    return str(address)


def username_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name counted: the one typed, lower-cased (East_Officer and east_officer are
    one user to count)."""
    if credentials is not None:
        username = credentials.get("username")  # Django's log-in forms (AXES_USERNAME_FORM_FIELD)
    else:
        username = request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) else None


def _failures(**where: Any) -> int:
    total = AccessAttempt.objects.filter(**where).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler, counting per user name and, more leniently, per address, and
    reserving the attempt before the password is checked."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        since = get_cool_off_threshold(request)
        username = get_client_username(request, credentials)
        by_user = _failures(username=username, attempt_time__gte=since) if username else 0
        address = request.axes_ip_address
        by_address = _failures(ip_address=address, attempt_time__gte=since) if address else 0
        return max(by_user, by_address // settings.LOGIN_ADDRESS_FACTOR)

    def is_allowed(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        """Check and count in one transaction: the failure is counted now and taken back if
        the password proves right (``reset_user_attempts``)."""
        if self.is_blacklisted(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        username = get_client_username(request, credentials)
        using = router.db_for_write(AccessAttempt)
        with transaction.atomic(using=using):
            _serialize(using, username, request.axes_ip_address)
            if self.get_failures(request, credentials) >= get_failure_limit(request, credentials):
                return False
            request.xiaoneng_reserved = _count_attempt(request, username)
        return True

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        reserved = getattr(request, "xiaoneng_reserved", None)
        if reserved is None:
            super().user_login_failed(sender, credentials, request, **kwargs)
            return
        # Axes counts the failure again: take the reservation back in the same transaction.
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            AccessAttempt.objects.filter(pk=reserved).update(
                failures_since_start=F("failures_since_start") - 1
            )
            request.xiaoneng_reserved = None
            super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """After a successful log-in, forget that user's failures (with this attempt's
        reservation), not the address's: one colleague's success does not clear a guesser."""
        username = get_client_username(request, credentials)
        request.xiaoneng_reserved = None
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def _serialize(using: str, username: str | None, address: str | None) -> None:
    """Make concurrent checks of one user name or address wait for each other. SQLite runs
    the transaction as ``BEGIN IMMEDIATE`` (settings), which already serializes writers."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({f"axes-user:{username}", f"axes-address:{address}"}):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _count_attempt(request: Any, username: str | None) -> int:
    attempt, created = AccessAttempt.objects.get_or_create(
        username=username,
        ip_address=request.axes_ip_address,
        user_agent=request.axes_user_agent,
        defaults={
            "get_data": get_query_str(request.GET).replace("\0", "0x00"),
            "post_data": get_query_str(request.POST).replace("\0", "0x00"),
            "http_accept": request.axes_http_accept,
            "path_info": request.axes_path_info,
            "failures_since_start": 1,
            "attempt_time": request.axes_attempt_time,
        },
    )
    if not created:
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            failures_since_start=F("failures_since_start") + 1,
            attempt_time=request.axes_attempt_time,
        )
    return int(attempt.pk)


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' backend for every HTTP log-in. ``authenticate()`` without a request is no HTTP
    log-in (the shell, the test client's ``login``): there is no client to count, and Django's
    own password backend still checks the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
