from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xiaoneng.registry"
    verbose_name = _("经济户口")

    def ready(self) -> None:
        # The panels the register adds to the pages of the organisation (ADR 0012).
        from xiaoneng.registry import panels  # noqa: F401
