from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "xiaoneng.planning"
    verbose_name = _("监管计划")

    def ready(self) -> None:
        # The columns planning adds to the organisation's grid tables and API, and the
        # entity dossier's patrol and draw cards (ADR 0012).
        from xiaoneng.planning.draws import panels as draw_panels  # noqa: F401
        from xiaoneng.planning.patrol import panels  # noqa: F401
