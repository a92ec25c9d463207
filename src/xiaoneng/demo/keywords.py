"""The demo county's keyword feature library (关键词特征库): the starter library loaded in
January as version 1, then two edits in the year as the division would make them (terms added
to a rule after monitoring, a local rule on false origin claims), so the versions page shows
history. Each goes through ``keywords.services`` like a real change; the versions are then
dated to their day in the year."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from xiaoneng import textscan
from xiaoneng.core import audit
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.org import Organisation
from xiaoneng.keywords import services
from xiaoneng.keywords.library import rule_of
from xiaoneng.keywords.models import KeywordRule, LibraryVersion
from xiaoneng.org.models import Officer, Role

STARTER = Path(textscan.__file__).resolve().parent / "data" / "starter.yaml"
ADDED_TERMS = ("史无前例", "无与伦比")
LOCAL_RULE = textscan.Rule(
    id="FAL-101",  # a local rule: numbered apart from the starter library's FAL-00x
    category="false_misleading",
    law="《广告法》第二十八条第二款第（二）项",
    severity="medium",
    terms=("100%伊犁原产", "纯正伊犁原产", "伊犁原产地直供"),
    targets=("ad", "listing"),
    note="2026年本地广告监测中发现的产地虚假宣传用语（需核实产地证明后认定）。",
)


def _staff(organisation: Organisation) -> Officer | None:
    """A division staff member of the bureau, who keeps the library."""
    return Officer.objects.filter(roles__code=Role.DIVISION_STAFF).order_by("pk").first()


def _dated(version: LibraryVersion, day: dt.date, hour: int) -> None:
    # The demo's versions happened earlier in the year: dated with an UPDATE (a version is
    # never saved twice, see LibraryVersion.save).
    LibraryVersion.objects.filter(pk=version.pk).update(created_at=local_moment(day, hour))


def build_keywords(
    organisation: Organisation, *, now: dt.datetime, progress: Callable[[str], None] = print
) -> None:
    """The starter library (v1, early January), more terms for an absolute-claims rule (v2,
    spring) and a local rule (v3, summer), each before ``now``."""
    if not STARTER.exists():
        progress("关键词特征库：未找到初始特征库文件，跳过")
        return
    year = now.date().year
    actor = _staff(organisation)
    with transaction.atomic(), audit.acting_as(actor, source=AuditEvent.Source.IMPORT):
        loaded = services.load_library(
            STARTER.read_text(encoding="utf-8"),
            actor=actor,
            reason="载入初始特征库（依据《广告法》和市场监管总局广告监管指导意见编写）",
        )
        _dated(loaded.version, dt.date(year, 1, 5), 10)
        days = [d for d in (dt.date(year, 4, 14), dt.date(year, 8, 3)) if d < now.date()]
        if days:
            row = KeywordRule.objects.filter(category="absolute", active=True).first()
            if row is not None:
                rule = rule_of(row)
                extra = tuple(t for t in ADDED_TERMS if t not in rule.terms)
                if extra:
                    changed = dataclasses.replace(rule, terms=(*rule.terms, *extra))
                    services.edit_rule(
                        actor=actor, row=row, rule=changed, reason="增补监测中新发现的绝对化用语"
                    )
                    _dated(services.current_version() or loaded.version, days[0], 15)
        if len(days) > 1 and not KeywordRule.objects.filter(code=LOCAL_RULE.id).exists():
            services.create_rule(actor=actor, rule=LOCAL_RULE, reason="新增本地产地虚假宣传规则")
            _dated(services.current_version() or loaded.version, days[1], 11)
    version = services.current_version()
    if version is not None:
        progress(
            f"关键词特征库：第{version.number}版，规则 {version.rule_count} 条，"
            f"词语 {version.term_count} 个"
        )
