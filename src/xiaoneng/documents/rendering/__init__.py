"""One renderer per kind of document: what record it reads, when it refuses, how it looks.

Only the kinds registered in ``RENDERERS`` can be issued; the rest of ``DocumentKind`` (fixed
now so their numbering is) join as their renderers are written. Several kinds may read the same
record (a rectification order has its notice, its review and its warning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.rendering import case, inspection, rectification, service
from xiaoneng.documents.rendering.pdf import Stamp
from xiaoneng.org.models import Unit


@dataclass(frozen=True)
class Renderer:
    """How one kind is made: ``load(id)`` the record (``Missing`` if there is none),
    ``refuse_unless_issuable(record)`` raises the reason a record issues no document,
    ``unit(record)`` whose staff see it, ``may_issue(officer, record)`` who may issue it,
    ``page(record)`` the record's own page, and ``render(record, stamp)`` the PDF's bytes.

    ``own_number(record)``, where set, is the number the record was given when it was made
    (a rectification order's): its document carries that number instead of drawing the next
    one, so that the order and its notice are one (``numbering.adopt``)."""

    kind: str
    title: str
    model: type[models.Model]
    load: Callable[[int], Any]
    refuse_unless_issuable: Callable[[Any], None]
    unit: Callable[[Any], Unit]
    may_issue: Callable[[Any, Any], bool]
    page: Callable[[Any], str]
    render: Callable[[Any, Stamp], bytes]
    own_number: Callable[[Any], str] | None = None


def _kind(
    kind: str,
    title: str,
    module: ModuleType,
    refuse: Callable[[Any], None],
    render: Callable[[Any, Stamp], bytes],
    own_number: Callable[[Any], str] | None = None,
) -> Renderer:
    """A kind read from the records of ``module`` (its ``MODEL``, ``load``, ``may_issue`` and
    ``page``), issued for the record's own unit."""
    return Renderer(
        kind=kind,
        title=title,
        model=module.MODEL,
        load=module.load,
        refuse_unless_issuable=refuse,
        unit=lambda record: record.unit,
        may_issue=module.may_issue,
        page=module.page,
        render=render,
        own_number=own_number,
    )


K = DocumentKind
RENDERERS: dict[str, Renderer] = {
    r.kind: r
    for r in (
        _kind(
            K.INSPECTION,
            inspection.TITLE,
            inspection,
            inspection.refuse_unless_issuable,
            inspection.render,
        ),
        _kind(
            K.RECTIFICATION,
            rectification.NOTICE,
            rectification,
            rectification.refuse_notice,
            rectification.render_notice,
            own_number=rectification.own_number,
        ),
        _kind(
            K.REINSPECTION,
            rectification.REVIEW,
            rectification,
            rectification.refuse_review,
            rectification.render_review,
        ),
        _kind(
            K.WARNING,
            rectification.WARNING,
            rectification,
            rectification.refuse_warning,
            rectification.render_warning,
        ),
        _kind(K.CASE_SOURCE, case.SOURCE, case, case.refuse_source, case.render_source),
        _kind(K.CASE_FILING, case.FILING, case, case.refuse_filing, case.render_filing),
        _kind(K.CASE_NOTICE, case.NOTICE, case, case.refuse_notice, case.render_notice),
        _kind(
            K.CASE_DECISION,
            case.DECISION,
            case,
            case.refuse_decision,
            case.render_decision,
            own_number=case.own_decision_number,
        ),
        _kind(K.SERVICE, service.TITLE, service, service.refuse, service.render),
    )
}


def renderers_of(model: type[models.Model]) -> list[Renderer]:
    """The kinds issued from records of ``model``, in the order of ``DocumentKind``."""
    return [r for r in RENDERERS.values() if r.model is model]


def renderer_for(kind: str) -> Renderer:
    """The renderer of ``kind``, or a refusal naming the kinds that can be issued."""
    found = RENDERERS.get(kind)
    if found is None:
        raise InvalidInput.single(
            "kind",
            _("暂不能出具该种文书：%(kind)s（可出具：%(kinds)s）")
            % {"kind": kind, "kinds": "、".join(RENDERERS)},
        )
    return found
