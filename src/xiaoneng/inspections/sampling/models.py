"""Product quality supervision spot checks (监督抽查, 篇4): plans, samples and the follow-up of
each failed firm (后处理)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


@traced()
class SamplingPlan(models.Model):
    """A sampling plan: a product category, a region and a year, with the batches planned."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    category = models.CharField(_("产品类别"), max_length=60, help_text=_("如：化肥、电线电缆"))
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    unit = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="sampling_plans"
    )
    planned_batches = models.PositiveIntegerField(_("计划批次"))
    standard = models.CharField(_("检验依据"), max_length=200, blank=True)
    laboratory = models.CharField(_("承检机构"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("监督抽查计划")
        verbose_name_plural = _("监督抽查计划")
        ordering = ["-year", "category", "id"]

    def __str__(self) -> str:
        return self.title


@traced()
class Sample(StatusModel):
    """One batch sampled from a firm, and the laboratory's verdict (合格 / 不合格)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("检验中")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    plan = models.ForeignKey(
        SamplingPlan, verbose_name=_("抽查计划"), on_delete=models.PROTECT, related_name="samples"
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("被抽样单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="samples",
    )
    firm_name = models.CharField(_("被抽样单位名称"), max_length=200)
    producer = models.CharField(_("标称生产企业"), max_length=200, blank=True)
    product = models.CharField(_("产品名称"), max_length=100)
    specification = models.CharField(_("规格型号"), max_length=100, blank=True)
    batch_number = models.CharField(_("生产批号"), max_length=60)
    sampled_on = models.DateField(_("抽样日期"))
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    sampled_by = models.ForeignKey(
        Officer, verbose_name=_("抽样人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    result = StatusField(
        _("检验结论"), max_length=8, choices=Result.choices, default=Result.PENDING
    )
    failed_items = models.CharField(_("不合格项目"), max_length=300, blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("抽样批次")
        verbose_name_plural = _("抽样批次")
        ordering = ["-sampled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "firm_name", "product", "batch_number"], name="sample_batch_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "sampled_on"], name="sample_unit_day_idx")]

    def __str__(self) -> str:
        return f"{self.firm_name} {self.product} {self.batch_number}"


@traced()
class SampleFollowUp(StatusModel):
    """The follow-up (后处理) of a failed sample, tracked until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RECTIFYING = "rectifying", _("整改中")
        REINSPECTED = "reinspected", _("已复检")
        CLOSED = "closed", _("已办结")
        ESCALATED = "escalated", _("已转立案")

    sample = models.OneToOneField(
        Sample, verbose_name=_("抽样批次"), on_delete=models.PROTECT, related_name="follow_up"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # 《产品质量监督抽查管理暂行办法》第四十六条: rectify within 60 days of the order;
    # 第四十七条: re-inspect within 75 days of it.
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    ordered_on = models.DateField(_("责令整改日期"), null=True, blank=True)
    actions = models.TextField(_("处理措施"), blank=True)
    reinspected_on = models.DateField(_("复查日期"), null=True, blank=True)
    reinspection_passed = models.BooleanField(_("复检合格"), null=True, blank=True)
    reinspection_note = models.CharField(_("复查情况"), max_length=300, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closing_note = models.CharField(_("办结说明"), max_length=300, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("不合格后处理")
        verbose_name_plural = _("不合格后处理")
        ordering = ["status", "-id"]

    def __str__(self) -> str:
        return str(self.sample)
