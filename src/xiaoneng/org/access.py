"""Who may see and do what: unit scope by role, and the capabilities each role grants.

- An administrator (or superuser) sees every unit.
- A bureau leader and division staff see their bureau's whole subtree: divisions supervise
  and guide the stations county-wide (篇2 机关科室督办, 篇5 科室以指导、服务基层为主).
- Everyone else (station director, grid officer) sees their own unit's subtree.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from xiaoneng.core.errors import NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org.models import Officer, Role, Unit

# What each capability allows, and the roles that hold it.
MANAGE_ORGANISATION = "manage_organisation"  # units, officers, grids and their imports
EDIT_REGISTER = "edit_register"  # create/change/archive entities, classify, grade, place, import
CLAIM_ENTITY = "claim_entity"  # claim (认领) a new entity of one's grid
MANAGE_POLICY = "manage_policy"  # new versions of the supervision policy
EDIT_RESPONSIBILITY = "edit_responsibility"  # departments and the responsibility table (篇3)
PLAN_PATROL = "plan_patrol"  # generate patrol plans (巡查计划) for a unit's subtree
MANAGE_CAMPAIGNS = "manage_campaigns"  # start campaigns (专项整治) and their tasks
RUN_DRAWS = "run_draws"  # create, run and publish double-random draws (双随机)
INSPECT = "inspect"  # record and sign inspections, issue rectification orders (篇7)
REVIEW_INSPECTIONS = "review_inspections"  # director spot checks, resolve trace flags (篇2)
SUPERVISE = "supervise"  # issue and close division supervision items (督办, 篇2)
HANDLE_CASES = "handle_cases"  # register leads and move cases through their stages
MANAGE_TARGETS = "manage_targets"  # set units' annual targets (目标任务)
MANAGE_CHECKLISTS = "manage_checklists"  # new versions of the inspection checklists (篇8)
MANAGE_SAMPLING = "manage_sampling"  # product quality sampling plans and results (篇4)
VIEW_OVERSIGHT = "view_oversight"  # the leader view: what is overdue, flagged, escalated (篇2)
MANAGE_CALENDAR = "manage_calendar"  # load a year's holidays into the working-day calendar
HANDLE_SERVICES = "handle_services"  # register and move service cases, complaints and reports
MANAGE_SERVICE_ITEMS = "manage_service_items"  # service items, their limits; warning settings
HANDLE_WARNINGS = "handle_warnings"  # handle and clear time-limit warnings (电子监察)
RUN_CALLBACKS = "run_callbacks"  # callback rules, draws, callbacks and their problems (回访)
DECIDE_ACCOUNTABILITY = "decide_accountability"  # record accountability actions (问责)
MANAGE_KEYWORDS = "manage_keywords"  # edit the keyword feature library (关键词特征库)
SUPERVISE_ADS = "supervise_ads"  # ad operators, filings, monitored ads, notices, ladders (篇1)
MONITOR_ONLINE = "monitor_online"  # import and review online listings, sellers, networks (篇6)
MANAGE_RISK_MODEL = "manage_risk_model"  # train, score and evaluate the risk model (篇5, 篇6)
MANAGE_TRAINING = "manage_training"  # record training sessions and their attendance (篇8)
RECORD_LEDGER = "record_ledger"  # record and correct resource ledger entries (资源消耗台帐, 篇5)
MANAGE_QUOTAS = "manage_quotas"  # set the expenditure quotas (定额) of each activity kind (篇5)
MANAGE_ASSESSMENT = "manage_assessment"  # weight the indicators, compute assessments (效能考核)
MANAGE_DOCUMENT_WORDING = "manage_document_wording"  # new versions of documents' wording (文书模板)

CAPABILITIES: dict[str, frozenset[str]] = {
    MANAGE_ORGANISATION: frozenset({Role.ADMINISTRATOR}),
    EDIT_REGISTER: frozenset(
        {Role.ADMINISTRATOR, Role.DIVISION_STAFF, Role.STATION_DIRECTOR, Role.BUREAU_LEADER}
    ),
    CLAIM_ENTITY: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR}),
    MANAGE_POLICY: frozenset({Role.ADMINISTRATOR}),
    EDIT_RESPONSIBILITY: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF}),
    PLAN_PATROL: frozenset({Role.STATION_DIRECTOR, Role.DIVISION_STAFF, Role.BUREAU_LEADER}),
    MANAGE_CAMPAIGNS: frozenset({Role.DIVISION_STAFF, Role.BUREAU_LEADER}),
    RUN_DRAWS: frozenset({Role.DIVISION_STAFF, Role.ADMINISTRATOR}),
    INSPECT: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    REVIEW_INSPECTIONS: frozenset({Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    SUPERVISE: frozenset({Role.DIVISION_STAFF, Role.BUREAU_LEADER}),
    HANDLE_CASES: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    MANAGE_TARGETS: frozenset({Role.BUREAU_LEADER, Role.ADMINISTRATOR}),
    MANAGE_CHECKLISTS: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF}),
    MANAGE_SAMPLING: frozenset({Role.DIVISION_STAFF}),
    VIEW_OVERSIGHT: frozenset({Role.BUREAU_LEADER, Role.DIVISION_STAFF, Role.STATION_DIRECTOR}),
    MANAGE_CALENDAR: frozenset({Role.ADMINISTRATOR}),
    HANDLE_SERVICES: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    MANAGE_SERVICE_ITEMS: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF}),
    HANDLE_WARNINGS: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    RUN_CALLBACKS: frozenset({Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    DECIDE_ACCOUNTABILITY: frozenset({Role.BUREAU_LEADER, Role.DIVISION_STAFF}),
    MANAGE_KEYWORDS: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF}),
    SUPERVISE_ADS: frozenset({Role.GRID_OFFICER, Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    MONITOR_ONLINE: frozenset({Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    MANAGE_RISK_MODEL: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF, Role.BUREAU_LEADER}),
    RECORD_LEDGER: frozenset({Role.STATION_DIRECTOR, Role.DIVISION_STAFF}),
    MANAGE_QUOTAS: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF}),
    MANAGE_ASSESSMENT: frozenset({Role.ADMINISTRATOR, Role.DIVISION_STAFF, Role.BUREAU_LEADER}),
    MANAGE_TRAINING: frozenset(
        {Role.ADMINISTRATOR, Role.DIVISION_STAFF, Role.BUREAU_LEADER, Role.STATION_DIRECTOR}
    ),
    MANAGE_DOCUMENT_WORDING: frozenset({Role.ADMINISTRATOR}),
}
BUREAU_WIDE_ROLES = (Role.BUREAU_LEADER, Role.DIVISION_STAFF)


def scope_root(officer: Officer) -> Unit | None:
    """The unit whose subtree ``officer`` sees; None for everything."""
    if officer.is_superuser or officer.has_role(Role.ADMINISTRATOR):
        return None
    unit = officer.unit
    if unit is None:
        return None
    if officer.has_role(*BUREAU_WIDE_ROLES) and unit.kind != Unit.Kind.BUREAU:
        ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        bureau = (
            Unit.objects.filter(id__in=ancestor_ids, kind=Unit.Kind.BUREAU)
            .order_by("-depth")
            .first()
        )
        return bureau or unit
    return unit


def visible_unit_ids(officer: Officer) -> list[int] | None:
    """Ids of the units whose records ``officer`` may see; None for every unit."""
    cached = officer.__dict__.get("_visible_unit_ids", False)
    if cached is not False:
        return cached
    ids: list[int] | None
    if officer.is_superuser or officer.has_role(Role.ADMINISTRATOR):
        ids = None
    elif officer.unit_id is None:
        ids = []
    else:
        root = scope_root(officer)
        assert root is not None
        # The whole organisation is None: no filter at all keeps the indexes simple.
        ids = Unit.objects.subtree_ids(root)
    officer.__dict__["_visible_unit_ids"] = ids
    return ids


def readable_unit_ids(officer: Officer) -> list[int] | None:
    """Units whose bureau-wide records (a responsibility table…) ``officer`` may read: their
    scope, and the units above it."""
    ids = visible_unit_ids(officer)
    if ids is None or officer.unit_id is None:
        return ids
    root = scope_root(officer)
    above = [int(part) for part in root.path.strip("/").split("/") if part] if root else []
    return sorted(set(ids) | set(above))


def can(officer: Officer | AnonymousUser, capability: str) -> bool:
    """Whether ``officer``'s roles grant ``capability`` (never for an anonymous visitor: a page
    or panel asks for whoever it is rendered for)."""
    if isinstance(officer, AnonymousUser):
        return False
    return bool(officer.is_authenticated and officer.has_role(*CAPABILITIES[capability]))


def require(officer: Officer, capability: str) -> None:
    """Refuse with a readable message unless ``officer`` holds ``capability``."""
    if not can(officer, capability):
        raise NotPermitted(_("您的角色无权执行此操作。"))


def require_unit(officer: Officer, unit_id: int | None) -> None:
    """Refuse unless ``unit_id`` lies within ``officer``'s scope."""
    if not in_scope(officer, unit_id):
        raise NotPermitted(_("该记录不属于您所在单位的辖区。"))
