"""xiaoneng draw create … | run ID [--seed S] [--json] | verify ID | publish ID | list | snapshot"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from xiaoneng.core.audit import acting_as
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Officer
from xiaoneng.planning.draws import inputs as draw_inputs
from xiaoneng.planning.draws import params as draw_params
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import SNAPSHOTS, RandomDraw
from xiaoneng.planning.draws.verify import result_json, verify_draw

CREATE_EPILOG = (
    "filters (--filter KEY=VALUE, repeatable; lists comma-separated): region=654002, "
    "grid=G001,G002, industry=H62,F5212 (GB/T 4754 prefixes), risk_class=I,II, "
    "credit_grade=C,D, status=operating, hot_industry=yes|no, licence=food_business. "
    "Without --filter industry=…, the population keeps to the industries of the items."
)


class Command(BaseCommand):
    help = (
        "双随机抽查。Double-random spot-check draws (双随机、一公开): create (and commit: the "
        "population, inspector pool and seed SHA-256 are fixed), run, verify, publish, list. "
        "Errors exit with status 2 and the message."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        self._create_arguments(
            verbs.add_parser(
                "create",
                help="create and commit a draw: print id, seed SHA-256, population size, digest",
                epilog=CREATE_EPILOG,
            )
        )
        run = verbs.add_parser("run", help="draw entities and inspector teams; reveal the seed")
        run.add_argument("id", type=int, help="draw id")
        run.add_argument("--seed", help="the seed (required if it was given at create)")
        run.add_argument("--json", action="store_true", help="print the result as JSON")
        self._user_argument(run)
        verify = verbs.add_parser(
            "verify", help="re-run the draw from its snapshots and seed: 'verified' or exit 2"
        )
        verify.add_argument("id", type=int, help="draw id")
        publish = verbs.add_parser("publish", help="record the publication of a drawn result")
        publish.add_argument("id", type=int, help="draw id")
        publish.add_argument("--text", default="", help="publication text (default: a summary)")
        publish.add_argument("--url", default="", help="where it is published")
        self._user_argument(publish)
        verbs.add_parser("list", help="list draws: status, sizes, publication deadline")
        snapshot = verbs.add_parser(
            "snapshot", help="print a snapshot's canonical text (its SHA-256 is the digest)"
        )
        snapshot.add_argument("id", type=int, help="draw id")
        snapshot.add_argument("part", choices=SNAPSHOTS)

    def _user_argument(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            help="act as this user: the trace names them, and their role and unit apply "
            "(default: the operator, without limits)",
        )

    def _create_arguments(self, create: CommandParser) -> None:
        create.add_argument("--name", required=True, help="name of the draw")
        create.add_argument("--unit", required=True, help="organising unit code")
        create.add_argument("--items", required=True, help="inspection item codes, e.g. R02,R06")
        create.add_argument(
            "--filter", action="append", default=[], metavar="KEY=VALUE", help="population filter"
        )
        how = create.add_mutually_exclusive_group(required=True)
        how.add_argument("--ratio", help="ratio per credit grade, e.g. A=0.03,B=0.05,C=0.2,D=0.6")
        how.add_argument(
            "--policy-ratios",
            action="store_true",
            help="the policy in force: its draw ratio per risk class × credit grade",
        )
        how.add_argument("--count", help="draw this many entities")
        create.add_argument("--pool", required=True, help="inspector pool: unit codes (subtrees)")
        create.add_argument("--team-size", default="2", help="inspectors per entity (≥ 2)")
        create.add_argument("--cap", required=True, help="most entities per inspector")
        create.add_argument("--inspections-end", required=True, help="YYYY-MM-DD")
        create.add_argument(
            "--seed", help="your own seed: only its SHA-256 is kept; give it again to run"
        )
        create.add_argument("--draft", action="store_true", help="save without committing")
        self._user_argument(create)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options.get("user"):
            actor = Officer.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user: {options['user']}", returncode=2)
        try:
            with acting_as(actor):
                getattr(self, f"_{options['verb']}")(options, actor)
        except DomainError as error:
            for item in error.errors[1:]:
                self.stderr.write(f"{item.field}: {item.message}")
            raise CommandError(error.message, returncode=2) from None

    def _draw(self, pk: int) -> RandomDraw:
        draw = RandomDraw.objects.select_related("policy", "unit").filter(pk=pk).first()
        if draw is None:
            raise CommandError(f"no draw {pk}", returncode=2)
        return draw

    def _create(self, options: dict[str, Any], actor: Officer | None) -> None:
        population: dict[str, str] = {}
        for text in options["filter"]:
            key, sep, value = text.partition("=")
            if not sep:
                raise CommandError(f"--filter {text}: expected KEY=VALUE", returncode=2)
            population[key.strip()] = value
        end = parse_date(options["inspections_end"]) if options["inspections_end"] else None
        if end is None:
            raise CommandError(
                f"--inspections-end {options['inspections_end']}: expected YYYY-MM-DD",
                returncode=2,
            )
        selection = "ratio" if options["ratio"] else "count" if options["count"] else "policy"
        draw = draws.create_draw(
            name=options["name"],
            unit=draw_params.find_unit(options["unit"], "unit"),
            item_codes=options["items"].split(","),
            population_filter=population,
            selection=selection,
            ratios=options["ratio"],
            count=options["count"],
            pool_units=draw_params.find_units(options["pool"].split(","), "pool"),
            team_size=options["team_size"],
            workload_cap=options["cap"],
            inspections_end=end,
            seed=options["seed"],
            commit=not options["draft"],
            actor=actor,
        )
        self.stdout.write(
            f"draw {draw.pk} {draw.get_status_display()}\n"
            f"seed_sha256 {draw.seed_sha256 or '-'}\n"
            f"population {draw.population_count}\n"
            f"population_digest {draw.population_digest or '-'}\n"
            f"to draw {draw.planned_count}"
        )

    def _run(self, options: dict[str, Any], actor: Officer | None) -> None:
        draw = draws.run_draw(draw=self._draw(options["id"]), seed=options["seed"], actor=actor)
        if options["json"]:
            self.stdout.write(json.dumps(result_json(draw), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"draw {draw.pk} drawn: {draw.selected_count} of {draw.population_count} entities\n"
            f"seed {draw.seed}\nresult_digest {draw.result_digest}"
        )

    def _verify(self, options: dict[str, Any], actor: Officer | None) -> None:
        outcome = verify_draw(draw=self._draw(options["id"]))
        if outcome.verified:
            self.stdout.write(f"draw {outcome.draw_id} verified")
            return
        for problem in outcome.problems:
            self.stderr.write(problem)
        raise CommandError(f"draw {outcome.draw_id} NOT verified", returncode=2)

    def _publish(self, options: dict[str, Any], actor: Officer | None) -> None:
        publication = draw_publication.publish_draw(
            draw=self._draw(options["id"]), text=options["text"], url=options["url"], actor=actor
        )
        deadline = publication.deadline.isoformat() if publication.deadline else "unknown"
        if WorkingCalendar.load().is_provisional(publication.deadline):
            deadline += " (provisional)"
        self.stdout.write(f"draw {publication.draw_id} published; deadline {deadline}")

    def _list(self, options: dict[str, Any], actor: Officer | None) -> None:
        calendar, today = WorkingCalendar.load(), timezone.localdate()
        for draw in RandomDraw.objects.select_related("unit", "publication"):
            deadline = draw_publication.publication_deadline(draw, calendar)
            overdue = " OVERDUE" if draw_publication.is_overdue(draw, deadline, today) else ""
            overdue = (" provisional" if calendar.is_provisional(deadline) else "") + overdue
            self.stdout.write(
                f"{draw.pk:>5}  {draw.status:<9}  {draw.population_count:>8}  "
                f"{draw.selected_count:>6}  {deadline or '-'}{overdue}  "
                f"{draw.unit.code}  {draw.name}"
            )

    def _snapshot(self, options: dict[str, Any], actor: Officer | None) -> None:
        draw = self._draw(options["id"])
        self.stdout.write(
            draw_inputs.snapshot_text(draw, options["part"]).decode("utf-8"), ending=""
        )
