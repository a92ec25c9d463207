from typing import Any

from django.contrib import admin

from xiaoneng.planning.models import Policy, PolicyCell


class PolicyCellInline(admin.TabularInline):
    model = PolicyCell
    extra = 0

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """Versions are made on the policy page (planning.policy.create_policy) and never edited."""

    list_display = ("version", "effective_from", "created_by", "note")
    inlines = [PolicyCellInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


# Coverage (篇3): the table is edited on its page (planning.responsibility); admin reads it.
from xiaoneng.planning.analysis.models import (  # noqa: E402
    Department,
    EntityMeasure,
    ResponsibilityRule,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "bureau", "unit")
    search_fields = ("code", "name")


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "matter",
        "industry_prefix",
        "measure",
        "min_value",
        "max_value",
        "region_code",
        "department",
        "legal_basis",
    )
    list_filter = ("matter", "department")


@admin.register(EntityMeasure)
class EntityMeasureAdmin(ReadOnlyAdmin):
    list_display = ("entity", "floor_area_m2", "employees")
    raw_id_fields = ("entity",)
    show_full_result_count = False


# Plans, tasks, visits and campaigns (planning.patrol, planning.tasks, planning.campaigns):
# made and changed by their services and pages, so that every change keeps its rule; admin reads.
from xiaoneng.planning.patrol.models import Campaign, Plan, Task, Visit  # noqa: E402


class PlanReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(PlanReadOnlyAdmin):
    list_display = ("period", "title", "kind", "unit", "policy", "capacity", "created_by")
    list_filter = ("kind", "period")
    show_full_result_count = False


@admin.register(Task)
class TaskAdmin(PlanReadOnlyAdmin):
    list_display = ("entity", "period", "scheduled_on", "officer", "status", "overflow_reason")
    list_filter = ("status", "period")
    raw_id_fields = ("entity", "plan", "visit")
    show_full_result_count = False


@admin.register(Visit)
class VisitAdmin(PlanReadOnlyAdmin):
    list_display = ("entity", "period", "scheduled_on", "leader")
    raw_id_fields = ("entity",)


@admin.register(Campaign)
class CampaignAdmin(PlanReadOnlyAdmin):
    list_display = ("title", "theme", "unit", "start_on", "end_on")


# Double-random draws: made, run and published through planning.draws; results never edited.
from xiaoneng.planning.draws.models import (  # noqa: E402
    ConflictDeclaration,
    DrawInspector,
    DrawPublication,
    DrawSelection,
    InspectionItem,
    RandomDraw,
)


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    """The spot-check item list: administrators extend it here (items are never deleted)."""

    list_display = ("code", "name", "industry_prefixes", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "legal_basis")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class DrawReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RandomDraw)
class RandomDrawAdmin(DrawReadOnlyAdmin):
    list_display = ("name", "unit", "status", "population_count", "selected_count", "drawn_at")
    list_filter = ("status",)
    search_fields = ("name",)
    exclude = (
        "held_seed",
        "population_snapshot",
        "pool_snapshot",
        "conflicts_snapshot",
        "previous_snapshot",
    )


class DrawInspectorInline(admin.TabularInline):
    model = DrawInspector
    extra = 0
    raw_id_fields = ("officer",)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DrawSelection)
class DrawSelectionAdmin(DrawReadOnlyAdmin):
    list_display = ("draw", "order", "uscc", "stratum")
    list_filter = ("draw",)
    search_fields = ("uscc",)
    raw_id_fields = ("entity",)
    inlines = [DrawInspectorInline]
    show_full_result_count = False


@admin.register(DrawPublication)
class DrawPublicationAdmin(DrawReadOnlyAdmin):
    list_display = ("draw", "published_at", "deadline", "url")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(DrawReadOnlyAdmin):
    list_display = ("officer", "entity", "reason", "declared_at")
    raw_id_fields = ("officer", "entity")
    search_fields = ("officer__username", "entity__uscc", "entity__name")
