"""Sellers (卖家) aggregated by platform and seller id, the attributes that link them into
networks, and the referrals (移送) of those that are not ours to inspect."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.registry.models import Entity


class UsccCheck(models.TextChoices):
    """What the register says of the code a seller claims (亮照亮证)."""

    NONE = "none", _("未声明")
    INVALID = "invalid", _("代码无效")
    UNKNOWN = "unknown", _("登记库中无此主体")
    DEREGISTERED = "deregistered", _("主体已注销")
    REVOKED = "revoked", _("主体已吊销")
    SUSPENDED = "suspended", _("主体停业（歇业）")
    ACTIVE = "active", _("本地在营主体")


# The outcomes that flag a seller by themselves.
FLAGGING_CHECKS = (
    UsccCheck.INVALID,
    UsccCheck.UNKNOWN,
    UsccCheck.DEREGISTERED,
    UsccCheck.REVOKED,
)


@traced()
class Seller(StatusModel):
    """A seller on one platform: its listings and hits, its claimed registration, and the
    decision a person took on it once flagged."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        TASK = "task", _("已转检查任务")
        REFERRAL = "referral", _("已移送")
        DISMISSED = "dismissed", _("已排除")

    platform = models.CharField(_("平台"), max_length=60)
    seller_id = models.CharField(_("卖家编号"), max_length=100)
    shop = models.CharField(_("店铺"), max_length=200, blank=True)
    claimed_uscc = models.CharField(_("声明的统一社会信用代码"), max_length=40, blank=True)
    uscc_check = models.CharField(
        _("登记核验"), max_length=12, choices=UsccCheck.choices, default=UsccCheck.NONE
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("对应市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_sellers",
    )
    # The linked entity's unit; otherwise the unit that first imported the seller.
    unit = models.ForeignKey(
        Unit, verbose_name=_("归属单位"), on_delete=models.PROTECT, related_name="+"
    )
    listing_count = models.PositiveIntegerField(_("商品信息数"), default=0)
    hit_count = models.PositiveIntegerField(_("命中数"), default=0)
    hit_listing_count = models.PositiveIntegerField(_("命中商品数"), default=0)
    hits_by_category = models.JSONField(_("分类命中数"), default=dict, blank=True)
    flagged = models.BooleanField(_("已标记"), default=False)
    flag_reason = models.CharField(_("标记原因"), max_length=500, blank=True)
    status = StatusField(_("处理状态"), max_length=10, choices=Status.choices, default="pending")
    decision_reason = models.TextField(_("处理理由"), blank=True)
    decided_by = models.ForeignKey(
        Officer,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("核查任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_seen = models.DateTimeField(_("首次采集"))
    last_seen = models.DateTimeField(_("最近采集"))

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("卖家")
        verbose_name_plural = _("卖家")
        ordering = ["-hit_count", "platform", "seller_id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "seller_id"], name="online_seller_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "flagged", "status"], name="online_seller_unit_idx"),
            models.Index(fields=["hit_count"], name="online_seller_hits_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.shop or self.seller_id}"


class SellerAttribute(models.Model):
    """An IP, payment account, logistics account or domain seen in a seller's listings."""

    class Kind(models.TextChoices):
        IP = "ip", _("IP 地址")
        PAYMENT = "payment", _("收款账户")
        LOGISTICS = "logistics", _("物流账户")
        DOMAIN = "domain", _("域名")

    seller = models.ForeignKey(
        Seller,
        verbose_name=_("卖家"),
        on_delete=models.CASCADE,
        related_name="attributes",
        db_index=False,  # the constraint's index begins with it
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("值"), max_length=200)

    class Meta:
        verbose_name = _("卖家关联属性")
        verbose_name_plural = _("卖家关联属性")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "value"], name="online_attribute_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"], name="online_attribute_value_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


@traced()
class Referral(StatusModel):
    """A flagged seller handed on (移送) to the platform or to the authority where it is
    registered, and what came back."""

    class To(models.TextChoices):
        PLATFORM = "platform", _("电商平台")
        JURISDICTION = "jurisdiction", _("属地市场监管部门")

    class Status(models.TextChoices):
        SENT = "sent", _("已移送")
        RECEIVED = "received", _("对方已接收")
        ANSWERED = "answered", _("已反馈处理结果")

    seller = models.ForeignKey(
        Seller, verbose_name=_("卖家"), on_delete=models.PROTECT, related_name="referrals"
    )
    to_kind = models.CharField(_("移送对象类型"), max_length=12, choices=To.choices)
    to_name = models.CharField(_("移送对象"), max_length=200)
    referred_on = models.DateField(_("移送日期"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default="sent")
    answer = models.TextField(_("反馈情况"), blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        Officer,
        verbose_name=_("移送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "seller__unit"

    class Meta:
        verbose_name = _("移送")
        verbose_name_plural = _("移送")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.seller} → {self.to_name}"
