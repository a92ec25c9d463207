"""Officers from and to tables; an initial password may be given for new ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
)
from xiaoneng.org import services
from xiaoneng.org.io.common import ImportResult, duplicates, read_records, required
from xiaoneng.org.models import Officer, Role, Unit

OFFICER_COLUMNS = [
    Column("username", "用户名", required=True),
    Column("name", "姓名", required=True),
    Column("unit", "所在单位代码"),
    Column("certificate_number", "执法证号"),
    Column("roles", "角色"),
    Column("phone", "电话"),
    Column("is_active", "在岗"),
    Column("password", "初始密码"),
]
ROLE_SEPARATORS = (",", "，", "、", ";", "；")


def _roles(value: Any) -> tuple[list[str], list[str]]:
    text = str(value or "")
    for separator in ROLE_SEPARATORS:
        text = text.replace(separator, ",")
    by_word = {str(label): code for code, label in Role.LABELS.items()} | {
        c: c for c in Role.LABELS
    }
    found: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            (found if part in by_word else unknown).append(by_word.get(part, part))
    return found, unknown


def import_officers(
    *, source: Any, filename: str | None = None, update: bool = False
) -> ImportResult:
    """Import officers; an initial password may be given for new ones (never exported)."""
    data, labels = read_records(source, filename, OFFICER_COLUMNS)
    errors = duplicates(data, "username", labels) + duplicates(data, "certificate_number", labels)
    units = {u.code: u for u in Unit.objects.all()}
    officers = {o.username: o for o in Officer.objects.all()}
    certificates = {
        o.certificate_number: o.username for o in officers.values() if o.certificate_number
    }
    parsed = []
    for number, values in data:
        errors += required(number, values, OFFICER_COLUMNS, labels)
        roles, unknown = _roles(values.get("roles"))
        if unknown:
            errors.append(
                RowError(
                    number,
                    labels["roles"],
                    _("未知的角色：%(roles)s") % {"roles": "、".join(unknown)},
                )
            )
        unit_code = values.get("unit")
        if unit_code is not None and unit_code not in units:
            errors.append(
                RowError(
                    number, labels["unit"], _("未知的单位代码：%(value)s") % {"value": unit_code}
                )
            )
        if unit_code is None and set(roles) - {Role.ADMINISTRATOR}:
            errors.append(RowError(number, labels["unit"], _("执法人员必须有所在单位")))
        username = values.get("username")
        if username in officers and not update:
            errors.append(
                RowError(
                    number, labels["username"], _("用户名已存在；更新请选择更新模式（--update）")
                )
            )
        certificate = values.get("certificate_number")
        if certificate is not None:
            certificate = str(certificate)
            if not services.CERTIFICATE.match(certificate):
                errors.append(
                    RowError(
                        number,
                        labels["certificate_number"],
                        _("执法证号格式错误：%(value)s") % {"value": certificate},
                    )
                )
            elif certificates.get(certificate, username) != username:
                errors.append(
                    RowError(
                        number,
                        labels["certificate_number"],
                        _("执法证号已被使用：%(value)s") % {"value": certificate},
                    )
                )
        password = values.get("password")
        if password is not None and (username in officers or len(str(password)) < 8):
            message = (
                _("初始密码只用于新建人员") if username in officers else _("初始密码至少 8 位")
            )
            errors.append(RowError(number, labels["password"], message))
        active = values.get("is_active")
        if active is not None and str(active) not in {"是", "否"}:
            errors.append(
                RowError(
                    number, labels["is_active"], _("应为“是”或“否”：%(value)s") % {"value": active}
                )
            )
        parsed.append((values, roles, certificate))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for values, roles, certificate in parsed:
            _save_officer(values, roles, certificate, units, officers, result)
    return result


def _save_officer(
    values: dict[str, Any],
    roles: list[str],
    certificate: str | None,
    units: dict[str, Unit],
    officers: dict[str, Officer],
    result: ImportResult,
) -> None:
    unit = units.get(values.get("unit") or "")
    officer = officers.get(values["username"])
    if officer is None:
        officer = services.create_officer(
            username=values["username"],
            name=values["name"],
            unit=unit,
            roles=roles,
            certificate_number=certificate,
            phone=str(values.get("phone") or ""),
            password=values.get("password"),
        )
        if values.get("is_active") == "否":
            officer.is_active = False
            officer.save(update_fields=["is_active"])
        result.created += 1
        return
    before = audit.snapshot(officer)
    officer.name, officer.unit, officer.certificate_number = values["name"], unit, certificate
    officer.phone = str(values.get("phone") or "")
    if values.get("is_active") is not None:
        officer.is_active = values["is_active"] == "是"
    changed = bool(audit.diff(before, audit.snapshot(officer)))
    if changed:
        officer.save()
        services.release_grids_elsewhere(officer=officer)
    if set(roles) != set(officer.role_codes()):
        services.set_roles(officer=officer, roles=roles)
        changed = True
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1


def officer_rows(queryset: QuerySet[Officer]) -> Iterator[list[Any]]:
    for officer in queryset.select_related("unit").prefetch_related("roles").order_by("username"):
        roles = "、".join(str(Role.LABELS[r.code]) for r in officer.roles.all())
        yield [
            officer.username,
            officer.name,
            officer.unit.code if officer.unit else "",
            officer.certificate_number or "",
            roles,
            officer.phone,
            officer.is_active,
            "",
        ]
