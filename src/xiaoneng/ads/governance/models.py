"""The ad reviewers, the events and decisions of the accountability ladders (篇1), and the
joint meetings (联席会议) with their follow-ups and shared leads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


class Ladder(models.TextChoices):
    """The two ladders of 篇1 (declared in ``ladder.py``)."""

    REVIEWER = "reviewer", _("广告审查员")
    PARTY = "party", _("广告主、经营者、发布者")


@traced()
class AdReviewer(models.Model):
    """An ad reviewer (广告审查员) at a media outlet, with the reviewer certificate."""

    name = models.CharField(_("姓名"), max_length=50)
    outlet = models.ForeignKey(
        Entity, verbose_name=_("所在媒体"), on_delete=models.PROTECT, related_name="+"
    )
    certificate_no = models.CharField(_("审查员证号"), max_length=40, unique=True)
    # The outlet's unit when registered: it scopes the reviewer and the ladder.
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    qualification_cancelled_on = models.DateField(_("资格取消日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("广告审查员")
        verbose_name_plural = _("广告审查员")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_no}）"


@traced()
class LadderEvent(models.Model):
    """A recorded event of a ladder's history: a notice, an interview, an illegal ad…"""

    ladder = models.CharField(_("责任阶梯"), max_length=10, choices=Ladder.choices)
    reviewer = models.ForeignKey(
        AdReviewer,
        verbose_name=_("广告审查员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    party = models.ForeignKey(
        Entity,
        verbose_name=_("当事人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事件类型"), max_length=20)
    occurred_on = models.DateField(_("事件日期"))
    facts = models.TextField(_("事实"))
    source_document = models.CharField(_("来源文书"), max_length=100)
    # Set when the event was added by confirming a proposed step (a notice issued).
    decision = models.ForeignKey(
        "LadderDecision",
        verbose_name=_("来源决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        Officer, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("责任阶梯事件")
        verbose_name_plural = _("责任阶梯事件")
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["unit", "ladder", "occurred_on"], name="ladder_event_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.kind}"


@traced()
class LadderDecision(models.Model):
    """A person's decision on a proposed step: confirmed or declined with a reason."""

    ladder = models.CharField(_("责任阶梯"), max_length=10, choices=Ladder.choices)
    # "reviewer:12" or "party:34": one decision per subject and proposal key.
    subject = models.CharField(_("对象"), max_length=30)
    reviewer = models.ForeignKey(
        AdReviewer,
        verbose_name=_("广告审查员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    party = models.ForeignKey(
        Entity,
        verbose_name=_("当事人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("步骤"), max_length=20)
    key = models.CharField(_("提议"), max_length=40)
    trigger = models.ForeignKey(
        LadderEvent,
        verbose_name=_("触发事件"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed = models.BooleanField(_("确认"))
    outcome = models.CharField(_("处理结果"), max_length=20, blank=True)
    reason = models.TextField(_("理由或说明"), blank=True)
    document = models.CharField(_("文书编号"), max_length=100, blank=True)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        Officer, verbose_name=_("决定人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("责任阶梯决定")
        verbose_name_plural = _("责任阶梯决定")
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "key"], name="ladder_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.key}"


@traced()
class JointMeeting(models.Model):
    """A joint meeting (联席会议) of the departments concerned with false and illegal ads."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=100)
    convening_department = models.CharField(_("召集部门"), max_length=30)
    member_departments = models.JSONField(_("成员单位"), default=list)
    attendees = models.TextField(_("参会人员"))
    topics = models.TextField(_("议题"))
    decisions = models.TextField(_("议定事项"), blank=True)
    recorded_by = models.ForeignKey(
        Officer, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"
    # Bureau-level records: the stations below read them.
    unit_scope_reads_ancestors = True

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


@traced()
class FollowUpItem(models.Model):
    """A follow-up a joint meeting assigned to a member department, with its deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")

    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("联席会议"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    task = models.TextField(_("落实事项"))
    owner_department = models.CharField(_("责任部门"), max_length=30)
    deadline = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)

    unit_scope_field = "meeting__unit"
    unit_scope_reads_ancestors = True

    class Meta:
        verbose_name = _("会议落实事项")
        verbose_name_plural = _("会议落实事项")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.task[:30]


@traced()
class SharedLead(models.Model):
    """A piece of information (a lead) a member department shared at a joint meeting."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("联席会议"), on_delete=models.PROTECT, related_name="leads"
    )
    from_department = models.CharField(_("通报部门"), max_length=30)
    content = models.TextField(_("线索内容"))
    party_name = models.CharField(_("涉及主体"), max_length=200, blank=True)

    unit_scope_field = "meeting__unit"
    unit_scope_reads_ancestors = True

    class Meta:
        verbose_name = _("通报线索")
        verbose_name_plural = _("通报线索")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.content[:30]
