"""效能考核: the weighting schemes (指标体系 and its weights) and the stored assessments.

- ``Scheme``: for one kind of subject (officers, stations) — and for officers, optionally one
  role (grid officers, station directors) — from one year on, the indicators
  that count, each with its weight (the weights sum to 1), target and floor. A scheme once
  used by an assessment is never changed: a new weighting is a new scheme (the next year's, or
  a new version of the year's).
- ``Assessment``: the scores of every subject of one kind for one period, computed from the
  records at ``computed_at`` with one scheme. Recomputing stores a new assessment; the latest
  is the one shown, the earlier ones stay (a bulletin cites the one it printed).
- ``Result`` / ``ResultItem``: one subject's total and rank, and each indicator's measure and
  score as computed then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import Unit

SUBJECT_CHOICES = [("officer", _("执法人员")), ("station", _("基层所"))]
PERIOD_CHOICES = [("month", _("月度")), ("quarter", _("季度")), ("year", _("年度"))]
# The officers' roles a scheme may be for ("": every subject of its kind). The codes are
# org.Role's; a station's officers hold one of these two.
ROLE_CHOICES = [
    ("", _("全部")),
    ("grid_officer", _("责任区干部")),
    ("station_director", _("所长")),
]


class Scheme(models.Model):
    subject_kind = models.CharField(_("考核对象"), max_length=10, choices=SUBJECT_CHOICES)
    # For officers holding this role only ("": for every subject of the kind).
    role = models.CharField(_("适用角色"), max_length=20, choices=ROLE_CHOICES, blank=True)
    year = models.PositiveSmallIntegerField(_("起用年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["subject_kind", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "role", "year", "version"],
                name="scheme_kind_role_year_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}年第{self.version}版）"


class SchemeIndicator(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.CharField(_("指标"), max_length=40)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=4)
    target = models.DecimalField(_("满分值"), max_digits=12, decimal_places=2)
    floor = models.DecimalField(_("零分值"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标权重")
        verbose_name_plural = _("考核指标权重")
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="scheme_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} × {self.weight}"


class Assessment(models.Model):
    subject_kind = models.CharField(_("考核对象"), max_length=10, choices=SUBJECT_CHOICES)
    period = models.CharField(_("考核期间"), max_length=7)
    period_kind = models.CharField(_("期间类型"), max_length=7, choices=PERIOD_CHOICES)
    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="assessments"
    )
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("效能考核")
        verbose_name_plural = _("效能考核")
        ordering = ["-start", "subject_kind", "-computed_at"]
        indexes = [models.Index(fields=["subject_kind", "period", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.period} {self.get_subject_kind_display()}"


class Result(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("效能考核"), on_delete=models.CASCADE, related_name="results"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # the station assessed, or the officer's unit when the assessment was computed
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True)
    weight_with_data = models.DecimalField(_("有数据指标权重"), max_digits=5, decimal_places=4)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    # The scheme the subject was scored with: the assessment's, or their role's.
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("考核方案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The whole organisation's own figures (a station assessment's bureau row, for the
    # cockpit): measured like a station over its subtree, never ranked or counted as a subject.
    whole = models.BooleanField(_("全局"), default=False)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["assessment", "rank", "id"]
        indexes = [models.Index(fields=["assessment", "unit"])]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.total}"


class ResultItem(models.Model):
    result = models.ForeignKey(
        Result, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.CharField(_("指标"), max_length=40)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=4)
    value = models.DecimalField(_("指标值"), max_digits=14, decimal_places=2, null=True)
    numerator = models.DecimalField(_("分子"), max_digits=16, decimal_places=2, null=True)
    denominator = models.DecimalField(_("分母"), max_digits=16, decimal_places=2, null=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["result", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="result_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"
