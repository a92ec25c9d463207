"""xiaoneng review draw|verify --month YYYY-MM [--unit CODE]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import ReviewRound


class Command(BaseCommand):
    help = (
        "所长抽查。Director spot checks: `review draw --month 2026-10` draws, for every station "
        "(or --unit), a random sample of each officer's inspections signed in that month "
        "(rate DIRECTOR_REVIEW_RATE, at least DIRECTOR_REVIEW_MINIMUM each) for the director "
        "to review; the seed is fixed and kept before drawing. A round is drawn once per "
        "station and month: drawing again prints the round already drawn. `review verify` "
        "draws the rounds again from their seeds and says whether they match (exit status 1 when "
        "one does not). A month not yet "
        "over, a malformed month or an unknown unit exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{draw,verify}")
        for verb, text in (
            ("draw", "draw the month's sample of every station (or one)"),
            ("verify", "draw the month's rounds again from their seeds and compare"),
        ):
            sub = verbs.add_parser(verb, help=text, description=text)
            sub.add_argument("--month", required=True, help="a finished month, YYYY-MM")
            sub.add_argument("--unit", help="station code (default: every station)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = director_reviews.parse_month(options["month"]).text
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        stations = Unit.objects.filter(kind=Unit.Kind.STATION).order_by("path")
        if options["unit"]:
            stations = stations.filter(code=options["unit"])
            if not stations.exists():
                raise CommandError(f"unknown station: {options['unit']}", returncode=2)
        if options["verb"] == "draw":
            self._draw(list(stations), month)
        else:
            self._verify(list(stations), month)

    def _draw(self, stations: list[Unit], month: str) -> None:
        before = set(
            ReviewRound.objects.filter(unit__in=stations, month=month).values_list("pk", flat=True)
        )
        try:
            with acting_as(None):
                rounds = [director_reviews.draw_reviews(unit=s, month=month) for s in stations]
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for drawn in rounds:
            again = "（此前已抽取 drawn before）" if drawn.pk in before else ""
            self.stdout.write(
                f"{drawn.unit.code} {drawn.unit.name} {drawn.month}: "
                f"抽取 drawn {drawn.reviews.count()} / {drawn.population} "
                f"(round #{drawn.pk}, seed {drawn.seed}){again}"
            )

    def _verify(self, stations: list[Unit], month: str) -> None:
        rounds = ReviewRound.objects.filter(unit__in=stations, month=month).select_related("unit")
        failed = 0
        if not rounds.exists():
            self.stdout.write(f"{month}: 没有已抽取的批次 no rounds drawn")
        for drawn in rounds.order_by("unit__path"):
            outcome = director_reviews.check_round(drawn)
            verdict = "一致 verified" if outcome.verified else "不一致 MISMATCH"
            self.stdout.write(f"{drawn.unit.code} {drawn.month} round #{drawn.pk}: {verdict}")
            for problem in outcome.problems:
                self.stdout.write(f"  {problem}")
            failed += not outcome.verified
        if failed:
            raise CommandError(f"{failed} round(s) do not match their seed", returncode=1)
