"""``xiaoneng report assess --period 2026-11|2026Q4|2026 [--kind officer|station|all]`` and
``xiaoneng report bulletin --period P [--unit CODE] --format xlsx|md -o FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.reports.assessment import bulletin as bulletins
from xiaoneng.reports.assessment import catalogue, queries, services
from xiaoneng.reports.assessment.periods import parse_period

SHOWN = 10  # the top of the ranking printed


def add_assess_parser(verbs: Any) -> None:
    assess = verbs.add_parser(
        "assess",
        help="compute and store the effectiveness assessment (效能考核) of a period",
        description="Measure every officer and/or station over the period with the scheme in "
        "force (考核方案), store the scores and print the top of the ranking. Recomputing "
        "stores a new assessment; the latest is the one the pages show.",
    )
    assess.add_argument("--period", required=True, help="2026-11, 2026Q4 or 2026")
    assess.add_argument(
        "--kind",
        choices=("officer", "station", "all"),
        default="all",
        help="officers, stations or both (default: all)",
    )


def assess_command(options: dict[str, Any]) -> str:
    """Run ``report assess``: one paragraph per kind, the top of its ranking."""
    kinds = catalogue.SUBJECT_KINDS if options["kind"] == "all" else (options["kind"],)
    try:
        period = parse_period(options["period"] or "")
        assessments = [services.compute(kind=k, period=period, actor=None) for k in kinds]
    except DomainError as error:
        message = "; ".join(f"--{e.field}: {e.message}" for e in error.errors)
        raise CommandError(message or error.message, returncode=2) from None
    lines = []
    for assessment in assessments:
        results = assessment.results.filter(whole=False).select_related("officer", "unit")
        ranked = results.exclude(rank__isnull=True)
        lines.append(
            f"{period.title} {services.kind_label(assessment.subject_kind)}："
            f"{results.count()} 个考核对象，{ranked.count()} 个有得分"
        )
        for result in ranked.order_by("rank", "id")[:SHOWN]:
            lines.append(f"  {result.rank:>3}  {result.total:>6}  {queries.subject_name(result)}")
    return "\n".join(lines)


def add_bulletin_parser(verbs: Any) -> None:
    bulletin = verbs.add_parser(
        "bulletin",
        help="write the effectiveness bulletin (效能通报) of a month, quarter or year",
        description="Write the bulletin of the period — the period report's overview, the "
        "assessment's rankings and weakest indicators, the resource ledger's efficiency by "
        "unit, training — as xlsx or Markdown, for the whole organisation or one unit's "
        "subtree.",
    )
    bulletin.add_argument("--period", required=True, help="2026-11, 2026Q4 or 2026")
    bulletin.add_argument("--unit", help="unit code: its subtree (default: the organisation)")
    bulletin.add_argument("--format", dest="format", help="xlsx or md (default: from -o)")
    bulletin.add_argument(
        "-o", "--output", required=True, help="file to write; '-' writes Markdown to stdout"
    )


def output_format(options: dict[str, Any]) -> str:
    """The format of a report's ``-o`` (``--format``, else the file's suffix; md for ``-``),
    refused when it is neither xlsx nor md or cannot be written there."""
    output = options["output"]
    implied = "md" if output == "-" else Path(output).suffix.lstrip(".")
    form = (options.get("format") or implied).lower()
    if form not in ("xlsx", "md"):
        given = options.get("format") or output
        raise CommandError(f"--format: 应为 xlsx 或 md：{given}", returncode=2)
    if output == "-" and form == "xlsx":
        raise CommandError("-o: xlsx 不能写到标准输出，请给出文件名", returncode=2)
    if output != "-" and not Path(output).parent.is_dir():
        folder = Path(output).parent
        raise CommandError(f"-o: 无法写入 {output}：文件夹 {folder} 不存在", returncode=2)
    return form


def bulletin_command(options: dict[str, Any]) -> str:
    """Run ``report bulletin``: the Markdown itself for ``-o -``, else the line naming the file."""
    output = options["output"]
    form = output_format(options)
    code = (options.get("unit") or "").strip()
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        raise CommandError(f"--unit: 未知的单位代码：{code}", returncode=2)
    try:
        found = bulletins.bulletin(
            period=parse_period(options["period"] or ""), unit=unit, user=None
        )
    except DomainError as error:
        message = "; ".join(f"--{e.field}: {e.message}" for e in error.errors)
        raise CommandError(message or error.message, returncode=2) from None
    if output == "-":
        return bulletins.markdown(found)
    try:
        if form == "md":
            Path(output).write_text(bulletins.markdown(found), encoding="utf-8")
        else:
            bulletins.write_xlsx(found, output)
    except OSError as error:
        raise CommandError(f"-o: 无法写入 {output}：{error.strerror}", returncode=2) from None
    return f"{output}: {found.title}"
