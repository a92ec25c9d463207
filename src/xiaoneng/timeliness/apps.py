from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelinessConfig(AppConfig):
    name = "xiaoneng.timeliness"
    verbose_name = _("电子监察")

    def ready(self) -> None:
        from xiaoneng.core.calendar import on_year_loaded
        from xiaoneng.timeliness.accountability import panels as _decide  # noqa: F401
        from xiaoneng.timeliness.clocks.services import recompute_provisional
        from xiaoneng.timeliness.complaints import panels  # noqa: F401  (the dossier's panel)

        # Due dates of clocks counted on weekdays, recomputed once their year is loaded.
        on_year_loaded("办件与投诉时限", recompute_provisional)
