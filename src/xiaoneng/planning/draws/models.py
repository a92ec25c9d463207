"""Double-random spot checks (双随机、一公开): inspection items, 回避, draws, results, publication.

A draw is verifiable: when it is committed its inputs are frozen as canonical snapshots with
their SHA-256 digests and only the SHA-256 of its seed is shown; once drawn, the seed is
revealed and anyone can re-run it (planning.draw_engine, docs/draws.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel, Transitions
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.policy.models import Policy
from xiaoneng.registry.models import Entity

SNAPSHOTS = ("population", "pool", "conflicts", "previous")


@traced()
class InspectionItem(models.Model):
    """An item of the spot-check list (随机抽查事项清单): what is checked, and on what basis."""

    code = models.CharField(_("事项编号"), max_length=16, unique=True)
    name = models.CharField(_("检查事项"), max_length=100)
    legal_basis = models.TextField(_("检查依据"))
    industry_prefixes = models.JSONField(
        _("适用行业"),
        default=list,
        blank=True,
        help_text=_("GB/T 4754 行业代码前缀，如 H62；为空则适用于所有行业"),
    )
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@traced()
class ConflictDeclaration(models.Model):
    """回避: an officer declares a conflict of interest with an entity; never drawn onto it."""

    officer = models.ForeignKey(
        Officer,
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("回避理由"))
    declared_at = models.DateTimeField(_("声明时间"))

    unit_scope_field = "officer__unit"

    class Meta:
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "entity"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.entity}"


# The snapshots are bytes (not JSON) and the secret seed must not reach the trace before the
# draw; the digests, traced, are the trace's witness of the snapshots.
@traced(exclude=["held_seed", "record_snapshot", *(f"{part}_snapshot" for part in SNAPSHOTS)])
class RandomDraw(StatusModel):
    """A double-random draw: entities chosen from a frozen population, teams from a frozen pool."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        COMMITTED = "committed", _("已锁定名单")
        DRAWN = "drawn", _("已抽取")
        PUBLISHED = "published", _("已公示")

    class Selection(models.TextChoices):
        RATIO = "ratio", _("按信用等级比例")
        POLICY = "policy", _("按监管政策比例")
        COUNT = "count", _("按数量")

    name = models.CharField(_("名称"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="draws"
    )
    items = models.ManyToManyField(InspectionItem, verbose_name=_("检查事项"), related_name="+")
    population_filter = models.JSONField(_("抽查对象范围"), default=dict, blank=True)
    selection = models.CharField(_("抽取方式"), max_length=6, choices=Selection.choices)
    ratios = models.JSONField(
        _("抽取比例"), default=dict, blank=True, help_text=_("层 → 比例（字符串小数）")
    )
    count = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    pool_units = models.ManyToManyField(Unit, verbose_name=_("检查人员库"), related_name="+")
    team_size = models.PositiveSmallIntegerField(
        _("每组人数"), default=2, validators=[MinValueValidator(2)]
    )
    workload_cap = models.PositiveIntegerField(
        _("每人检查户数上限"), validators=[MinValueValidator(1)]
    )
    inspections_end = models.DateField(_("检查截止日期"))
    status = StatusField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("监管政策版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code_version = models.CharField(_("程序版本"), max_length=100, blank=True)
    seed_sha256 = models.CharField(_("种子摘要（SHA-256）"), max_length=64, blank=True)
    # The seed the system generated, kept secret until the draw; empty when the creator keeps it.
    held_seed = models.CharField(max_length=200, blank=True, editable=False)
    seed = models.CharField(_("种子"), max_length=200, blank=True, help_text=_("抽取后公开"))
    parameters_digest = models.CharField(_("抽取参数摘要"), max_length=64, blank=True)
    strata = models.JSONField(_("分层"), default=dict, blank=True)
    population_count = models.PositiveIntegerField(_("抽查对象数"), default=0)
    population_digest = models.CharField(_("抽查对象名单摘要"), max_length=64, blank=True)
    population_snapshot = models.BinaryField(_("抽查对象名单"), null=True, editable=False)
    pool_count = models.PositiveIntegerField(_("检查人员数"), default=0)
    pool_digest = models.CharField(_("检查人员名单摘要"), max_length=64, blank=True)
    pool_snapshot = models.BinaryField(_("检查人员名单"), null=True, editable=False)
    conflicts_digest = models.CharField(_("回避名单摘要"), max_length=64, blank=True)
    conflicts_snapshot = models.BinaryField(_("回避名单"), null=True, editable=False)
    previous_digest = models.CharField(_("上次检查人员名单摘要"), max_length=64, blank=True)
    previous_snapshot = models.BinaryField(_("上次检查人员名单"), null=True, editable=False)
    planned_count = models.PositiveIntegerField(_("应抽户数"), default=0)
    selected_count = models.PositiveIntegerField(_("已抽户数"), default=0)
    result_digest = models.CharField(_("抽取结果摘要"), max_length=64, blank=True)
    # What the published result shows besides the rule's output (officer accounts, times,
    # counts…), sealed at the run: planning/draws/record.py. Version 0: run before records.
    record_version = models.PositiveSmallIntegerField(_("抽取记录格式"), default=0)
    record_digest = models.CharField(_("抽取记录摘要"), max_length=64, blank=True)
    record_snapshot = models.BinaryField(_("抽取记录"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    committed_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("双随机抽查")
        verbose_name_plural = _("双随机抽查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def snapshot_bytes(self, part: str) -> bytes | None:
        """The stored (compressed) snapshot ``part`` as bytes."""
        value = getattr(self, f"{part}_snapshot")
        return None if value is None else bytes(value)


# The only status changes there are; planning.draws performs and records each one.
TRANSITIONS = Transitions(
    {
        RandomDraw.Status.DRAFT: {RandomDraw.Status.COMMITTED},
        RandomDraw.Status.COMMITTED: {RandomDraw.Status.DRAWN},
        RandomDraw.Status.DRAWN: {RandomDraw.Status.PUBLISHED},
        RandomDraw.Status.PUBLISHED: set(),
    },
    subject=_("抽查"),
)


class DrawSelection(models.Model):
    """One entity drawn, in draw order; immutable (the draw's trace records the result digest)."""

    # Tens of thousands of rows are written at once, so few indexes: (draw, order) serves the
    # draw's list, (uscc, draw) an entity's draws. The links to the draw and (below) to the
    # selection are written with their parent in one statement of one transaction, so the
    # database is not asked to check each of them again at COMMIT (docs/decisions/0006).
    draw = models.ForeignKey(
        RandomDraw,
        verbose_name=_("抽查"),
        on_delete=models.CASCADE,
        related_name="selections",
        db_index=False,
        db_constraint=False,
    )
    order = models.PositiveIntegerField(_("序号"))
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    stratum = models.CharField(_("层"), max_length=8)
    inspectors: models.ManyToManyField[Officer, DrawInspector] = models.ManyToManyField(
        Officer, through="DrawInspector", verbose_name=_("检查人员"), related_name="+"
    )

    unit_scope_field = "draw__unit"

    class Meta:
        verbose_name = _("抽中主体")
        verbose_name_plural = _("抽中主体")
        ordering = ["draw", "order"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "order"], name="draw_selection_order"),
        ]
        indexes = [models.Index(fields=["uscc", "draw"], name="draw_selection_uscc_idx")]

    def __str__(self) -> str:
        return f"{self.draw} #{self.order} {self.uscc}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A drawn result is never changed: rows are written once, in bulk, by the draw."""
        raise PermissionError("draw results are immutable")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("draw results are immutable")


class DrawInspector(models.Model):
    """An inspector drawn for a selected entity, by position in the team (1 leads)."""

    selection = models.ForeignKey(
        DrawSelection,
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("抽中主体"),
        db_index=False,  # (selection, position) is unique, and indexed so
        db_constraint=False,  # written with its selection (see DrawSelection.draw)
    )
    position = models.PositiveSmallIntegerField(_("组内序号"))
    officer = models.ForeignKey(
        Officer, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="+"
    )
    certificate_number = models.CharField(_("执法证号"), max_length=30)

    unit_scope_field = "selection__draw__unit"

    class Meta:
        verbose_name = _("抽中检查人员")
        verbose_name_plural = _("抽中检查人员")
        ordering = ["selection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "position"], name="draw_inspector_pos")
        ]

    def __str__(self) -> str:
        return f"{self.selection} {self.position}: {self.certificate_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("draw results are immutable")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("draw results are immutable")


@traced()
class DrawPublication(models.Model):
    """The publication (一公开) of a draw's result, due 20 working days after inspections end."""

    draw = models.OneToOneField(
        RandomDraw, verbose_name=_("抽查"), on_delete=models.CASCADE, related_name="publication"
    )
    published_at = models.DateTimeField(_("公示时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公示人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("公示内容"))
    url = models.URLField(_("公示网址"), blank=True)
    deadline = models.DateField(_("公示期限"), null=True, blank=True)

    unit_scope_field = "draw__unit"

    class Meta:
        verbose_name = _("抽查结果公示")
        verbose_name_plural = _("抽查结果公示")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.draw} {self.published_at:%Y-%m-%d}"
