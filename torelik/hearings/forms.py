"""The form the judge (or the secretary or assistant working for the judge) schedules a hearing of a
case with: a courtroom of the case's court, a free time of the judge, and the participants: the case's
parties and representatives ticked by default, others added by IIN (a witness, an interpreter, a
prosecutor), each optionally taking part from a facility by videoconference."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.core.clock import validate_day
from torelik.core.identifiers import IIN, IdentifierError
from torelik.courts.models import Courtroom
from torelik.hearings.models import Facility, HearingType, ParticipantRole
from torelik.hearings.queries import CasePerson

EXTRA_PARTICIPANTS = 3
# Whom the court calls besides the parties (a party or its representative is in the case already).
EXTRA_ROLES = (
    ParticipantRole.WITNESS,
    ParticipantRole.INTERPRETER,
    ParticipantRole.PROSECUTOR,
    ParticipantRole.LAWYER,
    ParticipantRole.REPRESENTATIVE,
)


def courtroom_label(room: Courtroom) -> str:
    equipment = []
    if room.has_recording:
        equipment.append(str(_("recording")))
    if room.has_videoconference:
        equipment.append(str(_("videoconference")))
    label = str(_("Courtroom %(number)s, floor %(floor)s")) % {"number": room.number, "floor": room.floor}
    return f"{label} ({', '.join(equipment)})" if equipment else label


class ScheduleForm(forms.Form):
    courtroom = forms.ChoiceField(label=_("Courtroom"))
    day = forms.DateField(validators=[validate_day], label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    minutes = forms.IntegerField(label=_("Duration, minutes"), min_value=10, max_value=540, initial=60)
    kind = forms.ChoiceField(label=_("Type"), choices=HearingType.choices, initial=HearingType.MAIN)
    closed = forms.BooleanField(label=_("Closed session"), required=False)

    def __init__(
        self,
        *args: Any,
        courtrooms: Sequence[Courtroom],
        people: Sequence[CasePerson],
        facilities: Sequence[Facility],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.courtrooms = {str(room.pk): room for room in courtrooms}
        self.people = list(people)
        self.facilities = {str(f.pk): f for f in facilities}
        rooms = self.fields["courtroom"]
        assert isinstance(rooms, forms.ChoiceField)  # noqa: S101 - declared above
        rooms.choices = [(key, courtroom_label(room)) for key, room in self.courtrooms.items()]
        facility_choices = [("", _("in the courtroom")), *((key, f.name) for key, f in self.facilities.items())]
        for index, item in enumerate(self.people):
            self.fields[f"call_{index}"] = forms.BooleanField(
                label=f"{item.person.full_name} — {item.party.get_role_display()}", required=False, initial=True
            )
            self.fields[f"from_{index}"] = forms.ChoiceField(
                label=_("Takes part"), choices=facility_choices, required=False
            )
        for index in range(EXTRA_PARTICIPANTS):
            self.fields[f"extra_{index}_role"] = forms.ChoiceField(
                label=_("Role"),
                choices=[("", "—"), *((role.value, role.label) for role in EXTRA_ROLES)],
                required=False,
            )
            self.fields[f"extra_{index}_iin"] = forms.CharField(label=_("IIN"), max_length=12, required=False)
            self.fields[f"extra_{index}_surname"] = forms.CharField(label=_("Surname"), max_length=100, required=False)
            self.fields[f"extra_{index}_given_name"] = forms.CharField(
                label=_("Given name"), max_length=100, required=False
            )
            self.fields[f"extra_{index}_from"] = forms.ChoiceField(
                label=_("Takes part"), choices=facility_choices, required=False
            )

    def party_rows(self) -> list[tuple[CasePerson, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"call_{i}"], self[f"from_{i}"]) for i, item in enumerate(self.people)]

    def extra_rows(self) -> list[list[forms.BoundField]]:
        names = ("role", "iin", "surname", "given_name", "from")
        return [[self[f"extra_{i}_{name}"] for name in names] for i in range(EXTRA_PARTICIPANTS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(EXTRA_PARTICIPANTS):
            role, iin = data.get(f"extra_{index}_role"), (data.get(f"extra_{index}_iin") or "").strip()
            if not role and not iin:
                continue
            if not role:
                self.add_error(f"extra_{index}_role", _("Choose the role of this participant."))
            try:
                IIN.parse(iin)
            except IdentifierError as error:
                self.add_error(f"extra_{index}_iin", error.message)
        return data

    def chosen_courtroom(self) -> Courtroom:
        return self.courtrooms[self.cleaned_data["courtroom"]]

    def facility(self, key: str) -> Facility | None:
        value = self.cleaned_data.get(key) or ""
        return self.facilities.get(value)

    def called_people(self) -> list[tuple[CasePerson, Facility | None]]:
        return [
            (item, self.facility(f"from_{i}")) for i, item in enumerate(self.people) if self.cleaned_data[f"call_{i}"]
        ]

    def extra_people(self) -> list[tuple[str, str, str, str, Facility | None]]:
        """(role, IIN, surname, given name, facility) of each participant added by hand."""
        out = []
        for index in range(EXTRA_PARTICIPANTS):
            role = self.cleaned_data.get(f"extra_{index}_role") or ""
            if role:
                out.append(
                    (
                        role,
                        str(IIN.parse(self.cleaned_data[f"extra_{index}_iin"].strip())),
                        self.cleaned_data[f"extra_{index}_surname"].strip(),
                        self.cleaned_data[f"extra_{index}_given_name"].strip(),
                        self.facility(f"extra_{index}_from"),
                    )
                )
        return out
