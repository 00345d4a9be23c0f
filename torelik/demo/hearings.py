"""Demo hearings: for the demo cases of the busiest courts, hearings over the coming working
weeks (some closed, some with a participant by videoconference from a facility), scheduled
through the real action so that every conflict rule holds in the demo too; and in each of those
courts a few hearings of the past working days that were held, recorded (a short WAV sent in
pieces through the recorder's path), logged and given their record."""

import datetime as dt
import hashlib
import io
import math
import random
import struct
import wave
from dataclasses import dataclass

from django.db.models import Count, Q

from torelik.cases.models import Case, CaseStatus
from torelik.core import clock
from torelik.courts.models import Court, Courtroom
from torelik.deadlines.working_calendar import working_calendar
from torelik.hearings.actions import (
    ParticipantInput,
    add_log_mark,
    generate_hearing_record,
    register_recorder,
    schedule_hearing,
)
from torelik.hearings.errors import HearingConflictError, HearingError
from torelik.hearings.models import (
    Facility,
    FacilityKind,
    Hearing,
    HearingType,
    LogMarkKind,
    RecorderDevice,
)
from torelik.hearings.queries import case_people
from torelik.hearings.recordings import finish_upload, start_upload, write_piece
from torelik.hearings.videoconference import attend_remotely
from torelik.hearings.working_hours import court_zone

BIG_COURTS = 8
CASES_PER_COURT = 40
DAYS_AHEAD = 15
SLOT_HOURS = (9, 10, 11, 12, 14, 15, 16, 17)
# An accepted case gets a preparatory conversation; one in preparation onwards, a main hearing (a case
# is given hearings only once its judge has accepted it: hearings/access.py).
OPEN_STATUSES = (
    CaseStatus.ACCEPTED,
    CaseStatus.IN_PREPARATION,
    CaseStatus.SCHEDULED,
    CaseStatus.HEARD,
)

FACILITIES = (
    ("СИЗО ДКУИС по г. Алматы", FacilityKind.DETENTION_CENTRE, "sip:sizo-almaty@vc.torelik.example"),
    ("Учреждение ЛА-155/18", FacilityKind.PRISON_COLONY, "sip:la155-18@vc.torelik.example"),
    ("Противотуберкулёзный диспансер г. Астаны", FacilityKind.HOSPITAL, "sip:tb-astana@vc.torelik.example"),
)


RECORDED_PER_COURT = 2
RECORDING_SECONDS = 20
# What a recorder logs in a short session: (seconds from the opening, kind, text).
SESSION_LOG = (
    (0, LogMarkKind.OPENED, "Судебное заседание открыто"),
    (4, LogMarkKind.SPEAKING, "Истец поддерживает исковые требования"),
    (9, LogMarkKind.EVIDENCE, "Исследованы письменные доказательства"),
    (13, LogMarkKind.MOTION, "Ходатайство ответчика об отложении"),
    (18, LogMarkKind.CLOSING, "Судебное заседание закрыто"),
)


@dataclass(frozen=True)
class HearingSeedSummary:
    hearings: int
    closed: int
    remote: int
    recorded: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.hearings} hearings, {self.closed} closed, {self.remote} remote participants, "
            f"{self.recorded} held in the past days with a recording, log and record"
        ]


def _demo_recording(seconds: int, pitch: float) -> bytes:
    """A short mono WAV: a quiet tone, so that the player has something to play and seek in."""
    rate = 8000
    frames = b"".join(
        struct.pack("<h", int(3000 * math.sin(2 * math.pi * pitch * n / rate))) for n in range(rate * seconds)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(frames)
    return buffer.getvalue()


def _record_past_hearings(court: Court, rooms: list[Courtroom], days: list[dt.date]) -> int:
    """Hold, log and record a few past hearings of `court`, each through the real actions: scheduled
    the evening before, its marks posted by the courtroom's recorder, the WAV sent in two pieces."""
    zone = court_zone(court)
    cases = list(
        Case.objects.filter(court=court, status__in=OPEN_STATUSES, judge__isnull=False)
        .select_related("court__region", "judge__person")
        .prefetch_related("parties__person")
        .order_by("-number")[:RECORDED_PER_COURT]
    )
    recorded = 0
    devices: dict[int, RecorderDevice] = {}  # one recorder per courtroom
    for index, (case, day) in enumerate(zip(cases, days, strict=False)):
        room = rooms[index % len(rooms)]
        start = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=zone)
        try:
            with clock.frozen_at(start - dt.timedelta(hours=16)):
                hearing = schedule_hearing(
                    case=case,
                    courtroom=room,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    actor=None,
                    kind=HearingType.MAIN,
                    participants=_participants(case),
                )
        except (HearingConflictError, HearingError):
            continue
        device = (
            devices.get(room.pk)
            or register_recorder(court=court, name=room.number, valid_until=start + dt.timedelta(days=365))[0]
        )
        devices[room.pk] = device

        with clock.frozen_at(start + dt.timedelta(minutes=30)):
            for offset, kind, text in SESSION_LOG:
                add_log_mark(
                    hearing=hearing, at=start + dt.timedelta(seconds=offset), kind=kind, text=text, device=device
                )
            content = _demo_recording(RECORDING_SECONDS, pitch=220 + 55 * index)
            upload = start_upload(hearing=hearing, device=device, filename="session.wav", size=len(content))
            half = len(content) // 2
            upload = write_piece(upload=upload, start=0, body=io.BytesIO(content[:half]), length=half)
            upload = write_piece(upload=upload, start=half, body=io.BytesIO(content[half:]), length=len(content) - half)
            finish_upload(upload=upload, sha256=hashlib.sha256(content).hexdigest())
            generate_hearing_record(hearing=hearing, actor=None)
        recorded += 1
    return recorded


def _working_days(start: dt.date, count: int) -> list[dt.date]:
    calendar = working_calendar()
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        day += dt.timedelta(days=1)
        if calendar.is_working(day):  # Monday to Friday, less public holidays and declared days off
            days.append(day)
    return days


def _past_working_days(today: dt.date, count: int) -> list[dt.date]:
    calendar = working_calendar()
    days: list[dt.date] = []
    day = today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if calendar.is_working(day):
            days.append(day)
    return days


def _participants(case: Case) -> list[ParticipantInput]:
    """Whom the scheduling page calls by default: the parties and representatives who are people."""
    return [ParticipantInput(role=item.role, person=item.person) for item in case_people(case)]


def _facilities() -> list[Facility]:
    return [
        Facility.objects.get_or_create(
            name=name, defaults={"kind": kind, "vc_endpoint": endpoint, "contact": "+7 727 000 00 00"}
        )[0]
        for name, kind, endpoint in FACILITIES
    ]


def _schedule_court(court: Court, rooms: list[Courtroom], days: list[dt.date], rng: random.Random) -> list[Hearing]:
    zone = court_zone(court)
    slots = [(day, hour, room) for day in days for hour in SLOT_HOURS for room in rooms]
    rng.shuffle(slots)
    cases = list(
        Case.objects.filter(court=court, status__in=OPEN_STATUSES, judge__isnull=False)
        .select_related("court__region", "judge__person")
        .prefetch_related("parties__person")
        .order_by("number")[:CASES_PER_COURT]
    )
    made: list[Hearing] = []
    for index, case in enumerate(cases):
        for _attempt in range(12):
            if not slots:
                return made
            day, hour, room = slots.pop()
            start = dt.datetime(day.year, day.month, day.day, hour, 30 if hour == 17 else 0, tzinfo=zone)
            try:
                made.append(
                    schedule_hearing(
                        case=case,
                        courtroom=room,
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=1),
                        actor=None,
                        kind=HearingType.PREPARATORY if case.status == CaseStatus.ACCEPTED else HearingType.MAIN,
                        is_closed=index % 7 == 3,
                        participants=_participants(case),
                    )
                )
                break
            except (HearingConflictError, HearingError):
                continue
    return made


def seed_demo_hearings(*, seed: int) -> HearingSeedSummary:
    """Hearings for the demo cases of the busiest courts, unless there are hearings already."""
    if Hearing.objects.exists():
        return HearingSeedSummary(0, 0, 0)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    days = _working_days(clock.today(), DAYS_AHEAD)
    facilities = _facilities()
    busiest = (
        Court.objects.annotate(
            open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES, cases__judge__isnull=False))
        )
        .filter(open_cases__gt=0)
        .select_related("region")
        .order_by("-open_cases", "code")[:BIG_COURTS]
    )
    past_days = _past_working_days(clock.today(), RECORDED_PER_COURT)
    hearings: list[Hearing] = []
    recorded = 0
    for court in busiest:
        rooms = list(Courtroom.objects.filter(court=court).select_related("court__region"))
        if rooms:
            hearings += _schedule_court(court, rooms, days, rng)
            equipped = [room for room in rooms if room.has_recording] or rooms
            recorded += _record_past_hearings(court, equipped, past_days)
    remote = 0
    for index, hearing in enumerate(hearings):
        participant = hearing.participants.select_related("hearing__courtroom").first()
        if index % 5 == 0 and participant is not None and hearing.courtroom.has_videoconference:
            attend_remotely(participant=participant, facility=facilities[remote % len(facilities)])
            remote += 1
    return HearingSeedSummary(len(hearings), sum(h.is_closed for h in hearings), remote, recorded)
