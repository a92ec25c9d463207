"""The wording (文书模板) of each kind of document: the boilerplate a bureau may reword.

A document prints two things: the record's data (the party, the findings, the amounts) and
fixed sentences around them — the 告知 of an inspection, what happens if an order is not put
right, the party's remedies. The fixed sentences are *blocks* here: each has a key, a Chinese
label, its built-in default (the text the renderers printed before wording could be edited, so
the default output is unchanged) and the placeholders it may use, written ``{改正期限}`` in the
text and filled from the record when the document is rendered.

Administrators save new versions of a kind's wording (``save_wording``); the latest version of
a kind is the one in force, and each issued document records the version it was rendered with
(``IssuedDocument.wording``; none: the built-in default). A saved version is never changed.
A block that names a placeholder the record cannot fill is refused when saved, so a render
never meets one (docs/documents.md, "Wording").
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.documents.models import DocumentKind, DocumentWording
from xiaoneng.org import access

if TYPE_CHECKING:
    from xiaoneng.org.models import Officer

MAX_BLOCK = 2000
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Every block may use these: filled from the document's stamp (its heading).
COMMON: dict[str, str] = {
    "机关": "出具文书的市场监管局名称，如 伊宁市市场监督管理局",
    "文书名称": "本文书的名称，如 责令改正通知书",
    "文号": "本文书的文号，如 伊市监责改〔2026〕12号",
}


@dataclass(frozen=True)
class Block:
    """One rewordable passage of a kind: its key, label, default text and own placeholders
    (name → what it is filled with), besides the ``COMMON`` ones."""

    key: str
    label: str
    default: str
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def allowed(self) -> dict[str, str]:
        return {**self.placeholders, **COMMON}


_LAW_REVIEW = (
    "如不服{what}，可以自收到{document}之日起六十日内依法申请行政复议，"
    "或者自收到{document}之日起六个月内依法向人民法院提起行政诉讼。"
)
_DEADLINE = "于2026年10月20日前（自2026年10月8日起10个工作日内）"

K = DocumentKind
BLOCKS: dict[str, tuple[Block, ...]] = {
    K.INSPECTION: (
        Block(
            "notice",
            "告知",
            "告知：执法人员已向当事人出示执法证件，表明身份（《中华人民共和国行政处罚法》"
            "第五十五条），并依照检查事项清单进行检查。",
            {"检查清单": "本次检查所依照的检查事项清单名称"},
        ),
    ),
    K.RECTIFICATION: (
        Block(
            "closing",
            "结尾（复查与逾期后果）",
            "改正后请将整改情况书面报告本局，本局将进行复查。逾期不改正的，本局将依法予以警示，"
            "并依法查处。",
            {"改正期限": f"改正期限的日期和工作日数，如 {_DEADLINE}"},
        ),
        Block(
            "remedies",
            "救济途径",
            _LAW_REVIEW.format(what="本责令改正通知", document="本通知书"),
        ),
    ),
    K.REINSPECTION: (
        Block("rectified", "复查意见（已改正）", "经复查，你（单位）已按要求改正。"),
        Block(
            "not_rectified",
            "复查意见（未改正）",
            "经复查，你（单位）未按要求改正（{不符合项数} 项不符合）。本局将依法予以警示，"
            "并依法查处。",
            {"不符合项数": "复查中不符合的事项数，如 2"},
        ),
    ),
    K.WARNING: (
        Block(
            "overdue",
            "逾期情况",
            "截至{警示日期}，整改期限已过，你（单位）仍未整改到位。现依法予以警示：",
            {"警示日期": "予以警示的日期，如 2026年10月21日"},
        ),
        Block(
            "measures",
            "警示事项（每行一段）",
            "一、请你（单位）立即按《责令改正通知书》的要求改正，并将整改情况书面报告本局；\n"
            "二、本局已将你（单位）逾期未整改的情况报送信用分级分类管理，提出信用等级调整建议；\n"
            "三、仍不改正的，本局将依法立案查处。",
            {"责令改正文号": "原《责令改正通知书》的文号"},
        ),
    ),
    K.CASE_SOURCE: (
        Block(
            "pending",
            "处理意见（核查中）",
            "核查中：自登记之日起十五个工作日内决定是否立案（《市场监督管理行政处罚程序规定》"
            "第十八条）。",
        ),
    ),
    K.CASE_FILING: (
        Block(
            "file",
            "承办人意见（立案）",
            "经核查，当事人{违法情形}（{案由}）。依据《市场监督管理行政处罚程序规定》第二十条，"
            "建议立案调查，由{承办单位}承办（{立案日期}立案）。",
            {
                "违法情形": "涉嫌违反的规定，如 涉嫌违反《食品安全法》第三十四条的规定",
                "案由": "案件名称，如 某某销售过期食品案",
                "承办单位": "承办案件的单位名称",
                "立案日期": "立案的日期，如 2026年10月8日",
            },
        ),
        Block(
            "not_file",
            "承办人意见（不予立案）",
            "依据《市场监督管理行政处罚程序规定》第二十一条，建议不予立案。理由：{不予立案理由}",
            {"不予立案理由": "登记的不予立案理由"},
        ),
    ),
    K.CASE_NOTICE: (
        Block(
            "rights",
            "当事人的权利",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条的规定，"
            "你（单位）可以{陈述申辩期限}向本局提出陈述、申辩意见；符合听证条件的，"
            "可以在同一期限内要求听证。逾期未提出的，视为放弃上述权利。",
            {"陈述申辩期限": f"陈述、申辩期限的日期和工作日数，如 {_DEADLINE}"},
        ),
    ),
    K.CASE_DECISION: (
        Block(
            "payment",
            "缴纳罚没款",
            "请自收到本决定书之日起十五日内，将罚没款缴至指定银行或者通过电子支付系统缴纳。"
            "到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出"
            "罚款的数额（《中华人民共和国行政处罚法》第六十七条、第七十二条）。",
            {"罚没款金额": "应缴的罚没款合计，如 人民币伍仟元整（￥5,000.00）"},
        ),
        Block(
            "remedies",
            "救济途径",
            _LAW_REVIEW.format(what="本处罚决定", document="本决定书"),
        ),
    ),
    K.SERVICE: (
        Block(
            "lodged",
            "留置送达说明",
            "受送达人拒绝签收，已将文书留置于送达地点，并由见证人{见证人}签名见证"
            "（《市场监督管理行政处罚程序规定》第八十三条）。",
            {"见证人": "留置送达的见证人姓名"},
        ),
    ),
}


def blocks_of(kind: str) -> tuple[Block, ...]:
    """The blocks of ``kind`` (none for an unknown kind)."""
    return BLOCKS.get(kind, ())


def block(kind: str, key: str) -> Block:
    for found in blocks_of(kind):
        if found.key == key:
            return found
    raise KeyError(f"{kind}.{key}")


def defaults(kind: str) -> dict[str, str]:
    """The built-in wording of ``kind``: key → default text."""
    return {b.key: b.default for b in blocks_of(kind)}


# The version in force ----------------------------------------------------------------------------


def active_wording(kind: str, at: dt.datetime | None = None) -> DocumentWording | None:
    """The version of ``kind`` in force at ``at`` (now): the latest saved by then; None for the
    built-in default."""
    versions = DocumentWording.objects.filter(kind=kind)
    if at is not None:
        versions = versions.filter(created_at__lte=at)
    return versions.order_by("-version").first()


def blocks_in_force(kind: str, wording: DocumentWording | None) -> dict[str, str]:
    """Every block's text in ``wording`` (a block it lacks: the default)."""
    texts = defaults(kind)
    if wording is not None:
        texts.update({k: v for k, v in wording.blocks.items() if k in texts})
    return texts


_rendering: contextvars.ContextVar[DocumentWording | None] = contextvars.ContextVar(
    "document_wording", default=None
)


@contextmanager
def rendering_with(wording: DocumentWording | None) -> Iterator[None]:
    """Render inside: ``text`` without an explicit wording takes ``wording`` for its kind."""
    token = _rendering.set(wording)
    try:
        yield
    finally:
        _rendering.reset(token)


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{名称}`` replaced by its value (an unknown one: left as is)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def text(
    kind: str,
    key: str,
    values: Mapping[str, str] | None = None,
    wording: DocumentWording | None = None,
) -> str:
    """Block ``key`` of ``kind`` filled with ``values``, from ``wording`` — by default the
    wording the current render uses (``rendering_with``), else the built-in default."""
    found = block(kind, key)
    chosen = wording if wording is not None else _rendering.get()
    template = found.default
    if chosen is not None and chosen.kind == kind:
        template = chosen.blocks.get(key, found.default)
    return fill(template, values or {})


# Saving a version -------------------------------------------------------------------------------


def placeholders_in(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def balanced(template: str) -> bool:
    """Every brace belongs to a ``{名称}``: no stray, nested or empty one."""
    rest = PLACEHOLDER.sub(lambda m: "" if m.group(1).strip() else "{}", template)
    return "{" not in rest and "}" not in rest


def _normalise(value: object) -> str:
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


def check_blocks(
    kind: str, blocks: Mapping[str, object]
) -> tuple[dict[str, str], list[FieldError]]:
    """The typed blocks normalised, and each problem of each one."""
    known = {b.key: b for b in blocks_of(kind)}
    cleaned: dict[str, str] = {}
    errors: list[FieldError] = []
    for key, value in blocks.items():
        found = known.get(key)
        if found is None:
            errors.append(FieldError(key, _("未知的模板段落：%(key)s") % {"key": key}))
            continue
        typed = _normalise(value)
        cleaned[key] = typed
        label = found.label
        if not typed:
            errors.append(FieldError(key, _("「%(label)s」不能为空") % {"label": label}))
            continue
        if len(typed) > MAX_BLOCK:
            errors.append(
                FieldError(
                    key,
                    _("「%(label)s」超过 %(limit)s 字（现 %(count)d 字）")
                    % {"label": label, "limit": f"{MAX_BLOCK:,}", "count": len(typed)},
                )
            )
            continue
        if not balanced(typed):
            errors.append(FieldError(key, _("「%(label)s」中的花括号不成对") % {"label": label}))
            continue
        allowed = found.allowed
        for name in dict.fromkeys(placeholders_in(typed)):
            if name not in allowed:
                message = _("「%(label)s」中的占位符 {%(name)s} 无法由记录填写；") + _(
                    "可用的占位符：%(names)s"
                )
                names = "、".join(f"{{{n}}}" for n in allowed)
                errors.append(
                    FieldError(key, message % {"label": label, "name": name, "names": names})
                )
    return cleaned, errors


def may_manage(officer: object) -> bool:
    return bool(
        getattr(officer, "is_authenticated", False)
        and access.can(officer, access.MANAGE_DOCUMENT_WORDING)  # type: ignore[arg-type]
    )


def save_wording(
    *,
    kind: str,
    blocks: Mapping[str, object],
    note: str,
    actor: Officer,
    at: dt.datetime | None = None,
) -> DocumentWording:
    """Save the next version of ``kind``'s wording: ``blocks`` (key → text) over the version in
    force (a block not given keeps its text), with ``note`` saying why.

    Refused, naming every problem at once and writing nothing: an unknown kind or block, an
    empty block, one over 2,000 characters, a placeholder the record cannot fill, unbalanced
    braces, no note, or nothing changed.
    """
    if not may_manage(actor):
        raise NotPermitted(_("您无权修改执法文书模板。"))
    if kind not in BLOCKS:
        raise InvalidInput.single(
            "kind",
            _("未知的文书种类：%(kind)s（可选：%(kinds)s）")
            % {"kind": kind, "kinds": "、".join(BLOCKS)},
        )
    if not isinstance(blocks, Mapping):
        raise InvalidInput.single("blocks", _("模板段落应为“段落 → 文本”的对应表"))
    cleaned, errors = check_blocks(kind, blocks)
    note = _normalise(note)
    if not note:
        errors.append(FieldError("note", _("请填写修订说明")))
    moment = at or timezone.now()
    with transaction.atomic():
        current = (
            DocumentWording.objects.select_for_update()
            .filter(kind=kind)
            .order_by("-version")
            .first()
        )
        merged = {**blocks_in_force(kind, current), **cleaned}
        if not errors and merged == blocks_in_force(kind, current):
            same = (
                _("与现行第 %(version)d 版相同，未保存新版本") % {"version": current.version}
                if current is not None
                else _("与内置默认文本相同，未保存新版本")
            )
            errors.append(FieldError("blocks", same))
        if errors:
            raise InvalidInput("；".join(f"{e.field}: {e.message}" for e in errors), errors=errors)
        try:
            with transaction.atomic():
                return DocumentWording.objects.create(
                    kind=kind,
                    version=(current.version if current is not None else 0) + 1,
                    blocks=merged,
                    note=note,
                    created_by=actor,
                    created_at=moment,
                )
        except IntegrityError as error:  # two saves at once on a kind with no version yet
            raise Conflict(_("另一位管理员刚保存了新版本，请刷新后再改。")) from error
