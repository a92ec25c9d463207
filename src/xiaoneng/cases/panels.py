"""What cases add to the pages of inspections (ADR 0012): the cases opened from a record,
and the button that opens one (转立案查处); and to the entity dossier: its cases.

Registered from ``CasesConfig.ready()``. The button shows only to a user who may open a
case (``HANDLE_CASES``, as ``case_create`` requires) and only while the record may still be
escalated; the case form itself checks both again.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from xiaoneng.cases import sources
from xiaoneng.cases.models import Case
from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections import transitions as tables
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Rectification,
    Sample,
    SampleFollowUp,
    UnlicensedOperator,
)
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest


def case_form_url(record: Model) -> str:
    """The case form opened from ``record`` (a finding, an order, a failed sample…)."""
    return f"{reverse('cases:case_create')}?{sources.BY_MODEL[type(record)].param}={record.pk}"


def may_open_case(user: Officer | AnonymousUser) -> bool:
    """Whether ``user`` may open a case: the check ``case_create`` makes."""
    return access.can(user, access.HANDLE_CASES)


def escalable(record: Model) -> bool:
    """Whether a case may still be opened from ``record``: its status table allows the move
    to escalated. A finding only while open: one under an order goes through the order."""
    if isinstance(record, Finding):
        return record.status == Finding.Status.OPEN
    if isinstance(record, Rectification):
        return tables.RECTIFICATION.allows(record.status, Rectification.Status.ESCALATED)
    if isinstance(record, ExitCheck):
        return tables.EXIT_CHECK.allows(record.status, ExitCheck.Status.ESCALATED)
    if isinstance(record, UnlicensedOperator):
        return tables.UNLICENSED.allows(record.status, UnlicensedOperator.Status.ESCALATED)
    if isinstance(record, SampleFollowUp):
        return tables.SAMPLE_FOLLOW_UP.allows(record.status, SampleFollowUp.Status.ESCALATED)
    return False


def _cases_of(record: Model) -> QuerySet[Case]:
    if isinstance(record, SampleFollowUp):
        return Case.objects.filter(sample_id=record.sample_id)
    return Case.objects.filter(**{sources.BY_MODEL[type(record)].field: record})


@panels.register
class LinkedCasesPanel(panels.Panel):
    """ "已转立案": the cases opened from an order, exit check, unlicensed operator or sample."""

    models = (
        "inspections.rectification",
        "inspections.exitcheck",
        "inspections.unlicensedoperator",
        "inspections.samplefollowup",
    )

    def alerts(self) -> str:
        linked = list(_cases_of(self.object))
        if not linked:
            return ""
        return self.render("cases/panels/linked_cases.html", {"cases": linked})


@panels.register
class OpenCaseButton(panels.Panel):
    """ "转立案查处" on an open order, exit check or unlicensed operator; "转立案" on an open
    finding (a row of the finding list, or of its inspection record)."""

    models = (
        "inspections.finding",
        "inspections.rectification",
        "inspections.exitcheck",
        "inspections.unlicensedoperator",
    )

    def buttons(self) -> str:
        if not (may_open_case(self.user) and escalable(self.object)):
            return ""
        return self.render(
            "cases/panels/open_case.html",
            {"url": case_form_url(self.object), "row": isinstance(self.object, Finding)},
        )


@panels.register
class EscalateSampleCard(panels.Panel):
    """ "移送立案" on the follow-up of a failed sample (篇4), until it is closed or escalated."""

    models = ("inspections.samplefollowup",)

    def right(self) -> str:
        follow_up = self.object
        assert isinstance(follow_up, SampleFollowUp)
        if not (may_open_case(self.user) and escalable(follow_up)):
            return ""
        url = panels.link(follow_up.sample, "open_case")
        return self.render("cases/panels/escalate_sample.html", {"url": url})


# Where "open a case" leads for each source, for an API that names it (the sample follow-up's
# ``escalate_url``).
for _model in (Finding, Rectification, ExitCheck, UnlicensedOperator, Sample):
    panels.register_link(panels.label_of(_model), "open_case", case_form_url)


@panels.register
class EntityCases(DossierPanel):
    """案件 of the entity that the user's units handle, newest lead first."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        cases = scoped(Case.objects.filter(entity=self.entity()), self.user)
        found, total = newest(cases, "-received_on", "-id")
        rows = [
            HistoryRow(
                day=case.received_on,
                text=f"{case.number} {case.title}",
                url=reverse("cases:case_detail", args=[case.pk]),
                note=case.get_kind_display(),
                status=case.get_status_display(),
            )
            for case in found
        ]
        return HistoryCard("cases", str(gettext_lazy("案件")), rows, total)
