"""xiaoneng targeting train|score|evaluate|status — the risk model on the register's records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.risk import drift, services
from xiaoneng.risk.chicago_scoring import score_file
from xiaoneng.risk.text import evaluation_text
from xiaoneng.targeting.errors import TargetingError


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=2) from None


def _period(text: str) -> tuple[dt.date, dt.date]:
    first, sep, last = text.partition(":")
    if not sep:
        raise CommandError(
            f"period must be START:END (YYYY-MM-DD:YYYY-MM-DD), got {text!r}", returncode=2
        )
    return _day(first), _day(last)


class Command(BaseCommand):
    help = (
        "Risk-based targeting on the register's own records (docs/targeting.md). "
        "`train [--until DATE]` learns from the signed inspections before DATE and stores a new "
        "model version; `score [--on DATE]` scores every entity in business with the latest "
        "version (patrol plans order tasks by it); `score --input FILE.csv --output SCORES.csv` "
        "scores the rows of a Chicago-format file without outcomes, writing Inspection_ID,score; "
        "`evaluate --period START:END` trains on what came before the period and compares the "
        "model's order of its inspections with the actual, random and class orders; `status` "
        "shows the latest version and its recent accuracy (drift)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        train = verbs.add_parser("train", help="train and store a new model version")
        train.add_argument("--until", help="learn from inspections before this day (YYYY-MM-DD)")
        score = verbs.add_parser("score", help="score the register, or a file of visits")
        score.add_argument("--on", help="the day scored (default: today)")
        score.add_argument("--input", help="a Chicago-format CSV of visits to score")
        score.add_argument("--output", help="where to write Inspection_ID,score (with --input)")
        evaluate = verbs.add_parser("evaluate", help="time-split evaluation of one period")
        evaluate.add_argument("--period", required=True, help="START:END, both days included")
        evaluate.add_argument(
            "--no-store", action="store_true", help="print the evaluation without keeping it"
        )
        verbs.add_parser("status", help="the latest version and its recent accuracy")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        try:
            with acting_as(None):
                getattr(self, f"_{options['verb']}")(options)
        except ImportRejected as rejected:
            for problem in rejected.row_errors:
                self.stderr.write(str(problem))
            raise CommandError(rejected.message, returncode=2) from None
        except (DomainError, TargetingError) as error:
            raise CommandError(str(getattr(error, "message", error)), returncode=2) from None

    def _train(self, options: dict[str, Any]) -> None:
        until = _day(options["until"]) if options["until"] else None
        record = services.train_model(until=until, actor=None)
        self.stdout.write(
            f"model v{record.version}: {record.algorithm}, trained on {record.inspections} "
            f"inspections {record.window_start} … {record.window_end} ({record.violations} with "
            f"a serious problem); validation AUC {record.validation_auc:.3f} "
            f"(from {record.validation_from}); {len(record.features)} features"
        )

    def _score(self, options: dict[str, Any]) -> None:
        if options["input"] or options["output"]:
            if not (options["input"] and options["output"]):
                raise CommandError("--input and --output go together", returncode=2)
            path = Path(options["input"])
            if not path.is_file():
                raise CommandError(f"no such file: {path}", returncode=2)
            version, rows = score_file(source=path, output=Path(options["output"]))
            self.stdout.write(f"scored {rows} rows with model v{version} → {options['output']}")
            return
        on = _day(options["on"]) if options["on"] else None
        record, count = services.score_register(on=on, actor=None)
        self.stdout.write(f"scored {count} entities with model v{record.version}")

    def _evaluate(self, options: dict[str, Any]) -> None:
        start, end = _period(options["period"])
        evaluation = services.evaluate_period(
            start=start, end=end, actor=None, store=not options["no_store"]
        )
        self.stdout.write(evaluation_text(str(start), str(end), evaluation.report))

    def _status(self, options: dict[str, Any]) -> None:
        record = services.latest()
        if record is None:
            self.stdout.write("no model trained yet: patrol plans keep class order")
            return
        self.stdout.write(
            f"model v{record.version} ({record.algorithm}), trained {record.trained_at:%Y-%m-%d} "
            f"on {record.window_start} … {record.window_end}; validation AUC "
            f"{record.validation_auc:.3f}"
        )
        state = drift.check(record)
        if not state.enough:
            self.stdout.write(
                f"since then: {state.inspections} inspections, {state.violations} with a serious "
                f"problem — too few to measure recent accuracy"
            )
        else:
            assert state.recent_auc is not None
            verdict = (
                "below the validated level: retrain (xiaoneng targeting train)"
                if state.drifted
                else "holding"
            )
            self.stdout.write(
                f"since then: {state.inspections} inspections, recent AUC "
                f"{state.recent_auc:.3f} — {verdict}"
            )
