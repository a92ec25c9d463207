from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "xiaoneng.reports.assessment"
    label = "assessment"
    verbose_name = "效能考核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xiaoneng.reports.assessment import panels  # noqa: F401  (the grids' scores)
