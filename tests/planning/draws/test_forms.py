"""The draw forms: the deadline typed, the button pressed, the seed kept exactly as typed; the
rest is the service's to check, and a refused action writes nothing."""

from __future__ import annotations

import datetime as dt

from tests.conftest import County, client_for
from tests.planning.draws.factories import make_draw, populate, run
from xiaoneng.org.models import Unit
from xiaoneng.planning.draws.forms import DrawForm, PublishForm, SeedForm
from xiaoneng.planning.draws.models import DrawPublication, RandomDraw


def test_the_draw_form_types_the_deadline_and_reads_the_button(county: County) -> None:
    units = Unit.objects.all()
    data = {"selection": "ratio", "inspections_end": "2099-12-31", "action": "draft"}
    form = DrawForm(data=data, units=units)
    assert form.is_valid()
    assert form.cleaned_data["inspections_end"] == dt.date(2099, 12, 31)
    assert form.cleaned_data["action"] == "draft"
    missing = DrawForm(data={"selection": "ratio"}, units=units)
    assert missing.is_valid() and missing.cleaned_data["inspections_end"] is None  # the service's


def test_the_draw_form_refuses_a_deadline_it_cannot_read(county: County) -> None:
    data = {"selection": "ratio", "inspections_end": "2099-02-30"}
    form = DrawForm(data=data, units=Unit.objects.all())
    assert not form.is_valid()
    assert form.errors == {"inspections_end": ["请填写检查截止日期（YYYY-MM-DD）"]}


def test_the_button_field_is_not_shown_as_an_input(county: County) -> None:
    page = client_for(county.division_staff).get("/draws/new/").content.decode()
    assert page.count('name="action"') == 2  # the two buttons only


def test_a_seed_is_kept_exactly_as_typed() -> None:
    form = SeedForm(data={"seed": " 对的 "})
    assert form.is_valid() and form.cleaned_data["seed"] == " 对的 "


def test_a_bad_publication_address_is_refused_and_nothing_is_written(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    form = PublishForm(data={"text": " 公示 ", "url": "ftp://x"})
    assert form.is_valid() and form.cleaned_data == {"text": "公示", "url": "ftp://x"}
    response = client_for(county.division_staff).post(
        f"/draws/{draw.pk}/publish/", {"text": "公示", "url": "ftp://x"}, follow=True
    )
    assert "公示网址格式不正确：ftp://x" in response.content.decode()
    assert not DrawPublication.objects.exists()
    assert RandomDraw.objects.get().status == RandomDraw.Status.DRAWN
