"""A signed inspection with a failed item, and the PDF's text read back with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.conftest import County
from tests.inspections.factories import at
from tests.inspections.records.helpers import DAY, draft, east_entity, fill, second_officer
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.records.signing import sign_inspection


def signed_inspection(county: County) -> Inspection:
    """An enforcement check by two certified officers, item 2 failed with a note, signed."""
    helper = second_officer(county, certificate_number="65000021002")
    entity = east_entity(
        county,
        address="示范县城东路 18 号",
        legal_representative="王五",
    )
    record = draft(county, entity=entity, enforcement=True, team=[helper])
    record = fill(
        record,
        county.east_officer,
        marks=("pass", "fail", "na"),
        notes=("", "冷柜内有过期酸奶 3 盒", ""),
    )
    sign_inspection(inspection=record, officer=county.east_officer, at=at(DAY, 10))
    sign_inspection(inspection=record, officer=helper, at=at(DAY, 10, 5))
    record.refresh_from_db()
    assert record.status == Inspection.Status.SIGNED
    return record


def pdf_text(data: bytes) -> str:
    """Every page's extracted text, joined; spaces dropped (pypdf spaces CJK runs unevenly)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join((page.extract_text() or "") for page in reader.pages).replace(" ", "")
