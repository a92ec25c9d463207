"""Plans and their tasks (六定), joint visits (进一次门、查多项事) and campaigns (专项整治)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.planning.policy.models import Policy
from xiaoneng.registry.models import Entity

# The measures goods confiscated on a visit are usually counted in, offered on the task form;
# the field is free text (as a case's goods' measure, ``cases.ConfiscatedGoods.measure``).
CONFISCATION_MEASURES = (
    "件", "份", "张", "个", "瓶", "盒", "袋", "包", "箱", "条", "台", "套", "千克", "吨", "升",
)  # fmt: skip
MEASURE_LENGTH = 10


@traced()
class Plan(models.Model):
    """What must be inspected in a period, by whom: a patrol plan, a campaign's or a joint one."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("日常巡查")
        CAMPAIGN = "campaign", _("专项整治")
        JOINT = "joint", _("部门联合检查")
        REINSPECTION = "reinspection", _("整改复查")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("期间"), max_length=7, help_text=_("YYYY-MM"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("名称"), max_length=120)
    # The version the due dates were computed with; a later version never rewrites the plan.
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("所用监管政策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("每人每日上限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("计划")
        verbose_name_plural = _("计划")
        ordering = ["-period", "unit__path", "id"]
        constraints = [
            # Re-running a period finds its plan again: one patrol plan per unit and period.
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=models.Q(kind="patrol"),
                name="plan_patrol_period_unit_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


@traced()
class Visit(models.Model):
    """One visit to an entity that carries the tasks of several plans (进一次门、查多项事)."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="visits"
    )
    period = models.CharField(_("期间"), max_length=7)
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="visits"
    )
    scheduled_on = models.DateField(_("计划日期"))
    leader = models.ForeignKey(
        Officer,
        verbose_name=_("带队人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_visits",
    )
    created_at = models.DateTimeField(_("合并时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("联合检查")
        verbose_name_plural = _("联合检查")
        ordering = ["scheduled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "period"], name="visit_entity_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.scheduled_on:%Y-%m-%d}"


@traced()
class Task(StatusModel):
    """One entity to inspect, with the 六定: area, post, person, task, standard, responsibility.

    The status changes only along ``TASK_TRANSITIONS`` (planning.tasks). A done task counts
    as a visit of its entity (one done by hand has no record); every signed inspection counts
    through the register's ``Entity.last_inspected_on`` (planning.patrol.schedule).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        OVERFLOW = "overflow", _("未排入")

    class Overflow(models.TextChoices):
        NO_OFFICER = "no_officer", _("网格未指定责任人")
        CAPACITY = "capacity", _("责任人每日上限已排满")
        OUTSIDE_GRIDS = "outside_grids", _("主体不在任何网格内")
        NO_WORKING_DAY = "no_working_day", _("期间内已没有工作日")

    # Plans are never deleted by the application; CASCADE lets the demo's reset remove them.
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("计划"),
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,  # the indexes below begin with it
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="tasks"
    )
    # The responsible unit when planned (the grid's station): whose staff see the task.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,  # the indexes below begin with it
    )
    period = models.CharField(_("期间"), max_length=7)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("定片区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    post = models.CharField(_("定岗位"), max_length=100, blank=True)
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("定人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,  # the indexes below begin with it
    )
    description = models.CharField(_("定任务"), max_length=300)
    standard = models.CharField(_("定标准"), max_length=300)
    responsibility = models.CharField(_("定责任"), max_length=200)
    due_on = models.DateField(_("应查日期"), null=True, blank=True)
    scheduled_on = models.DateField(_("计划日期"), null=True, blank=True)
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    overflow_reason = models.CharField(
        _("未排入原因"), max_length=16, choices=Overflow.choices, blank=True
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("联合检查"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    done_on = models.DateField(_("检查日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        Officer,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("检查情况"), blank=True)
    # Results of the visit, set when the task is done (from its signed record, or by hand):
    # campaign statistics add them up, never typed in as totals.
    violation_found = models.BooleanField(_("发现违法行为"), default=False)
    notices_issued = models.PositiveSmallIntegerField(_("发出通知书（份）"), default=0)
    items_confiscated = models.CharField(_("收缴物品"), max_length=200, blank=True)
    items_confiscated_quantity = models.PositiveIntegerField(_("收缴数量"), default=0)
    # In which measure the quantity is counted (500 份, 12 千克): totals add up per measure.
    items_confiscated_measure = models.CharField(
        _("计量单位"), max_length=MEASURE_LENGTH, blank=True, help_text=_("如：件、份、千克、箱")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        # By id: a lookup by id with a scope filter stays a primary-key lookup. Lists order
        # by day explicitly, on the indexes below.
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "entity"], name="task_plan_entity_unique")
        ]
        indexes = [
            # The last inspection of every entity: one covering scan, grouped by entity.
            models.Index(fields=["status", "entity", "done_on"], name="task_last_done_idx"),
            models.Index(fields=["officer", "scheduled_on"], name="task_officer_day_idx"),
            models.Index(fields=["unit", "scheduled_on", "id"], name="task_unit_day_idx"),
            models.Index(fields=["scheduled_on", "id"], name="task_day_idx"),
            # A period's tasks by status: re-runs, joint visits, a station's overflow list.
            models.Index(
                fields=["period", "status", "unit", "entity"], name="task_period_status_idx"
            ),
            models.Index(fields=["plan", "status"], name="task_plan_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.period}"

    @property
    def deadline(self) -> dt.date:
        """The day by which the task is to be done: its due date, else its period's last day
        (a campaign's or a re-inspection's task has no due date of its own). A task not done
        by then is 逾期未查; one only past its scheduled day is not (yet)."""
        if self.due_on is not None:
            return self.due_on
        year, month = (int(part) for part in self.period.split("-"))
        return dt.date(year, month, calendar.monthrange(year, month)[1])


@traced()
class Campaign(models.Model):
    """A targeted action (专项整治) over an industry, area, theme or list of entities (篇1)."""

    class Theme(models.TextChoices):
        INDUSTRY = "industry", _("行业")
        AREA = "area", _("区域")
        THEME = "theme", _("主题")
        LIST = "list", _("名单")

    title = models.CharField(_("名称"), max_length=120)
    theme = models.CharField(_("整治方向"), max_length=10, choices=Theme.choices)
    description = models.TextField(_("工作方案"), blank=True)
    checkpoints = models.CharField(_("检查要点"), max_length=300)
    partners = models.CharField(
        _("联合部门"), max_length=200, blank=True, help_text=_("如：县卫健委、县教育局")
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    # {"filters": {...EntityFilter fields}} or {"usccs": [...]}: how the population was chosen.
    population = models.JSONField(_("对象范围"))
    plan = models.OneToOneField(
        Plan,
        verbose_name=_("任务计划"),
        on_delete=models.CASCADE,
        related_name="campaign",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return self.title
