"""Complaints and reports (投诉 / 举报) from 12315, phone, letter or walk-in, with their
statutory clocks (《市场监督管理投诉举报处理暂行办法》, 《市场监督管理行政处罚程序规定》; see
docs/timeliness.md).

A complaint (投诉) is accepted or refused, then mediated; mediation ends in agreement or is
terminated, and both parties are told. A report (举报) is verified and ends in a decision to
file (which opens a case through the case service) or not; a real-name reporter is told.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


class Channel(models.TextChoices):
    PLATFORM = "platform", _("12315平台")
    HOTLINE = "hotline", _("12315热线")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    REFERRAL = "referral", _("部门转办")


class Topic(models.TextChoices):
    """What the matter is about, as the 12315 statistics group it."""

    FOOD = "food", _("食品")
    DRUG = "drug", _("药品医疗器械化妆品")
    QUALITY = "quality", _("产品质量")
    PRICE = "price", _("价格收费")
    ADVERTISING = "advertising", _("广告")
    CONTRACT = "contract", _("合同消费")
    ONLINE = "online", _("网络交易")
    SPECIAL_EQUIPMENT = "equipment", _("特种设备")
    MEASUREMENT = "measurement", _("计量")
    UNLICENSED = "unlicensed", _("无照经营")
    OTHER = "other", _("其他")


@traced()
class Complaint(StatusModel):
    """One complaint or report, from receipt to the notice to the person who raised it."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("投诉")
        REPORT = "report", _("举报")

    class Status(models.TextChoices):
        RECEIVED = "received", _("登记")
        # 投诉
        MEDIATING = "mediating", _("已受理调解中")
        REFUSED = "refused", _("不予受理")
        AGREED = "agreed", _("调解成功")
        TERMINATED = "terminated", _("终止调解")
        # 举报
        VERIFYING = "verifying", _("核查中")
        FILED = "filed", _("已立案")
        NOT_FILED = "not_filed", _("不予立案")
        # both: the person who raised it has been told the outcome
        CLOSED = "closed", _("已办结")

    class Founded(models.TextChoices):
        UNKNOWN = "", _("—")
        FOUNDED = "founded", _("属实")
        PARTLY = "partly", _("部分属实")
        UNFOUNDED = "unfounded", _("不属实")

    number = models.CharField(_("登记编号"), max_length=30, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("涉及领域"), max_length=12, choices=Topic.choices)
    received_on = models.DateField(_("收到日期"))
    person = models.CharField(_("投诉（举报）人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    real_name = models.BooleanField(_("实名"), default=True)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("被投诉（举报）主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    respondent = models.CharField(_("被投诉（举报）人"), max_length=200)
    content = models.TextField(_("内容"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="complaints"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # 首问负责制: the officer who took it stays responsible until it is handed on.
    first_officer = models.ForeignKey(
        Officer, verbose_name=_("首问责任人"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        Officer, verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+"
    )
    handed_on_at = models.DateTimeField(_("移交时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理（不予受理）决定日期"), null=True, blank=True)
    ended_on = models.DateField(_("调解结束（立案决定）日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    # 举报: verification extended by 15 working days with the head's approval (程序规定 第十八条).
    extended = models.BooleanField(_("核查期限已延长"), default=False)
    founded = models.CharField(
        _("核查结论"), max_length=10, choices=Founded.choices, default=Founded.UNKNOWN, blank=True
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("立案案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    outcome = models.TextField(_("处理结果"), blank=True)
    amount_recovered = models.DecimalField(
        _("挽回经济损失（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="complaint_unit_idx"),
            models.Index(fields=["entity", "received_on"], name="complaint_entity_idx"),
            models.Index(fields=["received_on", "unit"], name="complaint_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.respondent}"
