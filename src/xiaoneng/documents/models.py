"""Enforcement documents: the numbering counters, the numbers given out, the issued PDFs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.errors import Conflict
from xiaoneng.org.models import Unit


class DocumentKind(models.TextChoices):
    """The kinds of document of issue 15, each with its number's abbreviation (``ABBREVIATIONS``).

    Declared together so that the numbering of a kind is fixed before its renderer exists;
    which kinds can be rendered now is ``rendering.RENDERERS``.
    """

    INSPECTION = "inspection", _("现场检查笔录")
    RECTIFICATION = "rectification", _("责令改正通知书")
    REINSPECTION = "reinspection", _("整改复查意见书")
    WARNING = "warning", _("警示通知书")
    CASE_SOURCE = "case-source", _("案件来源登记表")
    CASE_FILING = "case-filing", _("立案/不予立案审批表")
    CASE_NOTICE = "case-notice", _("行政处罚告知书")
    CASE_DECISION = "case-decision", _("行政处罚决定书")
    SERVICE = "service", _("送达回证")


# The kind's part of a number: 伊市监 + 检录 + 〔2026〕 + 12 + 号 (docs/documents.md).
ABBREVIATIONS: dict[str, str] = {
    DocumentKind.INSPECTION: "检录",
    DocumentKind.RECTIFICATION: "责改",
    DocumentKind.REINSPECTION: "复查",
    DocumentKind.WARNING: "警示",
    DocumentKind.CASE_SOURCE: "案源",
    DocumentKind.CASE_FILING: "立审",
    DocumentKind.CASE_NOTICE: "罚告",
    DocumentKind.CASE_DECISION: "罚决",
    DocumentKind.SERVICE: "送达",
}


class NumberCounter(models.Model):
    """The last serial given out for one prefix, kind and year: the row ``next_number`` locks.

    One row per sequence, so that two issues at once wait for each other on it instead of both
    reading the same "highest number so far" (and a void number, still counted, is never given
    out again).
    """

    prefix = models.CharField(_("机关代字"), max_length=20)
    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("文书编号计数器")
        verbose_name_plural = _("文书编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "kind", "year"], name="number_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{ABBREVIATIONS.get(self.kind, '')}〔{self.year}〕{self.last_serial}"


@traced()
class DocumentNumber(models.Model):
    """A document number (文号) given out: kept for ever, void ones with their reason.

    A number belongs to the record it was given for (``content_type`` + ``object_id``); every
    version of that record's document carries it.
    """

    prefix = models.CharField(_("机关代字"), max_length=20)
    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("文号"), max_length=60, unique=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("记录类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    issued_at = models.DateTimeField(_("编号时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编号人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("作废理由"), blank=True)

    class Meta:
        verbose_name = _("文书编号")
        verbose_name_plural = _("文书编号")
        ordering = ["prefix", "kind", "year", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "serial", "prefix"], name="document_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="document_number_record_idx")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


@traced()
class DocumentWording(models.Model):
    """One version of a kind's wording (文书模板, ``wording.BLOCKS``): block key → text.

    Versions are numbered 1, 2, … per kind; the latest is in force. Saved once, never changed
    nor deleted (a document issued with it must stay explainable): a change is a new version.
    """

    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    blocks = models.JSONField(_("模板段落"), default=dict)
    note = models.TextField(_("修订说明"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("修订时间"))

    class Meta:
        verbose_name = _("文书模板版本")
        verbose_name_plural = _("文书模板版本")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="document_wording_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 第 {self.version} 版"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise Conflict(str(_("文书模板的已保存版本不能修改，请保存新版本。")))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise Conflict(str(_("文书模板的已保存版本不能删除。")))


def document_path(instance: IssuedDocument, filename: str) -> str:
    """Stored under their digest, like the inspections' attachments: a name that proves the
    content, and never two files for one PDF."""
    return f"documents/{instance.sha256[:2]}/{instance.sha256}.pdf"


@traced(exclude=["file"])
class IssuedDocument(models.Model):
    """One issued version of a document: its PDF, the PDF's SHA-256 and a verification code.

    Issued once, never changed: a re-issue is a new row with the same number, the next version,
    linked to the one it replaces (``previous``), and its own code and digest.
    """

    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    number = models.ForeignKey(
        DocumentNumber, verbose_name=_("文号"), on_delete=models.PROTECT, related_name="documents"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    # The record's unit: whose staff may see the document (scoped like the record).
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    reissue_reason = models.TextField(_("重新出具理由"), blank=True)
    # The wording the PDF was rendered with (None: the built-in default, wording.BLOCKS).
    wording = models.ForeignKey(
        DocumentWording,
        verbose_name=_("文书模板版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("大小（字节）"))
    file = models.FileField(_("PDF 文件"), upload_to=document_path, max_length=200)
    verification_code = models.CharField(_("核验码"), max_length=10, unique=True)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="issued_document_version")
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "kind", "version"],
                name="issued_document_record_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


@traced()
class Delivery(models.Model):
    """The delivery (送达) of an issued document to the party: how, when, to whom, witnessed by
    whom — recorded once per issued version; its 送达回证 (kind "service") is issued from it.

    The day of delivery is the day the party's periods start (to rectify, to state and defend,
    to pay, to seek review), which the documents themselves can only name as "自收到之日起".
    """

    class Method(models.TextChoices):
        # 《行政处罚法》第六十一条; 《市场监督管理行政处罚程序规定》第八十二条至第八十六条.
        HAND = "hand", _("直接送达")
        LODGED = "lodged", _("留置送达")
        POST = "post", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达")
        PUBLIC = "public", _("公告送达")

    document = models.OneToOneField(
        IssuedDocument,
        verbose_name=_("送达的文书"),
        on_delete=models.PROTECT,
        related_name="delivery",
    )
    # The document's unit: whose staff see the delivery (scoped like the record).
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("送达方式"), max_length=12, choices=Method.choices)
    delivered_on = models.DateField(_("送达日期"))
    recipient = models.CharField(_("签收人"), max_length=60, blank=True)
    place = models.CharField(_("送达地点"), max_length=200, blank=True)
    witness = models.CharField(_("见证人"), max_length=60, blank=True)
    reference = models.CharField(_("邮件单号或电子送达地址"), max_length=120, blank=True)
    note = models.TextField(_("备注"), blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送达人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("文书送达")
        verbose_name_plural = _("文书送达")
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.document} {self.get_method_display()} {self.delivered_on:%Y-%m-%d}"
