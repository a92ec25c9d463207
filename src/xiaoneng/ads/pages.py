"""What the ads pages share: the fields of a form as the generic templates show them, the
entity found by its USCC in the user's scope, the rendering of a form page, and the filters,
search and paging of a list page."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm
from xiaoneng.core.pages import paginate, params_query
from xiaoneng.core.scoping import scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity


@dataclass(frozen=True)
class Input:
    """One input of a generic form: its name, label, type (text, date, datetime-local,
    number, textarea, select, checkbox) and, for a select, its choices."""

    name: str
    label: Any
    type: str = "text"
    choices: list[tuple[str, Any]] = field(default_factory=list)
    width: int = 6
    help: Any = ""


def shown(inputs: list[Input], form: PageForm) -> list[dict[str, Any]]:
    """The inputs with the value the form shows and its error, for ``ads/_inputs.html``."""
    values, errors = form.shown, form.field_errors
    return [
        {
            "input": i,
            "value": "" if values.get(i.name) is None else str(values.get(i.name)),
            "error": errors.get(i.name, ""),
        }
        for i in inputs
    ]


def render_form(
    request: OfficerRequest,
    *,
    title: Any,
    back: str,
    back_label: Any,
    form: PageForm,
    inputs: list[Input],
    intro: Any = "",
    multipart: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "title": title,
        "back": back,
        "back_label": back_label,
        "fields": shown(inputs, form),
        "errors": form.field_errors,
        "intro": intro,
        "multipart": multipart,
    }
    return render(request, "ads/form.html", context, status=status)


class EntityField(forms.CharField):
    """An entity of the register by its USCC; empty is None (the service says if required).
    The form sets ``entities`` (the user's scope) before cleaning."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.entities: QuerySet[Entity] = Entity.objects.none()

    def clean(self, value: Any) -> Entity | None:
        uscc = str(value or "").strip().upper()
        if not uscc:
            return None
        found = self.entities.filter(uscc=uscc).first()
        if found is None:
            raise ValidationError(
                _("未找到该统一社会信用代码的主体：%(v)s"), "unknown", {"v": uscc}
            )
        return found


def with_entities(form: PageForm, request: OfficerRequest) -> PageForm:
    """Give every ``EntityField`` of ``form`` the entities of the user's scope."""
    for each in form.fields.values():
        if isinstance(each, EntityField):
            each.entities = scoped(Entity.objects.all(), request.user)
    return form


def list_page(
    request: OfficerRequest,
    rows: QuerySet[Any],
    *,
    choices: Mapping[str, Collection[str]],
    search: Sequence[str] = (),
) -> dict[str, Any]:
    """A list page's ``page``, ``params`` and ``query`` (for the paging links): ``rows``
    filtered by each choice filter (the parameter names the field; a value not among its
    choices is ignored) and, when ``search`` names fields, by ``?q=`` in any of them."""
    names = [*choices, *(["q"] if search else [])]
    params = {name: request.GET.get(name, "").strip() for name in names}
    for name, values in choices.items():
        if params[name] in values:
            rows = rows.filter(**{name: params[name]})
    if search and params["q"]:
        match = Q()
        for name in search:
            match |= Q(**{f"{name}__contains": params["q"]})
        rows = rows.filter(match)
    return {"page": paginate(request, rows), "params": params, "query": params_query(params)}
