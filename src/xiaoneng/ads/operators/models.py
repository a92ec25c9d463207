"""Ad operators and publishers (广告经营者 / 广告发布者 / 媒体, 篇1) drawn from the register, and
their annual qualification check (年度资格检查) in the first quarter, recorded as an inspection
with the advertising-operator checklist."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


class Medium(models.TextChoices):
    """Where an ad is published or was captured."""

    TV = "tv", _("电视")
    RADIO = "radio", _("广播")
    NEWSPAPER = "newspaper", _("报刊")
    OUTDOOR = "outdoor", _("户外")
    LEAFLET = "leaflet", _("印刷品（传单）")
    INTERNET = "internet", _("互联网")


@traced()
class AdOperator(models.Model):
    """An entity of the register in its advertising role; a medium names its ad reviewers."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("广告经营者")
        PUBLISHER = "publisher", _("广告发布者")
        MEDIUM = "medium", _("媒体")

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="ad_roles"
    )
    role = models.CharField(_("广告主体类型"), max_length=10, choices=Role.choices)
    medium = models.CharField(
        _("媒介类型"), max_length=10, choices=Medium.choices, blank=True, default=""
    )
    outlet = models.CharField(_("媒体名称"), max_length=100, blank=True)
    reviewers = models.CharField(_("广告审查员"), max_length=300, blank=True)
    since = models.DateField(_("登记为广告主体日期"))
    active = models.BooleanField(_("在册"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("广告经营单位")
        verbose_name_plural = _("广告经营单位")
        ordering = ["entity__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "role"], name="ad_operator_entity_role")
        ]

    def __str__(self) -> str:
        return f"{self.entity.name}（{self.get_role_display()}）"

    @property
    def reviewer_names(self) -> list[str]:
        return [n for n in self.reviewers.replace("，", "、").replace(",", "、").split("、") if n]


@traced()
class QualificationCheck(StatusModel):
    """The annual qualification check (年度资格检查) of one operator in one year, with its
    outcome; 立案调查 opens a case."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        QUALIFIED = "qualified", _("合格")
        RECTIFY = "rectify", _("限期整改")
        DEREGISTER = "deregister", _("注销")
        INVESTIGATE = "investigate", _("立案调查")

    operator = models.ForeignKey(
        AdOperator, verbose_name=_("广告经营单位"), on_delete=models.PROTECT, related_name="checks"
    )
    year = models.PositiveIntegerField(_("年度"))
    checked_on = models.DateField(_("检查日期"))
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("结论"), max_length=12, choices=Status.choices, default=Status.CHECKING)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    decided_on = models.DateField(_("结论日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("立案案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("年度资格检查")
        verbose_name_plural = _("年度资格检查")
        ordering = ["-year", "-checked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "year"], name="ad_check_operator_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.operator}"
