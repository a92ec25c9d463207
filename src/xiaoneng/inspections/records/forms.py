"""Forms of the inspection record pages: they type the times, the check-in position and the
uploads, and collect the rest as text; inspections.records decides what is valid.

The draft form is built from the record's checklist: one result and one note per item, named
``result_<item id>`` and ``note_<item id>`` as the phone's page posts them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import FlagField, MomentField, NumberField, PageForm, TextListField
from xiaoneng.inspections.checklists.models import Checklist, InspectionKind
from xiaoneng.inspections.records.drafts import MOMENTS, NUMBERS
from xiaoneng.inspections.records.models import Attachment, Inspection

# The record's own inputs, by the names ``save_draft`` takes; each is saved only when posted.
RECORD_INPUTS = ("summary", *MOMENTS, *NUMBERS, "entity_operating")
# Posted with the team's checkboxes: the page showed them, so none ticked means "no helpers".
TEAM_SHOWN = "team_shown"


class StartForm(PageForm):
    """An ad hoc inspection: the entity's USCC (the page finds it in the user's scope), the
    kind and origin (``open_inspection`` checks them), a checklist by id, enforcement."""

    uscc = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    origin = forms.CharField(required=False)
    checklist = forms.ModelChoiceField(
        queryset=Checklist.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("检查清单不存在：%(value)s")},
    )
    enforcement = FlagField()

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).upper()


class FromTaskForm(PageForm):
    """The task page's start button: the kind (on site unless told) and enforcement."""

    kind = forms.CharField(required=False)
    enforcement = FlagField()

    def clean_kind(self) -> str:
        return str(self.cleaned_data["kind"] or InspectionKind.ONSITE)


class MultipleFileInput(forms.FileInput):
    """A file input that sends several files (``multiple``)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every file posted under the name, in order (none is fine). Whether each is a photo or
    a document that may be kept is ``attachments.add_attachment``'s rule, an empty file too."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [one(upload, initial) for upload in uploads]


def _item_field(name: str) -> str:
    """The key the page marks an error under: an item's card, the uploads, or the field."""
    if name in ("photos", "documents"):
        return "file"
    prefix, _sep, item = name.partition("_")
    return f"results.{item}" if prefix in ("result", "note") and item.isdigit() else name


def _operating(value: str) -> bool:
    return value == "1"


class InspectionForm(PageForm):
    """A draft as the phone posts it: per checklist item a result (pass / fail / na) and a
    note, the times, the check-in, the team, photos and documents.

    ``values()`` hands ``save_draft`` only what was posted, with the revision the page was read
    at (``revision``, the optimistic lock: a save from an older revision is refused and
    nothing is written). The results and the team stay text: ``save_draft`` names the item or
    the officer it refuses.
    """

    revision = forms.CharField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(required=False, widget=forms.Textarea)
    started_at = MomentField(label=MOMENTS["started_at"])
    finished_at = MomentField(label=MOMENTS["finished_at"])
    checkin_at = MomentField(label=MOMENTS["checkin_at"], widget=forms.HiddenInput)
    checkin_longitude = NumberField(label=NUMBERS["checkin_longitude"], widget=forms.HiddenInput)
    checkin_latitude = NumberField(label=NUMBERS["checkin_latitude"], widget=forms.HiddenInput)
    checkin_accuracy = NumberField(label=NUMBERS["checkin_accuracy"], widget=forms.HiddenInput)
    entity_operating = forms.TypedChoiceField(
        choices=[("1", _("现场在营")), ("0", _("现场未经营"))],
        coerce=_operating,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("现场经营情况应为 1（在营）或 0（未经营）：%(value)s")},
    )
    team = TextListField()
    enforcement = FlagField()
    photos = MultipleFileField()
    documents = MultipleFileField()
    action = forms.ChoiceField(
        choices=[("save", _("保存草稿")), ("sign", _("保存并签名"))],
        required=False,
        error_messages={
            "invalid_choice": _("操作应为 save（保存草稿）或 sign（保存并签名）：%(value)s")
        },
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_ids = list(inspection.results.values_list("item_id", flat=True))
        for item_id in self.item_ids:
            self.fields[f"result_{item_id}"] = forms.CharField(required=False)
            self.fields[f"note_{item_id}"] = forms.CharField(required=False, widget=forms.Textarea)

    def values(self) -> dict[str, Any]:
        """``save_draft``'s values: an item, a field or the team only when the page posted it."""
        data, sent = self.cleaned_data, self.data
        results = {
            item_id: {"result": data[f"result_{item_id}"], "note": data[f"note_{item_id}"]}
            for item_id in self.item_ids
            if f"result_{item_id}" in sent or f"note_{item_id}" in sent
        }
        values: dict[str, Any] = {"results": results}
        values |= {name: data[name] for name in RECORD_INPUTS if name in sent}
        if TEAM_SHOWN in sent:
            values["team"] = data["team"]
            values["enforcement"] = data["enforcement"]
        return values

    def uploads(self) -> list[tuple[str, Any]]:
        """The files to attach, photos first, each with its attachment kind."""
        photos = [(Attachment.Kind.PHOTO.value, f) for f in self.cleaned_data["photos"]]
        documents = [(Attachment.Kind.DOCUMENT.value, f) for f in self.cleaned_data["documents"]]
        return photos + documents

    @property
    def field_errors(self) -> dict[str, str]:
        """The first message of each field, under the key the page marks it: ``results.<item
        id>`` on the item's card, ``file`` at the uploads (``save_draft``'s names too)."""
        found: dict[str, str] = {}
        for name, message in super().field_errors.items():
            found.setdefault(_item_field(name), message)
        return found


class SignForm(PageForm):
    """A signature, at the revision the signer read (none given: the record as it stands)."""

    revision = forms.CharField(required=False, widget=forms.HiddenInput)
