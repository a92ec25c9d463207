"""Admin of cases and targets: read-only. Cases move through their services (cases.services),
money through cases.money and targets through cases.targets, so the rules and the trace hold."""

from typing import Any

from django.contrib import admin

from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class CollectionInline(ReadOnlyInline):
    model = Collection
    fields = ("kind", "amount", "collected_on", "receipt_number")


class GoodsInline(ReadOnlyInline):
    model = ConfiscatedGoods
    fields = ("description", "quantity", "measure", "value", "disposal")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "kind", "status", "unit", "major", "received_on")
    list_filter = ("status", "kind", "major")
    search_fields = ("number", "title", "party")
    raw_id_fields = ("entity", "unit", "handler", "co_handler")
    inlines = [CollectionInline, GoodsInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "metric", "value")
    list_filter = ("year", "metric")
