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
