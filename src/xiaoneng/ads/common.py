"""What the ads sub-domains share: who may act, the checks of dates and texts with their
messages, the scan of an ad text, and the numbering of a record per year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng import textscan
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.keywords.scanning import scan_text, scan_texts
from xiaoneng.org import access
from xiaoneng.org.models import Officer

# The ad kinds and violation categories are the keyword library's (``textscan``).
AD_KINDS: dict[str, str] = textscan.AD_KINDS
CATEGORIES: dict[str, str] = textscan.CATEGORIES


def today() -> dt.date:
    return timezone.localdate()


def require(actor: Officer, unit_id: int | None = None) -> None:
    """Refuse unless ``actor`` may supervise ads (and, given a unit, it is in their scope)."""
    access.require(actor, access.SUPERVISE_ADS)
    if unit_id is not None:
        access.require_unit(actor, unit_id)


def may_act(actor: Any, unit_id: int | None) -> bool:
    """Whether the page offers an action on a record of ``unit_id`` to ``actor``."""
    return access.can(actor, access.SUPERVISE_ADS) and access.in_scope(actor, unit_id)


def day(
    value: dt.date | None,
    field: str,
    what: str,
    *,
    earliest: dt.date | None = None,
    earliest_what: str = "",
    future: bool = False,
) -> dt.date:
    """``value`` given, not after today (unless ``future``) and not before ``earliest``."""
    if value is None:
        raise InvalidInput.single(field, _("请填写%(what)s（YYYY-MM-DD）") % {"what": what})
    if not future and value > today():
        raise InvalidInput.single(
            field, _("%(what)s不能晚于今天：%(date)s") % {"what": what, "date": value}
        )
    if earliest is not None and value < earliest:
        raise InvalidInput.single(
            field,
            _("%(what)s不能早于%(earliest_what)s %(earliest)s：%(date)s")
            % {"what": what, "earliest_what": earliest_what, "earliest": earliest, "date": value},
        )
    return value


def text(value: Any, field: str, what: str, *, limit: int, required: bool = True) -> str:
    """``value`` stripped: at least 2 characters when required, at most ``limit``."""
    found = str(value or "").strip()
    if required and len(found) < 2:
        raise InvalidInput.single(field, _("请填写%(what)s") % {"what": what})
    if len(found) > limit:
        raise InvalidInput.single(
            field, _("%(what)s不能超过 %(n)d 个字") % {"what": what, "n": limit}
        )
    return found


def choice(value: Any, field: str, what: str, choices: dict[str, Any] | list[str]) -> str:
    found = str(value or "").strip()
    if found not in choices:
        raise InvalidInput.single(
            field, _("%(what)s无效：%(v)s") % {"what": what, "v": found or "—"}
        )
    return found


def collect(*checks: Any) -> list[FieldError]:
    """Run each zero-argument check; the field errors of those that refuse."""
    errors: list[FieldError] = []
    for check in checks:
        try:
            check()
        except InvalidInput as error:
            errors += error.errors
    return errors


def refuse(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


@dataclass(frozen=True)
class Scan:
    """The hits of one ad text, as stored, and the library version that found them."""

    version: int
    hits: list[dict[str, Any]]


def scan_ad(ad_text: str, kind: str | None) -> Scan:
    """The keyword library's hits in an ad text of ``kind`` (textscan's ad target)."""
    result = scan_text(ad_text, target="ad", kind=kind)
    return Scan(result.version, [v.as_dict() for v in result.violations])


def scan_ads(items: list[tuple[str, str | None]]) -> tuple[int, list[list[dict[str, Any]]]]:
    """The hits of many ad texts at once (an import), with the library version."""
    version, found = scan_texts(items, target="ad")
    return version, [[v.as_dict() for v in violations] for violations in found]


def next_number(model: type[models.Model], head: str, *, width: int = 4, tail: str = "") -> str:
    """The next number of the form ``head`` + a zero-padded sequence + ``tail``."""
    taken = model.objects.filter(number__startswith=head).values_list(  # type: ignore[attr-defined]
        "number", flat=True
    )
    sequences = (n[len(head) : len(n) - len(tail)] for n in taken)
    highest = max((int(t) for t in sequences if t.isdigit()), default=0)
    return f"{head}{highest + 1:0{width}d}{tail}"


def fail(field: str, message: str) -> None:
    """Raise the one field's refusal (for ``collect``)."""
    raise InvalidInput.single(field, message)
