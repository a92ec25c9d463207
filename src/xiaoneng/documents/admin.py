"""Admin of documents: read-only. Numbers are given and voided, documents issued and re-issued,
only through their services (documents.numbering, documents.services), so the rules and the
trace hold."""

from typing import Any

from django.contrib import admin

from xiaoneng.documents.models import DocumentNumber, IssuedDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DocumentNumber)
class DocumentNumberAdmin(ReadOnlyAdmin):
    list_display = ("text", "kind", "year", "serial", "issued_at", "voided_at", "void_reason")
    list_filter = ("kind", "year")
    search_fields = ("text",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "kind", "unit", "verification_code", "issued_at")
    list_filter = ("kind",)
    search_fields = ("number__text", "verification_code", "sha256")
    list_select_related = ("number", "unit")
