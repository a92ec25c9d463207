from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "xiaoneng.inspections"
    verbose_name = _("检查与跟进")

    def ready(self) -> None:
        # Importing a panels module registers its panels (ADR 0012): the task page's
        # inspection record; a record's findings.
        from xiaoneng.inspections.followup import consequences
        from xiaoneng.inspections.followup import panels as followup_panels  # noqa: F401
        from xiaoneng.inspections.records import panels as record_panels  # noqa: F401
        from xiaoneng.inspections.records.signing import register_after_signing

        # A final signature sets off the follow-up (the trace check, findings, exits, credit):
        # records sits below follow-up and must not import it.
        register_after_signing(consequences.after_signing)

        # Deadlines set in working days past the last loaded year are provisional: recomputed
        # when that year's holidays are loaded.
        from xiaoneng.core.calendar import on_year_loaded
        from xiaoneng.inspections.followup.services import recompute_deadlines

        on_year_loaded("整改期限", recompute_deadlines)
