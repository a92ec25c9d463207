from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "xiaoneng.planning"
    verbose_name = _("监管计划")

    def ready(self) -> None:
        # The columns planning adds to the organisation's grid tables and API, and the
        # entity dossier's patrol and draw cards (ADR 0012). What was computed on weekdays only
        # past the last loaded year (publication deadlines, tasks' days) is redone on its load.
        from xiaoneng.core.calendar import on_year_loaded
        from xiaoneng.planning.draws import panels as draw_panels  # noqa: F401
        from xiaoneng.planning.draws.publication import recompute_deadlines
        from xiaoneng.planning.patrol import panels  # noqa: F401
        from xiaoneng.planning.patrol.reschedule import reschedule_year

        on_year_loaded("抽查结果公示期限", recompute_deadlines)
        on_year_loaded("巡查任务日期", reschedule_year)
