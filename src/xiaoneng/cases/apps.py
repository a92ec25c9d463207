from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "xiaoneng.cases"
    verbose_name = _("案件与目标")

    def ready(self) -> None:
        # The panels cases adds to the pages of inspections (ADR 0012).
        from xiaoneng.cases import panels  # noqa: F401
