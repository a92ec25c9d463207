"""Cases (案件): from a lead to closure, with amounts decided and collected; annual targets."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    UnlicensedOperator,
)
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class CaseKind(models.TextChoices):
    """Kinds of case the seed articles name (篇1, 篇2, 篇7)."""

    COMMERCIAL_BRIBERY = "bribery", _("商业贿赂")
    THREE_FALSE_ONE_FLIGHT = "false_capital", _("三虚一逃")
    BID_RIGGING = "bid_rigging", _("串通招投标")
    COUNTERFEIT = "counterfeit", _("侵权假冒（双打）")
    AGRICULTURAL = "agricultural", _("涉农（农资）")
    ADVERTISING = "advertising", _("虚假违法广告")
    FOOD = "food", _("食品安全")
    UNLICENSED = "unlicensed", _("无照经营")
    PRODUCT_QUALITY = "quality", _("产品质量")
    PRICE = "price", _("价格违法")
    CONSUMER = "consumer", _("侵害消费者权益")
    OTHER = "other", _("其他")


@traced()
class Case(StatusModel):
    """An enforcement case: 线索 → 立案 → 调查 → 告知 → 决定 → 执行 → 结案.

    A lead may end as 不予立案; a filed case may be withdrawn (撤销). Each move is a service
    (cases.services) and each stage has a time limit (市场监督管理行政处罚程序规定).
    """

    class Status(models.TextChoices):
        LEAD = "lead", _("线索")
        FILED = "filed", _("立案")
        INVESTIGATING = "investigating", _("调查")
        NOTIFIED = "notified", _("告知")
        DECIDED = "decided", _("决定")
        EXECUTING = "executing", _("执行")
        CLOSED = "closed", _("结案")
        NOT_FILED = "not_filed", _("不予立案")
        WITHDRAWN = "withdrawn", _("撤销")

    number = models.CharField(_("案号"), max_length=40, unique=True)
    title = models.CharField(_("案由"), max_length=200)
    kind = models.CharField(_("案件类别"), max_length=14, choices=CaseKind.choices)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("当事人（主体）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    party = models.CharField(_("当事人"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    handler = models.ForeignKey(
        Officer, verbose_name=_("主办人"), on_delete=models.PROTECT, related_name="cases"
    )
    co_handler = models.ForeignKey(
        Officer,
        verbose_name=_("协办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = StatusField(_("状态"), max_length=14, choices=Status.choices, default=Status.LEAD)
    # Where the lead came from; at most one of these is set.
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("来源检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("来源检查发现"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("来源责令整改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    sample = models.ForeignKey(
        Sample,
        verbose_name=_("来源抽样"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    exit_check = models.ForeignKey(
        ExitCheck,
        verbose_name=_("来源退出督查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    unlicensed_operator = models.ForeignKey(
        UnlicensedOperator,
        verbose_name=_("来源无照经营"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    source_note = models.CharField(_("线索来源"), max_length=200, blank=True)
    facts = models.TextField(_("案情"), blank=True)
    major = models.BooleanField(_("大要案"), default=False)
    case_value = models.DecimalField(
        _("案值（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    fine_decided = models.DecimalField(
        _("罚款（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    confiscation_decided = models.DecimalField(
        _("没收违法所得（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    proposed_fine = models.DecimalField(
        _("拟罚款（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    received_on = models.DateField(_("线索登记日期"))
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    # The day the 行政处罚告知书 / 行政处罚决定书 reached the party (送达, its first recorded
    # delivery): the party's statement and payment periods count from it (cases.limits).
    notice_served_on = models.DateField(_("告知书送达日期"), null=True, blank=True)
    decision_served_on = models.DateField(_("决定书送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    # When the current stage began: its time limit counts from here.
    stage_started_on = models.DateField(_("本阶段开始日期"))
    decision_number = models.CharField(_("处罚决定书文号"), max_length=60, blank=True)
    ended_reason = models.TextField(_("不予立案或撤销理由"), blank=True)
    # Extensions approved by the bureau's head (市场监督管理行政处罚程序规定 第十八条、第六十四条);
    # the reason is kept in the trace.
    filing_extended = models.BooleanField(_("立案核查期限已延长"), default=False)
    decision_extended = models.BooleanField(_("办案期限已延长"), default=False)
    # Closing with money still unpaid needs a reason (强制执行申请、分期缴纳…).
    shortfall_reason = models.TextField(_("未足额入库说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "stage_started_on"], name="case_unit_idx"),
            models.Index(fields=["filed_on", "unit"], name="case_filed_idx"),
            models.Index(fields=["status", "stage_started_on"], name="case_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


@traced()
class Collection(models.Model):
    """Money paid into the treasury on a case (罚没款入库): a fine or confiscated gains."""

    class Kind(models.TextChoices):
        FINE = "fine", _("罚款")
        CONFISCATION = "confiscation", _("没收违法所得")

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="collections"
    )
    kind = models.CharField(_("款项"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    collected_on = models.DateField(_("入库日期"))
    receipt_number = models.CharField(_("缴款书号"), max_length=60, blank=True)
    # Denormalised from the case: period reports sum collections by unit and date.
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("罚没款入库")
        verbose_name_plural = _("罚没款入库")
        ordering = ["case", "collected_on", "id"]
        indexes = [models.Index(fields=["collected_on", "unit"], name="collection_day_idx")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.amount}"


@traced()
class ConfiscatedGoods(models.Model):
    """Goods confiscated in a case: what, how much, in which measure (e.g. 206 吨 化肥)."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="goods"
    )
    description = models.CharField(_("物品"), max_length=100)
    quantity = models.DecimalField(
        _("数量"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    measure = models.CharField(_("计量单位"), max_length=10, help_text=_("如：吨、件、瓶"))
    value = models.DecimalField(
        _("货值（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    disposal = models.CharField(_("处置方式"), max_length=100, blank=True)

    unit_scope_field = "case__unit"

    class Meta:
        verbose_name = _("罚没物品")
        verbose_name_plural = _("罚没物品")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.description} {self.quantity.normalize()}{self.measure}"


class TargetMetric(models.TextChoices):
    """What a unit's annual target counts."""

    CASES = "cases", _("立案数（起）")
    MAJOR_CASES = "major_cases", _("大要案数（起）")
    CASE_VALUE = "case_value", _("案值（元）")
    FINES_COLLECTED = "fines_collected", _("罚没款入库（元）")
    INSPECTIONS = "inspections", _("检查户次")
    SAMPLES = "samples", _("监督抽查批次")


@traced()
class Target(models.Model):
    """A unit's annual target (目标任务), e.g. fines collected; completion is computed."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    metric = models.CharField(_("指标"), max_length=16, choices=TargetMetric.choices)
    value = models.DecimalField(
        _("目标值"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    unit_scope_field = "unit"
    unit_scope_reads_ancestors = True

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["-year", "unit__path", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "metric"], name="target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_metric_display()}"
