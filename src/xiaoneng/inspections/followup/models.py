"""Follow-up of what inspections find: findings, rectification orders, exit supervision and
unlicensed operators (篇7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.checklists.models import ChecklistItem, Severity
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity


@traced()
class Rectification(StatusModel):
    """An order to rectify (责令整改) with a deadline in working days, and its re-inspection.

    When the deadline passes unrectified the entity is warned (警示); still unrectified, the
    order is escalated to a case.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        WARNED = "warned", _("逾期已警示")
        RECTIFIED = "rectified", _("已整改")
        ESCALATED = "escalated", _("已转立案")

    number = models.CharField(_("文书编号"), max_length=40, unique=True)
    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="rectifications"
    )
    # Null for an order on a finding from another source (``services.issue_for_source``).
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=200, blank=True)
    requirements = models.TextField(_("整改要求"))
    issued_on = models.DateField(_("下达日期"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    # Set by date, the deadline stays when its year's holidays are loaded; set by working days,
    # a provisional one is recomputed from issued_on + working_days (services.recompute_deadlines).
    deadline_by_date = models.BooleanField(_("按指定日期确定期限"), default=False)
    issued_by = models.ForeignKey(
        Officer, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reinspection_task = models.OneToOneField(
        Task,
        verbose_name=_("复查任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectification",
    )
    warned_on = models.DateField(_("警示日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.TextField(_("整改结果"), blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("责令整改")
        verbose_name_plural = _("责令整改")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="rectification_due_idx"),
            models.Index(fields=["unit", "status", "deadline"], name="rectification_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.number


@traced()
class Finding(StatusModel):
    """A problem found against a checklist item: a failed item of a signed inspection, or one
    found by another source (ad monitoring…) without a visit, named in ``source``."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RECTIFYING = "rectifying", _("整改中")
        RESOLVED = "resolved", _("已整改")
        ESCALATED = "escalated", _("已转立案")

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=200, blank=True)
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查事项"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="findings"
    )
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("问题描述"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("责令整改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    found_on = models.DateField(_("发现日期"))

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="finding_unique")
        ]
        indexes = [models.Index(fields=["unit", "status", "found_on"], name="finding_unit_idx")]

    def __str__(self) -> str:
        return f"{self.entity}: {self.item.title}"


@traced()
class ExitCheck(StatusModel):
    """Exit supervision (退出督查, 篇7): a deregistered or revoked entity found still operating."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处置")
        CEASED = "ceased", _("已停止经营")
        ESCALATED = "escalated", _("已转立案")

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="exit_checks"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.OneToOneField(
        Inspection,
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exit_check",
    )
    found_on = models.DateField(_("发现日期"))
    found_by = models.ForeignKey(
        Officer, verbose_name=_("发现人"), on_delete=models.PROTECT, related_name="+"
    )
    circumstances = models.TextField(_("经营情况"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.TextField(_("处置结果"), blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("退出督查")
        verbose_name_plural = _("退出督查")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.found_on:%Y-%m-%d}"


@traced()
class UnlicensedOperator(StatusModel):
    """An operator without a business licence (无照经营) found in a grid, and how it was dealt with.

    无证无照经营查处办法 第2、6条: guide it to obtain the licence, or ban it and stop the business.
    """

    class Status(models.TextChoices):
        FOUND = "found", _("已发现")
        GUIDED = "guided", _("引导办照中")
        LICENSED = "licensed", _("已办照")
        CEASED = "ceased", _("已取缔（停止经营）")
        ESCALATED = "escalated", _("已转立案")

    name = models.CharField(_("经营者（字号）"), max_length=200)
    operator = models.CharField(_("经营者姓名"), max_length=50, blank=True)
    address = models.CharField(_("经营场所"), max_length=200)
    business = models.CharField(_("经营项目"), max_length=200)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    found_on = models.DateField(_("发现日期"))
    found_by = models.ForeignKey(
        Officer, verbose_name=_("发现人"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.FOUND)
    # Once licensed, the new entity of the register.
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("办照后主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.TextField(_("处置结果"), blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("无照经营")
        verbose_name_plural = _("无照经营")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return self.name
