"""The period report in the seed's own words (篇1, 篇2, 篇4, 篇7).

篇2: "立案查处各类案件124起，其中大要案48起，案值达1009.11万元，罚没款入库154.22万元，完成全年
目标的128%。" — money in 万元 with two decimals, counts as integers. A clause whose figure is
zero, or whose target does not exist, is left out: a report never says "0起". A period that
does not start on 1 January also gives the year-to-date money the completion rate rests on.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from xiaoneng.cases.models import CaseKind, TargetMetric
from xiaoneng.reports.activity import CampaignRow
from xiaoneng.reports.case_figures import CaseFigures, GoodsRow
from xiaoneng.reports.period import PeriodReport

TEN_THOUSAND = Decimal(10_000)
# Kinds of case as the seed names them in a sentence (篇1, 篇2).
CASE_NOUNS = {
    CaseKind.COMMERCIAL_BRIBERY: "商业贿赂案件",
    CaseKind.THREE_FALSE_ONE_FLIGHT: "“三虚一逃”案件",
    CaseKind.BID_RIGGING: "串通投标案件",
    CaseKind.COUNTERFEIT: "制售假冒伪劣商品和侵犯注册商标专用权案件",
    CaseKind.AGRICULTURAL: "涉农案件",
    CaseKind.ADVERTISING: "违法广告案件",
    CaseKind.FOOD: "食品安全案件",
    CaseKind.UNLICENSED: "无照经营案件",
    CaseKind.PRODUCT_QUALITY: "产品质量案件",
    CaseKind.PRICE: "价格违法案件",
    CaseKind.CONSUMER: "侵害消费者权益案件",
    CaseKind.OTHER: "其他案件",
}
# Kinds 篇2 reports in a sentence of their own: 双打 and 涉农.
OWN_SENTENCE = {
    CaseKind.COUNTERFEIT: ("查处", "总案值达"),
    CaseKind.AGRICULTURAL: ("共查处", "案值"),
}
DIGITS = "零一二三四五六七八九"


def wan(amount: Decimal) -> str:
    """Yuan as 万元 with two decimals: 10091100.00 → "1009.11"."""
    value = (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:.2f}"


def wan_parts(amounts: Iterable[Decimal]) -> list[Decimal]:
    """Amounts of yuan as 万元 with two decimals that add up to their total rounded once
    (``wan(sum(amounts))``): each part is cut to the hundredth and the hundredths the cutting
    lost go to the parts that lost most (largest remainder; the earlier part on a tie). So a
    table's column of kinds always sums to its 合计 row, and a sentence quoting a kind agrees
    with the table."""
    hundredths = [Decimal(a) / 100 for a in amounts]  # 0.01万元 = 100 yuan
    total = sum(hundredths, Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    floors = [h.to_integral_value(rounding=ROUND_FLOOR) for h in hundredths]
    left = int(total - sum(floors, Decimal(0)))
    ranked = sorted(range(len(floors)), key=lambda i: (-(hundredths[i] - floors[i]), i))
    for i in ranked[:left]:
        floors[i] += 1
    return [(f / 100).quantize(Decimal("0.01")) for f in floors]


def quantity(value: Decimal) -> str:
    """A quantity without trailing zeros: 206.000 → "206", 4.950 → "4.95"."""
    return format(Decimal(value).normalize(), "f")


def ordinal(number: int) -> str:
    """一, 二 … 十, 十一 … 九十九: 篇1's 一是…二是…."""
    if number < 10:
        return DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def sentence(clauses: Iterable[str | None]) -> str | None:
    """The clauses that are there, joined by "，" and ended by "。"; None when none is."""
    kept = [c for c in clauses if c]
    return "，".join(kept) + "。" if kept else None


def listed(parts: Iterable[str | None]) -> str:
    return "、".join(p for p in parts if p)


def period_label(start: dt.date, end: dt.date) -> str:
    """The period as a bulletin names it: 2026年, 2026年上半年, 2026年第一季度, 2026年3月,
    2026年12月6日 for a single day, or the two dates."""
    if start == end:
        return f"{start:%Y}年{start.month}月{start.day}日"
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if start.year == end.year and whole_months:
        months = (start.month, end.month)
        if months == (1, 12):
            return f"{start.year}年"
        if months == (1, 6):
            return f"{start.year}年上半年"
        if months == (7, 12):
            return f"{start.year}年下半年"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{start.year}年第{DIGITS[end.month // 3]}季度"
    return f"{start:%Y}年{start.month}月{start.day}日至{end:%Y}年{end.month}月{end.day}日"


def title(report: PeriodReport) -> str:
    """示范县市场监督管理局2026年上半年工作情况."""
    return _("%(unit)s%(period)s工作情况") % {
        "unit": report.unit_name,
        "period": period_label(report.start, report.end),
    }


# Sentences ------------------------------------------------------------------------------------


def _fines(report: PeriodReport) -> str | None:
    """The money collected in the period and, when the period does not start on 1 January,
    the year-to-date total its completion rate rests on: 罚没款入库4.43万元；截至9月30日全年
    累计入库16.80万元. From 1 January the two are the same figure, written once (篇2)."""
    cases = report.cases
    collected = f"罚没款入库{wan(cases.collected)}万元" if cases.collected else None
    fines = cases.target(TargetMetric.FINES_COLLECTED)
    if fines is None or not fines.achieved or report.start == dt.date(report.start.year, 1, 1):
        return collected
    end = report.end
    so_far = f"截至{end.month}月{end.day}日全年累计入库{wan(fines.achieved)}万元"
    return f"{collected}；{so_far}" if collected else so_far


def _headline(report: PeriodReport) -> str | None:
    cases = report.cases
    fines = cases.target(TargetMetric.FINES_COLLECTED)
    return sentence(
        [
            f"立案查处各类案件{cases.filed}起" if cases.filed else None,
            f"其中大要案{cases.major}起" if cases.filed and cases.major else None,
            f"案值达{wan(cases.value)}万元" if cases.value else None,
            _fines(report),
            f"完成全年目标的{fines.rate}%" if fines and fines.rate else None,
        ]
    )


def _other_targets(cases: CaseFigures) -> str | None:
    shown = [
        f"{t.label}完成全年目标的{t.rate}%"
        for t in cases.targets
        if t.metric != TargetMetric.FINES_COLLECTED and t.rate
    ]
    return sentence(["全年目标任务中，" + "，".join(shown)] if shown else [])


def _kinds(cases: CaseFigures) -> str | None:
    parts = [f"{CASE_NOUNS[CaseKind(r.kind)]}{r.cases}起" for r in cases.by_kind if r.cases]
    if len(parts) < 2:
        return None
    return "各类案件中，" + "，".join(parts) + "。"


def _goods(goods: Iterable[GoodsRow]) -> str:
    """不合格化肥206吨、不合格种子4.95吨: the same goods of several kinds of case added up."""
    totals: dict[tuple[str, str], Decimal] = {}
    for g in goods:
        key = (g.description, g.measure)
        totals[key] = totals.get(key, Decimal(0)) + g.quantity
    ranked = sorted(totals.items(), key=lambda pair: -pair[1])
    return listed(f"{what}{quantity(q)}{measure}" for (what, measure), q in ranked)


def kind_wan(cases: CaseFigures) -> dict[str, tuple[Decimal, Decimal]]:
    """Each kind's case value and money collected in 万元, rounded so that the kinds add up to
    the totals the headline quotes (``wan_parts``); the table and the sentences both use it."""
    kinds = [r.kind for r in cases.by_kind]
    values = wan_parts(r.value for r in cases.by_kind)
    collected = wan_parts(r.collected for r in cases.by_kind)
    return dict(zip(kinds, zip(values, collected, strict=True), strict=True))


def _kind_sentences(cases: CaseFigures) -> list[str]:
    """篇2: 查处制售假冒伪劣商品和侵犯注册商标专用权案件43起，总案值达203.85万元，罚没款入库
    99.08万元。共查处涉农案件23起，案值320.12万元，罚没款入库81.57万元，没收不合格化肥206吨…"""
    written = []
    rounded = kind_wan(cases)
    for row in cases.by_kind:
        if row.kind not in OWN_SENTENCE or not row.cases:
            continue
        verb, value = OWN_SENTENCE[CaseKind(row.kind)]
        goods = _goods(g for g in cases.goods if g.kind == row.kind)
        case_value, collected = rounded[row.kind]
        text = sentence(
            [
                f"{verb}{CASE_NOUNS[CaseKind(row.kind)]}{row.cases}起",
                f"{value}{case_value:.2f}万元" if case_value else None,
                f"罚没款入库{collected:.2f}万元" if collected else None,
                f"没收{goods}" if goods else None,
            ]
        )
        if text:
            written.append(text)
    rest = _goods(g for g in cases.goods if g.kind not in OWN_SENTENCE)
    if rest:
        written.append(f"依法没收{rest}。")
    return written


def _overdue(overdue: int, warned: int) -> str | None:
    """逾期未整改3份（其中逾期警示2份）."""
    if not overdue:
        return None
    return f"逾期未整改{overdue}份" + (f"（其中逾期警示{warned}份）" if warned else "")


def _inspections(report: PeriodReport) -> list[str]:
    figures = report.inspections
    both = figures.onsite and figures.documentary
    written = [
        sentence(
            [
                f"检查市场主体{figures.signed}户次" if figures.signed else None,
                f"其中实地检查{figures.onsite}户次、书式检查{figures.documentary}户次"
                if both
                else None,
                f"涉及市场主体{figures.entities}户" if figures.entities else None,
            ]
        ),
        sentence(
            [
                f"发现问题{figures.findings}处" if figures.findings else None,
                f"下达责令整改通知书{figures.rectifications}份" if figures.rectifications else None,
                # Where the orders stand on the day of the report; the parts add up to the
                # orders issued, and 逾期警示 is a part of 逾期未整改 (followup.figures).
                f"已整改到位{figures.rectified}份" if figures.rectified else None,
                f"转立案查处{figures.escalated}份" if figures.escalated else None,
                _overdue(figures.overdue, figures.warned),
                f"尚在整改期限内{figures.in_time}份" if figures.in_time else None,
            ]
        ),
        sentence(
            [
                f"查处无照经营{figures.unlicensed}户" if figures.unlicensed else None,
                f"引导办照{figures.unlicensed_licensed}户" if figures.unlicensed_licensed else None,
                f"取缔{figures.unlicensed_ceased}户" if figures.unlicensed_ceased else None,
            ]
        ),
        (
            f"退出督查发现已注销或吊销仍在经营的主体{figures.exit_found}户。"
            if figures.exit_found
            else None
        ),
    ]
    return [s for s in written if s]


def _campaign(row: CampaignRow) -> str | None:
    # 收缴违法印刷品广告500份: each goods' quantity in its own measure, as the tasks recorded it.
    confiscated = listed(str(c) for c in row.confiscated if c.quantity)
    return sentence(
        [
            f"出动执法人员{row.officers}人次" if row.officers else None,
            f"检查经营户{row.checked}户次" if row.checked else None,
            f"发现违法行为{row.violations}起" if row.violations else None,
            f"发出通知书{row.notices}份" if row.notices else None,
            f"收缴{confiscated}" if confiscated else None,
        ]
    )


def _campaigns(rows: list[CampaignRow]) -> list[str]:
    """篇1: 重点开展了二项行动。一是“清理整顿涉医广告行动”…二是…"""
    if not rows:
        return []
    if len(rows) == 1:
        figures = _campaign(rows[0])
        return [f"开展“{rows[0].title}”" + ("，" + figures if figures else "。")]
    written = [f"开展专项整治{len(rows)}项。"]
    for number, row in enumerate(rows, start=1):
        figures = _campaign(row)
        written.append(f"{ordinal(number)}是“{row.title}”" + ("，" + figures if figures else "。"))
    return written


def _pass_rate(rate: Decimal | None, pending: int) -> str | None:
    """合格率为66.7%, said to leave out the batches still at the laboratory when there are."""
    if rate is None:
        return None
    return f"合格率为{rate}%" + ("（不含检验中批次）" if pending else "")


def _sampling(report: PeriodReport) -> list[str]:
    """篇4: 对237类重点产品的20835家生产企业的23423批次产品进行了国家监督抽查…合格率…

    The batches are split by verdict, so the parts add up to the batches sampled: 合格,
    不合格 and 检验中 (still at the laboratory); the pass rate counts only batches with a
    verdict."""
    figures = report.sampling
    if not figures.batches:
        return []
    names = [r.category for r in figures.by_category]
    shown = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
    rate = figures.rate
    return [
        s
        for s in (
            sentence(
                [
                    f"对{shown}{len(names)}类产品的{figures.firms}家企业的{figures.batches}"
                    "批次产品进行了监督抽查",
                    f"合格{figures.passed}批次" if figures.passed else None,
                    f"不合格{figures.failed}批次" if figures.failed else None,
                    f"检验中{figures.pending}批次" if figures.pending else None,
                    _pass_rate(rate, figures.pending),
                ]
            ),
            sentence(
                [
                    f"不合格产品后处理{figures.follow_ups}起" if figures.follow_ups else None,
                    f"已办结{figures.follow_ups_closed}起" if figures.follow_ups_closed else None,
                    f"转立案{figures.follow_ups_escalated}起"
                    if figures.follow_ups_escalated
                    else None,
                ]
            ),
        )
        if s
    ]


def _oversight(report: PeriodReport) -> str | None:
    """篇2: 局领导监控、机关科室督办、所长抽查的三级责任督查机制."""
    o = report.oversight
    flags = listed(
        [
            f"核实属实{o.flags_confirmed}条" if o.flags_confirmed else None,
            f"排除{o.flags_cleared}条" if o.flags_cleared else None,
        ]
    )
    return sentence(
        [
            f"痕迹监控发现疑点{o.flags_raised}条" if o.flags_raised else None,
            flags if o.flags_raised else None,
            f"所长抽查检查记录{o.reviews_done}份" if o.reviews_done else None,
            f"发现问题{o.reviews_problem}份" if o.reviews_done and o.reviews_problem else None,
            f"科室督办事项{o.supervision_issued}件" if o.supervision_issued else None,
            f"已办结{o.supervision_closed}件"
            if o.supervision_issued and o.supervision_closed
            else None,
        ]
    )


def sentences(report: PeriodReport) -> list[str]:
    """The report's sentences, cases first as 篇2 puts them, then inspections, campaigns,
    sampling and oversight; nothing for a part with no figures."""
    written = [_headline(report), _other_targets(report.cases), _kinds(report.cases)]
    written += _kind_sentences(report.cases)
    written += _inspections(report)
    written += _campaigns(report.campaigns)
    written += _sampling(report)
    written.append(_oversight(report))
    return [s for s in written if s]
