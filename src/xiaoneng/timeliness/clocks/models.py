"""Clocks (限时办结): each timed obligation, its suspensions, and the warnings it raised.

A clock counts working days from ``started_on``; suspensions (补正, 公告, 专家评审, 检验检测…)
stop it. ``due_on`` is the last day of the committed limit plus any approved extension plus
the working days suspended so far; the warning level is recomputed on arrays for every open
clock (``clocks.compute``) each hour and whenever the clock changes.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Officer, Unit


class ClockKind(models.TextChoices):
    """What is timed, with the rule that gives its limit (docs/timeliness.md)."""

    SERVICE = "service", _("办件办结")
    COMPLAINT_ACCEPT = "complaint_accept", _("投诉受理决定")
    COMPLAINT_MEDIATION = "complaint_mediation", _("投诉调解")
    COMPLAINT_NOTICE = "complaint_notice", _("终止调解告知")
    REPORT_FILING = "report_filing", _("举报核查立案决定")
    REPORT_REPLY = "report_reply", _("举报处理结果告知")


class SubjectType(models.TextChoices):
    """The kind of record a clock times (the record's own module shows it)."""

    SERVICE_CASE = "service_case", _("办件")
    COMPLAINT = "complaint", _("投诉举报")


class Level(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")


class Escalation(models.IntegerChoices):
    """Who a red warning is with: its officer, then the director, then the division."""

    OFFICER = 0, _("承办人")
    DIRECTOR = 1, _("所（科）负责人")
    DIVISION = 2, _("区局科室")


@traced(exclude=("level", "escalation", "recheck_on"))
class Clock(models.Model):
    """One timed obligation of a record: a service case's limit, a complaint's acceptance…"""

    kind = models.CharField(_("时限类别"), max_length=24, choices=ClockKind.choices)
    subject_type = models.CharField(_("对象类别"), max_length=16, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = models.CharField(_("事项"), max_length=200)
    # No index of its own: clock_unit_level_idx and clock_open_idx serve lookups by unit, and
    # each index more is written again for every clock whose level changes.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="clocks",
        db_index=False,
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clocks",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    started_on = models.DateField(_("起算日期"))
    # Working days. The committed limit (承诺时限) warns; the statutory one (法定时限) is the law.
    limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    statutory_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    extended_days = models.PositiveSmallIntegerField(_("批准延长（工作日）"), default=0)
    basis = models.CharField(_("时限依据"), max_length=200)
    # Working days of ended suspensions; an open suspension runs from suspended_since.
    suspended_days = models.PositiveIntegerField(_("已中止（工作日）"), default=0)
    suspended_since = models.DateField(_("中止起始日期"), null=True, blank=True)
    due_on = models.DateField(_("到期日期"))
    # due_on lies after the calendar's last loaded year: counted on weekdays only.
    due_provisional = models.BooleanField(_("到期日期暂定"), default=False)
    stopped_on = models.DateField(_("办结日期"), null=True, blank=True)
    level = models.CharField(
        _("预警"), max_length=6, choices=Level.choices, default=Level.NONE, blank=True
    )
    escalation = models.PositiveSmallIntegerField(
        _("督办层级"), choices=Escalation.choices, default=Escalation.OFFICER
    )
    # The first day on which the warnings recompute must look at the clock again: the day it
    # turns yellow or red, or its red warning goes up a level, as its last recompute found.
    # Empty: at the next run (a new clock, or one changed in bulk). ``clocks.warnings``.
    recheck_on = models.DateField(_("下次重算日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="clock_subject_idx"),
            models.Index(fields=["stopped_on", "unit"], name="clock_open_idx"),
            models.Index(fields=["unit", "level"], name="clock_unit_level_idx"),
            models.Index(fields=["recheck_on"], name="clock_recheck_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"


class SuspensionReason(models.TextChoices):
    """Time the rules exclude from a limit."""

    CORRECTION = "correction", _("补正材料")
    ANNOUNCEMENT = "announcement", _("公告")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    TESTING = "testing", _("检验检测、鉴定")
    HEARING = "hearing", _("听证")
    OTHER = "other", _("其他法定情形")


@traced()
class Suspension(models.Model):
    """A span in which a clock stands still, with its reason; open while ``ended_on`` is empty."""

    clock = models.ForeignKey(
        Clock, verbose_name=_("时限"), on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(_("中止原因"), max_length=16, choices=SuspensionReason.choices)
    note = models.CharField(_("说明"), max_length=200)
    started_on = models.DateField(_("中止日期"))
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    # Working days the clock stood still, set when the suspension ends.
    working_days = models.PositiveIntegerField(_("中止工作日"), default=0)
    created_by = models.ForeignKey(
        Officer,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时限中止")
        verbose_name_plural = _("时限中止")
        ordering = ["clock", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_on}"


class ClearReason(models.TextChoices):
    STOPPED = "stopped", _("已办结")
    RAISED = "raised", _("升级为红色预警")
    SUSPENDED = "suspended", _("时限中止")
    RECOMPUTED = "recomputed", _("重新计算后不再预警")
    MANUAL = "manual", _("人工解除")


@traced()
class Warning(models.Model):
    """A yellow or red warning a clock raised; a red one escalates while nobody handles it."""

    clock = models.ForeignKey(
        Clock, verbose_name=_("时限"), on_delete=models.CASCADE, related_name="warnings"
    )
    level = models.CharField(_("预警"), max_length=6, choices=Level.choices[1:])
    # No index of its own (warning_open_idx starts with it): fewer indexes to write for the
    # warnings a recompute raises. Neither have the handling and clearing officers: officers are
    # deactivated, not deleted, so nothing looks warnings up by them.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="warnings",
        db_index=False,
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    raised_on = models.DateField(_("预警日期"))
    raised_at = models.DateTimeField(_("预警时间"))
    due_on = models.DateField(_("到期日期"))
    # Working days used of the limit when raised, and the limit (the share is used / limit).
    used_days = models.IntegerField(_("已用工作日"))
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    # Red only: the day by which it must be handled before it goes one level up.
    handle_by = models.DateField(_("处理期限"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(
        _("督办层级"), choices=Escalation.choices, default=Escalation.OFFICER
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        Officer,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    handling = models.TextField(_("处理说明"), blank=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        Officer,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    clear_reason = models.CharField(
        _("解除原因"), max_length=12, choices=ClearReason.choices, blank=True
    )
    clear_note = models.CharField(_("解除说明"), max_length=200, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "cleared_at", "level"], name="warning_open_idx"),
            models.Index(fields=["raised_on", "unit"], name="warning_raised_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.clock.subject}"


SHARE = [MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("0.99"))]


@traced(exclude=("evaluated_through",))
class WarningPolicy(models.Model):
    """The bureau's warning settings (one row): when yellow, how long a red may wait."""

    yellow_share = models.DecimalField(
        _("黄色预警用时比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=SHARE,
        help_text=_("用时达到承诺时限的该比例时亮黄灯"),
    )
    handle_days = models.PositiveSmallIntegerField(
        _("红色预警处理期限（工作日）"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("红色预警在此期限内未处理的，逐级上报：承办人 → 所（科）负责人 → 区局科室"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The latest day any recompute has evaluated: a run for an earlier day reads every clock,
    # since the clocks' ``recheck_on`` hold for later days only (``clocks.warnings``).
    evaluated_through = models.DateField(_("预警已重算至"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("预警设置")
        verbose_name_plural = _("预警设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
