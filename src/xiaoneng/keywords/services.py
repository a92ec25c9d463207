"""Changes to the keyword feature library (关键词特征库): create, edit, deactivate a rule, load
a whole library (YAML import, the starter library).

Each change is checked (``MANAGE_KEYWORDS``; every rule by ``textscan.validate_rule``: a refused
change writes nothing), saved with its trace (the rule is ``@traced``, the reason attached) and
makes a new ``LibraryVersion`` holding the YAML of all active rules, in one transaction.
``actor`` is None where the CLI or the demo acts as nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xiaoneng import textscan
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.keywords import library
from xiaoneng.keywords.library import Diff
from xiaoneng.keywords.models import KeywordRule, LibraryVersion
from xiaoneng.org import access
from xiaoneng.org.models import Officer

REASON_LIMIT = 300


def _require(actor: Officer | None) -> None:
    if actor is not None:
        access.require(actor, access.MANAGE_KEYWORDS)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.single("reason", _("请填写变更原因"))
    if len(reason) > REASON_LIMIT:
        raise InvalidInput.single("reason", _("变更原因不能超过300个字"))
    return reason


def check_rule(rule: textscan.Rule) -> None:
    """Refuse ``rule`` with the engine's messages (each naming its field) if it is not valid."""
    messages = textscan.validate_rule(rule)
    if messages:
        raise InvalidInput(
            "；".join(messages), errors=[FieldError(_field_of(m), m) for m in messages]
        )


FIELD_WORDS = (
    ("上下文例外", "contexts"),
    ("例外", "exceptions"),
    ("模式", "patterns"),
    ("不适用", "not_kinds"),
    ("广告类别", "kinds"),
    ("类别", "category"),
    ("严重", "severity"),
    ("适用对象", "targets"),
    ("编号", "code"),
    ("词语", "terms"),
    ("法律依据", "law"),
)


def _field_of(message: str) -> str:
    """The form field a validation message names (the engine's messages name it in words)."""
    for word, name in FIELD_WORDS:
        if word in message:
            return name
    return "terms"


def _next_number() -> int:
    return (LibraryVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def _make_version(
    *, actor: Officer | None, reason: str, before: dict[str, textscan.Rule]
) -> LibraryVersion:
    """Snapshot the active rules as a new version, recording what changed since ``before``."""
    after = library.active_rules()
    number = _next_number()
    text = textscan.dump_yaml(library.library_of(after.values(), number))
    change = library.diff(before, after)
    return LibraryVersion.objects.create(
        number=number,
        by=actor,
        reason=reason,
        yaml=text,
        sha256=library.digest(text),
        rule_count=len(after),
        term_count=sum(len(rule.terms) for rule in after.values()),
        added=change.added,
        removed=change.removed,
        changed=[c.code for c in change.changed],
    )


def _save(row: KeywordRule, reason: str) -> None:
    audit.set_reason(row, reason)
    row.save()


def create_rule(*, actor: Officer | None, rule: textscan.Rule, reason: str) -> KeywordRule:
    """Add a rule to the library (a new version)."""
    _require(actor)
    reason = _reason(reason)
    check_rule(rule)
    if KeywordRule.objects.filter(code=rule.id).exists():
        raise InvalidInput.single("code", _("规则编号「%(c)s」已存在") % {"c": rule.id})
    with transaction.atomic(), audit.attributed(actor):
        before = library.active_rules()
        row = KeywordRule(code=rule.id, active=True, **library.fields_of(rule))
        _save(row, reason)
        _make_version(actor=actor, reason=reason, before=before)
    return row


def edit_rule(
    *, actor: Officer | None, row: KeywordRule, rule: textscan.Rule, reason: str
) -> KeywordRule:
    """Change a rule (its code stays); a new version if it is active."""
    _require(actor)
    reason = _reason(reason)
    if rule.id != row.code:
        raise InvalidInput.single("code", _("规则编号不可修改"))
    check_rule(rule)
    fields = library.fields_of(rule)
    if all(getattr(row, name) == value for name, value in fields.items()):
        raise Conflict(_("规则没有任何改动"))
    with transaction.atomic(), audit.attributed(actor):
        before = library.active_rules()
        for name, value in fields.items():
            setattr(row, name, value)
        _save(row, reason)
        if row.active:
            _make_version(actor=actor, reason=reason, before=before)
    return row


def set_active(
    *, actor: Officer | None, row: KeywordRule, active: bool, reason: str
) -> KeywordRule:
    """Deactivate (or reactivate) a rule: it leaves (or rejoins) the library, a new version."""
    _require(actor)
    reason = _reason(reason)
    if row.active == active:
        raise Conflict(_("该规则已启用") if active else _("该规则已停用"))
    if active:
        check_rule(library.rule_of(row))
    with transaction.atomic(), audit.attributed(actor):
        before = library.active_rules()
        row.active = active
        audit.set_reason(row, reason, action=None if active else "archive")
        row.save()
        _make_version(actor=actor, reason=reason, before=before)
    return row


def parse_library(text: str) -> textscan.Library:
    """A YAML library validated in full; refused with every problem (rule id and field)."""
    if not text.strip():
        raise InvalidInput.single("file", _("文件为空"))
    try:
        return textscan.load_yaml(text)
    except textscan.LibraryError as error:
        messages = list(error.messages) or [str(error)]
        raise InvalidInput(
            "；".join(messages), errors=[FieldError("file", m) for m in messages]
        ) from error


def preview(lib: textscan.Library) -> Diff:
    """What loading ``lib`` would change in the active rules (nothing is written)."""
    return library.diff(library.active_rules(), {rule.id: rule for rule in lib.rules})


@dataclass
class Loaded:
    """The outcome of a load: the new version and what it changed."""

    version: LibraryVersion
    diff: Diff


def load_library(
    library_or_yaml_text: textscan.Library | str, *, actor: Officer | None, reason: str
) -> Loaded:
    """Make the given library the one in force: its rules created or updated, the active rules
    it does not hold deactivated; a new version (even when nothing changed, as the record of
    the load). The whole file is validated first; on any error nothing is written."""
    _require(actor)
    reason = _reason(reason)
    lib = (
        parse_library(library_or_yaml_text)
        if isinstance(library_or_yaml_text, str)
        else library_or_yaml_text
    )
    problems = [m for rule in lib.rules for m in textscan.validate_rule(rule)]
    if problems:
        raise InvalidInput("；".join(problems), errors=[FieldError("file", m) for m in problems])
    codes = [rule.id for rule in lib.rules]
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        raise InvalidInput.single("file", _("规则编号重复：%(c)s") % {"c": "、".join(twice)})
    with transaction.atomic(), audit.attributed(actor):
        before = library.active_rules()
        change = library.diff(before, {rule.id: rule for rule in lib.rules})
        rows = {row.code: row for row in KeywordRule.objects.all()}
        for rule in lib.rules:
            row = rows.get(rule.id) or KeywordRule(code=rule.id)
            fields = {**library.fields_of(rule), "active": True}
            if row.pk and all(getattr(row, n) == v for n, v in fields.items()):
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            _save(row, reason)
        for code in change.removed:
            row = rows[code]
            row.active = False
            audit.set_reason(row, reason, action="archive")
            row.save()
        version = _make_version(actor=actor, reason=reason, before=before)
    return Loaded(version=version, diff=change)


def current_version() -> LibraryVersion | None:
    """The version in force (the newest), or None before any library was loaded."""
    return LibraryVersion.objects.order_by("-number").first()
