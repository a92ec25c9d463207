"""Training sessions (培训) and who attended them (篇8: 各业务科室制定培训计划，对市场监管所实施专题
培训). A session counts once (场次); each officer who attended counts once (人次)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Officer, Unit


class Topic(models.TextChoices):
    """What a session is about: the figures are split by it."""

    BUSINESS = "business", _("业务知识")
    LAW = "law", _("法律法规")
    ENFORCEMENT = "enforcement", _("执法办案")
    FOOD = "food", _("食品安全")
    ADS = "ads", _("广告监管")
    INTEGRITY = "integrity", _("廉政教育")
    IT = "it", _("信息化")
    OTHER = "other", _("其他")


@traced()
class TrainingSession(models.Model):
    """One training session held on one day by a unit (a division, the bureau or a station)
    for the units invited (its audience, usually stations)."""

    title = models.CharField(_("培训专题"), max_length=100)
    topic = models.CharField(_("培训类别"), max_length=12, choices=Topic.choices)
    # The division, bureau or station that organises it: it scopes the session.
    organiser = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("培训日期"))
    hours = models.DecimalField(_("学时"), max_digits=3, decimal_places=1)
    place = models.CharField(_("培训地点"), max_length=100, blank=True)
    lecturer = models.CharField(_("授课人"), max_length=50, blank=True)
    audience = models.ManyToManyField(Unit, verbose_name=_("参训单位"), related_name="+")
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        Officer, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "organiser"

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organiser", "held_on"], name="training_organiser_day")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


@traced()
class Attendance(models.Model):
    """Whether one officer attended one session: 出席 counts as one person-time (人次)."""

    class Status(models.TextChoices):
        ATTENDED = "attended", _("出席")
        ABSENT = "absent", _("缺席")
        EXCUSED = "excused", _("请假")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("培训"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("参训人员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("出勤情况"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        Officer, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    unit_scope_field = "officer__unit"

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        ordering = ["session", "officer__unit__path", "officer__username"]
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="training_one_per_officer")
        ]
        indexes = [models.Index(fields=["officer", "status"], name="training_officer_status")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.officer_id} {self.status}"
