"""Inspection records: the team, the result of each checklist item, photos and documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.checklists.models import Checklist, ChecklistItem, InspectionKind
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity


@traced()
class Inspection(StatusModel):
    """An inspection record (检查记录): a draft until its officers sign, immutable after.

    A correction of a signed record is a new record that ``amends`` it, with a reason.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SIGNED = "signed", _("已签名")

    class Origin(models.TextChoices):
        PATROL = "patrol", _("日常巡查")
        DRAW = "draw", _("双随机抽查")
        CAMPAIGN = "campaign", _("专项整治")
        JOINT = "joint", _("部门联合检查")
        REINSPECTION = "reinspection", _("整改复查")
        COMPLAINT = "complaint", _("投诉举报")
        AD_HOC = "ad_hoc", _("临时检查")

    entity = models.ForeignKey(
        Entity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="inspections"
    )
    # The entity's unit when the record was opened: whose staff see it.
    unit = models.ForeignKey(
        Unit, verbose_name=_("检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    task = models.ForeignKey(
        Task,
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    origin = models.CharField(_("检查来源"), max_length=12, choices=Origin.choices)
    kind = models.CharField(_("检查方式"), max_length=12, choices=InspectionKind.choices)
    # An enforcement check needs a team of at least two officers (行政处罚法 第42条).
    enforcement = models.BooleanField(_("执法检查"), default=False)
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查清单"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    # The officer who opened the record: the one the trace checks count visits for.
    lead_officer = models.ForeignKey(
        Officer, verbose_name=_("主查人"), on_delete=models.PROTECT, related_name="+"
    )
    officers = models.ManyToManyField(
        Officer,
        verbose_name=_("检查人员"),
        through="inspections.InspectionOfficer",
        related_name="inspections",
    )
    visited_on = models.DateField(_("检查日期"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    checkin_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_longitude = models.FloatField(_("签到经度"), null=True, blank=True)
    checkin_latitude = models.FloatField(_("签到纬度"), null=True, blank=True)
    checkin_accuracy = models.FloatField(_("定位精度（米）"), null=True, blank=True)
    # Whether the entity was found operating: a deregistered one that is feeds exit supervision.
    entity_operating = models.BooleanField(_("现场在营"), default=True)
    summary = models.TextField(_("检查情况"), blank=True)
    signed_at = models.DateTimeField(_("签名时间"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    amendment_reason = models.TextField(_("更正理由"), blank=True)
    # Counters filled at signing, so that reports and trace checks read one row per record.
    items_failed = models.PositiveSmallIntegerField(_("不合格项数"), default=0)
    # Every item marked alike with no note: a run of such records suggests copy-and-paste.
    uniform = models.BooleanField(_("全部同一结论"), default=False)
    # Optimistic lock: a draft saved by two officers at once keeps the first, refuses the second.
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "visited_on", "id"], name="inspection_unit_day_idx"),
            models.Index(fields=["entity", "visited_on"], name="inspection_entity_day_idx"),
            models.Index(fields=["lead_officer", "visited_on"], name="inspection_officer_day_idx"),
            models.Index(fields=["status", "signed_at"], name="inspection_signed_idx"),
            models.Index(fields=["visited_on", "status"], name="inspection_day_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.visited_on:%Y-%m-%d}"


class InspectionOfficer(models.Model):
    """A member of an inspection's team, and when they signed."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="team", db_index=False
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("签名时间"), null=True, blank=True)

    unit_scope_field = "inspection__unit"

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "officer"], name="inspection_officer")
        ]

    def __str__(self) -> str:
        return str(self.officer)


class ItemResult(models.Model):
    """The result of one checklist item in an inspection: pass, fail or not applicable."""

    class Result(models.TextChoices):
        PASS = "pass", _("符合")
        FAIL = "fail", _("不符合")
        NOT_APPLICABLE = "na", _("不适用")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查事项"), on_delete=models.PROTECT, related_name="+"
    )
    # Blank while the draft is being filled; signing needs every item answered.
    result = models.CharField(_("结论"), max_length=4, choices=Result.choices, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    unit_scope_field = "inspection__unit"

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="item_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Files are stored under their digest: the same photo twice is one file."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"inspections/{instance.sha256[:2]}/{instance.sha256}.{suffix[:8]}"


class Attachment(models.Model):
    """A photo or document of an inspection, kept with its SHA-256."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("现场照片")
        DOCUMENT = "document", _("文书材料")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    unit_scope_field = "inspection__unit"

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.original_name


def party_signature_path(instance: PartySignature, filename: str) -> str:
    """Signatures are stored under their digest, beside the record's photos."""
    return f"inspections/signatures/{instance.sha256[:2]}/{instance.sha256}.png"


class PartySignature(models.Model):
    """The party's signature on the record (当事人签名), drawn on the officer's phone — or their
    refusal to sign, before a witness (见证人). Part of the record: captured on the draft, it
    is frozen with the officers' signatures and printed on the 现场检查笔录."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="party_signature"
    )
    signer_name = models.CharField(_("当事人（签名人）"), max_length=50)
    signer_role = models.CharField(_("签名人身份"), max_length=50, blank=True)
    statement = models.CharField(_("当事人意见"), max_length=500, blank=True)
    refused = models.BooleanField(_("拒绝签名"), default=False)
    witness_name = models.CharField(_("见证人"), max_length=50, blank=True)
    witness_role = models.CharField(_("见证人身份"), max_length=50, blank=True)
    image = models.FileField(
        _("签名图像"), upload_to=party_signature_path, max_length=200, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    width = models.PositiveIntegerField(_("宽（像素）"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高（像素）"), null=True, blank=True)
    captured_at = models.DateTimeField(_("签名时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    unit_scope_field = "inspection__unit"

    class Meta:
        verbose_name = _("当事人签名")
        verbose_name_plural = _("当事人签名")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(refused=True, sha256="") & ~models.Q(witness_name=""))
                | (models.Q(refused=False, witness_name="") & ~models.Q(sha256="")),
                name="party_signature_image_or_witness",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_name}（{'拒绝签名' if self.refused else '已签名'}）"


@traced()
class TraceFlag(StatusModel):
    """A doubt about a signed inspection raised by the trace checks (痕迹监控, 篇7 虚假检查)."""

    class Kind(models.TextChoices):
        FAR_CHECKIN = "far", _("签到位置远离主体")
        TOO_SHORT = "short", _("检查时长过短")
        TOO_MANY = "many", _("单日检查户数超出可能")
        DUPLICATE_PHOTO = "photo", _("照片与其他检查重复")
        LATE_RECORD = "late", _("检查后很久才录入")
        UNIFORM_RUN = "uniform", _("连续多份记录结论完全相同")
        LATE_SYNC = "latesync", _("离线记录很久才同步")

    class Status(models.TextChoices):
        OPEN = "open", _("待核实")
        CLEARED = "cleared", _("已排除")
        CONFIRMED = "confirmed", _("属实")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="flags"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("疑点"), max_length=8, choices=Kind.choices)
    detail = models.CharField(_("疑点说明"), max_length=300)
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(_("发现时间"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    resolution = models.TextField(_("核实意见"), blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("痕迹疑点")
        verbose_name_plural = _("痕迹疑点")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="trace_flag_unique")
        ]
        indexes = [models.Index(fields=["unit", "status", "raised_at"], name="trace_flag_unit_idx")]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.get_kind_display()}"
