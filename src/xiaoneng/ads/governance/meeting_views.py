"""Pages of the joint meetings (联席会议, 篇1): the bureau's meetings (stations read them), a
meeting with its follow-ups and shared leads, and the forms that record them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads.governance import meetings as service
from xiaoneng.ads.governance import queries
from xiaoneng.ads.governance.departments import department_name, departments
from xiaoneng.ads.governance.forms import CompletionForm, FollowUpForm, LeadForm, MeetingForm
from xiaoneng.ads.governance.models import FollowUpItem, JointMeeting
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import act, is_year, paginate
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest


@login_required
def meeting_list(request: OfficerRequest) -> HttpResponse:
    """The joint meetings of the user's bureau, newest first, by year."""
    year_text = request.GET.get("year", "").strip()
    year = int(year_text) if is_year(year_text) else None
    page = paginate(request, queries.meetings(request.user, year=year))
    rows = [{"meeting": m, "members": queries.members_text(m)} for m in page]
    context = {
        "page": page,
        "rows": rows,
        "year": year or "",
        "may_record": service.may_record_meetings(request.user),
    }
    return render(request, "ad_governance/meeting_list.html", context)


@login_required
def meeting_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``record_meeting``."""
    if not service.may_record_meetings(request.user):
        raise NotPermitted(_("联席会议由局科室人员登记。"))
    form = MeetingForm(**posted(request), initial={"held_on": timezone.localdate().isoformat()})
    if form.is_valid():
        try:
            meeting = service.record_meeting(actor=request.user, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记联席会议：%(m)s") % {"m": meeting})
            return redirect("ad_governance:meeting_detail", pk=meeting.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    checked = request.POST.getlist("member_departments") if form.is_bound else []
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "departments": list(departments().items()),
        "checked": checked,
    }
    return render(request, "ad_governance/meeting_form.html", context)


def _meeting(request: OfficerRequest, pk: int) -> JointMeeting:
    return get_scoped(JointMeeting.objects.all(), request.user, pk=pk)


def _detail(
    request: OfficerRequest, meeting: JointMeeting, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    follow_ups = [
        {
            "item": item,
            "owner": department_name(item.owner_department),
            "overdue": service.is_overdue(item, today),
        }
        for item in meeting.follow_ups.all()
    ]
    leads = [
        {"lead": lead, "from": department_name(lead.from_department)}
        for lead in meeting.leads.all()
    ]
    context = {
        "meeting": meeting,
        "convener": department_name(meeting.convening_department),
        "members": queries.members_text(meeting),
        "member_choices": [(c, department_name(c)) for c in meeting.member_departments],
        "follow_ups": follow_ups,
        "leads": leads,
        "may_record": service.may_record_meetings(request.user),
        "errors": errors,
        "shown": dict(request.POST.items()) if request.method == "POST" else {},
        "today": today,
    }
    return render(request, "ad_governance/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A meeting: members, topics, decisions, follow-ups and shared leads."""
    return _detail(request, _meeting(request, pk), {})


def _post(request: OfficerRequest, meeting: JointMeeting, form: Any, run: Any, done: str) -> Any:
    def refused(error: DomainError) -> HttpResponse:
        return _detail(request, meeting, error.by_field, status=error.status_code)

    back = redirect("ad_governance:meeting_detail", pk=meeting.pk)
    if not form.is_valid():
        messages.error(request, form.for_page)
        return refused(InvalidInput(form.for_page, errors=form.error_list))
    return act(request, lambda: run(form.cleaned_data), done, back, refused=refused)


@login_required
@require_POST
def meeting_follow_up(request: OfficerRequest, pk: int) -> HttpResponse:
    """Add a follow-up to a meeting."""
    meeting = _meeting(request, pk)

    def run(data: dict[str, Any]) -> Any:
        draft = service.FollowUpDraft(data["task"], data["owner_department"], data["deadline"])
        return service.add_follow_up(meeting=meeting, draft=draft, actor=request.user)

    return _post(request, meeting, FollowUpForm(**posted(request)), run, _("已添加落实事项"))


@login_required
@require_POST
def meeting_lead(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record a lead shared at a meeting."""
    meeting = _meeting(request, pk)
    return _post(
        request,
        meeting,
        LeadForm(**posted(request)),
        lambda data: service.share_lead(meeting=meeting, actor=request.user, **data),
        _("已登记通报线索"),
    )


@login_required
@require_POST
def follow_up_done(request: OfficerRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done."""
    item = get_scoped(FollowUpItem.objects.select_related("meeting"), request.user, pk=pk)
    return _post(
        request,
        item.meeting,
        CompletionForm(**posted(request)),
        lambda data: service.complete_follow_up(item=item, actor=request.user, **data),
        _("落实事项已办结"),
    )
