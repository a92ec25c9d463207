"""Throttling of repeated failed log-ins (password guessing)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from xiaoneng.core.models import LoginFailure

# One address may fail for several users (an office behind one NAT) before it is refused.
ADDRESS_FACTOR = 4


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_blocked(*, username: str, address: str | None) -> bool:
    """Whether log-in is refused for this user name or address after too many failures."""
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=_since())
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return address is not None and (
        recent.filter(address=address).count() >= limit * ADDRESS_FACTOR
    )


def note_failure(*, username: str, address: str | None) -> None:
    """Remember a failed log-in; old failures are pruned on the way."""
    LoginFailure.objects.filter(~Q(at__gte=_since())).delete()
    LoginFailure.objects.create(username=username.lower(), address=address, at=timezone.now())


def clear_failures(*, username: str) -> None:
    """Forget a user's failures after a successful log-in."""
    LoginFailure.objects.filter(username=username.lower()).delete()
