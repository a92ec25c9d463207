"""效能通报: the monthly, quarterly and annual bulletin of a unit's subtree (seed 篇9: 实行每月
一通报; 篇5: 成本核算…作为效能考核的主要内容; 篇8: 业务培训场次、人次).

It gathers, for one period, what the other parts already define — nothing is counted here:

- 一、工作概况: the period report's sentences (``reports.period``, ``reports.text``);
- 二、效能考核: the latest assessment of the period for stations and officers (``services``):
  the stations' ranking, the officers' first ten and last five, and the indicators whose mean
  score across the stations is lowest (需要改进的方面);
- 三、执法效能: the resource ledger by unit (``reports.ledger``): inputs, outputs and ratios,
  a total row from the summed inputs and outputs, and the count of 运动式执法 entries;
- 四、业务培训: the training figures (``org.training.queries.figures``).

A part with nothing recorded writes no sentence and no table; a period whose assessment was
not computed says so in one sentence (it is never shown as zeros).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.tabular import write_sheet
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.training import queries as training
from xiaoneng.reports.assessment import catalogue, queries, services
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.models import Assessment, Result, ResultItem
from xiaoneng.reports.assessment.periods import Period
from xiaoneng.reports.export import Table
from xiaoneng.reports.ledger import queries as ledger_queries
from xiaoneng.reports.ledger.flags import campaign_style
from xiaoneng.reports.period import period_report
from xiaoneng.reports.scope import Scope, report_scope
from xiaoneng.reports.text import sentences as period_sentences

TOP_OFFICERS = 10
LAST_OFFICERS = 5
WEAKEST = 3  # indicators named under 需要改进的方面


@dataclass
class Section:
    heading: str
    sentences: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Bulletin:
    title: str
    unit_name: str
    period: Period
    made_on: dt.date
    sections: list[Section]


def _number(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


def _results(assessment: Assessment | None, scope: Scope) -> list[Result]:
    if assessment is None:
        return []
    rows = assessment.results.filter(whole=False).select_related("officer", "unit")
    rows = rows.order_by("rank", "id")
    return [r for r in rows if scope.covers(r.unit_id)]


def _assessment_section(period: Period, scope: Scope) -> Section:
    section = Section(_("二、效能考核情况"))
    stations = services.latest(STATION, period)
    officers = services.latest(OFFICER, period)
    if stations is None and officers is None:
        section.sentences.append(_("本期效能考核尚未计算。"))
        return section
    known = catalogue.load()
    station_rows = [r for r in _results(stations, scope) if r.rank is not None]
    officer_rows = [r for r in _results(officers, scope) if r.rank is not None]
    if station_rows:
        top = "、".join(
            _("%(name)s（%(total)s分）") % {"name": r.unit.name, "total": r.total}
            for r in station_rows[:3]
        )
        section.sentences.append(
            _("本期对%(n)s个市场监管所进行效能考核，得分前列的是：%(top)s。")
            % {"n": len(station_rows), "top": top}
        )
        assert stations is not None
        weighting = list(stations.scheme.items.all())
        by_result: dict[int, dict[str, ResultItem]] = {}
        for item in ResultItem.objects.filter(result__in=station_rows):
            by_result.setdefault(item.result_id, {})[item.indicator] = item
        columns = [str(known[w.indicator].label) for w in weighting if w.indicator in known]
        section.tables.append(
            Table(
                _("基层所效能考核排名"),
                [_("名次"), _("单位"), _("总分"), *columns],
                [
                    [
                        r.rank,
                        r.unit.name,
                        r.total,
                        *(
                            _number(
                                getattr(by_result.get(r.pk, {}).get(w.indicator), "score", None)
                            )
                            for w in weighting
                            if w.indicator in known
                        ),
                    ]
                    for r in station_rows
                ],
            )
        )
        section.sentences.extend(_weakest(stations, station_rows, known))
    if officer_rows:
        section.sentences.append(
            _("对%(n)s名执法人员进行效能考核，最高%(high)s分，最低%(low)s分。")
            % {"n": len(officer_rows), "high": officer_rows[0].total, "low": officer_rows[-1].total}
        )
        shown = officer_rows[:TOP_OFFICERS]
        last = [r for r in officer_rows[-LAST_OFFICERS:] if r not in shown]
        section.tables.append(
            Table(
                _("执法人员效能考核前十名及末位"),
                [_("名次"), _("姓名"), _("单位"), _("总分")],
                [[r.rank, queries.subject_name(r), r.unit.name, r.total] for r in [*shown, *last]],
            )
        )
    return section


def _weakest(
    assessment: Assessment, rows: list[Result], known: dict[str, catalogue.Indicator]
) -> list[str]:
    """The indicators with the lowest mean score over the stations (with data)."""
    means = (
        ResultItem.objects.filter(result__in=rows, score__isnull=False)
        .values("indicator")
        .annotate(mean=Avg("score"))
        .order_by("mean", "indicator")
    )
    named = [
        _("%(label)s平均得分%(mean)s分")
        % {
            "label": known[m["indicator"]].label,
            "mean": catalogue.rounded(Decimal(m["mean"]), Decimal("0.1")),
        }
        for m in means[:WEAKEST]
        if m["indicator"] in known and m["mean"] is not None and m["mean"] < 90
    ]
    if not named:
        return []
    return [_("需要改进的方面：%(list)s。") % {"list": "；".join(named)}]


def _ledger_section(period: Period, scope: Scope) -> Section:
    section = Section(_("三、执法效能（资源消耗）"))
    ledger = ledger_queries.by_unit(scope, period.start, period.end)
    if not ledger.rows:
        return section
    lines, whole = ledger.lines, ledger.total
    ratios = whole.ratios
    section.sentences.append(
        _(
            "本期登记资源消耗%(entries)s项，投入%(hours)s工时、经费%(money)s元，"
            "检查市场主体%(inspections)s户次，每工时检查%(per_hour)s户次。"
        )
        % {
            "entries": whole.inputs.entries,
            "hours": whole.inputs.person_hours,
            "money": whole.inputs.money,
            "inspections": whole.outputs.inspections,
            "per_hour": _number(ratios.inspections_per_hour),
        }
    )
    listed = campaign_style(ledger.rows, ledger.found)
    if listed:
        section.sentences.append(
            _("投入大、产出小的运动式执法%(n)s项，详见执法效能页。") % {"n": len(listed)}
        )
    section.tables.append(
        Table(
            _("执法效能（按单位）"),
            [
                _("单位"),
                _("登记"),
                _("工时"),
                _("经费（元）"),
                _("检查户次"),
                _("发现问题"),
                _("每工时检查户次"),
                _("每户次经费（元）"),
            ],
            [
                [
                    line.label,
                    line.inputs.entries,
                    line.inputs.person_hours,
                    line.inputs.money,
                    line.outputs.inspections,
                    line.outputs.findings,
                    _number(line.ratios.inspections_per_hour),
                    _number(line.ratios.cost_per_inspection),
                ]
                for line in [*lines, whole]
            ],
        )
    )
    return section


def _training_section(period: Period, scope: Scope) -> Section:
    section = Section(_("四、业务培训"))
    figures = training.figures(scope.unit, period.start, period.end).total
    if figures.sessions:
        section.sentences.append(
            _("本期举办业务培训%(sessions)s场次，参训人员%(times)s人次，共%(hours)s学时。")
            % {
                "sessions": figures.sessions,
                "times": figures.person_times,
                "hours": figures.person_hours.normalize(),
            }
        )
    return section


def bulletin(*, period: Period, unit: Unit | None, user: Officer | None) -> Bulletin:
    """The bulletin of ``unit``'s subtree (the user's whole scope without one) for ``period``."""
    scope = report_scope(unit=unit, user=user)
    report = period_report(start=period.start, end=period.end, unit=scope.unit, user=user)
    overview = Section(_("一、工作概况"), period_sentences(report))
    sections = [
        overview,
        _assessment_section(period, scope),
        _ledger_section(period, scope),
        _training_section(period, scope),
    ]
    name = scope.unit.name if scope.unit else report.unit_name
    return Bulletin(
        title=_("%(unit)s%(period)s效能监管工作通报") % {"unit": name, "period": period.title},
        unit_name=name,
        period=period,
        made_on=timezone.localdate(),
        sections=[s for s in sections if s.sentences or s.tables],
    )


def as_lines(found: Bulletin) -> list[Any]:
    """Every sentence of the bulletin, section headings first, as the workbook's first sheet."""
    lines: list[Any] = []
    for section in found.sections:
        lines.append([section.heading])
        lines += [[text] for text in section.sentences]
    return lines


def write_xlsx(found: Bulletin, target: str | Path | IO[bytes]) -> None:
    """The sheet 通报 (title, period, every sentence under its heading), then a sheet a table."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    head = [[_("期间：%(start)s 至 %(end)s；生成日期：%(made)s") % _dates(found)]]
    write_sheet(book, _("通报"), [found.title], head + as_lines(found))
    for section in found.sections:
        for table in section.tables:
            write_sheet(book, table.title, table.columns, table.rows)
    book.save(target)


def _dates(found: Bulletin) -> dict[str, Any]:
    return {"start": found.period.start, "end": found.period.end, "made": found.made_on}


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(found: Bulletin) -> str:
    """The bulletin as Markdown: the title, each section's sentences and pipe tables."""
    lines = [
        f"# {found.title}",
        "",
        _("期间：%(start)s 至 %(end)s；生成日期：%(made)s") % _dates(found),
        "",
    ]
    for section in found.sections:
        lines += [f"## {section.heading}", ""]
        for text in section.sentences:
            lines += [text, ""]
        for table in section.tables:
            lines += [f"### {table.title}", ""]
            lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
            lines.append("|" + "|".join(" --- " for _c in table.columns) + "|")
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows]
            lines.append("")
    return "\n".join(lines)
