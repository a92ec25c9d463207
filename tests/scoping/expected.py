"""What the generic scoping test expects beyond the rule: the main lists that show the east
station's record, the pages that refuse a role for want of a capability, and those that answer
404 to everyone."""

from __future__ import annotations

from xiaoneng.org import access

# The main lists: a user whose scope covers the east station finds its record here (the text
# of ``World.east[name]``'s ``attribute``); the west station never does.
MAIN_LISTS: dict[str, tuple[str, str]] = {
    "registry:entity_list": ("entity", "name"),
    "GET /api/v1/entities": ("entity", "uscc"),
    "inspections:inspection_list": ("entity", "name"),
    "GET /api/v1/inspections": ("entity", "name"),
    "inspections:rectification_list": ("rectification", "number"),
    "GET /api/v1/rectifications": ("rectification", "number"),
    "inspections:unlicensed_list": ("unlicensed", "name"),
    "GET /api/v1/unlicensed-operators": ("unlicensed", "name"),
    "cases:case_list": ("case", "number"),
    "GET /api/v1/cases": ("case", "number"),
    "planning:plan_list": ("plan", "title"),
    "GET /api/v1/plans": ("plan", "title"),
    "oversight:supervision_list": ("supervision", "title"),
    "GET /api/v1/supervision-items": ("supervision", "title"),
    "inspections:sampling_plans": ("sampling_plan", "title"),
    "GET /api/v1/sampling/plans": ("sampling_plan", "title"),
    "registry:entity_points": ("entity", "uscc"),
    "ads:filing_list": ("ad_filing", "title"),
    "GET /api/v1/ad-filings": ("ad_filing", "number"),
    "ads:monitored_list": ("monitored_ad", "outlet"),
    "GET /api/v1/monitored-ads": ("monitored_ad", "outlet"),
    "training:session_list": ("training_session", "title"),
    "GET /api/v1/training/sessions": ("training_session", "title"),
    "ledger:entry_list": ("ledger_entry", "title"),
    "GET /api/v1/ledger/entries": ("ledger_entry", "title"),
}


# Records a role whose scope covers them may still be refused (403) by the page: for want of
# the capability it names (xiaoneng.org.access), or, with TEAM, to all but the record's team.
TEAM = "team"
REFUSED: dict[str, str] = {
    "inspections:inspection_edit": TEAM,  # a draft is edited by its own team only
    "cases:collection_create": access.HANDLE_CASES,
    "cases:goods_create": access.HANDLE_CASES,
    "cases:case_action": access.HANDLE_CASES,
    "inspections:rectification_create": access.INSPECT,
    "ads:operator_create": access.SUPERVISE_ADS,
    "ads:operator_action": access.SUPERVISE_ADS,
    "ads:filing_create": access.SUPERVISE_ADS,
    "ads:filing_action": access.SUPERVISE_ADS,
    "ads:monitored_create": access.SUPERVISE_ADS,
    "ads:monitored_import": access.SUPERVISE_ADS,
    "ads:monitored_action": access.SUPERVISE_ADS,
    "ads:notice_create": access.SUPERVISE_ADS,
    "ads:notice_outcome": access.SUPERVISE_ADS,
    "ads:confiscation_create": access.SUPERVISE_ADS,
    "keywords:rule_create": access.MANAGE_KEYWORDS,
    "keywords:rule_edit": access.MANAGE_KEYWORDS,
    "keywords:rule_active": access.MANAGE_KEYWORDS,
    "keywords:import": access.MANAGE_KEYWORDS,
    "risk:home": access.MANAGE_RISK_MODEL,
    "risk:evaluation_detail": access.MANAGE_RISK_MODEL,
    "ledger:entry_edit": access.RECORD_LEDGER,
}

# Pages that answer 404 to everyone, and why.
NOT_FOUND = {
    "api:api-root": "django-ninja's root only names the API's base path",
    "api:no_such_path": "any other path under /api/v1/ answers the API's JSON 404",
}
