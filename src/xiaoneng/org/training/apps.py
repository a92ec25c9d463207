"""Training records (培训记录, 篇8): sessions, attendance and their figures. Its own Django app
(label ``training``) inside the org package."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "xiaoneng.org.training"
    label = "training"
    verbose_name = _("业务培训")
