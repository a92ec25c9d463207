from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xiaoneng.registry"
    verbose_name = _("经济户口")
