from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "xiaoneng.oversight"
    verbose_name = _("三级督查")
