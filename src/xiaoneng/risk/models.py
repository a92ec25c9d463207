"""The stored models of violation risk, the scores they gave, and outside identifiers.

A model version is immutable once trained: its training window, features, metrics, code
version and the pickled estimator with its SHA-256 (checked before every load). Scores live on
the register (``registry.RiskScore``, with the version that gave it), where planning reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.inspections.records.models import Inspection
from xiaoneng.registry.models import Entity


class ExternalEntity(models.Model):
    """An entity loaded from an outside dataset, by that dataset's identifier (the Chicago
    licence number), with the dataset's area (ZIP code) for the breakdowns."""

    entity = models.OneToOneField(
        Entity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("数据来源"), max_length=20)
    external_id = models.CharField(_("外部编号"), max_length=50)
    area = models.CharField(_("外部区域"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("外部市场主体编号")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="risk_external_entity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class ExternalInspection(models.Model):
    """An inspection loaded from an outside dataset, by that dataset's identifier
    (``Inspection_ID``): scores are written against it and ties are broken by it."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("数据来源"), max_length=20)
    external_id = models.BigIntegerField(_("外部编号"))

    class Meta:
        verbose_name = _("外部检查记录编号")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="risk_external_inspection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class RiskModel(models.Model):
    """One trained version of the violation-risk model (风险预测模型)."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    algorithm = models.CharField(_("算法"), max_length=40)
    params = models.JSONField(_("参数"), default=dict)
    features = models.JSONField(_("特征"), default=list)
    until = models.DateField(_("训练截止日期"))
    window_start = models.DateField(_("训练窗口起"))
    window_end = models.DateField(_("训练窗口止"))
    validation_from = models.DateField(_("验证期起"))
    inspections = models.PositiveIntegerField(_("训练检查数"))
    violations = models.PositiveIntegerField(_("其中发现严重问题"))
    validation_auc = models.FloatField(_("验证AUC"))
    metrics = models.JSONField(_("验证指标"), default=dict)
    code_version = models.CharField(_("程序版本"), max_length=100)
    blob = models.BinaryField(_("模型"), editable=False)
    blob_sha256 = models.CharField(_("模型摘要（SHA-256）"), max_length=64)
    trained_at = models.DateTimeField(_("训练时间"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("训练人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("风险预测模型")
        verbose_name_plural = verbose_name
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class DriftCheck(models.Model):
    """One check of a version's recent accuracy (drift.py): the inspections signed since its
    training window and their AUC under it. The daily job and ``targeting status`` write one;
    the page shows the latest."""

    model = models.ForeignKey(
        RiskModel,
        verbose_name=_("模型版本"),
        on_delete=models.CASCADE,
        related_name="drift_checks",
    )
    checked_at = models.DateTimeField(_("检查时间"))
    inspections = models.PositiveIntegerField(_("训练后检查数"))
    violations = models.PositiveIntegerField(_("其中发现严重问题"))
    recent_auc = models.FloatField(_("近期AUC"), null=True, blank=True)

    class Meta:
        verbose_name = _("模型准确度检查")
        verbose_name_plural = verbose_name
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"v{self.model_id} {self.checked_at:%Y-%m-%d}"


class Evaluation(models.Model):
    """A time-split evaluation (train before the period, score it, compare the orders), kept
    so that the page shows it without recomputing and its figures stay as they were."""

    start = models.DateField(_("评估期起"))
    end = models.DateField(_("评估期止"))
    report = models.JSONField(_("评估结果"))
    code_version = models.CharField(_("程序版本"), max_length=100)
    created_at = models.DateTimeField(_("评估时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("风险模型评估")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.start}…{self.end}"
