"""Pages of the listings: the vertical search, one listing with its hits, the batches and the
import form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, is_day, is_flag, known_filters, paginate, params_query
from xiaoneng.core.pages import parse_day as page_day
from xiaoneng.core.scoping import get_scoped
from xiaoneng.online.forms import ImportForm
from xiaoneng.online.labels import categories
from xiaoneng.online.listings import importer
from xiaoneng.online.listings.models import Listing
from xiaoneng.online.listings.search import (
    ListingQuery,
    batches_for,
    listings_for,
    platforms,
    search,
)
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

FILTERS = ("q", "platform", "category", "from", "to", "hits", "seller", "batch")


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**63


@login_required
def listing_list(request: OfficerRequest) -> HttpResponse:
    """The vertical search over imported listings."""
    known = known_filters(
        request,
        platform=Choice(_("平台"), platforms(request.user)),
        category=Choice(_("命中类别"), list(categories())),
        hits=Choice(_("只看命中"), is_flag),
        **{"from": Choice(_("开始日期"), is_day), "to": Choice(_("结束日期"), is_day)},
        seller=Choice(_("卖家"), _is_id),
        batch=Choice(_("批次"), _is_id),
    )
    params = {name: str(known.get(name, "")).strip() for name in FILTERS}
    query = ListingQuery(
        q=params["q"][:100],
        platform=params["platform"],
        category=params["category"],
        start=page_day(params["from"]) if params["from"] else None,
        end=page_day(params["to"]) if params["to"] else None,
        hits_only=params["hits"].lower() in ("1", "true", "yes", "on"),
        seller=int(params["seller"]) if params["seller"] else None,
        batch=int(params["batch"]) if params["batch"] else None,
    )
    page = paginate(request, search(listings_for(request.user), query))
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "platforms": platforms(request.user),
        "categories": sorted(categories().items()),
        "labels": categories(),
        "may_import": access.can(request.user, access.MONITOR_ONLINE),
    }
    return render(request, "online/listing_list.html", context)


def highlighted(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """``text`` escaped, with each hit's span marked."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            continue
        parts.append(format_html("{}", text[at:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        at = end
    parts.append(format_html("{}", text[at:]))
    return mark_safe("".join(parts))  # every part escaped above


@login_required
def listing_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """One listing with its hits marked in its text."""
    listing: Listing = get_scoped(listings_for(request.user), request.user, pk=pk)
    hits = list(listing.hits.order_by("start"))
    text = f"{listing.title}\n{listing.description}"
    context = {
        "listing": listing,
        "hits": hits,
        "labels": categories(),
        "text": highlighted(text, [(h.start, h.end) for h in hits]),
    }
    return render(request, "online/listing_detail.html", context)


@login_required
def batch_list(request: OfficerRequest) -> HttpResponse:
    """The imported batches, newest first, and the import form for those who may import."""
    may_import = access.can(request.user, access.MONITOR_ONLINE)
    form = ImportForm(**posted(request))
    if request.method == "POST":
        access.require(request.user, access.MONITOR_ONLINE)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = importer.import_batch(
                    data=upload.read(),
                    name=upload.name or "listings.jsonl",
                    actor=request.user,
                    keep_good_lines=form.cleaned_data["keep_good_lines"],
                )
            except NotPermitted:
                raise
            except DomainError as error:
                form.add_service_errors(error)
                messages.error(request, error.message)
                return _batches(request, may_import, form, [e.message for e in error.errors])
            messages.success(
                request,
                _("已导入 %(n)d 条，跳过重复 %(d)d 条，跳过错误行 %(e)d 行，命中 %(h)d 条")
                % {
                    "n": batch.listing_count,
                    "d": batch.duplicate_count,
                    "e": batch.error_count,
                    "h": batch.hit_count,
                },
            )
            return redirect("online:batch_detail", pk=batch.pk)
        messages.error(request, form.for_page)
    return _batches(request, may_import, form, [])


def _batches(
    request: OfficerRequest, may_import: bool, form: ImportForm, line_errors: list[str]
) -> HttpResponse:
    context: dict[str, Any] = {
        "page": paginate(request, batches_for(request.user)),
        "query": "",
        "may_import": may_import,
        "errors": form.field_errors,
        "line_errors": line_errors[:200],
    }
    status = 422 if line_errors or (form.is_bound and form.errors) else 200
    return render(request, "online/batch_list.html", context, status=status)


@login_required
def batch_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """One batch: its figures and the bad lines skipped."""
    batch = get_scoped(batches_for(request.user), request.user, pk=pk)
    return render(request, "online/batch_detail.html", {"batch": batch})
