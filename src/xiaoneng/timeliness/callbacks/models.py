"""Callbacks (回访, 篇9): monthly samples of completed work, by phone or on site; satisfaction;
problems raised, rectified and fed back to the person who raised them.

A round draws, for one unit, month and kind of work, all, a share or a number of the records
completed that month, with a seed fixed before the draw (as the director reviews do), so
anyone can draw it again. Satisfaction = (满意 + 基本满意) / answered, on the overall answer
(docs/timeliness.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import ServiceCase

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class SubjectKind(models.TextChoices):
    SERVICE_CASE = "service_case", _("办件")
    COMPLAINT = "complaint", _("投诉举报")
    INSPECTION = "inspection", _("检查")
    CASE = "case", _("案件")


class SampleMode(models.TextChoices):
    ALL = "all", _("全部回访")
    SHARE = "share", _("按比例抽取")
    COUNT = "count", _("按数量抽取")


class Channel(models.TextChoices):
    PHONE = "phone", _("电话回访")
    ON_SITE = "on_site", _("上门回访")


class Answer(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The questions of a callback (篇9), in the order they are asked; ``overall`` decides the rate.
QUESTIONS = (
    ("attitude", _("服务态度")),
    ("quality", _("办事质量")),
    ("one_time_notice", _("一次性告知")),
    ("time_limit", _("办结时限")),
    ("integrity", _("廉洁自律")),
    ("overall", _("总体评价")),
)

SHARE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))]


@traced()
class CallbackRule(models.Model):
    """How a unit samples one kind of completed work for callbacks each month."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="callback_rules"
    )
    subject_kind = models.CharField(_("回访对象"), max_length=14, choices=SubjectKind.choices)
    mode = models.CharField(_("抽取方式"), max_length=6, choices=SampleMode.choices)
    share = models.DecimalField(
        _("抽取比例"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SHARE
    )
    count = models.PositiveIntegerField(
        _("抽取数量"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    channel = models.CharField(
        _("默认回访方式"), max_length=8, choices=Channel.choices, default=Channel.PHONE
    )
    active = models.BooleanField(_("启用"), default=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("回访规则")
        verbose_name_plural = _("回访规则")
        ordering = ["unit__path", "subject_kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "subject_kind"], name="callback_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_subject_kind_display()}"


@traced()
class CallbackRound(models.Model):
    """A month's draw of records for callbacks under a rule, reproducible from its seed."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="callback_rounds"
    )
    month = models.CharField(_("月份"), max_length=7, help_text=_("YYYY-MM"))
    subject_kind = models.CharField(_("回访对象"), max_length=14, choices=SubjectKind.choices)
    mode = models.CharField(_("抽取方式"), max_length=6, choices=SampleMode.choices)
    share = models.DecimalField(
        _("抽取比例"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    seed = models.CharField(_("随机种子"), max_length=64)
    population = models.PositiveIntegerField(_("可回访记录数"))
    # SHA-256 of the sorted ids drawn from, so a re-run proves it saw the same list.
    population_digest = models.CharField(_("名单摘要"), max_length=64)
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        Officer,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("回访批次")
        verbose_name_plural = _("回访批次")
        ordering = ["-month", "unit__path", "subject_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "subject_kind"], name="callback_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month} {self.get_subject_kind_display()}"


def answer_field(label: StrOrPromise) -> models.CharField[str, str]:
    """One question's answer: 满意, 基本满意, 不满意, or empty when it was not asked."""
    return models.CharField(label, max_length=12, choices=Answer.choices, blank=True)


@traced()
class Callback(StatusModel):
    """One callback to a served party about one completed record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待回访")
        DONE = "done", _("已回访")
        UNREACHABLE = "unreachable", _("无法联系")

    round = models.ForeignKey(
        CallbackRound,
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="callbacks",
    )
    subject_kind = models.CharField(_("回访对象"), max_length=14, choices=SubjectKind.choices)
    service_case = models.ForeignKey(
        ServiceCase,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉举报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    subject = models.CharField(_("回访事项"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="callbacks"
    )
    # The officer whose work is asked about.
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("被回访事项承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks_about",
    )
    party = models.CharField(_("回访对象姓名"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    channel = models.CharField(_("回访方式"), max_length=8, choices=Channel.choices)
    status = StatusField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    caller = models.ForeignKey(
        Officer,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks_made",
    )
    called_on = models.DateField(_("回访日期"), null=True, blank=True)
    attitude = answer_field(_("服务态度"))
    quality = answer_field(_("办事质量"))
    one_time_notice = answer_field(_("一次性告知"))
    time_limit = answer_field(_("办结时限"))
    integrity = answer_field(_("廉洁自律"))
    overall = answer_field(_("总体评价"))
    remarks = models.TextField(_("回访记录"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["-called_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="callback_unit_idx"),
            models.Index(fields=["called_on", "unit"], name="callback_called_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.subject}"


@traced()
class CallbackProblem(StatusModel):
    """A problem a party raised on a callback: rectified by its owner by a deadline, and the
    outcome fed back to the party (date and channel)."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        RECTIFIED = "rectified", _("已整改")
        FED_BACK = "fed_back", _("已反馈")

    class FeedbackChannel(models.TextChoices):
        PHONE = "phone", _("电话")
        ON_SITE = "on_site", _("上门")
        SMS = "sms", _("短信")
        LETTER = "letter", _("书面")

    callback = models.ForeignKey(
        Callback, verbose_name=_("回访"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("反映问题"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        Officer, verbose_name=_("整改责任人"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("整改期限"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    outcome = models.TextField(_("整改情况"), blank=True)
    fed_back_on = models.DateField(_("反馈日期"), null=True, blank=True)
    feedback_channel = models.CharField(
        _("反馈方式"), max_length=8, choices=FeedbackChannel.choices, blank=True
    )
    fed_back_by = models.ForeignKey(
        Officer,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("回访问题整改")
        verbose_name_plural = _("回访问题整改")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.description[:40]
