"""Receipts of offline inspections synced from the phone (``records.sync``, docs/offline-sync.md).

Each item of a sync batch carries the device's own id (``client_id``, a UUID made when the
officer captured it). The first time an item is applied its outcome is kept here, keyed by
(officer, client_id): a retry of the same item — the answer lost on a bad connection — finds
the receipt and answers the same outcome without writing anything again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.inspections.records.models import Inspection


class SyncReceipt(models.Model):
    """An offline item applied by a sync: who sent it, its device id, what it did."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同步人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_id = models.UUIDField(_("设备记录编号"))
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("检查记录"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="sync_receipts",
    )
    # What the item's answer said (outcome, inspection, revision, status, photos…).
    outcome = models.JSONField(_("同步结果"), default=dict)
    captured_at = models.DateTimeField(_("设备采集时间"))
    received_at = models.DateTimeField(_("服务器接收时间"))
    longitude = models.FloatField(_("采集经度"), null=True, blank=True)
    latitude = models.FloatField(_("采集纬度"), null=True, blank=True)
    accuracy = models.FloatField(_("定位精度（米）"), null=True, blank=True)

    unit_scope_field = "inspection__unit"

    class Meta:
        verbose_name = _("离线同步回执")
        verbose_name_plural = _("离线同步回执")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "client_id"], name="sync_receipt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → #{self.inspection_id}"
