from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "xiaoneng.online"
    verbose_name = _("网络交易监测")
