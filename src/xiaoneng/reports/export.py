"""The period report as tables, as an XLSX workbook (a sheet of sentences and a sheet per
table) and as Markdown (headings, the sentences, pipe tables)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from xiaoneng.cases.models import CaseKind
from xiaoneng.cases.targets.services import format_value
from xiaoneng.core.tabular import write_sheet
from xiaoneng.inspections.models import Inspection, Severity, TraceFlag
from xiaoneng.reports.period import PeriodReport
from xiaoneng.reports.text import kind_wan, quantity, sentences, title, wan


@dataclass
class Table:
    """One table of the report: a title, column headings and rows of plain values."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


def _wan(amount: Decimal) -> Decimal:
    return Decimal(wan(amount))


def _number(value: Decimal) -> int | Decimal:
    """A quantity as a number, as recorded, without trailing zeros: 206.000 → 206, 4.950 → 4.95."""
    exact = Decimal(quantity(value))
    return int(exact) if exact == exact.to_integral_value() else exact


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def case_table(report: PeriodReport) -> Table:
    """Kinds and their 合计; the money columns are rounded once (``text.kind_wan``), so each
    column of kinds sums to its 合计 exactly."""
    labels = dict(CaseKind.choices)
    cases = report.cases
    rounded = kind_wan(cases)
    rows: list[list[Any]] = [
        [str(labels.get(r.kind, r.kind)), r.cases, r.major, *rounded[r.kind]] for r in cases.by_kind
    ]
    rows.append([_("合计"), cases.filed, cases.major, _wan(cases.value), _wan(cases.collected)])
    return Table(
        _("案件"),
        [
            _("案件类别"),
            _("立案（起）"),
            _("大要案（起）"),
            _("案值（万元）"),
            _("罚没款入库（万元）"),
        ],
        rows,
    )


def goods_table(report: PeriodReport) -> Table:
    labels = dict(CaseKind.choices)
    return Table(
        _("罚没物品"),
        [_("案件类别"), _("物品"), _("数量"), _("计量单位"), _("货值（万元）")],
        [
            [
                str(labels.get(g.kind, g.kind)),
                g.description,
                _number(g.quantity),
                g.measure,
                _wan(g.value),
            ]
            for g in report.cases.goods
        ],
    )


def target_table(report: PeriodReport) -> Table:
    """Counts as whole numbers with their measure word, money in 万元 as the sentences say."""
    return Table(
        _("目标任务"),
        [_("指标"), _("年度"), _("全年目标"), _("截至期末完成"), _("完成率")],
        [
            [
                t.label,
                t.year,
                format_value(t.metric, t.target),
                format_value(t.metric, t.achieved),
                f"{t.rate}%",
            ]
            for t in report.cases.targets
        ],
    )


def inspection_table(report: PeriodReport) -> Table:
    f = report.inspections
    origins = dict(Inspection.Origin.choices)
    severities = dict(Severity.choices)
    rows: list[list[Any]] = [
        [_("检查户次（已签名）"), f.signed],
        [_("实地检查（户次）"), f.onsite],
        [_("书式检查（户次）"), f.documentary],
    ]
    rows += [[f"{origins[o]}（户次）", n] for o, n in f.by_origin.items()]
    rows += [
        [_("涉及市场主体（户）"), f.entities],
        [_("发现问题的检查（户次）"), f.with_problems],
        [_("检查发现（处）"), f.findings],
    ]
    rows += [[f"{_('检查发现')}·{severities[s]}", n] for s, n in f.findings_by_severity.items()]
    rows += [
        [_("下达责令整改（份）"), f.rectifications],
        # Where those orders stand on the day of the report: the four add up to them.
        [_("已整改（份）"), f.rectified],
        [_("转立案（份）"), f.escalated],
        [_("逾期未整改（份）"), f.overdue],
        [_("逾期未整改·其中逾期警示（份）"), f.warned],
        [_("整改期限内（份）"), f.in_time],
        [_("发现无照经营（户）"), f.unlicensed],
        [_("无照经营已办照（户）"), f.unlicensed_licensed],
        [_("无照经营已取缔（户）"), f.unlicensed_ceased],
        [_("退出督查发现仍在经营（户）"), f.exit_found],
    ]
    return Table(_("检查与整改"), [_("项目"), _("数量")], rows)


def campaign_table(report: PeriodReport) -> Table:
    return Table(
        _("专项整治"),
        [
            _("名称"),
            _("期间"),
            _("出动执法人员（人次）"),
            _("检查经营户（户次）"),
            _("发现违法（起）"),
            _("发出通知书（份）"),
            _("收缴物品"),
        ],
        [
            [
                c.title,
                f"{c.start_on:%Y-%m-%d} — {c.end_on:%Y-%m-%d}",
                c.officers,
                c.checked,
                c.violations,
                c.notices,
                "、".join(str(goods) for goods in c.confiscated),
            ]
            for c in report.campaigns
        ],
    )


def sampling_table(report: PeriodReport) -> Table:
    s = report.sampling
    rows: list[list[Any]] = [
        [r.category, r.batches, r.firms, r.passed, r.failed, r.pending, _rate(r.rate)]
        for r in s.by_category
    ]
    if s.by_category:
        # 企业 of the 合计 counts each firm once, however many categories it was sampled in.
        rows.append([_("合计"), s.batches, s.firms, s.passed, s.failed, s.pending, _rate(s.rate)])
    return Table(
        _("监督抽查"),
        [
            _("产品类别"),
            _("批次"),
            _("企业（家，合计不重复计）"),
            _("合格"),
            _("不合格"),
            _("检验中"),
            _("合格率（已出结论）"),
        ],
        rows,
    )


def oversight_table(report: PeriodReport) -> Table:
    o = report.oversight
    kinds = dict(TraceFlag.Kind.choices)
    rows: list[list[Any]] = [[_("痕迹疑点（条）"), o.flags_raised]]
    rows += [[f"{_('痕迹疑点')}·{kinds[k]}", n] for k, n in o.flags_by_kind.items()]
    rows += [
        [_("疑点核实属实（条）"), o.flags_confirmed],
        [_("疑点已排除（条）"), o.flags_cleared],
        [_("疑点待核实（条）"), o.flags_open],
        [_("所长抽查完成（份）"), o.reviews_done],
        [_("所长抽查发现问题（份）"), o.reviews_problem],
        [_("科室督办事项（件）"), o.supervision_issued],
        [_("督办已办结（件）"), o.supervision_closed],
        [_("督办逾期（件）"), o.supervision_overdue],
    ]
    return Table(_("三级督查"), [_("项目"), _("数量")], rows)


def tables(report: PeriodReport) -> list[Table]:
    """The report's tables, in the order the page and the exports show them."""
    return [
        case_table(report),
        goods_table(report),
        target_table(report),
        inspection_table(report),
        campaign_table(report),
        sampling_table(report),
        oversight_table(report),
    ]


def write_xlsx(report: PeriodReport, target: str | Path | IO[bytes]) -> None:
    """A workbook: the sheet 报告 (title, period, sentences one a row), then a sheet a table,
    each laid out by ``core.tabular.write_sheet`` (styled header, typed and safe cells)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    period = _("期间：%(start)s 至 %(end)s；单位：%(unit)s；生成日期：%(made)s") % {
        "start": report.start,
        "end": report.end,
        "unit": report.unit_name,
        "made": report.made_on,
    }
    lines = [[period], *([text] for text in sentences(report))]
    write_sheet(book, _("报告"), [title(report)], lines)
    for table in tables(report):
        write_sheet(book, table.title, table.columns, table.rows)
    book.save(target)


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(report: PeriodReport) -> str:
    """The report as Markdown: a heading, the sentences, and each table as a pipe table."""
    lines = [
        f"# {title(report)}",
        "",
        _("期间：%(start)s 至 %(end)s；单位：%(unit)s；生成日期：%(made)s")
        % {
            "start": report.start,
            "end": report.end,
            "unit": report.unit_name,
            "made": report.made_on,
        },
        "",
    ]
    written = sentences(report)
    for text in written or [_("期间内没有记录。")]:
        lines += [text, ""]
    for table in tables(report):
        lines += [f"## {table.title}", ""]
        if not table.rows:
            lines += [_("无。"), ""]
            continue
        lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
        lines.append("|" + "|".join(" --- " for _c in table.columns) + "|")
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows]
        lines.append("")
    return "\n".join(lines)
