"""Service items and service cases (事项 / 办件, 篇5 and 篇9): 限时办结, 一审一核, 首问负责,
一次性告知.

An item carries its statutory and committed limits and whether one officer reviews and
approves (一审一核); a case moves 收件 → 受理 → 审查 → 核准 → 办结 and keeps each stage, who and
when; its clock (``clocks.Clock``, subject ``service_case``) starts at acceptance.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks.models import Suspension


class ItemCategory(models.TextChoices):
    REGISTRATION = "registration", _("登记注册")
    LICENCE = "licence", _("行政许可")
    FILING = "filing", _("备案")
    OTHER = "other", _("其他服务")


@traced()
class ServiceItem(models.Model):
    """An administrative service the bureau handles within a limit (办事指南的一项)."""

    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("事项类别"), max_length=14, choices=ItemCategory.choices)
    statutory_days = models.PositiveSmallIntegerField(
        _("法定时限（工作日）"), validators=[MinValueValidator(1)]
    )
    committed_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), validators=[MinValueValidator(1)]
    )
    # 一审一核: one officer reviews and approves in one step; otherwise 审查 and 核准 are done by
    # two different officers.
    single_review = models.BooleanField(_("一审一核"), default=False)
    basis = models.CharField(_("设定依据"), max_length=200)
    # What an applicant must bring, one per line: the one-time notice lists what is missing.
    materials = models.TextField(_("申请材料"), blank=True)
    active = models.BooleanField(_("在办"), default=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committed_days__lte=models.F("statutory_days")),
                name="service_item_committed_within_statutory",
            )
        ]

    def __str__(self) -> str:
        return self.name


@traced()
class ServiceCase(StatusModel):
    """One application (办件) for a service item, from receipt to completion."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("收件")
        ACCEPTED = "accepted", _("受理")
        REVIEWING = "reviewing", _("审查")
        APPROVING = "approving", _("核准")
        COMPLETED = "completed", _("办结")
        REJECTED = "rejected", _("不予受理")
        WITHDRAWN = "withdrawn", _("申请人撤回")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        GRANTED = "granted", _("准予")
        REFUSED = "refused", _("不予准予")

    number = models.CharField(_("办件编号"), max_length=30, unique=True)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.CharField(_("申请人"), max_length=100)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="service_cases"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # 首问负责制: the officer the applicant first asked stays responsible until handed on.
    first_officer = models.ForeignKey(
        Officer, verbose_name=_("首问责任人"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        Officer, verbose_name=_("当前责任人"), on_delete=models.PROTECT, related_name="+"
    )
    handed_on_at = models.DateTimeField(_("移交时间"), null=True, blank=True)
    received_on = models.DateField(_("收件日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(
        _("办理结果"), max_length=8, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    note = models.TextField(_("办理意见"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="service_case_unit_idx"),
            models.Index(fields=["completed_on", "unit"], name="service_case_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item}"


@traced()
class ServiceStage(models.Model):
    """One stage of a case: who did it, when, and their opinion."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("环节"), max_length=10, choices=ServiceCase.Status.choices)
    officer = models.ForeignKey(
        Officer, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("办理日期"))
    done_at = models.DateTimeField(_("记录时间"))
    opinion = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["case", "done_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_stage_display()}"


@traced()
class OneTimeNotice(models.Model):
    """一次性告知: every missing material in one notice. A second notice for the same case is a
    breach of the rule, recorded as such (``breach``)."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="notices"
    )
    sequence = models.PositiveSmallIntegerField(_("第几次告知"))
    issued_on = models.DateField(_("告知日期"))
    officer = models.ForeignKey(
        Officer, verbose_name=_("告知人"), on_delete=models.PROTECT, related_name="+"
    )
    # One missing material per line.
    materials = models.TextField(_("需补正材料"))
    breach = models.BooleanField(_("违反一次性告知"), default=False)
    # The 补正 suspension of the case's clock this notice started.
    suspension = models.OneToOneField(
        Suspension,
        verbose_name=_("补正中止"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notice",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一次性告知")
        verbose_name_plural = _("一次性告知")
        ordering = ["case", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="one_time_notice_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.case} #{self.sequence}"
