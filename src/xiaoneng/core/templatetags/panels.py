"""Template tags of the panels registry (ADR 0012): the one tag per slot an earlier page
carries, and the columns a later domain adds to its tables.

    {% load panels %}
    {% panels "right" task %}                       what later domains add to the task page
    {% panels "buttons" finding as case_buttons %}  the same, kept to test whether it is empty
    {% columns "org.grid" grids as extra %}         later columns, with values for the rows
    {{ column|cell:grid }} {{ column|cell_link:grid }}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models
from django.utils.safestring import SafeString, mark_safe

from xiaoneng.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any) -> SafeString:
    """The HTML every panel registered for ``obj``'s model puts in ``slot``."""
    try:
        html = registry.render_slot(slot, obj, context.get("request"))
    except ValueError as error:
        raise template.TemplateSyntaxError(str(error)) from error
    # Panels render their own templates, which escape what they show.
    return mark_safe(html)


@register.simple_tag
def columns(label: str, rows: Iterable[models.Model]) -> list[registry.FilledColumn]:
    """The columns registered for the model ``label``, with their values for ``rows``."""
    return registry.columns_for(label, rows)


@register.filter
def cell(column: registry.FilledColumn, row: models.Model) -> Any:
    """The value of ``column`` for ``row``: a count as it is, a rate as a percentage, a score
    with its decimals; "—" where a rate or a score has no data."""
    value = column.value(row)
    if column.scale == "count":
        return value
    if value is None:
        return "—"
    return f"{value:.1%}" if column.scale == "rate" else f"{value:.2f}"


@register.filter
def cell_link(column: registry.FilledColumn, row: models.Model) -> str:
    """Where the cell of ``column`` for ``row`` leads ("" for none)."""
    return column.link(row)
