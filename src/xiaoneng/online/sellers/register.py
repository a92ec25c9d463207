"""The claimed uscc of a seller checked against the register (亮照亮证 on a shop's page).

First the code itself (python-stdnum ``cn.uscc``: shape and check character), then the
register: a code no entity holds, or one of a deregistered or revoked entity, flags the seller
with the reason; a local entity in business links the seller to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from xiaoneng.online.sellers.models import UsccCheck
from xiaoneng.registry.models import Entity

CHUNK = 900  # codes per query (SQLite's limit on parameters)
E = Entity.Status


@dataclass(frozen=True)
class Claim:
    """What the register says of one claimed code."""

    check: str
    entity_id: int | None
    unit_id: int | None
    reason: str


def invalid_reason(code: str) -> str | None:
    """Why ``code`` is not a valid uscc (None when it is)."""
    try:
        stdnum_uscc.validate(code)
    except ValidationError as error:
        if "checksum" in type(error).__name__.lower():
            return _("统一社会信用代码校验位错误：%(code)s") % {"code": code}
        return _("统一社会信用代码格式错误：%(code)s") % {"code": code}
    return None


def check_claims(codes: Iterable[str]) -> dict[str, Claim]:
    """The register's answer for each non-empty claimed code (one query per chunk)."""
    answers: dict[str, Claim] = {}
    valid = []
    for code in sorted({c for c in codes if c}):
        reason = invalid_reason(code)
        if reason:
            answers[code] = Claim(UsccCheck.INVALID, None, None, reason)
        else:
            valid.append(code)
    found: dict[str, tuple[int, int, str, str]] = {}
    for start in range(0, len(valid), CHUNK):
        rows = Entity.objects.filter(uscc__in=valid[start : start + CHUNK]).values_list(
            "uscc", "pk", "unit_id", "status", "name"
        )
        found |= {uscc: (pk, unit, status, name) for uscc, pk, unit, status, name in rows}
    for code in valid:
        if code not in found:
            reason = _("登记库中无此统一社会信用代码：%(code)s") % {"code": code}
            answers[code] = Claim(UsccCheck.UNKNOWN, None, None, reason)
            continue
        pk, unit, status, name = found[code]
        checks: dict[str, str] = {
            E.DEREGISTERED: UsccCheck.DEREGISTERED,
            E.REVOKED: UsccCheck.REVOKED,
            E.SUSPENDED: UsccCheck.SUSPENDED,
        }
        check = checks.get(status, UsccCheck.ACTIVE)
        reasons: dict[str, str] = {
            UsccCheck.DEREGISTERED: _("声明的主体已注销：%(name)s"),
            UsccCheck.REVOKED: _("声明的主体已吊销：%(name)s"),
            UsccCheck.SUSPENDED: _("声明的主体停业（歇业）：%(name)s"),
        }
        reason = reasons.get(check, "")
        answers[code] = Claim(check, pk, unit, reason % {"name": name} if reason else "")
    return answers
