"""Who supervises what (篇3): departments, the responsibility table, and entities' size measures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Unit
from xiaoneng.registry.models import Entity


class Matter(models.TextChoices):
    """What a department supervises: duplicates and blanks are counted within one matter.

    A shop watched by the commerce bureau for work safety and by this bureau for food safety
    is not duplicate enforcement; watched for work safety by three departments, it is (篇3).
    """

    WORK_SAFETY = "work_safety", _("安全生产")
    FOOD_SAFETY = "food_safety", _("食品安全")
    FIRE_SAFETY = "fire_safety", _("消防安全")
    PUBLIC_HEALTH = "public_health", _("公共卫生")
    MARKET_ORDER = "market_order", _("市场秩序")
    PRODUCT_QUALITY = "product_quality", _("产品质量")


# Every business concerns these; the others concern only the industries their rules name.
UNIVERSAL_MATTERS = frozenset({Matter.WORK_SAFETY, Matter.FIRE_SAFETY, Matter.MARKET_ORDER})


class Measure(models.TextChoices):
    """The size measure a rule's threshold applies to."""

    FLOOR_AREA = "floor_area", _("建筑面积（平方米）")
    EMPLOYEES = "employees", _("从业人数")


@traced()
class Department(models.Model):
    """A supervising department: a unit of this bureau, or an outside one (商务局, 应急管理局…)."""

    unit_scope_field = "bureau"
    unit_scope_reads_ancestors = True

    code = models.CharField(_("部门代码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100)
    # The bureau whose responsibility table lists the department: a county's 商务局 is listed
    # by that county's bureau (another county lists its own).
    bureau = models.ForeignKey(
        Unit,
        verbose_name=_("所属局"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.BUREAU},
    )
    # Set for the bureau's own divisions and stations; empty for an outside department.
    unit = models.OneToOneField(
        Unit,
        verbose_name=_("本局单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("监管部门")
        verbose_name_plural = _("监管部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def internal(self) -> bool:
        return self.unit_id is not None


@traced()
class ResponsibilityRule(models.Model):
    """A row of the responsibility table: a department supervises a matter over entities of an
    industry (GB/T 4754 code prefix) within a size band [min, max) and, optionally, a region.
    """

    unit_scope_field = "department__bureau"
    unit_scope_reads_ancestors = True

    department = models.ForeignKey(
        Department,
        verbose_name=_("监管部门"),
        # Departments are never deleted by the services; the demo's reset removes them whole.
        on_delete=models.CASCADE,
        related_name="rules",
    )
    matter = models.CharField(_("监管事项"), max_length=16, choices=Matter.choices)
    industry_prefix = models.CharField(
        _("行业代码"),
        max_length=5,
        help_text=_("GB/T 4754 门类、大类、中类或小类代码，如 F521、H62"),
    )
    measure = models.CharField(
        _("规模指标"), max_length=12, choices=Measure.choices, default=Measure.FLOOR_AREA
    )
    # The band is [min, max): the lower bound is included, the upper bound is not.
    min_value = models.DecimalField(
        _("下限（含）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("上限（不含）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    region_code = models.CharField(
        _("行政区划"), max_length=6, blank=True, help_text=_("2、4 或 6 位行政区划代码；空为不限")
    )
    legal_basis = models.CharField(_("法律依据"), max_length=200)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("职责规则")
        verbose_name_plural = _("职责规则")
        ordering = ["matter", "industry_prefix", "department__code", "min_value", "id"]
        indexes = [models.Index(fields=["matter", "industry_prefix"], name="responsibility_idx")]

    def __str__(self) -> str:
        return f"{self.department} · {self.get_matter_display()} · {self.industry_prefix}"


@traced()
class EntityMeasure(models.Model):
    """The size of an entity's premises and staff, which the responsibility table's bands read."""

    entity = models.OneToOneField(
        Entity,
        verbose_name=_("市场主体"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="measure",
    )
    floor_area_m2 = models.FloatField(_("建筑面积（平方米）"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)

    unit_scope_field = "entity__unit"

    class Meta:
        verbose_name = _("经营规模")
        verbose_name_plural = _("经营规模")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.floor_area_m2} m²"
