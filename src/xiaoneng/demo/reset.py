"""Emptying the database for a new demo county: every business table, no signals, no trace.

Reference data stays (industries, risk rules, roles, the working-day calendar, policy
versions, spot-check items), and so do superusers someone made with their own password.
Tables are emptied children first, so any app's new tables are handled without a change here.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from xiaoneng.demo.logins import PASSWORD

# Tables that hold reference data or Django's own bookkeeping, never emptied.
KEPT = frozenset(
    {
        "registry.industry",
        "registry.riskclassrule",
        "registry.creditrule",
        "inspections.checklist",
        "inspections.checklistitem",
        "org.role",
        "core.calendaryear",
        "core.calendarexception",
        "planning.policy",
        "planning.policycell",
        "planning.inspectionitem",
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "sessions.session",
        "admin.logentry",
    }
)


def _emptied() -> list[type[models.Model]]:
    """The models to empty, each after every model that points at it."""
    our_apps = {c.label for c in apps.get_app_configs() if c.name.startswith("xiaoneng.")}
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in KEPT
        and (m._meta.app_label in our_apps or m._meta.auto_created)
    ]
    chosen = [m for m in chosen if not m._meta.auto_created or m._meta.app_label in our_apps]
    order: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in order or model in visiting:
            return
        visiting.add(model)
        for child in chosen:  # those pointing at ``model`` go first
            if child is not model and any(
                f.is_relation and f.related_model is model and f.concrete
                for f in child._meta.get_fields()
            ):
                visit(child)
        visiting.discard(model)
        order.append(model)

    for model in chosen:
        visit(model)
    return order


def own_superusers() -> list[int]:
    """Superusers someone made (createsuperuser): those whose password is not the demo one."""
    officer_model = apps.get_model("org", "Officer")
    verified: dict[str, bool] = {}  # the demo accounts share one hash: check it once
    kept = []
    for officer in officer_model.objects.filter(is_superuser=True):
        if officer.password not in verified:
            verified[officer.password] = officer.check_password(PASSWORD)
        if not verified[officer.password]:
            kept.append(officer.pk)
    return kept


def reset() -> None:
    """Delete the demo-able data in the caller's transaction."""
    officer_model = apps.get_model("org", "Officer")
    unit_model = apps.get_model("org", "Unit")
    kept = own_superusers()
    # Kept rows must not point at rows about to go.
    officer_model.objects.filter(pk__in=kept).update(unit=None)
    apps.get_model("planning", "Policy").objects.update(created_by=None)
    unit_model.objects.update(parent=None)
    for model in _emptied():
        rows = model._base_manager.all()
        if model is officer_model:
            rows = rows.exclude(pk__in=kept)
        elif model._meta.auto_created and any(
            f.related_model is officer_model for f in model._meta.concrete_fields
        ):
            owner = next(f for f in model._meta.concrete_fields if f.related_model is officer_model)
            rows = rows.exclude(**{f"{owner.name}__in": kept})
        for field in model._meta.concrete_fields:  # self-references (a tree) let go first
            if field.is_relation and field.related_model is model and field.null:
                rows.update(**{field.name: None})
        rows._raw_delete(rows.db)
