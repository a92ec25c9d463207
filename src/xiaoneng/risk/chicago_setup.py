"""What the Chicago dataset needs in the register before its rows: a bureau and one station
with one officer per inspector group, a checklist of the city's three violation severities,
the facility-type → industry table, and the USCC of a licence.

These are few rows, written through the organisation's services (and so traced one by one);
the thousands of entities, inspections and findings are ``chicago.py``'s bulk writes.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.inspections.checklists.models import (
    Checklist,
    ChecklistItem,
    InspectionKind,
    Severity,
)
from xiaoneng.org import services as org_services
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.registry.models import Industry
from xiaoneng.registry.uscc import ALPHABET, check_character

SOURCE = "chicago"  # ExternalEntity.source and ExternalInspection.source
BUREAU_CODE = "chicago"
BUREAU_NAME = "芝加哥食品检查（数据集）"
# Chicago has no Chinese region code: the bureau takes the code of the bureau it is placed
# under (the system's top bureau), or "000000" (no region) in a register without one.
NO_REGION = "000000"
CHECKLIST_CODE = "chicago-food"

# Facility_Type → GB/T 4754-2017 class (registry's Industry table). Keys are the city's types
# normalised by ``industry_for`` (lower case, words joined by "_"); a type that starts with a
# key and "_" takes that key's class ("daycare_2_6_years" → daycare). The 2011–2014 file holds
# only Restaurant, Grocery_Store and Other; the rest are the city's other types, for later files.
FACILITY_INDUSTRY = {
    "restaurant": "H6210",  # 正餐服务
    "grocery_store": "F5229",  # 其他食品零售: a grocery is a food retailer
    "bakery": "F5222",  # 糕点、面包零售
    "coffee_shop": "H6232",  # 咖啡馆服务
    "ice_cream": "H6239",  # 其他饮料及冷饮服务
    "tavern": "H6233",  # 酒吧服务
    "liquor": "F5226",  # 酒、饮料及茶叶零售
    "catering": "H6241",  # 餐饮配送服务
    "mobile_food": "H6291",  # 小吃服务 (mobile food dispenser / preparer)
    "golden_diner": "H6210",  # 正餐服务: the city's meal programme for seniors
    "school": "P8321",  # 普通小学教育: most of the city's schools are elementary schools
    "daycare": "P8310",  # 学前教育
    "children_s_services_facility": "P8310",  # 学前教育
    "hospital": "Q8411",  # 综合医院
    "long_term_care": "Q8416",  # 疗养院
    "wholesale": "F5129",  # 其他食品批发
    "shared_kitchen": "H6299",  # 其他未列明餐饮业
    "other": "H6299",  # 其他未列明餐饮业: whatever else the city licenses to serve food
}
DEFAULT_INDUSTRY = "H6299"  # a type not in the table (or none)

# The city's form sorts its violations as critical (items 1–14), serious (15–29) and minor
# (30–44), and the file counts each severity. A finding is one counted problem, and a record
# holds at most one finding per checklist item (Finding's unique inspection + item), so the
# checklist has one item per possible problem: the 1st … 14th critical, the 1st … 15th serious
# and the 1st … 15th minor violation of an inspection. Which of the city's violations it was,
# the file does not say.
SLOTS = (
    (Severity.CRITICAL, "严重违规", 14, "芝加哥食品法规违规第 1–14 项（critical）"),
    (Severity.MAJOR, "较重违规", 15, "芝加哥食品法规违规第 15–29 项（serious）"),
    (Severity.MINOR, "一般违规", 15, "芝加哥食品法规违规第 30–44 项（minor）"),
)


def industry_for(facility: str) -> str:
    """The GB/T 4754 class of a Chicago facility type (``FACILITY_INDUSTRY``)."""
    key = re.sub(r"[^a-z0-9]+", "_", facility.lower()).strip("_")
    for name, code in FACILITY_INDUSTRY.items():
        if key == name or key.startswith(name + "_"):
            return code
    return DEFAULT_INDUSTRY


def check_industries(codes: set[str]) -> None:
    """Refuse when the Industry table lacks a class of the mapping (reference data not loaded)."""
    missing = codes - set(Industry.objects.filter(code__in=codes).values_list("code", flat=True))
    if missing:
        raise InvalidInput.single(
            "Facility_Type",
            _("行业表中没有 %(codes)s：请先运行 xiaoneng manage migrate")
            % {"codes": "、".join(sorted(missing))},
        )


def uscc_for(licence: str) -> str:
    """A valid-format, deterministic USCC for a Chicago licence number.

    "91" (工商, enterprise) + region "000000" (no Chinese region: an outside entity) + "CH"
    + the licence number in base 31 (7 characters of the USCC alphabet) + the check character
    of GB 32100-2015. Distinct licences give distinct codes, and none collides with a code
    made by ``registry.uscc.make_codes`` (which puts "MA" where this puts "CH").
    """
    number = int(licence)
    digits = ""
    for _position in range(7):
        number, remainder = divmod(number, 31)
        digits = ALPHABET[remainder] + digits
    first17 = f"91{NO_REGION}CH{digits}"
    return first17 + check_character(first17)


def dataset_bureau() -> Unit:
    """The bureau unit of the dataset: found by its code, or made under the system's top bureau
    (whose leaders and administrators then see it) or, in an empty register, as a root."""
    found = Unit.objects.filter(code=BUREAU_CODE).first()
    if found is not None:
        return found
    top = Unit.objects.filter(kind=Unit.Kind.BUREAU, parent__isnull=True).order_by("pk").first()
    return org_services.create_unit(
        code=BUREAU_CODE,
        name=BUREAU_NAME,
        kind=Unit.Kind.BUREAU,
        parent=top,
        region_code=top.region_code if top is not None else NO_REGION,
    )


def group_stations(bureau: Unit, groups: set[str]) -> dict[str, tuple[int, int]]:
    """Each inspector group's (station unit id, officer id), made when missing: a station
    "芝加哥检查组 <group>" and its one officer ``chicago-<group>``, who cannot log in."""
    result: dict[str, tuple[int, int]] = {}
    for group in sorted(groups):
        code = f"{BUREAU_CODE}-{group}"
        name = _("芝加哥检查组 %(group)s") % {"group": group}
        station = Unit.objects.filter(code=code).first() or org_services.create_unit(
            code=code,
            name=name,
            kind=Unit.Kind.STATION,
            parent=bureau,
            region_code=bureau.region_code,
        )
        officer = Officer.objects.filter(username=code).first() or org_services.create_officer(
            username=code, name=name, unit=station, roles=[Role.GRID_OFFICER]
        )
        result[group] = (station.pk, officer.pk)
    return result


def dataset_checklist(
    first: dt.date, last: dt.date
) -> tuple[Checklist, dict[str, list[ChecklistItem]]]:
    """The dataset's checklist and its items of each severity, in order (``SLOTS``).

    It is in force only over the days of the imported inspections (retired the day after the
    last), so that ``checklist_for`` never offers it for a new inspection; a later file's days
    widen that window. Its items never change.
    """
    checklist = Checklist.objects.filter(code=CHECKLIST_CODE).order_by("-version").first()
    end = last + dt.timedelta(days=1)
    if checklist is None:
        checklist = Checklist.objects.create(
            code=CHECKLIST_CODE,
            version=1,
            title=_("芝加哥食品检查（数据集）"),
            kind=InspectionKind.ONSITE,
            industry_prefixes=" ".join(sorted({c[:3] for c in FACILITY_INDUSTRY.values()})),
            description=_(
                "芝加哥市食品检查数据集导入时建立：每次检查的第 n 处严重、较重或一般违规各为一项，"
                "每处违规记为该项的一条检查发现。"
            ),
            effective_on=first,
            retired_on=end,
        )
        _create_items(checklist)
    elif first < checklist.effective_on or end > (checklist.retired_on or end):
        checklist.effective_on = min(first, checklist.effective_on)
        checklist.retired_on = max(end, checklist.retired_on or end)
        checklist.save(update_fields=["effective_on", "retired_on"])
    items: dict[str, list[ChecklistItem]] = {}
    for item in checklist.items.order_by("position"):
        items.setdefault(item.severity, []).append(item)
    if any(len(items.get(severity, [])) != count for severity, _w, count, _b in SLOTS):
        raise Conflict(
            _("清单 %(code)s 的检查事项与芝加哥检查表不符，请检查该清单") % {"code": CHECKLIST_CODE}
        )
    return checklist, items


def _create_items(checklist: Checklist) -> None:
    """One item per possible problem of each severity (``SLOTS``)."""
    position = 0
    for severity, words, count, basis in SLOTS:
        for slot in range(1, count + 1):
            position += 1
            ChecklistItem.objects.create(
                checklist=checklist,
                number=str(position),
                position=position,
                title=_("%(words)s（第 %(slot)d 处）") % {"words": words, "slot": slot},
                method=_("芝加哥市食品检查报告中该次检查的第 %(slot)d 处%(words)s")
                % {"words": words, "slot": slot},
                legal_basis=basis,
                severity=severity,
            )
