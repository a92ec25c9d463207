"""A signed inspection's page issues its 现场检查笔录 for the team and the director, shows the
issued document to everyone who sees the record, and serves its PDF; the API does the same."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text, signed_inspection
from tests.inspections.records.helpers import draft
from xiaoneng.documents.models import DocumentNumber, IssuedDocument


def _page(record: Any) -> str:
    return reverse("inspections:inspection_detail", args=[record.pk])


def test_the_team_issues_it_from_the_page_and_everyone_in_scope_reads_it(
    county: County,
) -> None:
    record = signed_inspection(county)
    officer = client_for(county.east_officer)
    page = officer.get(_page(record)).content.decode()
    assert 'data-testid="document-issue"' in page and "出具现场检查笔录" in page
    leader_page = client_for(county.leader).get(_page(record)).content.decode()
    assert 'data-testid="documents"' not in leader_page  # nothing issued, nothing to offer

    issue = reverse("documents:issue", args=["inspection", record.pk])
    response = officer.post(issue, follow=True)
    document = IssuedDocument.objects.get()
    assert f"已出具现场检查笔录，文号 {document.number.text}。" in response.content.decode()
    assert response.redirect_chain[-1][0] == _page(record)

    for user in (county.east_officer, county.leader, county.east_director):
        shown = client_for(user).get(_page(record)).content.decode()
        assert document.number.text in shown and 'data-testid="document-pdf"' in shown
        assert 'data-testid="document-issue"' not in shown
    pdf = client_for(county.leader).get(reverse("documents:pdf", args=["inspection", record.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert document.number.text in pdf_text(pdf.content)
    assert "filename*=UTF-8''" in pdf["Content-Disposition"]

    again = officer.post(issue, follow=True).content.decode()
    assert "已出具" in again and "如需更正请重新出具" in again
    assert IssuedDocument.objects.count() == 1 and DocumentNumber.objects.count() == 1


def test_others_may_not_issue_and_other_stations_do_not_see_it(county: County) -> None:
    record = signed_inspection(county)
    issue = reverse("documents:issue", args=["inspection", record.pk])
    refused = client_for(county.leader).post(issue)
    assert refused.status_code == 403
    assert "您无权出具或重新出具该记录的现场检查笔录。" in refused.content.decode()
    assert client_for(county.west_director).post(issue).status_code == 404
    pdf = reverse("documents:pdf", args=["inspection", record.pk])
    assert client_for(county.east_officer).get(pdf).status_code == 404  # not issued yet
    assert not IssuedDocument.objects.exists() and not DocumentNumber.objects.exists()


def test_a_draft_shows_no_card_and_is_refused(county: County) -> None:
    record = draft(county)
    officer = client_for(county.east_officer)
    assert 'data-testid="documents"' not in officer.get(_page(record)).content.decode()
    response = officer.post(reverse("documents:issue", args=["inspection", record.pk]), follow=True)
    assert "尚未签名" in response.content.decode()
    assert not DocumentNumber.objects.exists()


def test_the_api_issues_reads_and_serves_the_pdf(county: County) -> None:
    record = signed_inspection(county)
    api = f"/api/v1/documents/inspection/{record.pk}"
    officer = client_for(county.east_officer)
    assert officer.get(api).status_code == 404
    issued = officer.post(api)
    assert issued.status_code == 201
    body = issued.json()
    document = IssuedDocument.objects.get()
    assert body["number"] == document.number.text and body["version"] == 1
    assert body["sha256"] == document.sha256
    assert body["verify_url"].endswith(f"/verify/{document.verification_code}/")
    assert client_for(county.leader).get(api).json() == body
    pdf = client_for(county.leader).get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    conflict = officer.post(api)
    assert conflict.status_code == 409 and "已出具" in conflict.json()["detail"]
    assert client_for(county.leader).post(api).status_code == 403
    assert client_for(county.west_officer).get(api).status_code == 404
    assert officer.get(f"/api/v1/documents/case-decision/{record.pk}").status_code == 404
    assert IssuedDocument.objects.count() == 1
