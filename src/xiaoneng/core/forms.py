"""What every page form shares: binding to a POST, a typed day, moment, number or whole
number, a list of checkboxes, a choice the service checks, a checkbox, a service's refusal
shown on the form's fields, and no control character in any field (``core.boundary``).

A page form parses and types what was typed; the service it feeds decides what is valid. A
field a service checks itself (a required name, a choice, a range) stays plain text here, so
the page shows the service's own message, the same as the API and the CLI.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.boundary import CONTROL_CHARACTER_MESSAGE, has_control_characters
from xiaoneng.core.errors import DomainError, FieldError
from xiaoneng.core.pages import parse_day


def posted(request: HttpRequest) -> dict[str, Any]:
    """The data (and files) to bind a page's form to: the POST, even an empty one; nothing on
    another method, so the form is unbound and shows its initial values."""
    if request.method != "POST":
        return {}
    return {"data": request.POST, "files": request.FILES}


class DayField(forms.Field):
    """A YYYY-MM-DD day (``core.pages.parse_day``); empty is None, left to the service to
    require. ``invalid`` is the message for text that is no day (``%(value)s`` names it)."""

    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, *, invalid: Any = None, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)
        self.error_messages["invalid"] = invalid or _("日期格式应为 YYYY-MM-DD：%(value)s")

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values or not str(value).strip():
            return None
        day = parse_day(value)
        if day is None:
            text = str(value).strip()
            raise ValidationError(self.error_messages["invalid"], "invalid", {"value": text})
        return day

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value


class MomentField(forms.Field):
    """A moment: YYYY-MM-DDTHH:MM as a datetime-local input sends it (local time), or ISO 8601
    with an offset as a device's clock gives it; empty is None. Whether it may lie in the
    future is the service's rule. ``invalid`` may name ``%(label)s`` and ``%(value)s``."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def __init__(self, *, invalid: Any = None, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)
        self.error_messages["invalid"] = invalid or _(
            "%(label)s应为“YYYY-MM-DD HH:MM”格式的时间：%(value)s"
        )

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            moment: dt.datetime | None = value
        else:
            text = str(value if value is not None else "").strip()
            if not text:
                return None
            try:
                moment = parse_datetime(text)
            except ValueError:  # well formed, but no such moment (2026-02-30T09:00)
                moment = None
            if moment is None:
                params = {"label": self.label, "value": text}
                raise ValidationError(self.error_messages["invalid"], "invalid", params)
        assert moment is not None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class NumberField(forms.Field):
    """A decimal number as typed (a coordinate, an accuracy in metres); empty is None, and
    neither NaN nor infinity is a number. Its bounds are the service's rule. ``invalid`` may
    name ``%(label)s`` and ``%(value)s``."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, *, invalid: Any = None, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)
        self.error_messages["invalid"] = invalid or _("%(label)s应为数字：%(value)s")

    def to_python(self, value: Any) -> float | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            params = {"label": self.label, "value": text}
            raise ValidationError(self.error_messages["invalid"], "invalid", params)
        return number


class TextListField(forms.Field):
    """Every value posted under the name (the checkboxes of a list), stripped, the empty ones
    left out; which values are known is the service's rule."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        return [text for v in values if (text := str(v).strip())]


class WholeNumberField(forms.Field):
    """A whole number; empty is ``empty`` (0 unless told). The range is the service's rule.
    ``invalid`` is the message for text that is no whole number (``%(value)s`` names it)."""

    def __init__(
        self, *, invalid: Any, empty: int | None = 0, required: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(required=required, **kwargs)
        self.empty = empty
        self.error_messages["invalid"] = invalid

    def to_python(self, value: Any) -> int | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return self.empty
        try:
            return int(text)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], "invalid", {"value": text}
            ) from None


class FlagInput(forms.CheckboxInput):
    """A checkbox whose posted text is kept as posted ("0" is not on, as it is for Django's)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class FlagField(forms.Field):
    """A checkbox posted as ``value="1"``: on only for "1", as the pages have always read it."""

    widget = FlagInput

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)

    def to_python(self, value: Any) -> bool:
        return value is True or str(value) == "1"


class OfferedChoiceField(forms.CharField):
    """A value chosen from ``choices`` in a select, passed on as text: the service checks it,
    so a value not offered gets the service's message, the same as in the API."""

    def __init__(self, *, choices: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        self.choices = list(choices)
        kwargs.setdefault("required", False)
        super().__init__(widget=forms.Select(choices=self.choices), **kwargs)


class PageForm(forms.Form):
    """A page's form: parsed and typed here, checked by the service, refused on its fields.

    A hand-written template shows ``shown`` (the text as posted, or the initial values) and
    ``field_errors`` (field → message; a refusal naming no field of the form under its own name,
    or under "").
    """

    # A service's field name → this form's, where the two differ.
    service_fields: ClassVar[dict[str, str]] = {}
    # Inputs that, left out of a POST, take their initial value (as the page has read them).
    initial_when_absent: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusals: dict[str, str] = {}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in self.initial_when_absent:
            if name not in self.data and name in self.initial:
                data[name] = self.initial[name]
        self.refuse_control_characters()
        return data

    def refuse_control_characters(self) -> None:
        """Refuse every field posted with a control character (NUL and the like: PostgreSQL
        refuses NUL, an XLSX export cannot hold any), in place of the field's own message."""
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            key = self.add_prefix(name)
            posted = getlist(key) if getlist else [self.data.get(key)]
            if any(isinstance(v, str) and has_control_characters(v) for v in posted):
                self.errors.pop(name, None)
                self.add_error(name, CONTROL_CHARACTER_MESSAGE)

    def add_service_errors(self, error: DomainError) -> None:
        """Show a service's refusal: each field's message on its field, the rest on the form."""
        for field, message in error.by_field.items():
            name = self.service_fields.get(field, field)
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.refusals[name] = message
                self.add_error(None, message)

    @property
    def shown(self) -> dict[str, Any]:
        """What the inputs show: the text as posted, or the initial values."""
        if not self.is_bound:
            return dict(self.initial)
        absent = {n: self.initial[n] for n in self.initial_when_absent if n in self.initial}
        return absent | dict(self.data.items())

    @property
    def field_errors(self) -> dict[str, str]:
        """The first message of each field (non-field ones under ""), for a template."""
        found = {
            ("" if name == NON_FIELD_ERRORS else name): str(errors[0])
            for name, errors in self.errors.items()
            if errors
        }
        return found | self.refusals

    @property
    def error_list(self) -> list[FieldError]:
        """Each field's messages as ``FieldError``s (a refusal naming no field of the form
        under its own name), for a template that groups them its own way."""
        found = [
            FieldError(name, str(message))
            for name, messages in self.errors.items()
            if name != NON_FIELD_ERRORS
            for message in messages
        ]
        return found + [FieldError(name, message) for name, message in self.refusals.items()]

    @property
    def for_page(self) -> str:
        """Every message once, for the page's banner (``DomainError.for_page``'s way)."""
        return "；".join(dict.fromkeys(str(e) for errors in self.errors.values() for e in errors))


class ReasonForm(PageForm):
    """An action that takes only a reason; the service says whether it is enough."""

    reason = forms.CharField(label=_("理由"), required=False)
