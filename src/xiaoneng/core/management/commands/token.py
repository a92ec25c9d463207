"""xiaoneng token create USERNAME | list [USERNAME] | revoke PREFIX"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.models import ApiToken
from xiaoneng.core.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = (
        "管理接口令牌。Create, list or revoke API tokens. A token is shown once, at creation; "
        "send it as 'Authorization: Bearer <token>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="create a token for USERNAME and print it")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = verbs.add_parser("list", help="list tokens (of USERNAME)")
        listing.add_argument("username", nargs="?")
        revoke = verbs.add_parser("revoke", help="revoke the token whose prefix is PREFIX")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"unknown user: {options['username']}", returncode=2)
        if not user.is_active:
            raise CommandError(f"user {options['username']} is not active", returncode=2)
        _token, key = create_token(user=user, name=options["name"])
        self.stdout.write(key)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if options["username"]:
            tokens = tokens.filter(user__username=options["username"])
        for token in tokens:
            state = "revoked" if token.revoked_at else "active"
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            self.stdout.write(
                f"{token.prefix}  {token.user.get_username():<16} {state:<8} {used}  {token.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(matches) != 1:
            raise CommandError(
                f"{len(matches)} active tokens have the prefix {options['prefix']}", returncode=2
            )
        revoke_token(token=matches[0])
        self.stdout.write(f"revoked {options['prefix']}")
