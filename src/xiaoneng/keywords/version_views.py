"""Pages of the library's versions: the list, one version with its diff against the one
before, the YAML export of any version, and the YAML import (validated in full, previewed,
then confirmed; nothing is written on any error)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from xiaoneng import textscan
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import paginate
from xiaoneng.keywords import library, services
from xiaoneng.keywords.forms import ImportForm
from xiaoneng.keywords.models import KeywordRule, LibraryVersion
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

FIELD_LABELS = {
    "category": _("类别"),
    "law": _("法律依据"),
    "severity": _("严重程度"),
    "terms": _("词语"),
    "exceptions": _("例外"),
    "patterns": _("正则模式"),
    "contexts": _("上下文例外"),
    "targets": _("适用对象"),
    "kinds": _("适用广告类别"),
    "not_kinds": _("不适用广告类别"),
    "note": _("说明"),
}


def _labelled(diff: library.Diff) -> list[tuple[library.RuleChange, list[str]]]:
    return [(c, [str(FIELD_LABELS.get(f, f)) for f in c.fields]) for c in diff.changed]


@login_required
def version_list(request: OfficerRequest) -> HttpResponse:
    """The versions, newest first, with their counts and what each changed."""
    rows = LibraryVersion.objects.select_related("by").defer("yaml").order_by("-number")
    context = {
        "page": paginate(request, rows),
        "may_manage": access.can(request.user, access.MANAGE_KEYWORDS),
    }
    return render(request, "keywords/version_list.html", context)


@login_required
def version_detail(request: OfficerRequest, number: int) -> HttpResponse:
    """One version and its diff against the one before (rules and terms)."""
    version = get_object_or_404(LibraryVersion.objects.select_related("by"), number=number)
    before = LibraryVersion.objects.filter(number__lt=number).order_by("-number").first()
    try:
        diff = library.diff(
            library.rules_of_version(before) if before else {}, library.rules_of_version(version)
        )
    except textscan.LibraryError:
        diff = None
    codes = {r.code: r.pk for r in KeywordRule.objects.only("code")}
    context = {
        "version": version,
        "before": before,
        "diff": diff,
        "changes": _labelled(diff) if diff else [],
        "rule_ids": codes,
    }
    return render(request, "keywords/version_detail.html", context)


def _yaml(version: LibraryVersion) -> HttpResponse:
    response = HttpResponse(version.yaml, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="keywords-v{version.number}.yaml"'
    return response


@login_required
def version_export(request: OfficerRequest, number: int) -> HttpResponse:
    """The YAML of one version, as a download."""
    return _yaml(get_object_or_404(LibraryVersion, number=number))


@login_required
def current_export(request: OfficerRequest) -> HttpResponse:
    """The YAML of the version in force, as a download."""
    version = services.current_version()
    if version is None:
        raise Http404
    return _yaml(version)


@login_required
def library_import(request: OfficerRequest) -> HttpResponse:
    """Upload a YAML library: every rule validated, the changes previewed; ``confirm`` (with
    the previewed text) loads it as a new version."""
    access.require(request.user, access.MANAGE_KEYWORDS)
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request)
    form = ImportForm(**posted(request))
    context: dict[str, object] = {"errors": {}, "problems": [], "preview": None, "form": {}}
    if form.is_valid():
        text = form.cleaned_data["file"]
        try:
            lib = services.parse_library(text)
        except DomainError as error:
            context["problems"] = [e.message for e in error.errors] or [error.message]
            messages.error(request, _("文件未通过校验，未作任何修改"))
        else:
            diff = services.preview(lib)
            context |= {
                "preview": diff,
                "changes": _labelled(diff),
                "text": text,
                "digest": library.digest(text),
                "rule_count": len(lib.rules),
                "reason": form.cleaned_data["reason"],
            }
    elif form.is_bound:
        context["errors"] = form.field_errors
        messages.error(request, form.for_page)
    return render(request, "keywords/import.html", context)


def _confirm(request: OfficerRequest) -> HttpResponse:
    text = request.POST.get("text", "")
    if library.digest(text) != request.POST.get("digest", ""):
        messages.error(request, _("预览后的文件内容已改变，请重新上传"))
        return redirect("keywords:import")
    try:
        loaded = services.load_library(
            text, actor=request.user, reason=request.POST.get("reason", "")
        )
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        return render(
            request,
            "keywords/import.html",
            {"errors": {}, "problems": [e.message for e in error.errors], "preview": None},
        )
    messages.success(request, _("已导入，生成第%(n)s版") % {"n": loaded.version.number})
    return redirect("keywords:version_detail", number=loaded.version.number)
