"""The entity register (经济户口): entities, their licences and their classification history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.org.models import Grid, Unit


class Industry(models.Model):
    """A class of GB/T 4754-2017 国民经济行业分类 (门类 A … 小类 H6210)."""

    code = models.CharField(_("行业代码"), max_length=5, primary_key=True)
    name = models.CharField(_("行业名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RiskClass(models.TextChoices):
    """篇2: Ⅰ key watch (food, hazardous chemicals…), Ⅱ needs pre-approval, Ⅲ general."""

    I = "I", _("Ⅰ类（重点监控一级）")  # noqa: E741
    II = "II", _("Ⅱ类（重点监控二级）")
    III = "III", _("Ⅲ类（一般监控）")


class CreditGrade(models.TextChoices):
    """篇2: 诚信、基本诚信、轻微失信、严重失信."""

    A = "A", _("A 诚信")
    B = "B", _("B 基本诚信")
    C = "C", _("C 轻微失信")
    D = "D", _("D 严重失信")


class LicenceKind(models.TextChoices):
    """Licences recorded on an entity; the rule table says which make an entity Ⅰ or Ⅱ."""

    FOOD_BUSINESS = "food_business", _("食品经营许可证")
    FOOD_PRODUCTION = "food_production", _("食品生产许可证")
    DRUG_RETAIL = "drug_retail", _("药品经营许可证")
    MEDICAL_DEVICE = "medical_device", _("医疗器械经营许可证")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("危险化学品经营许可证")
    PESTICIDE = "pesticide", _("农药经营许可证")
    SEED = "seed", _("农作物种子生产经营许可证")
    TOBACCO = "tobacco", _("烟草专卖零售许可证")
    ALCOHOL = "alcohol", _("酒类商品零售许可证")
    PUBLICATION = "publication", _("出版物经营许可证")
    REFINED_OIL = "refined_oil", _("成品油零售经营批准证书")
    INDUSTRIAL_PRODUCT = "industrial_product", _("工业产品生产许可证")
    OTHER = "other", _("其他许可证")


class EntityQuerySet(models.QuerySet["Entity"]):
    """Entities, with the one definition of which are still in the register."""

    def active(self) -> EntityQuerySet:
        """Entities in the register: not archived (``archived_at`` empty). An archived entity
        (registry.services.archive_entity) stays on file but leaves every list and count."""
        return self.filter(archived_at__isnull=True)

    def operating(self) -> EntityQuerySet:
        """Active entities in business (存续): what patrols, campaigns and coverage cover."""
        return self.active().filter(status=Entity.Status.OPERATING)


# The live (not archived) entities: what every list shows, and what its indexes hold.
LIVE = models.Q(archived_at__isnull=True)


@traced()
class Entity(models.Model):
    """A market entity (市场主体) and its dossier's core data."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        INDIVIDUAL = "individual", _("个体工商户")
        COOPERATIVE = "cooperative", _("农民专业合作社")

    class Status(models.TextChoices):
        OPERATING = "operating", _("存续（在营）")
        SUSPENDED = "suspended", _("停业（歇业）")
        DEREGISTERED = "deregistered", _("注销")
        REVOKED = "revoked", _("吊销")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("主体类型"), max_length=12, choices=Kind.choices)
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("住所（经营场所）"), max_length=200, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, db_index=True)
    legal_representative = models.CharField(_("法定代表人（经营者）"), max_length=50, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    established = models.DateField(_("成立日期"), null=True, blank=True)
    status = models.CharField(
        _("登记状态"), max_length=12, choices=Status.choices, default=Status.OPERATING
    )
    risk_class = models.CharField(_("风险类别"), max_length=3, choices=RiskClass.choices)
    risk_class_overridden = models.BooleanField(_("风险类别人工调整"), default=False)
    credit_grade = models.CharField(
        _("信用等级"), max_length=1, choices=CreditGrade.choices, default=CreditGrade.B
    )
    hot_industry = models.BooleanField(_("重热点行业"), default=False)
    hot_industry_note = models.CharField(_("重热点行业说明"), max_length=100, blank=True)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entities",
    )
    grid_overridden = models.BooleanField(_("网格人工指定"), default=False)
    # The station of the grid, or the bureau while the entity lies outside every grid.
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="entities"
    )
    registered_on = models.DateField(_("入册日期"))
    # The day of the entity's latest signed inspection of any origin (patrol, draw, complaint,
    # joint, ad hoc): the patrol interval runs from it (planning.patrol.schedule). Kept by
    # registry.services.note_inspection when a record is signed; it never moves backwards.
    last_inspected_on = models.DateField(_("最近检查日期"), null=True, blank=True, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archive_reason = models.TextField(_("归档理由"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    unit_scope_field = "unit"

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["id"]
        # Lists filter by one of these, exclude archived entities, page by id and (for a
        # station) keep to the user's units: each index answers the filter, the scope, the
        # count and the first page without touching the table. They hold the live entities
        # only (WHERE archived_at IS NULL), so that once the filter is fixed the index is in
        # the page's id order: with archived_at in the key PostgreSQL cannot use that order
        # (IS NULL is no equality) and walked the primary key instead — 2.8 s for a station
        # whose ids all lie at the end of 10,000,000 (docs/benchmarks.md, "Province").
        indexes = [
            models.Index(fields=["unit", "id"], name="entity_unit_live_idx", condition=LIVE),
            models.Index(
                fields=["grid", "id", "unit"], name="entity_grid_live_idx", condition=LIVE
            ),
            models.Index(
                fields=["industry", "id", "unit"], name="entity_industry_live_idx", condition=LIVE
            ),
            models.Index(
                fields=["risk_class", "id", "unit"], name="entity_class_live_idx", condition=LIVE
            ),
            models.Index(
                fields=["credit_grade", "id", "unit"], name="entity_grade_live_idx", condition=LIVE
            ),
            models.Index(
                fields=["status", "id", "unit"], name="entity_status_live_idx", condition=LIVE
            ),
            models.Index(fields=["archived_at", "id", "unit"], name="entity_archived_idx"),
            models.Index(fields=["claimed_at", "registered_on"], name="entity_claim_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        """An entity is archived with a reason (registry.services.archive_entity), never deleted."""
        raise PermissionError("entities are archived with a reason, never deleted")


@traced()
class Licence(models.Model):
    """A licence held by an entity (food, drugs, hazardous chemicals…)."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("许可证种类"), max_length=24, choices=LicenceKind.choices)
    number = models.CharField(_("许可证编号"), max_length=50)
    issued = models.DateField(_("发证日期"))
    expires = models.DateField(_("有效期至"), null=True, blank=True)

    unit_scope_field = "entity__unit"

    class Meta:
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        ordering = ["entity", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="licence_kind_number_unique")
        ]

    def __str__(self) -> str:
        return f"{LicenceKind(self.kind).label} {self.number}"


class RiskScore(models.Model):
    """An entity's violation risk (违法风险): the calibrated probability that its next inspection
    finds a serious (严重) problem, from the risk model version ``model_version`` on
    ``scored_on``. Written by the risk app (``xiaoneng.risk``) through
    ``risk_scores.set_risk_scores``, which replaces the whole table at each scoring; read by
    planning (patrol order, targeted campaigns). A table of its own: rewriting a million entity
    rows (and their indexes) at each scoring took minutes on PostgreSQL."""

    # No foreign-key constraint in the database: the table is refilled with a million rows at
    # each scoring, and the database would check each row's key against the entity table at
    # the commit (PostgreSQL: 4–8 s of row locks). The rows come from the entity table itself,
    # and an entity is never deleted, only archived (Entity.delete refuses).
    entity = models.OneToOneField(
        Entity,
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk",
        db_constraint=False,
    )
    score = models.FloatField(_("违法风险概率"))
    model_version = models.PositiveIntegerField(_("风险模型版本"))
    scored_on = models.DateField(_("风险评分日期"))

    unit_scope_field = "entity__unit"

    class Meta:
        verbose_name = _("违法风险评分")
        verbose_name_plural = _("违法风险评分")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.score:.3f}"


class RiskClassRule(models.Model):
    """A row of the rule table that derives an entity's risk class from industry and licences.

    The most severe class among the matching rules applies; no match means class Ⅲ (篇2).
    """

    class Match(models.TextChoices):
        INDUSTRY = "industry", _("行业代码前缀")
        LICENCE = "licence", _("许可证种类")

    match = models.CharField(_("匹配方式"), max_length=10, choices=Match.choices)
    pattern = models.CharField(
        _("匹配值"), max_length=24, help_text=_("行业代码前缀（如 H62）或许可证种类代码")
    )
    risk_class = models.CharField(_("风险类别"), max_length=3, choices=RiskClass.choices)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("风险分类规则")
        verbose_name_plural = _("风险分类规则")
        ordering = ["risk_class", "match", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["match", "pattern"], name="risk_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_match_display()} {self.pattern} → {self.get_risk_class_display()}"


class ClassificationChange(models.Model):
    """A change of an entity's risk class or credit grade: who, when, why (history)."""

    class Field(models.TextChoices):
        RISK_CLASS = "risk_class", _("风险类别")
        CREDIT_GRADE = "credit_grade", _("信用等级")

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="classification_changes"
    )
    field = models.CharField(_("项目"), max_length=12, choices=Field.choices)
    old_value = models.CharField(_("原值"), max_length=3, blank=True)
    new_value = models.CharField(_("新值"), max_length=3)
    reason = models.TextField(_("理由"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("调整时间"))

    unit_scope_field = "entity__unit"

    class Meta:
        verbose_name = _("分类分级变更")
        verbose_name_plural = _("分类分级变更")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["entity", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.entity}: {self.field} {self.old_value}→{self.new_value}"


class CreditTrigger(models.TextChoices):
    """Events of later modules that bear on an entity's credit grade (篇2: 信用分类监管)."""

    FINDING_MAJOR = "finding_major", _("检查发现较重问题")
    FINDING_CRITICAL = "finding_critical", _("检查发现严重问题")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("逾期未整改")
    CASE_FILED = "case_filed", _("立案查处")
    CASE_PENALISED = "case_penalised", _("作出行政处罚决定")
    MAJOR_CASE = "major_case", _("大要案")
    SAMPLE_FAILED = "sample_failed", _("监督抽查不合格")
    EXIT_OPERATING = "exit_operating", _("注销（吊销）后仍在经营")
    REPEATED_COMPLAINTS = "repeated_complaints", _("一年内多次被投诉举报属实")


class CreditRule(models.Model):
    """A row of the feedback table: an event lowers the credit grade to at most ``grade``.

    ``automatic`` rules change the grade at once; the others propose the change to a person.
    A rule never raises a grade: restoring one is a person's decision with a reason.
    """

    trigger = models.CharField(
        _("触发事件"), max_length=24, choices=CreditTrigger.choices, unique=True
    )
    grade = models.CharField(_("降至（最高）"), max_length=1, choices=CreditGrade.choices)
    automatic = models.BooleanField(_("自动调整"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("信用反馈规则")
        verbose_name_plural = _("信用反馈规则")
        ordering = ["trigger"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} → {self.grade}"


@traced()
class CreditProposal(models.Model):
    """A proposed change of credit grade from a rule, waiting for a person to confirm it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未采纳")
        APPLIED = "applied", _("已自动调整")

    entity = models.ForeignKey(
        Entity,
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="credit_proposals",
    )
    trigger = models.CharField(_("触发事件"), max_length=24, choices=CreditTrigger.choices)
    current_grade = models.CharField(_("原等级"), max_length=1, choices=CreditGrade.choices)
    proposed_grade = models.CharField(_("建议等级"), max_length=1, choices=CreditGrade.choices)
    # What caused it, readable: "检查记录 #123 第3项 严重"; and its address, for a link.
    source = models.CharField(_("依据"), max_length=200)
    source_url = models.CharField(_("依据链接"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_reason = models.TextField(_("确认意见"), blank=True)

    unit_scope_field = "entity__unit"

    class Meta:
        verbose_name = _("信用等级调整建议")
        verbose_name_plural = _("信用等级调整建议")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="credit_proposal_idx")]

    def __str__(self) -> str:
        return f"{self.entity}: {self.current_grade}→{self.proposed_grade}"
