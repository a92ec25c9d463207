from django.contrib import admin

from xiaoneng.core.models import ApiToken, AuditEvent, CalendarException, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted in the admin (the record changes elsewhere)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trace is read-only: nobody edits or deletes history."""

    list_display = ("at", "actor_name", "source", "action", "content_type", "object_repr", "reason")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "actor_name", "reason")
    date_hierarchy = "at"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Read here; a year is loaded on the 工作日历 page or by `xiaoneng calendar load`, which check
    the whole year, trace it and recompute the provisional dates (docs/calendar.md)."""

    list_display = ("year", "notice", "source", "loaded_at", "loaded_by")


@admin.register(CalendarException)
class CalendarExceptionAdmin(ReadOnlyAdmin):
    """Read-only: a day changed alone would skip the year's checks and the recomputation."""

    list_display = ("date", "is_working_day", "name")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_sha256", "created_at", "last_used_at")
