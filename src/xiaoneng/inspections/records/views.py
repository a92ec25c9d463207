"""Pages of inspection records, phone first: my inspections, start one, fill it, sign, amend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, FieldError, InvalidInput
from xiaoneng.core.forms import PageForm, ReasonForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, among, is_day, is_flag, known_filters, paginate
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.checklists.models import Checklist, InspectionKind
from xiaoneng.inspections.records.attachments import StorageFull, add_attachment
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.forms import FromTaskForm, InspectionForm, SignForm, StartForm
from xiaoneng.inspections.records.models import Inspection, TraceFlag
from xiaoneng.inspections.records.party import party_signature_of
from xiaoneng.inspections.records.queries import InspectionFilter, with_member
from xiaoneng.inspections.records.services import (
    amend_inspection,
    amendment_chain,
    is_member,
    may_edit,
    open_inspection,
    require_editor,
)
from xiaoneng.inspections.records.signing import sign_inspection, signing_errors
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity
from xiaoneng.registry.queries import search_condition

RECENT_DAYS = 30
SEARCH_LIMIT = 20
AD_HOC_ORIGINS = (Inspection.Origin.AD_HOC, Inspection.Origin.COMPLAINT)
INPUT_TIME = "%Y-%m-%dT%H:%M"


def _records(request: OfficerRequest) -> QuerySet[Inspection]:
    return scoped(
        Inspection.objects.select_related("entity", "unit", "lead_officer", "checklist"),
        request.user,
    )


def scoped_record(request: OfficerRequest, pk: int) -> Inspection:
    """The record ``pk`` if the officer may see it (404 otherwise), with what its pages show."""
    return get_scoped(_records(request).select_related("updated_by", "task"), request.user, pk=pk)


def tell(request: OfficerRequest, error: DomainError) -> None:
    """Each message of a refusal, without the field codes the API needs."""
    for item in error.errors or [FieldError("", error.message)]:
        messages.error(request, item.message)


def _tell_form(request: OfficerRequest, form: PageForm) -> None:
    """Each message of a form that could not be read, as ``tell`` shows a refusal's."""
    for message in dict.fromkeys(form.field_errors.values()):
        messages.error(request, message)


# Lists --------------------------------------------------------------------------------------


@login_required
def inspection_list(request: OfficerRequest) -> HttpResponse:
    """我的检查: drafts to finish, recently signed, and the scoped list with filters."""
    user = request.user
    records = _records(request)
    mine = with_member(records, user)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    params = known_filters(
        request,
        unit=Choice(_("单位"), among(scoped(Unit.objects.all(), user))),
        date_from=Choice(_("检查日期自"), is_day),
        date_to=Choice(_("检查日期至"), is_day),
        origin=Choice(_("来源"), Inspection.Origin.values),
        kind=Choice(_("方式"), InspectionKind.values),
        status=Choice(_("状态"), Inspection.Status.values),
        failed=Choice(_("有不符合项"), is_flag),
    )
    filters = InspectionFilter.from_params(params)
    rows = filters.apply(records).order_by("-visited_on", "-id")
    page = paginate(request, rows)
    context = {
        "drafts": mine.filter(status=Inspection.Status.DRAFT).order_by("-updated_at")[:50],
        "recent": mine.filter(status=Inspection.Status.SIGNED, signed_at__gte=since).order_by(
            "-signed_at"
        )[:20],
        "page": page,
        "filters": filters,
        "query": "&".join(f"{k}={v}" for k, v in filters.active().items()),
        "units": scoped(Unit.objects.all(), user).order_by("path"),
        "origins": Inspection.Origin.choices,
        "kinds": InspectionKind.choices,
        "statuses": Inspection.Status.choices,
        "can_inspect": access.can(user, access.INSPECT),
        "browsing": bool(filters.active()) or not access.can(user, access.INSPECT),
    }
    return render(request, "inspections/inspection_list.html", context)


# Starting -----------------------------------------------------------------------------------


def _current_checklists(kind: str | None = None) -> QuerySet[Checklist]:
    lists = checklists.in_force(timezone.localdate())
    return (lists.filter(kind=kind) if kind else lists).order_by("code", "-version")


@login_required
def inspection_start(request: OfficerRequest) -> HttpResponse:
    """An ad hoc inspection: find the entity by USCC or name, choose how, open the draft."""
    access.require(request.user, access.INSPECT)
    entities = scoped(Entity.objects.select_related("unit", "grid"), request.user).active()
    q = request.GET.get("q", "").strip()
    found = list(entities.filter(search_condition(q)).order_by("name")[:SEARCH_LIMIT]) if q else []
    form = StartForm(**posted(request))
    valid = form.is_valid()
    typed = form.cleaned_data.get("uscc", "") if form.is_bound else ""
    uscc = (typed or request.GET.get("uscc", "")).strip().upper()
    selected = get_scoped(entities, request.user, uscc=uscc) if uscc else None
    if form.is_bound and selected is None:
        messages.error(request, _("请先选择要检查的市场主体"))
    elif form.is_bound and not valid:
        _tell_form(request, form)
    elif valid and selected is not None:
        data = form.cleaned_data
        try:
            inspection = open_inspection(
                entity=selected,
                officer=request.user,
                kind=data["kind"],
                origin=data["origin"] or None,
                checklist=data["checklist"],
                enforcement=data["enforcement"],
            )
        except (InvalidInput, Conflict) as error:
            form.add_service_errors(error)
            tell(request, error)
        else:
            messages.success(request, _("已开始检查：%(name)s") % {"name": selected.name})
            return redirect("inspections:inspection_edit", pk=inspection.pk)
    context = {
        "q": q,
        "found": found,
        "selected": selected,
        "errors": form.field_errors,
        "form": form.data if form.is_bound else {},
        "kinds": InspectionKind.choices,
        "origins": [(v, label) for v, label in Inspection.Origin.choices if v in AD_HOC_ORIGINS],
        "checklists": _current_checklists(),
    }
    return render(request, "inspections/inspection_start.html", context)


@login_required
@require_POST
def inspection_from_task(request: OfficerRequest, task_pk: int) -> HttpResponse:
    """Start (or continue) the inspection of a task: the button on the task's page."""
    task = get_scoped(
        Task.objects.select_related("plan", "entity", "officer"), request.user, pk=task_pk
    )
    form = FromTaskForm(**posted(request))
    if not form.is_valid():
        _tell_form(request, form)
        return redirect("planning:task_detail", pk=task.pk)
    try:
        inspection = open_inspection(
            officer=request.user,
            kind=form.cleaned_data["kind"],
            task=task,
            enforcement=form.cleaned_data["enforcement"],
        )
    except (InvalidInput, Conflict) as error:
        tell(request, error)
        return redirect("planning:task_detail", pk=task.pk)
    return redirect("inspections:inspection_edit", pk=inspection.pk)


# Filling a draft ----------------------------------------------------------------------------


def _time_input(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime(INPUT_TIME) if moment else ""


def _team_candidates(inspection: Inspection) -> list[Officer]:
    inspectors = access.CAPABILITIES[access.INSPECT]
    same_unit = Officer.objects.filter(
        unit_id=inspection.unit_id, is_active=True, roles__code__in=inspectors
    )
    on_team = Officer.objects.filter(pk__in=inspection.team.values("officer_id"))
    return list((same_unit | on_team).exclude(pk=inspection.lead_officer_id).distinct())


def _form_context(
    request: OfficerRequest, inspection: Inspection, refused: InspectionForm | None
) -> dict[str, Any]:
    """The draft form: as stored, or as posted (``refused``) with its fields marked."""
    form: Any = refused.data if refused is not None else None
    errors = refused.field_errors if refused is not None else {}
    rows = []
    for row in inspection.results.select_related("item").order_by("item__position"):
        key = row.item_id
        rows.append(
            {
                "row": row,
                "item": row.item,
                "mark": form.get(f"result_{key}", "") if form else row.result,
                "note": form.get(f"note_{key}", "") if form else row.note,
                "error": errors.get(f"results.{key}", ""),
            }
        )
    team = list(inspection.team.select_related("officer").order_by("id"))
    chosen = set(form.getlist("team")) if form else {r.officer.get_username() for r in team}

    def value(name: str, stored: Any) -> Any:
        return form.get(name, "") if form else ("" if stored is None else stored)

    return {
        "inspection": inspection,
        "rows": rows,
        "team": team,
        "enforcement": form.get("enforcement") == "1" if form else inspection.enforcement,
        "candidates": [(o, o.get_username() in chosen) for o in _team_candidates(inspection)],
        "errors": errors,
        "revision": form.get("revision", inspection.revision) if form else inspection.revision,
        "values": {
            "summary": value("summary", inspection.summary),
            "started_at": value("started_at", _time_input(inspection.started_at)),
            "finished_at": value("finished_at", _time_input(inspection.finished_at)),
            "checkin_at": value("checkin_at", _time_input(inspection.checkin_at)),
            "checkin_longitude": value("checkin_longitude", inspection.checkin_longitude),
            "checkin_latitude": value("checkin_latitude", inspection.checkin_latitude),
            "checkin_accuracy": value("checkin_accuracy", inspection.checkin_accuracy),
            "entity_operating": value(
                "entity_operating", "1" if inspection.entity_operating else "0"
            ),
        },
        "attachments": inspection.attachments.order_by("id"),
        "results": [
            ("pass", _("符合"), "success"),
            ("fail", _("不符合"), "danger"),
            ("na", _("不适用"), "secondary"),
        ],
        "missing": signing_errors(inspection),
        "may_sign": any(r.officer_id == request.user.pk and not r.signed_at for r in team),
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
    }


@login_required
def inspection_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    """The draft form: one card per item, check-in, photos; save, or save and sign.

    "Save and sign" saves first, in its own transaction: a refused signature (an item left
    unanswered, no check-in) keeps what the officer filled in and shows what is missing.
    """
    inspection = scoped_record(request, pk)
    if inspection.status == Inspection.Status.SIGNED:
        messages.info(request, _("该检查记录已签名，不能再修改。"))
        return redirect("inspections:inspection_detail", pk=pk)
    require_editor(request.user, inspection)
    form = InspectionForm(**posted(request), inspection=inspection)
    refused = None
    if form.is_valid():
        try:
            inspection = _save_form(request, inspection, form)
        except (InvalidInput, Conflict, StorageFull) as error:
            # Nothing was saved: the form comes back with what the officer typed.
            form.add_service_errors(error)
            refused = form
            tell(request, error)
            inspection = scoped_record(request, pk)
        else:
            if form.cleaned_data["action"] == "sign":
                # Signs the revision just saved, not one another member saved meanwhile.
                return _sign(request, inspection, inspection.revision, saved=True)
            messages.success(request, _("草稿已保存"))
            return redirect("inspections:inspection_edit", pk=pk)
    elif form.is_bound:
        refused = form
        _tell_form(request, form)
    context = _form_context(request, inspection, refused)
    return render(request, "inspections/inspection_form.html", context)


def _save_form(request: OfficerRequest, inspection: Inspection, form: InspectionForm) -> Inspection:
    """Save the posted form and its uploads together: all of it, or nothing."""
    officer = request.user
    with transaction.atomic():
        saved = save_draft(
            inspection=inspection,
            officer=officer,
            revision=form.cleaned_data["revision"],
            values=form.values(),
        )
        for kind, upload in form.uploads():
            add_attachment(inspection=saved, officer=officer, upload=upload, kind=kind)
    return saved


def _sign(
    request: OfficerRequest, inspection: Inspection, revision: Any = None, *, saved: bool = False
) -> HttpResponse:
    try:
        signed = sign_inspection(
            inspection=inspection,
            officer=request.user,
            revision=revision,
        )
    except (InvalidInput, Conflict) as error:
        if saved:
            messages.info(request, _("草稿已保存"))
        tell(request, error)
        if inspection.status == Inspection.Status.DRAFT:
            # The form as saved, with "签名前还需" computed from the stored record.
            return redirect("inspections:inspection_edit", pk=inspection.pk)
        return redirect("inspections:inspection_detail", pk=inspection.pk)
    if signed.status == Inspection.Status.SIGNED:
        messages.success(request, _("检查记录已签名完毕"))
    else:
        waiting = "、".join(str(r.officer) for r in signed.team.filter(signed_at__isnull=True))
        messages.success(request, _("您已签名，等待 %(names)s 签名") % {"names": waiting})
    return redirect("inspections:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def inspection_sign(request: OfficerRequest, pk: int) -> HttpResponse:
    """A member of the team signs the record as it stands (at the revision they read)."""
    inspection = scoped_record(request, pk)
    form = SignForm(**posted(request))
    if not form.is_valid():
        _tell_form(request, form)
        return redirect("inspections:inspection_detail", pk=pk)
    return _sign(request, inspection, form.cleaned_data["revision"] or None)


@login_required
@require_POST
def inspection_amend(request: OfficerRequest, pk: int) -> HttpResponse:
    """Open a correction of a signed record, with a reason."""
    original = scoped_record(request, pk)
    form = ReasonForm(**posted(request))
    if not form.is_valid():
        _tell_form(request, form)
        return redirect("inspections:inspection_detail", pk=pk)
    try:
        amendment = amend_inspection(
            inspection=original,
            officer=request.user,
            reason=form.cleaned_data["reason"],
        )
    except (InvalidInput, Conflict) as error:
        tell(request, error)
        return redirect("inspections:inspection_detail", pk=pk)
    messages.success(request, _("已建立更正草稿，请修改后重新签名"))
    return redirect("inspections:inspection_edit", pk=amendment.pk)


# Detail ---------------------------------------------------------------------------------------


@login_required
def inspection_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """The record as it stands: signatures, results, photos with SHA-256, findings, trace."""
    context = detail_context(request, scoped_record(request, pk))
    return render(request, "inspections/inspection_detail.html", context)


def detail_context(request: OfficerRequest, inspection: Inspection) -> dict[str, Any]:
    """What the record's page shows (also re-shown with a refused party signature's form)."""
    user = request.user
    team = list(inspection.team.select_related("officer").order_by("id"))
    chain = amendment_chain(inspection)
    later = chain[chain.index(inspection) + 1] if chain[-1] != inspection else None
    draft = inspection.status == Inspection.Status.DRAFT
    context = {
        "inspection": inspection,
        "team": team,
        "results": inspection.results.select_related("item").order_by("item__position"),
        "attachments": inspection.attachments.select_related("uploaded_by").order_by("id"),
        "flags": TraceFlag.objects.filter(inspection=inspection),
        "chain": chain if len(chain) > 1 else [],
        "later": later,
        "history": readable(audit.history(inspection)[:200], Inspection),
        "may_edit": draft and may_edit(user, inspection),
        "may_sign": draft and any(r.officer_id == user.pk and not r.signed_at for r in team),
        "may_amend": not draft and later is None and may_edit(user, inspection),
        "is_member": is_member(user, inspection),
        "missing": signing_errors(inspection) if draft else [],
        "party": party_signature_of(inspection),
        "party_form": {"captured_at": ""},
        "may_record_party": draft and may_edit(user, inspection),
    }
    return context
