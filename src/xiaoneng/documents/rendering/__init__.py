"""One renderer per kind of document: what record it reads, when it refuses, how it looks.

Only the kinds registered in ``RENDERERS`` can be issued; the rest of ``DocumentKind`` (fixed
now so their numbering is) join as their renderers are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.rendering import inspection
from xiaoneng.documents.rendering.pdf import Stamp
from xiaoneng.org.models import Unit


@dataclass(frozen=True)
class Renderer:
    """How one kind is made: ``load(id)`` the record (``Missing`` if there is none),
    ``refuse_unless_issuable(record)`` raises the reason a record issues no document,
    ``unit(record)`` whose staff see it, ``may_issue(officer, record)`` who may issue it,
    ``page(record)`` the record's own page, and ``render(record, stamp)`` the PDF's bytes."""

    kind: str
    title: str
    model: type[models.Model]
    load: Callable[[int], Any]
    refuse_unless_issuable: Callable[[Any], None]
    unit: Callable[[Any], Unit]
    may_issue: Callable[[Any, Any], bool]
    page: Callable[[Any], str]
    render: Callable[[Any, Stamp], bytes]


RENDERERS: dict[str, Renderer] = {
    DocumentKind.INSPECTION: Renderer(
        kind=DocumentKind.INSPECTION,
        title=inspection.TITLE,
        model=inspection.Inspection,
        load=inspection.load,
        refuse_unless_issuable=inspection.refuse_unless_issuable,
        unit=lambda record: record.unit,
        may_issue=inspection.may_issue,
        page=inspection.page,
        render=inspection.render,
    ),
}


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
