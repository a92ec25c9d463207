"""The resource ledger (资源消耗登记台帐) and quotas (定额) of 篇5: its own Django app (label
``ledger``) inside the reports package, a consumer that reads every domain and that no domain
imports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "xiaoneng.reports.ledger"
    label = "ledger"
    verbose_name = _("资源消耗台帐")
