from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "xiaoneng.risk"
    verbose_name = _("风险预测")

    def ready(self) -> None:
        from xiaoneng.risk import panels  # noqa: F401  (the dossier's risk card)
