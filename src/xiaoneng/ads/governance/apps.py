from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdGovernanceConfig(AppConfig):
    name = "xiaoneng.ads.governance"
    label = "ad_governance"
    verbose_name = _("广告监管共治")
