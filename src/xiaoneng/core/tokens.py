"""API bearer tokens: ``xiaoneng token create USERNAME``; only a SHA-256 of each is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import string
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from xiaoneng.core.models import ApiToken

PREFIX = "xn_"
# Letters and digits only: a prefix beginning with "-" would read as an option to
# ``xiaoneng token revoke PREFIX``. 43 characters of 62 carry 256 bits, as token_urlsafe(32).
ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 43
# last_used_at is written at most this often, so that reads do not each cost a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and never stored."""
    key = PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
    token = ApiToken.objects.create(
        # The column is AUTH_USER_MODEL: org's Officer, which core may not name (core.actors).
        user=cast(Any, user),
        name=name,
        prefix=key[len(PREFIX) : len(PREFIX) + 8],
        key_sha256=_digest(key),
    )
    return token, key


def revoke_token(*, token: ApiToken) -> ApiToken:
    """Revoke a token; requests bearing it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_key(key: str) -> Any:
    """The active user a key belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=_digest(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    """``Authorization: Bearer xn_…``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user
