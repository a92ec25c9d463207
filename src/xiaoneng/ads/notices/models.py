"""Notices of advertising supervision (篇1): 违法违规广告警示通知书, 责令改正通知书 and
停止发布通知, with their deadlines and outcome; and confiscated printed matter (违法印刷品)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


@traced()
class AdNotice(StatusModel):
    """A notice issued to a party, numbered per kind and year; immutable once issued except
    for its outcome."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("违法违规广告警示通知书")
        RECTIFY = "rectify", _("责令改正通知书")
        STOP = "stop", _("停止发布通知")

    class Status(models.TextChoices):
        ISSUED = "issued", _("已送达")
        COMPLIED = "complied", _("已履行")
        NOT_COMPLIED = "not_complied", _("逾期未履行")

    kind = models.CharField(_("文书类别"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("文书编号"), max_length=30, unique=True)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("当事人主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ad_notices",
    )
    party = models.CharField(_("当事人"), max_length=200)
    ad = models.ForeignKey(
        MonitoredAd,
        verbose_name=_("监测广告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    issued_on = models.DateField(_("送达日期"))
    deadline = models.DateField(_("履行期限"))
    content = models.TextField(_("违法事实及要求"))
    status = StatusField(_("状态"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    outcome_on = models.DateField(_("核实日期"), null=True, blank=True)
    outcome_note = models.CharField(_("履行情况"), max_length=500, blank=True)
    officer = models.ForeignKey(
        Officer, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("广告监管文书")
        verbose_name_plural = _("广告监管文书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.party}"


@traced()
class Confiscation(models.Model):
    """Illegal printed matter (违法印刷品) confiscated from a party, with its quantity."""

    entity = models.ForeignKey(
        Entity,
        verbose_name=_("当事人主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.CharField(_("当事人"), max_length=200)
    seized_on = models.DateField(_("收缴日期"))
    description = models.CharField(_("印刷品名称"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量（份）"))
    notice = models.ForeignKey(
        AdNotice,
        verbose_name=_("相关文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confiscations",
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("违法印刷品收缴")
        verbose_name_plural = _("违法印刷品收缴")
        ordering = ["-seized_on", "-id"]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"
