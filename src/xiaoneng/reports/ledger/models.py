"""The ledger's tables: one entry of inputs per activity (资源消耗登记台帐) and the quotas (定额)
of each activity kind by year (篇5: 建立资源消耗登记台帐; 实行行政支出定额管理).

Only inputs are registered here. What an activity yielded (inspections, findings, cases,
fines…) is never typed in: ``outputs.py`` computes it from the records themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.audit import traced
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.planning.patrol.models import Campaign


class ActivityKind(models.TextChoices):
    """What kind of work an entry registers the inputs of; each names its own activity."""

    PATROL_DAY = "patrol_day", _("日常巡查")
    CAMPAIGN = "campaign", _("专项整治")
    CASE = "case", _("案件查办")
    DRAW = "draw", _("双随机抽查")
    OTHER = "other", _("其他")


@traced()
class LedgerEntry(models.Model):
    """The inputs of one activity by one unit: people, person-hours, vehicles, kilometres,
    money and other resources (篇5: 如实登记有关的人力、财力、物力的投入量)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("投入单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("工作类型"), max_length=12, choices=ActivityKind.choices)
    # The activity: exactly the one field its kind names (services.check_activity).
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("巡查人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项整治"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    draw = models.ForeignKey(
        RandomDraw,
        verbose_name=_("双随机抽查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("工作名称"), max_length=120, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))
    officers = models.PositiveIntegerField(_("投入人数"))
    person_hours = models.DecimalField(_("投入工时（人·小时）"), max_digits=10, decimal_places=1)
    vehicles = models.PositiveIntegerField(_("执法车辆（台）"), default=0)
    kilometres = models.DecimalField(
        _("行驶里程（公里）"), default=0, max_digits=10, decimal_places=1
    )
    money = models.DecimalField(_("经费支出（元）"), default=0, max_digits=12, decimal_places=2)
    other_resources = models.CharField(_("其他资源"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("最后修改时间"))

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("资源消耗台帐")
        verbose_name_plural = _("资源消耗台帐")
        ordering = ["-started_on", "-id"]
        constraints = [
            # One entry per activity and unit; a patrol day is one officer's day.
            models.UniqueConstraint(
                fields=["officer", "started_on"],
                condition=models.Q(kind="patrol_day"),
                name="ledger_patrol_day_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=models.Q(kind="campaign"),
                name="ledger_campaign_unit_once",
            ),
            models.UniqueConstraint(
                fields=["draw", "unit"], condition=models.Q(kind="draw"), name="ledger_draw_once"
            ),
            models.UniqueConstraint(
                fields=["case", "unit"], condition=models.Q(kind="case"), name="ledger_case_once"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "started_on"], name="ledger_unit_day_idx"),
            models.Index(fields=["kind", "started_on"], name="ledger_kind_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d} {self.title}".strip()


@traced()
class Quota(models.Model):
    """The expenditure quotas (定额) of one activity kind in one year, optionally for one kind
    of unit; each limit is optional. Quotas of year Y apply to entries started in Y."""

    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("工作类型"), max_length=12, choices=ActivityKind.choices)
    # Blank: every kind of unit; a quota for the unit's own kind wins over it.
    unit_kind = models.CharField(
        _("单位类型"), max_length=10, choices=Unit.Kind.choices, blank=True
    )
    hours_per_inspection = models.DecimalField(
        _("每户次工时上限（人·小时）"), null=True, blank=True, max_digits=10, decimal_places=1
    )
    money_per_inspection = models.DecimalField(
        _("每户次经费上限（元）"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    kilometres_per_inspection = models.DecimalField(
        _("每户次里程上限（公里）"), null=True, blank=True, max_digits=10, decimal_places=1
    )
    money_per_activity = models.DecimalField(
        _("每项工作经费上限（元）"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("设定时间"))

    class Meta:
        verbose_name = _("支出定额")
        verbose_name_plural = _("支出定额")
        ordering = ["-year", "kind", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "unit_kind"], name="ledger_quota_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"
