from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xiaoneng.documents"
    verbose_name = _("执法文书")
