"""Inspection checklists (监管检查项目清单, 篇8): per industry and kind of check, versioned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced


class InspectionKind(models.TextChoices):
    """How an inspection is done (篇7: 实地检查 and 书式检查)."""

    ONSITE = "onsite", _("实地检查")
    DOCUMENTARY = "documentary", _("书式检查")


class Severity(models.TextChoices):
    """How serious a failed item is: it decides the follow-up and the credit feedback."""

    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    CRITICAL = "critical", _("严重")


@traced()
class Checklist(models.Model):
    """One version of a checklist: what to check for an industry and a kind of inspection.

    A version that an inspection has used is never edited: a change is a new version, and
    each inspection keeps the version it was filled against.
    """

    code = models.CharField(_("清单代码"), max_length=40, help_text=_("如 food-retail"))
    version = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("检查方式"), max_length=12, choices=InspectionKind.choices)
    # GB/T 4754 code prefixes the checklist applies to ("F5221 F5223"); empty means any trade.
    industry_prefixes = models.CharField(_("适用行业代码前缀"), max_length=300, blank=True)
    description = models.TextField(_("说明"), blank=True)
    effective_on = models.DateField(_("施行日期"))
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查项目清单")
        verbose_name_plural = _("检查项目清单")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="checklist_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


@traced()
class ChecklistItem(models.Model):
    """One item of a checklist: what to look at, the legal basis, and how serious a failure is."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.CharField(_("序号"), max_length=10)
    position = models.PositiveSmallIntegerField(_("排序"))
    title = models.CharField(_("检查事项"), max_length=200)
    method = models.TextField(_("检查内容与方法"))
    legal_basis = models.CharField(_("法律依据"), max_length=300)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklist_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
