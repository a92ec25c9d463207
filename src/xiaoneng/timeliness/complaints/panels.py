"""What complaints add to the entity dossier (ADR 0012): the complaints and reports against it
that the user's units handle, newest first, and how many were founded within the year.

Registered from ``TimelinessConfig.ready()`` (``import xiaoneng.timeliness.complaints.panels``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest
from xiaoneng.timeliness.complaints import repeated
from xiaoneng.timeliness.complaints.models import Complaint


@panels.register
class EntityComplaints(DossierPanel):
    """投诉举报 of the entity, with the founded ones of the last year (the repeated-complaints
    threshold, docs/timeliness/complaints.md)."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity = self.entity()
        complaints = scoped(Complaint.objects.filter(entity=entity), self.user)
        found, total = newest(complaints, "-received_on", "-id")
        rows = [
            HistoryRow(
                day=complaint.received_on,
                text=f"{complaint.number} {complaint.get_kind_display()}：{complaint.content[:40]}",
                url=reverse("timeliness:complaint_detail", args=[complaint.pk]),
                note=complaint.get_topic_display(),
                status=complaint.get_status_display(),
                tone="danger" if complaint.founded in repeated.FOUNDED else "light",
            )
            for complaint in found
        ]
        founded = scoped(repeated.founded_within(entity, timezone.localdate()), self.user).count()
        summary = (
            _("近一年投诉举报属实 %(n)d 件（达到 %(t)d 件即提出信用等级调整建议）")
            % {"n": founded, "t": repeated.REPEAT_THRESHOLD}
            if founded
            else ""
        )
        more = f"{reverse('timeliness:complaint_list')}"
        return HistoryCard("complaints", _("投诉举报"), rows, total, more_url=more, summary=summary)
