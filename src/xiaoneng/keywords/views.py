"""Pages of the keyword feature library (关键词特征库): the rule list with its filters and
counts, a rule with its history, the form that creates or edits one, and the trial scan
(文本试扫). Every logged-in officer reads and tries; MANAGE_KEYWORDS edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng import textscan
from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import ReasonForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, is_flag, known_filters, paginate, params_query
from xiaoneng.keywords import scanning, services
from xiaoneng.keywords.forms import RuleForm, TrialForm, context_lines, pattern_lines
from xiaoneng.keywords.highlight import segments
from xiaoneng.keywords.models import KeywordRule, LibraryVersion
from xiaoneng.keywords.queries import filter_rules
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

FILTERS = ("category", "severity", "target", "q", "inactive")


def _choices() -> dict[str, Any]:
    return {
        "categories": list(textscan.CATEGORIES.items()),
        "severities": list(textscan.SEVERITIES.items()),
        "targets": list(textscan.TARGETS.items()),
        "kinds": list(textscan.AD_KINDS.items()),
    }


def _label(row: KeywordRule) -> None:
    """The Chinese names a template shows of a rule's codes."""
    row.category_label = textscan.CATEGORIES.get(row.category, row.category)  # type: ignore[attr-defined]
    row.severity_label = textscan.SEVERITIES.get(row.severity, row.severity)  # type: ignore[attr-defined]
    row.terms_shown = "、".join(row.terms)  # type: ignore[attr-defined]


@login_required
def rule_list(request: OfficerRequest) -> HttpResponse:
    """The rules, filtered by category, severity, target and a text in their terms."""
    known = known_filters(
        request,
        category=Choice(_("类别"), textscan.CATEGORIES),
        severity=Choice(_("严重程度"), textscan.SEVERITIES),
        target=Choice(_("适用对象"), textscan.TARGETS),
        inactive=Choice(_("只看已停用"), is_flag),
    )
    params = {name: str(known.get(name, "")).strip()[:100] for name in FILTERS}
    inactive = params["inactive"].lower() in ("1", "true", "yes", "on")
    rows = filter_rules(
        KeywordRule.objects.filter(active=not inactive),
        category=params["category"],
        severity=params["severity"],
        target=params["target"],
        q=params["q"],
    )
    counts = dict(
        KeywordRule.objects.filter(active=True)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    page = paginate(request, rows.order_by("code"))
    for row in page:
        _label(row)
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "category_counts": [
            (c, label, counts.get(c, 0)) for c, label in textscan.CATEGORIES.items()
        ],
        "version": services.current_version(),
        "may_manage": access.can(request.user, access.MANAGE_KEYWORDS),
        **_choices(),
    }
    return render(request, "keywords/rule_list.html", context)


@login_required
def rule_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A rule with its trace and the versions it was added, removed or changed in."""
    rule = get_object_or_404(KeywordRule, pk=pk)
    versions = [
        v
        for v in LibraryVersion.objects.select_related("by").defer("yaml")
        if rule.code in (*v.added, *v.removed, *v.changed)
    ]
    context = {
        "rule": rule,
        "labels": {
            "category": textscan.CATEGORIES.get(rule.category, rule.category),
            "severity": textscan.SEVERITIES.get(rule.severity, rule.severity),
            "targets": [textscan.TARGETS.get(t, t) for t in rule.targets],
            "kinds": [textscan.AD_KINDS.get(k, k) for k in rule.kinds],
            "not_kinds": [textscan.AD_KINDS.get(k, k) for k in rule.not_kinds],
        },
        "versions": versions,
        "history": readable(audit.history(rule)[:50], KeywordRule),
        "may_manage": access.can(request.user, access.MANAGE_KEYWORDS),
    }
    return render(request, "keywords/rule_detail.html", context)


def _initial(rule: KeywordRule | None) -> dict[str, Any]:
    if rule is None:
        return {"severity": "medium", "targets": ["ad"]}
    return {
        "code": rule.code,
        "category": rule.category,
        "severity": rule.severity,
        "law": rule.law,
        "terms": "\n".join(rule.terms),
        "exceptions": "\n".join(rule.exceptions),
        "patterns": pattern_lines(rule.patterns),
        "contexts": context_lines(rule.contexts),
        "targets": rule.targets,
        "kinds": rule.kinds,
        "not_kinds": rule.not_kinds,
        "note": rule.note,
    }


def _save(request: OfficerRequest, form: RuleForm, rule: KeywordRule | None) -> KeywordRule:
    data = form.cleaned_data
    if rule is None:
        return services.create_rule(actor=request.user, rule=form.rule(), reason=data["reason"])
    return services.edit_rule(
        actor=request.user, row=rule, rule=form.rule(rule.code), reason=data["reason"]
    )


def _rule_form(request: OfficerRequest, rule: KeywordRule | None) -> HttpResponse:
    access.require(request.user, access.MANAGE_KEYWORDS)
    form = RuleForm(**posted(request), initial=_initial(rule))
    if form.is_valid():
        try:
            saved = _save(request, form, rule)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已保存规则：%(c)s") % {"c": saved.code})
            return redirect("keywords:rule_detail", pk=saved.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    shown = form.shown
    lists = {
        n: (request.POST.getlist(n) if form.is_bound else shown.get(n) or [])
        for n in ("targets", "kinds", "not_kinds")
    }
    context = {
        "rule": rule,
        "form": shown,
        "lists": lists,
        "errors": form.field_errors,
        **_choices(),
    }
    return render(request, "keywords/rule_form.html", context)


@login_required
def rule_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``create_rule``."""
    return _rule_form(request, None)


@login_required
def rule_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    """The form of ``edit_rule``."""
    return _rule_form(request, get_object_or_404(KeywordRule, pk=pk))


@login_required
@require_POST
def rule_active(request: OfficerRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate a rule (``set_active``), with the reason."""
    access.require(request.user, access.MANAGE_KEYWORDS)
    rule = get_object_or_404(KeywordRule, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.set_active(actor=request.user, row=rule, active=not rule.active, reason=reason)
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
    else:
        messages.success(request, _("已启用") if rule.active else _("已停用"))
    return redirect("keywords:rule_detail", pk=rule.pk)


@login_required
def trial(request: OfficerRequest) -> HttpResponse:
    """文本试扫: paste a text, pick the target and the ad kind, see the hits highlighted."""
    form = TrialForm(**posted(request), initial={"target": "ad", "kind": ""})
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = scanning.scan_text(data["text"], target=data["target"], kind=data["kind"])
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "result": result,
        "segments": segments(form.cleaned_data["text"], result.violations) if result else [],
        "hits": [
            (
                v,
                textscan.CATEGORIES.get(v.category, v.category),
                textscan.SEVERITIES.get(v.severity, v.severity),
            )
            for v in (result.violations if result else [])
        ],
        "version": scanning.current_scanner()[0],
        **_choices(),
    }
    return render(request, "keywords/trial.html", context)
