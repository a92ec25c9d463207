from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelinessConfig(AppConfig):
    name = "xiaoneng.timeliness"
    verbose_name = _("电子监察")
