"""xiaoneng callbacks draw --month YYYY-MM [--unit CODE] | verify ROUND_ID"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.core.months import parse_month
from xiaoneng.timeliness.callbacks import rounds
from xiaoneng.timeliness.callbacks.models import CallbackRound, CallbackRule


class Command(BaseCommand):
    help = (
        "回访 (callbacks). `callbacks draw --month 2026-10` draws, for every active callback rule "
        "(or those of --unit), that month's round: the records of the rule's kind completed in "
        "the month, all, a share or a number of them, from a seed fixed and kept before "
        "drawing; a round already drawn is printed, not drawn again. `callbacks verify 12` "
        "draws round 12 again from its seed and says whether it matches (exit status 1 when it "
        "does not). A month not yet over, a malformed month, an unknown unit or round exits "
        "with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{draw,verify}")
        draw = verbs.add_parser("draw", help="draw a finished month's rounds of every rule")
        draw.add_argument("--month", required=True, help="a finished month, YYYY-MM")
        draw.add_argument("--unit", help="unit code (default: every unit with a rule)")
        verify = verbs.add_parser("verify", help="draw a round again from its seed and compare")
        verify.add_argument("round_id", type=int, help="the round's number")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "draw":
            self._draw(options["month"], options.get("unit"))
        else:
            self._verify(options["round_id"])

    def _draw(self, month: str, unit: str | None) -> None:
        try:
            month = parse_month(month).text
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        rules = CallbackRule.objects.filter(active=True).select_related("unit")
        if unit:
            rules = rules.filter(unit__code=unit)
            if not rules.exists():
                raise CommandError(f"no active callback rule of unit: {unit}", returncode=2)
        for rule in rules.order_by("unit__path", "subject_kind"):
            drawn = CallbackRound.objects.filter(
                unit=rule.unit, month=month, subject_kind=rule.subject_kind
            ).first()
            again = "（此前已抽取 drawn before）" if drawn else ""
            if drawn is None:
                try:
                    with acting_as(None):
                        drawn = rounds.draw_round(
                            unit=rule.unit,
                            month=month,
                            subject_kind=rule.subject_kind,
                            actor=None,
                        )
                except DomainError as error:
                    raise CommandError(error.message, returncode=2) from None
            self.stdout.write(
                f"{drawn.unit.code} {drawn.month} {drawn.get_subject_kind_display()}: "
                f"抽取 drawn {drawn.callbacks.count()} / {drawn.population} "
                f"(round #{drawn.pk}, seed {drawn.seed}){again}"
            )

    def _verify(self, round_id: int) -> None:
        drawn = CallbackRound.objects.select_related("unit").filter(pk=round_id).first()
        if drawn is None:
            raise CommandError(f"no such round: {round_id}", returncode=2)
        outcome = rounds.check_round(drawn)
        verdict = "一致 verified" if outcome.verified else "不一致 MISMATCH"
        self.stdout.write(f"{drawn.unit.code} {drawn.month} round #{drawn.pk}: {verdict}")
        for problem in outcome.problems:
            self.stdout.write(f"  {problem}")
        if not outcome.verified:
            raise CommandError("the round does not match its seed", returncode=1)
