from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeywordsConfig(AppConfig):
    name = "xiaoneng.keywords"
    verbose_name = _("关键词特征库")
