"""The scheduled jobs page (administrators): each job, its last run, result and whether overdue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from xiaoneng.core.models import JobRun
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.web import jobs

RECENT_RUNS = 30


@login_required
def job_list(request: OfficerRequest) -> HttpResponse:
    """The jobs and the latest runs; only administrators (the jobs run county-wide)."""
    access.require(request.user, access.MANAGE_ORGANISATION)
    labels = {job.name: job.label for job in jobs.JOBS.values()}
    recent = [
        (run, labels.get(run.name, run.name), jobs.labelled_counts(run.counts))
        for run in JobRun.objects.order_by("-started_at")[:RECENT_RUNS]
    ]
    context = {"statuses": jobs.statuses(), "recent": recent}
    return render(request, "web/jobs.html", context)
