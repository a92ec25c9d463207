"""The documents' card on a record's page (ADR 0012): the document issued from it, with its
number, version, PDF and verification page, or the button that issues it for those who may."""

from __future__ import annotations

from django.urls import reverse

from xiaoneng.core import panels
from xiaoneng.core.errors import DomainError
from xiaoneng.documents import services
from xiaoneng.documents.rendering import RENDERERS


@panels.register
class IssuedDocumentPanel(panels.Panel):
    """现场检查笔录 on a signed inspection's page."""

    models = ("inspections.inspection",)

    def right(self) -> str:
        renderer = RENDERERS["inspection"]
        record = self.object
        try:
            renderer.refuse_unless_issuable(record)
        except DomainError:
            return ""  # a draft: nothing to issue yet, nothing to show
        document = services.latest_document(kind=renderer.kind, record=record)
        may_issue = self.user.is_authenticated and renderer.may_issue(self.user, record)
        if document is None and not may_issue:
            return ""
        urls = {
            "pdf": reverse("documents:pdf", args=[renderer.kind, record.pk]),
            "issue": reverse("documents:issue", args=[renderer.kind, record.pk]),
        }
        if document is not None:
            urls["verify"] = reverse("documents:verify", args=[document.verification_code])
        return self.render(
            "documents/panels/issued.html",
            {"title": renderer.title, "document": document, "may_issue": may_issue, "urls": urls},
        )
