"""The panels registry (ADR 0012): a later domain's panel shows on an earlier model's page,
in the slot the page offers, and a column adds its values to an earlier model's table."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.utils.html import format_html

import xiaoneng
from tests.conftest import County, client_for
from xiaoneng.core import panels
from xiaoneng.org import access
from xiaoneng.org.models import Grid, Unit


class UnitNote(panels.Panel):
    """A test panel: a figure on the unit page, and a button only for an administrator."""

    models = ("org.unit",)

    def stats(self) -> str:
        return format_html('<div data-testid="unit-note">note of {}</div>', self.object.code)

    def buttons(self) -> str:
        if not access.can(self.user, access.MANAGE_ORGANISATION):
            return ""
        return format_html('<a data-testid="unit-note-button">act on {}</a>', self.object.code)


class GridLetters(panels.Column):
    """A test column: the letters of each grid's code."""

    models = ("org.grid",)
    name = "letters"
    header = "字母"

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        return {row.pk: sum(c.isalpha() for c in row.code) for row in rows}


@pytest.fixture
def registered() -> Iterator[None]:
    panels.register(UnitNote)
    panels.register(GridLetters)
    yield
    panels.unregister(UnitNote)
    panels.unregister(GridLetters)


def render(source: str, **context: Any) -> str:
    return Template("{% load panels %}" + source).render(Context(context))


def test_a_registered_panel_renders_on_its_models_page(county: County, registered: None) -> None:
    page = client_for(county.east_director).get("/units/S-E/").content.decode()
    assert '<div data-testid="unit-note">note of S-E</div>' in page


def test_a_panel_shows_on_no_other_models_page(county: County, registered: None) -> None:
    page = client_for(county.east_director).get("/grids/G-E/").content.decode()
    assert "unit-note" not in page


def test_a_panel_fills_only_the_slot_asked_for(county: County, registered: None) -> None:
    assert render('{% panels "buttons" unit %}', unit=county.east) == ""
    assert "note of S-E" in render('{% panels "stats" unit %}', unit=county.east)


def test_a_user_who_may_not_act_sees_no_button(county: County, registered: None) -> None:
    request = client_for(county.east_director).get("/units/S-E/").wsgi_request
    assert panels.render_slot("buttons", county.east, request) == ""
    request.user = county.admin
    assert "unit-note-button" in panels.render_slot("buttons", county.east, request)


def test_without_a_request_a_panel_sees_an_anonymous_user(county: County, registered: None) -> None:
    assert panels.render_slot("buttons", county.east, None) == ""


def test_registering_twice_shows_the_panel_once(county: County, registered: None) -> None:
    panels.register(UnitNote)
    assert render('{% panels "stats" unit %}', unit=county.east).count("note of S-E") == 1


def test_a_slot_kept_in_a_variable_is_empty_without_panels(county: County) -> None:
    source = '{% panels "buttons" unit as extra %}{% if extra %}some{% else %}none{% endif %}'
    assert render(source, unit=county.east) == "none"


def test_no_object_renders_nothing(registered: None) -> None:
    assert render('{% panels "stats" missing %}') == ""


def test_an_unknown_slot_is_a_template_error(county: County) -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown panel slot 'sidebar'"):
        render('{% panels "sidebar" unit %}', unit=county.east)


def test_a_panel_must_name_model_labels() -> None:
    class Nameless(panels.Panel):
        pass

    class Wrong(panels.Panel):
        models = ("org.Unit",)

    with pytest.raises(ValueError, match="names no models"):
        panels.register(Nameless)
    with pytest.raises(ValueError, match="not a model label"):
        panels.register(Wrong)


def test_a_column_adds_its_values_to_an_earlier_table(county: County, registered: None) -> None:
    grids = list(Grid.objects.filter(code__in=["G-E", "G-W"]).order_by("code"))
    columns = {c.name: c for c in panels.columns_for("org.grid", grids)}
    assert [columns["letters"].value(g) for g in grids] == [2, 2]
    assert columns["letters"].header == "字母"
    page = client_for(county.east_director).get("/units/S-E/").content.decode()
    assert '<td class="text-end">2</td>' in page


def test_a_column_answers_for_the_whole_table_in_one_query(county: County) -> None:
    """The grid columns (在册主体, Ⅰ类主体, planning's 逾期未查, which runs the due rule in
    three statements, the risk model's mean risk and the assessment's score, which first ask
    whether there is anything to show) ask as often for one row as for the whole table: at most
    once whether they apply and once for their values."""
    grids = list(Grid.objects.all())
    registered = len(panels._columns["org.grid"])
    asked = []
    for rows in (grids[:1], grids):
        with CaptureQueriesContext(connection) as queries:
            panels.columns_for("org.grid", rows)
        asked.append(len(queries))
    assert asked[0] == asked[1] <= 2 * registered + 2, asked


def test_no_columns_for_a_model_nobody_extends() -> None:
    assert panels.columns_for("org.zone", []) == []
    assert panels.label_of(Unit) == "org.unit"


def test_a_link_nobody_registered_is_empty(county: County) -> None:
    assert panels.link(county.east, "nowhere") == ""


# The domains in the order of the loop, each with its URL namespace (DESIGN.md: an earlier
# page never names a later URL; the later domain adds a panel instead).
LAYERS = [
    ("core", None),
    ("org", "org"),
    ("registry", "registry"),
    ("planning", "planning"),
    ("inspections", "inspections"),
    ("cases", "cases"),
    ("oversight", "oversight"),
]


def test_no_earlier_domain_names_a_later_domains_url() -> None:
    root = Path(xiaoneng.__file__).parent
    found = []
    for index, (app, _namespace) in enumerate(LAYERS):
        later = "|".join([ns for _app, ns in LAYERS[index + 1 :] if ns] + ["reports"])
        names = re.compile(rf"""["']({later}):""")
        for path in (root / app).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            found += [
                f"{path.relative_to(root)}: {m.group(0)}" for m in names.finditer(path.read_text())
            ]
    assert found == []
