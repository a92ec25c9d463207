"""Admin of inspections: checklists (editable until an inspection uses the version) and
read-only views of the records whose status moves only through their services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import (
    Checklist,
    ChecklistItem,
    Finding,
    Rectification,
    Sample,
    SamplingPlan,
    TraceFlag,
)

ITEM_FIELDS = ("number", "position", "title", "method", "legal_basis", "severity")


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ITEM_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ITEM_FIELDS if obj is not None and checklists.is_used(obj) else ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not checklists.is_used(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not checklists.is_used(obj)


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """Versions are made by import (page, CLI); a version an inspection used is read-only."""

    list_display = ("code", "version", "title", "kind", "effective_on", "retired_on")
    list_filter = ("kind", "code")
    search_fields = ("code", "title")
    inlines = [ChecklistItemInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = ("code", "version", "kind", "effective_on", "retired_on")
        if obj is not None and checklists.is_used(obj):
            return (*fixed, "title", "industry_prefixes", "description")
        return fixed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not checklists.is_used(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        checklists.ensure_editable(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        checklists.ensure_editable(form.instance)
        super().save_formset(request, form, formset, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Status moves only through the services (transition tables): the admin reads."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TraceFlag)
class TraceFlagAdmin(ReadOnlyAdmin):
    list_display = ("inspection", "kind", "status", "unit", "raised_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("inspection",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("entity", "severity", "status", "unit", "found_on")
    list_filter = ("severity", "status")
    raw_id_fields = ("inspection", "entity")


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("number", "entity", "status", "issued_on", "deadline", "unit")
    list_filter = ("status",)
    search_fields = ("number",)
    raw_id_fields = ("entity", "inspection")


@admin.register(SamplingPlan)
class SamplingPlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "category", "region_code", "unit", "planned_batches")
    list_filter = ("year", "category")


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ("firm_name", "product", "batch_number", "result", "sampled_on", "unit")
    list_filter = ("result",)
    search_fields = ("firm_name", "product", "batch_number")
    raw_id_fields = ("plan", "entity")
