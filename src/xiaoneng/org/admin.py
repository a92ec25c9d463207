from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import Grid, Officer, Section, Unit, Zone


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "region_code", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")

    def save_model(self, request, obj, form, change):
        from xiaoneng.org import services

        if change:
            super().save_model(request, obj, form, change)
            if "parent" in form.changed_data and obj.parent is not None:
                services.move_unit(unit=obj, parent=obj.parent)
            return
        created = services.create_unit(
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            parent=obj.parent,
            region_code=obj.region_code,
            address=obj.address,
            phone=obj.phone,
        )
        obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
    list_display = ("username", "name", "unit", "certificate_number", "is_active")
    list_filter = ("is_active", "roles", "unit")
    search_fields = ("username", "name", "certificate_number")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("执法人员"), {"fields": ("name", "unit", "certificate_number", "phone", "roles")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        (_("执法人员"), {"fields": ("name", "unit", "certificate_number", "roles")}),
    )


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "station")
    list_filter = ("station",)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "zone")


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "section", "station", "officer", "area_km2")
    list_filter = ("station",)
    search_fields = ("code", "name")
