"""API of the keyword feature library: check texts (/textscan/check), read the rules and the
versions (/keywords/…). The library is county-wide: every logged-in officer may read it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng import textscan
from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.keywords import scanning
from xiaoneng.keywords.models import KeywordRule, LibraryVersion
from xiaoneng.keywords.queries import filter_rules
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["keywords"])

MAX_ITEMS = 1000
MAX_TEXT = 100_000
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Kind = Annotated[str | None, OneOf(textscan.AD_KINDS)]


class KeywordCheckItem(Schema):
    id: Annotated[str, Field(max_length=200)]
    text: Text
    kind: Kind = None


class KeywordCheckIn(Schema):
    """One text, or up to 1,000 items; ``target`` is ad (广告) or listing (网络商品信息)."""

    target: Annotated[str, OneOf(textscan.TARGETS)]
    text: Text | None = None
    kind: Kind = None
    items: list[KeywordCheckItem] | None = Field(None, description="at most 1,000 items")


class KeywordViolationOut(Schema):
    rule: str
    category: str
    law: str
    severity: str
    match: str
    start: int
    end: int


class KeywordCheckResult(Schema):
    id: str | None
    violations: list[KeywordViolationOut]


class KeywordCheckOut(Schema):
    version: int
    results: list[KeywordCheckResult]


@router.post("/textscan/check", response=KeywordCheckOut, summary="Scan texts (文本试扫)")
def check(request: OfficerRequest, payload: KeywordCheckIn) -> dict[str, Any]:
    if not payload.target:
        raise InvalidInput.single("target", _("请选择扫描对象（ad 或 listing）"))
    if payload.items is None and payload.text is None:
        raise InvalidInput.single("text", _("请提供 text 或 items"))
    if payload.items is not None and payload.text is not None:
        raise InvalidInput.single("items", _("text 与 items 只能提供其一"))
    if payload.items is None:
        result = scanning.scan_text(payload.text or "", target=payload.target, kind=payload.kind)
        results = [{"id": None, "violations": result.violations}]
        return {"version": result.version, "results": results}
    if len(payload.items) > MAX_ITEMS:
        raise InvalidInput.single("items", _("一次最多检查1000条"))
    ids = [item.id for item in payload.items]
    if len(set(ids)) != len(ids):
        raise InvalidInput.single("items", _("条目编号（id）重复"))
    version, found = scanning.scan_texts(
        [(item.text, item.kind or None) for item in payload.items], target=payload.target
    )
    return {
        "version": version,
        "results": [
            {"id": item.id, "violations": violations}
            for item, violations in zip(payload.items, found, strict=True)
        ],
    }


class KeywordPatternOut(Schema):
    anchors: list[str]
    regex: str
    window: int


class KeywordContextOut(Schema):
    regex: str
    before: int
    after: int


class KeywordRuleOut(Schema):
    code: str
    category: str
    law: str
    severity: str
    terms: list[str]
    exceptions: list[str]
    patterns: list[KeywordPatternOut]
    contexts: list[KeywordContextOut]
    targets: list[str]
    kinds: list[str]
    not_kinds: list[str]
    note: str
    active: bool
    updated_at: dt.datetime


class KeywordRulePage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[KeywordRuleOut]


class KeywordRuleFilter(Paging):
    category: Annotated[str, OneOf(textscan.CATEGORIES)] = ""
    severity: Annotated[str, OneOf(textscan.SEVERITIES)] = ""
    target: Annotated[str, OneOf(textscan.TARGETS)] = ""
    q: Annotated[str, Field(max_length=100, description="text in the terms")] = ""
    active: bool | None = Field(True, description="active rules only (default), or inactive")


@router.get("/keywords/rules", response=KeywordRulePage, summary="Keyword rules (关键词规则)")
def list_rules(request: OfficerRequest, filters: Query[KeywordRuleFilter]) -> dict[str, Any]:
    rows = KeywordRule.objects.all()
    if filters.active is not None:
        rows = rows.filter(active=filters.active)
    rows = filter_rules(
        rows,
        category=filters.category,
        severity=filters.severity,
        target=filters.target,
        q=filters.q,
    )
    return paged(rows.order_by("code"), filters)


@router.get("/keywords/rules/{code}", response=KeywordRuleOut, summary="One keyword rule")
def get_rule(request: OfficerRequest, code: str) -> KeywordRule:
    return get_object_or_404(KeywordRule, code=code)


class KeywordVersionOut(Schema):
    number: int
    created_at: dt.datetime
    by: str
    reason: str
    sha256: str
    rule_count: int
    term_count: int
    added: list[str]
    removed: list[str]
    changed: list[str]

    @staticmethod
    def resolve_by(obj: LibraryVersion) -> str:
        return obj.by.get_username() if obj.by else ""


class KeywordVersionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[KeywordVersionOut]


@router.get(
    "/keywords/versions", response=KeywordVersionPage, summary="Library versions (特征库版本)"
)
def list_versions(request: OfficerRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(LibraryVersion.objects.select_related("by").order_by("-number"), paging)
