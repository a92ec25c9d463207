from django.contrib import admin

from xiaoneng.registry.models import ClassificationChange, Entity, Industry, Licence, RiskClassRule


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Entities are archived with a reason on their dossier page, never deleted here."""

    list_display = (
        "name",
        "uscc",
        "kind",
        "industry",
        "risk_class",
        "credit_grade",
        "grid",
        "status",
    )
    list_filter = ("kind", "risk_class", "credit_grade", "status")
    search_fields = ("name", "uscc")
    raw_id_fields = ("industry", "grid", "unit", "claimed_by")
    readonly_fields = ("archived_at", "archive_reason")
    inlines = [LicenceInline]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(RiskClassRule)
class RiskClassRuleAdmin(admin.ModelAdmin):
    list_display = ("match", "pattern", "risk_class", "note")
    list_filter = ("match", "risk_class")


@admin.register(ClassificationChange)
class ClassificationChangeAdmin(admin.ModelAdmin):
    list_display = (
        "entity",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "changed_at",
        "reason",
    )
    list_filter = ("field",)
    raw_id_fields = ("entity",)


from xiaoneng.registry.models import CreditRule  # noqa: E402  (appended with issue 4)


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    """The credit feedback table (registry.feedback): edited here, shown on 信用反馈."""

    list_display = ("trigger", "grade", "automatic", "active", "note")
    list_editable = ("grade", "automatic", "active")
    list_filter = ("automatic", "active")
