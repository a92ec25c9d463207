"""The issued documents' pages: issue a record's document and read its PDF (the record's
viewers), and the public verification page (no log-in): whoever holds the paper
types its short code or scans its QR code, and sees what was issued under it — the kind, the
number, the version, the day, the issuing bureau and the SHA-256 of the PDF — and may upload
the PDF they were given to learn whether it is that file, unchanged.

It shows nothing of the record itself (the party's name, the findings): a code on a paper
opens no more than the paper says. An unknown code answers 404.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.core.errors import DomainError, FieldError, NotPermitted
from xiaoneng.core.pages import act
from xiaoneng.documents import services, wording
from xiaoneng.documents.delivery import DELIVERY_FIELDS, TYPED_DELIVERY, record_delivery
from xiaoneng.documents.models import DocumentKind, DocumentWording, IssuedDocument
from xiaoneng.documents.services import CODE_ALPHABET, CODE_LENGTH, bureau_name
from xiaoneng.inspections.records.attachments import human_size
from xiaoneng.org.requests import OfficerRequest

# The largest PDF compared: a document of many pages with its photos stays far below.
MAX_PDF_BYTES = 20 * 1024 * 1024


def normalise(code: str) -> str:
    """A code as typed from paper: spaces and dashes dropped, lower case raised."""
    return "".join(ch for ch in code.upper() if ch not in " -")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("核验码"), max_length=40)

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
            raise forms.ValidationError(
                _("核验码应为 %(length)d 位字母和数字（不含 0、1、I、L、O）。")
                % {"length": CODE_LENGTH}
            )
        return code


class CompareForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("收到的 PDF 文件"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(
                _("文件大小为 %(size)s，超过 %(limit)s，不是本系统出具的文书。")
                % {"size": human_size(upload.size), "limit": human_size(MAX_PDF_BYTES)}
            )
        return upload


def verify_lookup(request: HttpRequest) -> HttpResponse:
    """The code typed in: on to its page."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("documents:verify", code=form.cleaned_data["code"])
    return render(request, "documents/verify_lookup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What was issued under ``code``; a POSTed PDF compared with it by SHA-256."""
    document = (
        IssuedDocument.objects.select_related("number", "unit")
        .filter(verification_code=normalise(code))
        .first()
    )
    if document is None:
        raise Http404(_("没有这个核验码的文书"))
    newer = IssuedDocument.objects.filter(number=document.number, version__gt=document.version)
    latest = newer.order_by("-version").first()
    compare = (
        CompareForm(request.POST, request.FILES) if request.method == "POST" else CompareForm()
    )
    matches = None
    uploaded = ""
    if compare.is_bound and compare.is_valid():
        digest = hashlib.sha256()
        for chunk in compare.cleaned_data["file"].chunks():
            digest.update(chunk)
        uploaded = digest.hexdigest()
        matches = uploaded == document.sha256
    context = {
        "document": document,
        "bureau": bureau_name(document.unit),
        "latest": latest,
        "compare": compare,
        "matches": matches,
        "uploaded": uploaded,
    }
    return render(request, "documents/verify.html", context)


# The record's own page: issue its document, read the issued PDF ---------------------------------


@login_required
@require_POST
def issue(request: OfficerRequest, kind: str, record_id: int) -> HttpResponse:
    """出具: the record's document, numbered and stored; back to the record's page."""
    renderer, record = services.scoped_record(request.user, kind, record_id)

    def issued() -> str:
        document = services.issue_document(kind=kind, record_id=record.pk, actor=request.user)
        return _("已出具%(title)s，文号 %(number)s。") % {
            "title": renderer.title,
            "number": document.number.text,
        }

    return act(request, issued, None, redirect(renderer.page(record)))


@login_required
@require_POST
def deliver(request: OfficerRequest, kind: str, record_id: int) -> HttpResponse:
    """登记送达: how the record's issued document (its latest version) reached the party."""
    renderer, record = services.scoped_record(request.user, kind, record_id)
    document = services.latest_document(kind=kind, record=record)
    if document is None:
        raise Http404(_("该记录的%(title)s尚未出具") % {"title": renderer.title})

    def delivered() -> str:
        found = record_delivery(document=document, values=request.POST.dict(), actor=request.user)
        return _("已登记%(title)s %(number)s 的送达：%(day)s %(method)s。") % {
            "title": renderer.title,
            "number": document.number.text,
            "day": found.delivered_on.isoformat(),
            "method": found.get_method_display(),
        }

    back = redirect(renderer.page(record))

    def refused(error: DomainError) -> HttpResponse:
        # The card shows the form again, open, with what was typed and each problem marked.
        request.session[TYPED_DELIVERY] = {
            "document": document.pk,
            "values": {name: request.POST.get(name, "") for name in DELIVERY_FIELDS},
            "errors": {e.field: e.message for e in error.errors or []},
        }
        return back

    return act(request, delivered, None, back, refused=refused)


@login_required
@require_GET
def pdf(request: OfficerRequest, kind: str, record_id: int) -> HttpResponse:
    """The record's issued document (its latest version) as PDF; 404 before it is issued."""
    renderer, record = services.scoped_record(request.user, kind, record_id)
    document = services.latest_document(kind=kind, record=record)
    if document is None:
        raise Http404(_("该记录的%(title)s尚未出具") % {"title": renderer.title})
    return pdf_response(document, services.document_bytes(document))


def pdf_response(document: IssuedDocument, data: bytes) -> HttpResponse:
    """The PDF shown in the browser, saved under its number and version."""
    name = f"{document.number.text}-v{document.version}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


# The documents' wording (文书模板): read and reworded by those who manage it -----------------


def _require_wording_manager(request: OfficerRequest) -> None:
    if not wording.may_manage(request.user):
        raise NotPermitted(_("您无权查看或修改执法文书模板。"))


@login_required
@require_GET
def wording_list(request: OfficerRequest) -> HttpResponse:
    """文书模板: each kind with its version in force, who saved it and when."""
    _require_wording_manager(request)
    latest: dict[str, DocumentWording] = {}
    for version in DocumentWording.objects.select_related("created_by").order_by("version"):
        latest[version.kind] = version
    rows = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "blocks": len(wording.blocks_of(kind)),
            "active": latest.get(kind),
        }
        for kind in wording.BLOCKS
    ]
    return render(request, "documents/wording_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def wording_detail(request: OfficerRequest, kind: str) -> HttpResponse:
    """One kind's wording: each block with its placeholders, the versions' history (each
    readable, with how many documents were issued with it), and a form saving a new version."""
    _require_wording_manager(request)
    if kind not in wording.BLOCKS:
        raise Http404(_("没有这种文书"))
    versions = list(
        DocumentWording.objects.filter(kind=kind)
        .select_related("created_by")
        .annotate(issued=Count("documents"))
        .order_by("-version")
    )
    active = versions[0] if versions else None
    typed = wording.blocks_in_force(kind, active)
    note = ""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        keys = [b.key for b in wording.blocks_of(kind)]
        typed = {key: request.POST.get(key, "") for key in keys}
        note = request.POST.get("note", "")
        try:
            saved = wording.save_wording(kind=kind, blocks=typed, note=note, actor=request.user)
        except NotPermitted:
            raise
        except DomainError as error:
            for problem in error.errors or [FieldError("", error.message)]:
                errors.setdefault(problem.field, []).append(problem.message)
            messages.error(request, error.for_page)
            status = 400
        else:
            messages.success(
                request,
                _("已保存%(label)s的模板第 %(version)d 版。")
                % {"label": DocumentKind(kind).label, "version": saved.version},
            )
            return redirect("documents:wording_detail", kind=kind)
    blocks = [
        {
            "key": b.key,
            "label": b.label,
            "text": typed.get(b.key, ""),
            "default": b.default,
            "placeholders": [(f"{{{name}}}", meaning) for name, meaning in b.allowed.items()],
            "errors": errors.get(b.key, []),
            "rows": max(3, min(12, typed.get(b.key, "").count("\n") + 3)),
        }
        for b in wording.blocks_of(kind)
    ]
    history = [
        {
            "version": v,
            "blocks": [
                (b.label, wording.blocks_in_force(kind, v).get(b.key, ""))
                for b in wording.blocks_of(kind)
            ],
        }
        for v in versions
    ]
    context = {
        "kind": kind,
        "label": DocumentKind(kind).label,
        "blocks": blocks,
        "active": active,
        "history": history,
        "default_issued": IssuedDocument.objects.filter(kind=kind, wording__isnull=True).count(),
        "note": note,
        "errors": errors,
        "limit": wording.MAX_BLOCK,
    }
    return render(request, "documents/wording_detail.html", context, status=status)
