"""Shared records: the trace of every change, the working-day calendar, API tokens, log-ins."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One create, change, archive or delete of a business record (痕迹): who, when, what."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        ARCHIVE = "archive", _("归档")
        DELETE = "delete", _("删除")

    class Source(models.TextChoices):
        WEB = "web", _("网页")
        API = "api", _("接口")
        ADMIN = "admin", _("管理后台")
        CLI = "cli", _("命令行")
        IMPORT = "import", _("导入")
        SYSTEM = "system", _("系统")

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    # Indexed only as the first column of (content_type, object_id, at): every trace event
    # written updates each index of this, the largest table.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(_("记录编号"), max_length=64)
    object_repr = models.CharField(_("记录"), max_length=200)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("变更"), default=dict)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("痕迹")
        verbose_name_plural = _("痕迹")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.get_action_display()} {self.object_repr}"


class CalendarYear(models.Model):
    """A year whose official holidays and adjusted working days are known (国务院办公厅通知)."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    notice = models.CharField(
        _("通知文号"), max_length=100, blank=True, help_text=_("如 国办发明电〔2026〕7号")
    )
    loaded_at = models.DateTimeField(_("载入时间"), null=True, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("载入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日历年份")
        verbose_name_plural = _("工作日历年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarException(models.Model):
    """A day that breaks the Monday–Friday rule: a holiday on a weekday or a working weekend day."""

    date = models.DateField(_("日期"), primary_key=True)
    is_working_day = models.BooleanField(_("是工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class JobRun(models.Model):
    """One run of a scheduled job (定时任务): when, how it ended, what it counted (ADR 0017)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        OK = "ok", _("成功")
        FAILED = "failed", _("失败")

    name = models.CharField(_("任务"), max_length=50, db_index=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("结果"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("任务运行记录")
        verbose_name_plural = _("任务运行记录")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="core_jobrun_name_started")]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
