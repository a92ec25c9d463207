"""Division supervision (督办, 篇2): an item a division sets a station, with a deadline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


@traced()
class SupervisionItem(StatusModel):
    """A matter a division puts to a station to deal with by a deadline (科室督办, 篇2)."""

    class Status(models.TextChoices):
        OPEN = "open", _("督办中")
        ANSWERED = "answered", _("已回复")
        CLOSED = "closed", _("已办结")
        RETURNED = "returned", _("退回重办")

    title = models.CharField(_("督办事项"), max_length=200)
    description = models.TextField(_("督办要求"))
    issued_by_unit = models.ForeignKey(
        Unit, verbose_name=_("督办科室"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        Officer, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="supervision_items"
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("涉及主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("涉及检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("督办日期"))
    deadline = models.DateField(_("办结期限"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("办理情况"), blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["unit", "status", "deadline"], name="supervision_unit_idx")]

    def __str__(self) -> str:
        return self.title
