from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xiaoneng.documents"
    verbose_name = _("执法文书")

    def ready(self) -> None:
        # The card on a record's page (core/panels.py).
        from xiaoneng.documents import panels  # noqa: F401
