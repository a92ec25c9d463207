"""django-axes as an installed app, named in Chinese in the admin (its own name is "Axes")."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AxesAppConfig):
    verbose_name = _("登录防护")
