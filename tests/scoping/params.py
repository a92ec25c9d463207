"""How the generic scoping test fills a URL: each path parameter of a URL pattern or API
operation (``FILLS``), the query a page needs (``QUERIES``) and the body an operation needs
(``API_BODIES``).

A parameter is filled with a record of the east station (``east``), with a record no station
owns (``shared``: the policy, a checklist, the bureau's responsibility table) or with a plain
value (``value``). A URL with a parameter no entry fills fails the test, asking for an entry
here.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from tests.scoping.world import World
from xiaoneng.planning.draws.models import SNAPSHOTS

EXPORT_KINDS = ("entities", "units", "officers", "grids")


@dataclass(frozen=True)
class Filled:
    """A parameter's value and what it names: a record of the east station (``east``), a
    record of no station (``shared``) or a plain value (``value``)."""

    value: str
    kind: str
    record: models.Model | None = None


Fill = Callable[[World, str], "Filled | list[Filled]"]


def east(name: str, attribute: str = "pk") -> Fill:
    """The east station's record ``name`` (a key of ``World.east``), by ``attribute``."""

    def fill(world: World, route: str) -> Filled:
        record = world.east[name]
        return Filled(str(getattr(record, attribute)), "east", record)

    return fill


def shared(name: str, attribute: str = "pk") -> Fill:
    """A record no station owns (a key of ``World.shared``), by ``attribute``."""

    def fill(world: World, route: str) -> Filled:
        record = world.shared[name]
        return Filled(str(getattr(record, attribute)), "shared", record)

    return fill


def value(*texts: str) -> Fill:
    """A plain value (a choice, an action, a date); several values check the URL with each."""
    return lambda world, route: [Filled(text, "value") for text in texts]


def admin_record(world: World, route: str) -> Filled:
    """The record of the admin page's model: the world's own, else the first one stored, else
    none at all (the admin site refuses everyone but staff before it looks the record up)."""
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    found = world.of_model(model)
    if found is not None:
        return Filled(str(found[1].pk), found[0], found[1])
    first = model._default_manager.order_by("pk").first()
    return Filled(str(first.pk) if first else "0", "shared", first)


# (pattern, fill): the first pattern matching "<label>.<parameter>" fills the parameter. A
# label is a URL name ("inspections:inspection_detail") or an API path ("/api/v1/cases/{case_id}").
FILLS: list[tuple[str, Fill]] = [
    # the register
    ("*.uscc", east("entity", "uscc")),
    ("registry:credit_decide.pk", east("credit_proposal")),
    ("/api/v1/credit-proposals/*.proposal_id", east("credit_proposal")),
    ("/api/v1/checklists/for-entity/*.entity_id", east("entity")),
    ("registry:export.kind", value(*EXPORT_KINDS)),
    ("*/export/*.kind", value(*EXPORT_KINDS)),
    ("*/import/*.kind", value(*EXPORT_KINDS)),
    # the organisation
    ("org:unit_detail.code", east("station", "code")),
    ("org:grid_detail.code", east("grid", "code")),
    ("/api/v1/units/*.code", east("station", "code")),
    ("/api/v1/grids/*.code", east("grid", "code")),
    ("planning:station_calendar.code", east("station", "code")),
    ("*calendar/station/*.code", east("station", "code")),
    ("*.username", east("officer", "username")),
    # planning
    ("planning:policy_version.version", shared("policy", "version")),
    ("/api/v1/policy/*.version", shared("policy", "version")),
    ("planning:rule_*.pk", shared("rule")),
    ("*.rule_id", shared("rule")),
    ("planning:plan_detail.pk", east("plan")),
    ("/api/v1/plans/*.plan_id", east("plan")),
    ("planning:task_*.pk", east("task")),
    ("*.task_pk", east("task")),
    ("*.task_id", east("task")),
    ("planning:campaign_*.pk", east("campaign")),
    ("*.campaign_id", east("campaign")),
    ("planning:draw_*.pk", east("draw")),
    ("*.draw_id", east("draw")),
    ("planning:draw_snapshot.part", value(*SNAPSHOTS)),
    ("*snapshots*.part", value(*SNAPSHOTS)),
    # inspections
    ("inspections:checklist_*.pk", shared("checklist")),
    ("inspections:checklist_history.code", shared("checklist", "code")),
    ("*.checklist_id", shared("checklist")),
    ("inspections:inspection_edit.pk", east("draft")),
    ("inspections:inspection_sign.pk", east("draft")),
    ("inspections:inspection_party_signature.pk", east("draft")),
    ("inspections:inspection_attachment*.pk", east("draft")),
    ("inspections:inspection_*.pk", east("inspection")),
    ("*.attachment_pk", east("attachment")),
    ("/api/v1/inspections/{inspection_id}/attachments*.inspection_id", east("draft")),
    ("PUT /api/v1/inspections/{inspection_id}.inspection_id", east("draft")),
    ("/api/v1/inspections/{inspection_id}/sign.inspection_id", east("draft")),
    ("POST /api/v1/inspections/{inspection_id}/party-signature.inspection_id", east("draft")),
    ("*.inspection_id", east("inspection")),
    ("*.attachment_id", east("attachment")),
    ("inspections:trace_flag_detail.pk", east("flag")),
    ("*.flag_id", east("flag")),
    ("*.finding_id", east("finding")),
    ("inspections:rectification_*.pk", east("rectification")),
    ("*.rectification_id", east("rectification")),
    ("inspections:exit_*.pk", east("exit_check")),
    ("*.check_id", east("exit_check")),
    ("inspections:unlicensed_*.pk", east("unlicensed")),
    # documents: the inspection's 现场检查笔录 (before the catch-all record_id below)
    ("documents:*.kind", value("inspection")),
    ("documents:*.record_id", east("inspection")),
    ("/api/v1/documents/*.kind", value("inspection")),
    ("/api/v1/documents/*.record_id", east("inspection")),
    ("*.record_id", east("unlicensed")),
    ("inspections:sampling_plan_detail.pk", east("sampling_plan")),
    ("/api/v1/sampling/plans/*.plan_id", east("sampling_plan")),
    ("inspections:sampling_sample_result.pk", east("sample")),
    ("*.sample_id", east("sample")),
    ("inspections:sampling_follow_up*.pk", east("follow_up")),
    ("*.follow_up_id", east("follow_up")),
    # cases
    ("cases:*.pk", east("case")),
    ("cases:case_action.action", value("execute")),
    ("*.case_id", east("case")),
    # oversight
    ("oversight:review_round.pk", east("review_round")),
    ("*.round_id", east("review_round")),
    ("oversight:review_detail.pk", east("review")),
    ("*.review_id", east("review")),
    ("oversight:supervision_*.pk", east("supervision")),
    ("/api/v1/supervision-items/*.item_id", east("supervision")),
    # timeliness.clocks
    ("timeliness:warning_*.pk", east("warning")),
    ("*.warning_id", east("warning")),
    ("*.clock_id", east("clock")),
    # timeliness.permits
    ("timeliness:service_case_*.pk", east("service_case")),
    ("*.service_case_id", east("service_case")),
    ("timeliness:service_case_action.action", value("accept", "notice")),
    ("*/api/v1/service-cases/*.action", value("accept", "notice")),
    (
        "timeliness:service_item_edit.pk",
        lambda world, route: Filled(
            str(world.east["service_case"].item_id), "shared", world.east["service_case"].item
        ),
    ),
    # timeliness.complaints
    ("timeliness:complaint_action.action", value("accept")),
    ("timeliness:complaint_*.pk", east("complaint")),
    ("*.complaint_id", east("complaint")),
    # timeliness.callbacks
    ("timeliness:callback_round.pk", east("callback_round")),
    ("timeliness:callback_problem_*.pk", east("callback_problem")),
    ("timeliness:callback_*.pk", east("callback")),
    ("/api/v1/callbacks/*.callback_id", east("callback")),
    ("/api/v1/callback-problems/*.problem_id", east("callback_problem")),
    # timeliness.accountability
    ("timeliness:accountability_*.pk", east("accountability")),
    ("*.action_id", east("accountability")),
    # keywords (the library is county-wide: its records are shared)
    ("keywords:rule_*.pk", shared("keyword_rule")),
    ("keywords:version_*.number", shared("keyword_version", "number")),
    ("/api/v1/keywords/rules/*.code", shared("keyword_rule", "code")),
    # ads.governance (meetings are the bureau's: shared)
    ("ad_governance:reviewer_*.pk", east("ad_reviewer")),
    ("*.reviewer_id", east("ad_reviewer")),
    ("ad_governance:party_*.pk", east("entity")),
    ("/api/v1/ad-governance/parties/*.entity_id", east("entity")),
    ("ad_governance:meeting_*.pk", shared("ad_meeting")),
    ("*.meeting_id", shared("ad_meeting")),
    ("ad_governance:follow_up_done.pk", shared("ad_follow_up")),
    ("/api/v1/ad-governance/follow-ups/*.item_id", shared("ad_follow_up")),
    # online (sellers of the east entity, their batch, listing and referral)
    ("online:batch_*.pk", east("online_batch")),
    ("online:listing_*.pk", east("online_listing")),
    ("online:seller_action.action", value("dismiss")),
    ("online:referral_action.action", value("answered")),
    ("online:referral_*.pk", east("online_referral")),
    ("online:*.pk", east("online_seller")),
    ("/api/v1/online/*.batch_id", east("online_batch")),
    ("/api/v1/online/*.listing_id", east("online_listing")),
    ("/api/v1/online/*.seller_id", east("online_seller")),
    ("/api/v1/online/*.referral_id", east("online_referral")),
    # ads
    ("ads:operator_action.action", value("start_check")),
    ("ads:operator_*.pk", east("ad_operator")),
    ("*/api/v1/ad-operators/*.operator_id", east("ad_operator")),
    ("ads:filing_action.action", value("accept")),
    ("ads:filing_*.pk", east("ad_filing")),
    ("*/api/v1/ad-filings/*.filing_id", east("ad_filing")),
    ("ads:monitored_action.action", value("file_case")),
    ("ads:monitored_*.pk", east("monitored_ad")),
    ("*/api/v1/monitored-ads/*.ad_id", east("monitored_ad")),
    ("ads:notice_*.pk", east("ad_notice")),
    ("*/api/v1/ad-notices/*.notice_id", east("ad_notice")),
    # risk (an evaluation covers the whole register: shared)
    ("risk:evaluation_detail.pk", shared("risk_evaluation")),
    # reports.ledger (the east station's patrol day)
    ("ledger:entry_*.pk", east("ledger_entry")),
    ("/api/v1/ledger/entries/*.entry_id", east("ledger_entry")),
    # reports.assessment (the east officer's result of a month)
    ("assessment:result.result_id", east("assessment_result")),
    ("assessment:records.result_id", east("assessment_result")),
    ("assessment:records.code", value("plan_completion")),
    ("/api/v1/assessment/results/*.result_id", east("assessment_result")),
    ("/api/v1/assessment/results/*.code", value("plan_completion")),
    # org.training (the east station's own session)
    ("training:session_*.pk", east("training_session")),
    ("/api/v1/training/sessions/*.session_id", east("training_session")),
    # documents: the public verification page of an issued document
    ("documents:verify.code", shared("issued_document", "verification_code")),
    # the admin site: the record of the page's model
    ("admin:view_on_site.*", value("1")),
    ("admin:auth_user_password_change.id", east("officer")),
    ("admin:*.object_id", admin_record),
    ("admin/*.object_id", admin_record),
    ("admin:app_list.app_label", value("registry")),
    ("admin/*.url", value("no-such-page/")),
    ("api:no_such_path.rest", value("no-such-path/")),
]


def fill_for(label: str, parameter: str) -> Fill | None:
    """The registered fill of ``parameter`` in the URL or operation ``label``."""
    key = f"{label}.{parameter}"
    for pattern, fill in FILLS:
        if fnmatch.fnmatchcase(key, pattern):
            return fill
    return None


# Query parameters: what a page or operation needs to answer at all, or the record it is
# about when the record is named in the query (the order of which inspection?).
QUERIES: dict[str, dict[str, Fill]] = {
    "inspections:rectification_create": {"inspection": east("inspection")},
    "GET /api/v1/reports/period": {"from": value("2026-01-01"), "to": value("2026-12-31")},
    "GET /api/v1/ledger/entries": {"from": value("2026-01-01"), "to": value("2026-12-31")},
    "GET /api/v1/assessment/results": {"period": value("2026-03")},
    "GET /api/v1/ledger/efficiency": {"from": value("2026-01-01"), "to": value("2026-12-31")},
    "GET /api/v1/service-cases/figures": {"from": value("2026-01-01"), "to": value("2026-12-31")},
}


# Request bodies of API operations whose minimal body (built from the schema) the API refuses
# before it looks the record up.
API_BODIES: dict[str, dict[str, Any]] = {
    # timeliness.clocks
    "POST /api/v1/warnings/{warning_id}/handle": {"note": "已处理"},
    "POST /api/v1/warnings/{warning_id}/clear": {"reason_note": "误报"},
    # keywords
    "POST /api/v1/textscan/check": {"text": "全网最佳", "target": "ad"},
}
