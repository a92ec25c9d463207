from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "xiaoneng.planning"
    verbose_name = _("监管计划")
