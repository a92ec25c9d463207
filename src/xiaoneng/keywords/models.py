"""The keyword feature library (关键词特征库, 篇1, 篇6): its rules and its versions.

A rule is edited in place (with trace); every change makes a new ``LibraryVersion`` holding
the YAML of all active rules at that moment. A version is never changed afterwards: scanning,
exports and the record of which library a result came from all name a version number.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Officer


@traced(exclude=("terms_text",))
class KeywordRule(models.Model):
    """One rule of the library: its terms, lawful exceptions, claim patterns and lawful
    contexts (a regex near a hit that passes it: a cited source), the law it
    applies and the targets and ad kinds it is scoped to (the lists are JSON)."""

    code = models.CharField(_("规则编号"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=30)
    law = models.CharField(_("法律依据"), max_length=300)
    severity = models.CharField(_("严重程度"), max_length=10)
    terms = models.JSONField(_("词语"), default=list, blank=True)
    exceptions = models.JSONField(_("例外"), default=list, blank=True)
    patterns = models.JSONField(_("正则模式"), default=list, blank=True)
    contexts = models.JSONField(_("上下文例外"), default=list, blank=True)
    targets = models.JSONField(_("适用对象"), default=list, blank=True)
    kinds = models.JSONField(_("适用广告类别"), default=list, blank=True)
    not_kinds = models.JSONField(_("不适用广告类别"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # The terms one per line, for the list's text search (JSON text escapes Chinese).
    terms_text = models.TextField(_("词语（检索用）"), blank=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("关键词规则")
        verbose_name_plural = _("关键词规则")

    def __str__(self) -> str:
        return self.code


class ImmutableVersion(Exception):
    """A library version was about to be changed after it was made."""


@traced()
class LibraryVersion(models.Model):
    """One version of the library: the YAML snapshot of all active rules, its SHA-256, who
    made it and why, and which rules it added, removed or changed against the one before."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    by = models.ForeignKey(
        Officer,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("原因"), max_length=300)
    yaml = models.TextField(_("YAML 快照"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rule_count = models.PositiveIntegerField(_("规则数"), default=0)
    term_count = models.PositiveIntegerField(_("词语数"), default=0)
    added = models.JSONField(_("新增规则"), default=list, blank=True)
    removed = models.JSONField(_("停用规则"), default=list, blank=True)
    changed = models.JSONField(_("修改规则"), default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("特征库版本")
        verbose_name_plural = _("特征库版本")

    def __str__(self) -> str:
        return f"v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version is evidence of what a scan used: it is written once, never changed.
        if not self._state.adding:
            raise ImmutableVersion(str(_("特征库版本一经生成不可修改。")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersion(str(_("特征库版本一经生成不可删除。")))
