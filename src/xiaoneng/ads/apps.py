from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "xiaoneng.ads"
    verbose_name = _("广告监管")

    def ready(self) -> None:
        from xiaoneng.ads import panels  # noqa: F401  (the dossier's panel)
