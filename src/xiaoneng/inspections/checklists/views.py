"""Pages of checklists (篇8): the versions in force, one version's items grouped by the law they
rest on, the history of versions with what changed, the import form and the export.

Every logged-in user may read checklists (bureau-wide reference data); the counts of
inspections that used a version are of the user's own units. Importing needs
MANAGE_CHECKLISTS.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, known_filters, paginate
from xiaoneng.core.scoping import scoped
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.inspections.checklists import files as checklist_files
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.checklists.forms import ImportForm
from xiaoneng.inspections.checklists.models import Checklist, InspectionKind
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.org.requests import OfficerRequest

STATE_LABELS = {
    "current": gettext_lazy("现行"),
    "pending": gettext_lazy("待施行"),
    "retired": gettext_lazy("已停用"),
}


def _used(user: Officer, **lookup: Any) -> dict[int, int]:
    """Inspections of the user's units per checklist version."""
    rows = (
        scoped(Inspection.objects.filter(**lookup), user)
        .order_by()
        .values("checklist_id")
        .annotate(n=Count("id"))
    )
    return {row["checklist_id"]: row["n"] for row in rows}


@login_required
def checklist_list(request: OfficerRequest) -> HttpResponse:
    """Each checklist: the version in force, a version waiting for its date, items, use."""
    today = timezone.localdate()
    params = known_filters(request, kind=Choice(_("方式"), InspectionKind.values))
    kind = params.get("kind", "")
    versions = Checklist.objects.annotate(item_count=Count("items")).order_by("code", "version")
    if kind:
        versions = versions.filter(kind=kind)
    by_code: dict[str, list[Checklist]] = defaultdict(list)
    for version in versions:
        by_code[version.code].append(version)
    used = _used(request.user)
    rows = []
    for code, chain in by_code.items():
        states = {v.pk: checklists.state_of(v, today) for v in chain}
        current = next((v for v in reversed(chain) if states[v.pk] == "current"), None)
        pending = next((v for v in reversed(chain) if states[v.pk] == "pending"), None)
        rows.append(
            {
                "code": code,
                "shown": current or pending or chain[-1],
                "current": current,
                "pending": pending,
                "versions": len(chain),
                "used": sum(used.get(v.pk, 0) for v in chain),
            }
        )
    context = {
        "page": paginate(request, rows, exact=True),  # a few dozen checklists
        "query": f"kind={kind}" if kind else "",
        "kind": kind,
        "kinds": InspectionKind.choices,
        "can_manage": access.can(request.user, access.MANAGE_CHECKLISTS),
    }
    return render(request, "inspections/checklist_list.html", context)


def _groups(checklist: Checklist) -> list[dict[str, Any]]:
    """Items grouped by the first law or regulation their legal basis cites, in item order."""
    groups: dict[str, list[Any]] = {}
    for item in checklist.items.order_by("position"):
        found = checklist_files.LAW.search(item.legal_basis)
        groups.setdefault(found.group(0) if found else _("其他"), []).append(item)
    return [{"law": law, "items": items} for law, items in groups.items()]


@login_required
def checklist_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """One version: its items grouped by law, with method, legal basis and severity."""
    checklist = get_object_or_404(Checklist, pk=pk)
    state = checklists.state_of(checklist)
    siblings = Checklist.objects.filter(code=checklist.code)
    context = {
        "checklist": checklist,
        "state": state,
        "state_label": STATE_LABELS[state],
        "groups": _groups(checklist),
        "item_count": checklist.items.count(),
        "used": _used(request.user, checklist=checklist).get(checklist.pk, 0),
        "used_anywhere": checklists.is_used(checklist),
        "previous": siblings.filter(version__lt=checklist.version).order_by("-version").first(),
        "next": siblings.filter(version__gt=checklist.version).order_by("version").first(),
        "can_manage": access.can(request.user, access.MANAGE_CHECKLISTS),
    }
    return render(request, "inspections/checklist_detail.html", context)


@login_required
def checklist_history(request: OfficerRequest, code: str) -> HttpResponse:
    """Every version of a checklist, newest first, each with the items added, removed and
    changed since the version before."""
    entries = checklists.history(code)
    if not entries:
        raise Http404
    used = _used(request.user, checklist__code=code)
    rows = [
        {
            "checklist": version,
            "diff": diff,
            "state_label": STATE_LABELS[checklists.state_of(version)],
            "used": used.get(version.pk, 0),
        }
        for version, diff in entries
    ]
    context = {
        "code": code,
        "latest": entries[0][0],
        "rows": rows,
        "field_labels": {
            "title": _("检查事项"),
            "method": _("检查内容与方法"),
            "legal_basis": _("法律依据"),
            "severity": _("严重程度"),
        },
        "can_manage": access.can(request.user, access.MANAGE_CHECKLISTS),
    }
    return render(request, "inspections/checklist_history.html", context)


def _latest_versions() -> list[Checklist]:
    latest: dict[str, Checklist] = {}
    for checklist in Checklist.objects.order_by("code", "-version"):
        latest.setdefault(checklist.code, checklist)
    return list(latest.values())


@login_required
def checklist_import(request: OfficerRequest) -> HttpResponse:
    """Import version N+1 of a checklist (or version 1 of a new one) from a CSV/XLSX file."""
    access.require(request.user, access.MANAGE_CHECKLISTS)
    initial = {  # the form as a link opens it (?code=pharmacy)
        "code": request.GET.get("code", "").strip(),
        "new_code": request.GET.get("new_code", "").strip(),
        "effective_on": request.GET.get("effective_on", timezone.localdate().isoformat()),
        "title": request.GET.get("title", "").strip(),
        "kind": request.GET.get("kind", InspectionKind.ONSITE),
        "industry_prefixes": request.GET.get("industry_prefixes", "").strip(),
    }
    form = ImportForm(**posted(request), initial=initial)
    row_errors: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        new = data["new"]
        try:
            checklist = checklist_files.import_version(
                code=data["checklist_code"],
                actor=request.user,
                effective_on=data["effective_on"],
                file=data["file"],
                filename=data["file"].name,
                title=data["title"] if new else None,
                kind=data["kind"] if new else None,
                industry_prefixes=data["industry_prefixes"] if new else None,
            )
        except ImportRejected as rejected:
            row_errors = rejected.row_errors
            messages.error(request, rejected.message)
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(
                request,
                _("已导入 %(code)s 第 %(version)d 版，%(date)s 起施行")
                % {
                    "code": checklist.code,
                    "version": checklist.version,
                    "date": checklist.effective_on,
                },
            )
            return redirect("inspections:checklist_detail", pk=checklist.pk)
    context = {
        "values": form.shown,
        "errors": form.field_errors,
        "row_errors": row_errors,
        "codes": _latest_versions(),
        "kinds": InspectionKind.choices,
        "columns": checklist_files.COLUMNS,
    }
    return render(request, "inspections/checklist_import.html", context)


@login_required
def checklist_export(request: OfficerRequest, pk: int) -> HttpResponse:
    """A version as CSV (default) or XLSX, in the import file's columns."""
    checklist = get_object_or_404(Checklist, pk=pk)
    fmt = request.GET.get("format", "csv")
    name = f"{checklist.code}-v{checklist.version}.{fmt}"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        checklist_files.export_version(checklist=checklist, target=buffer, fmt=fmt)
        content: bytes = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        text = io.StringIO()
        checklist_files.export_version(checklist=checklist, target=text, fmt=fmt)
        content, content_type = text.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
