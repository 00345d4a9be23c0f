"""Demo judicial acts: for the decided demo cases of the demo judge's court and of the courts with the
most of them (at most `limit` cases), an act written from the case's facts, signed by its judge's demo
certificate (PAdES) with an RFC 3161 timestamp (the configured authority, else a local one for the
seeding), announced on the day the case was decided; appealed acts held back, acts in force with their
writ of execution, and the appeal instance's upholding act linked to the act it reviewed."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from torelik.acts import actions, appeals, signing
from torelik.acts.act_pdf import render_act_pdf
from torelik.acts.act_text import first_draft
from torelik.acts.kinds import kinds_for
from torelik.acts.models import Act, ActStatus, ActVersion, Appeal, AppealStatus, ReviewOutcome
from torelik.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseLink,
    CaseLinkKind,
    CaseStatus,
    Instance,
    PartyRole,
)
from torelik.core import clock
from torelik.identity.demo_pki import p12_path
from torelik.identity.models import Language, Person
from torelik.identity.pki import DEMO_PASSWORD, DemoCA, IssuedCertificate, KeyPurpose, sign_detached

DEMO_COURT = "1916"
DECIDED = (CaseStatus.DECIDED, CaseStatus.APPEALED, CaseStatus.IN_FORCE, CaseStatus.ARCHIVED)


@dataclass(frozen=True)
class ActSeedSummary:
    acts: int
    in_force: int
    appealed: int
    writs: int
    reviews: int
    appeals_awaiting: int = 0
    appeals_ready: int = 0
    appeals_sent: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.acts} judicial acts signed and announced: {self.in_force} in force ({self.writs} writs), "
            f"{self.appealed} under appeal, {self.reviews} appellate acts",
            f"appeals: {self.appeals_awaiting} awaiting the term for responses, {self.appeals_ready} ready to send, "
            f"{self.appeals_sent} sent to the higher court",
        ]


@contextmanager
def _timestamp_authority(ca: DemoCA) -> Iterator[str]:
    if settings.TORELIK_TSA_URL:
        yield settings.TORELIK_TSA_URL
        return
    from torelik.identity.timestamps import LocalTimestampAuthority  # noqa: PLC0415 - the seeding's own

    with LocalTimestampAuthority(ca).running() as url:
        yield url


def judge_keys(ca: DemoCA, person: Person) -> dict[KeyPurpose, IssuedCertificate]:
    """A demo judge's AUTH and SIGN keys, as PKCS#12 files beside the demo people's (kept once made),
    so that `torelik dev-signer --iin <the judge's IIN>` signs as that judge."""
    keys = {}
    for purpose in KeyPurpose:
        path = p12_path(ca.directory, str(person.iin), purpose)
        if path.exists():
            keys[purpose] = IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
            continue
        keys[purpose] = ca.issue_person(
            iin=str(person.iin),
            surname=person.surname,
            given_name=person.given_name,
            patronymic=person.patronymic,
            purpose=purpose,
            valid_days=365 * 3,
        )
        path.write_bytes(keys[purpose].pkcs12(DEMO_PASSWORD))
        path.chmod(0o600)
    return keys


def _moment_of(case: Case, status: str) -> dt.datetime:
    event = (
        CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS_CHANGED, data__to=status).order_by("-id").first()
    )
    return event.occurred_at if event is not None else case.registered_at


def _sign_demo(act: Act, key: IssuedCertificate, tsa_url: str) -> Act:
    version = actions.latest_version(act)
    prepared = signing.prepare(render_act_pdf(actions.printed(act, version, for_signing=True)))
    stamped, stamp = signing.with_timestamp(sign_detached(prepared.signed_bytes, key), tsa_url)
    pdf = signing.complete(prepared, stamped)
    person = act.case.judge.person if act.case.judge is not None else None
    return actions.record_signature(
        act=act,
        actor=None,
        pdf=pdf,
        signer_name=person.full_name if person else "",
        signer_iin=str(person.iin) if person else "",
        serial=format(key.certificate.serial_number, "x"),
        issuer=key.certificate.issuer.rfc4514_string(),
        stamped_at=stamp.moment,
        authority=stamp.authority,
        version=version.number,
    )


def _demo_act(case: Case, *, ca: DemoCA, keys: dict[int, IssuedCertificate], tsa_url: str, n: int) -> Act | None:
    kinds = [k for k in kinds_for(case.proceeding_type, case.instance) if k.ends_case]
    if not kinds or case.judge is None:
        return None
    kind, judge_id = kinds[0], case.judge.pk
    language = Language.KAZAKH if n % 3 == 0 else Language.RUSSIAN
    decided_at = _moment_of(case, CaseStatus.DECIDED)
    with clock.frozen_at(decided_at):
        reviews = actions.act_under_review(case) if case.instance != Instance.FIRST else None
        parts = first_draft(
            case=case,
            kind=kind,
            language=language,
            parties=list(case.parties.select_related("person", "organisation")),
            hearing_days=[],
            today=clock.today(),
        )
        act = Act.objects.create(
            case=case,
            kind=kind.code,
            language=language,
            reviews=reviews,
            outcome=ReviewOutcome.UPHELD if reviews is not None else "",
        )
        ActVersion.objects.create(
            act=act, number=1, created_at=clock.now(), **_with_identifiers(parts.as_dict(), case, language, n)
        )
        act.verify_token = actions.new_token()
        act.save(update_fields=["verify_token"])
        if judge_id not in keys:
            keys[judge_id] = judge_keys(ca, case.judge.person)[KeyPurpose.SIGNING]
        act = _sign_demo(act, keys[judge_id], tsa_url)
        act = actions.announce_for_history(act)
    return act


DEMO_STREETS = {
    "ru": ["г. Алматы, мкр. Самал-2, д. {n}, кв. {m}", "г. Астана, ул. Кенесары, д. {n}, кв. {m}"],
    "kk": ["Абай даңғылы, {n}-үй, {m}-пәтер", "Сарыарқа ықшамауданы, {n}-үй, {m}-пәтер"],
}


def _with_identifiers(parts: dict[str, str], case: Case, language: str, n: int) -> dict[str, str]:
    """The demo's act text names the private parties with every kind of identifier a court writes (IIN,
    birth date, address with the flat, phone, e-mail, identity card, car plate, bank account and card),
    so that a visitor of the public site sees the publication mask them (issue 22)."""
    people = [p for p in case.parties.select_related("person") if p.person is not None]
    if not people:
        return parts
    person = people[0].person
    if person is None:  # pragma: no cover - filtered above
        return parts
    iin = str(person.iin)
    born = f"{iin[4:6]}.{iin[2:4]}.{'19' if iin[6] in '34' else '20' if iin[6] in '56' else '18'}{iin[0:2]}"
    phone = people[0].phone or person.phone or f"+7 701 {100 + n:03d} {10 + n % 90:02d} {20 + n % 70:02d}"
    address = DEMO_STREETS[language][n % 2].format(n=10 + n, m=1 + n % 90)
    mail = f"party{n}@mail.kz"
    if language == Language.KAZAKH:
        extra = (
            f"Тарап {person.surname} {person.given_name} (ЖСН {iin}, {born} ж. туған, мекенжайы: {address}, "
            f"тел. {phone}, электрондық поштасы {mail}, жеке куәлік № 0{45678900 + n}) "
            f"{700 + n % 100:03d} ABC 02 мемлекеттік нөмірлі көлікті пайдаланған, төлем KZ86125KZT50041001{n % 100:02d} "  # noqa: E501 - data
            f"шотынан 4400 4301 2345 {6700 + n % 100:04d} картасымен жасалған."
        )
    else:
        extra = (
            f"{person.surname} {person.given_name} (ИИН {iin}, {born} г.р., проживает по адресу: {address}, "
            f"тел. {phone}, e-mail {mail}, удостоверение личности № 0{45678900 + n}) пользовался автомобилем "
            f"{700 + n % 100:03d} ABC 02, оплату произвёл со счёта KZ86125KZT50041001{n % 100:02d} картой "
            f"4400 4301 2345 {6700 + n % 100:04d}."
        )
    return {**parts, "descriptive": f"{parts['descriptive']}\n\n{extra}"}


def _appellant_iin(case: Case, upper: Case | None) -> str:
    """Who appeals in the demo: the applicant of the case at the higher court when it exists, else the
    first person among the parties."""
    for source, roles in ((upper, [PartyRole.APPLICANT]), (case, None)):
        if source is None:
            continue
        parties = source.parties.exclude(person=None).select_related("person").order_by("pk")
        party = (parties.filter(role__in=roles) if roles else parties).first()
        if party is not None and party.person is not None:
            return str(party.person.iin)
    return ""


def _lodge_demo_appeal(case: Case, act: Act, upper: Case | None) -> Appeal | None:
    """The demo case's appeal lodged at its court on the day the case was appealed; when the demo already
    has the case at the higher court (registered there with its judge drawn through the distribution),
    the appeal is recorded as sent to it, as `send_appeal` leaves it."""
    higher_court = upper.court if upper is not None else case.court.parent
    if higher_court is None:
        with clock.frozen_at(_moment_of(case, CaseStatus.APPEALED)):
            actions.record_appeal(act=act, actor=None, filed_on=clock.today(), restore_term=True)
        return None
    with clock.frozen_at(_moment_of(case, CaseStatus.APPEALED)):
        appeal = appeals.lodge_appeal(
            lower_case=case,
            higher_court=higher_court,
            appellant_iin=_appellant_iin(case, upper),
            document=None,
            actor=None,
        )
    if upper is not None:
        appeal.status, appeal.appeal_case, appeal.sent_at = AppealStatus.SENT, upper, upper.registered_at
        appeal.save(update_fields=["status", "appeal_case", "sent_at", "updated_at"])
    return appeal


def _lodge_on(act: Act, day: dt.date) -> Appeal | None:
    higher_court = act.case.court.parent
    if higher_court is None:
        return None
    with transaction.atomic(), clock.frozen_at(timezone.make_aware(dt.datetime.combine(day, dt.time(11)))):
        return appeals.lodge_appeal(
            lower_case=act.case,
            higher_court=higher_court,
            appellant_iin=_appellant_iin(act.case, None),
            document=None,
            actor=None,
        )


def _oldest_decided(exclude: set[int]) -> Case | None:
    """The first-instance case decided longest ago that is not in force yet (its appeal term has run,
    or is the nearest to running out)."""
    decided_at = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEventKind.STATUS_CHANGED, data__to=CaseStatus.DECIDED)
        .order_by("-id")
        .values("occurred_at")[:1]
    )
    return (
        Case.objects.filter(
            instance=Instance.FIRST, status=CaseStatus.DECIDED, judge__isnull=False, court__parent__isnull=False
        )
        .exclude(pk__in=exclude)
        .annotate(decided_at=Subquery(decided_at))
        .exclude(decided_at=None)
        .select_related("court", "judge__person", "category")
        .order_by("decided_at", "pk")
        .first()
    )


def _appeals_waiting_at_the_court(
    acts: list[Act], *, ca: DemoCA, keys: dict[int, IssuedCertificate], tsa_url: str
) -> None:
    """Appeals still at the first-instance court, so that its clerk's queue has both kinds: against the
    most recently announced act not in force, one lodged today (the term for responses runs); against
    the act of the case decided longest ago and not in force, one lodged a week after its announcement
    (when both the term for responses and the appeal term have run: ready to send)."""
    today = clock.today()
    open_acts = sorted(
        (
            a
            for a in Act.objects.filter(pk__in=[a.pk for a in acts], status=ActStatus.ANNOUNCED).select_related(
                "case__court"
            )
            if a.announced_on is not None and a.case.court.parent_id is not None
        ),
        key=lambda a: (a.announced_on or today, a.pk),
    )
    used: set[int] = set()
    if open_acts:
        _lodge_on(open_acts[-1], today)
        used.add(open_acts[-1].case_id)
    case = _oldest_decided(used)
    if case is None:
        return
    act = Act.objects.filter(case=case, status=ActStatus.ANNOUNCED).first()
    if act is None and not Act.objects.filter(case=case).exists():
        with transaction.atomic():
            act = _demo_act(case, ca=ca, keys=keys, tsa_url=tsa_url, n=len(acts))
        if act is not None:
            acts.append(act)
    if act is not None and act.announced_on is not None:
        _lodge_on(act, min(today, act.announced_on + dt.timedelta(days=7)))


def seed_demo_acts(*, limit: int = 40) -> ActSeedSummary:
    """Acts for up to `limit` decided first-instance demo cases (the demo judge's court first), then
    for their appeal cases that are decided; a no-op when there are acts already."""
    if Act.objects.exists():
        return ActSeedSummary(0, 0, 0, 0, 0)
    ca = DemoCA.load_or_create()
    keys: dict[int, IssuedCertificate] = {}
    first = list(
        Case.objects.filter(instance=Instance.FIRST, status__in=DECIDED, judge__isnull=False)
        .annotate(home=Count("pk", filter=Q(court__code=DEMO_COURT)))
        .select_related("court", "judge__person", "category")
        .order_by("-home", "court__code", "registered_at")[:limit]
    )
    acts: list[Act] = []
    reviews = 0
    with _timestamp_authority(ca) as tsa_url:
        for n, case in enumerate(first):
            with transaction.atomic():
                act = _demo_act(case, ca=ca, keys=keys, tsa_url=tsa_url, n=n)
                if act is None:
                    continue
                acts.append(act)
                higher = [
                    link.from_case
                    for link in CaseLink.objects.filter(to_case=case, kind=CaseLinkKind.APPEAL_OF).select_related(
                        "from_case__court", "from_case__judge__person", "from_case__category"
                    )
                ]
                if higher or case.status == CaseStatus.APPEALED:
                    _lodge_demo_appeal(case, act, higher[0] if higher else None)
                for upper in higher:
                    decided = upper.status in DECIDED and upper.judge is not None
                    if decided and _demo_act(upper, ca=ca, keys=keys, tsa_url=tsa_url, n=n) is not None:
                        reviews += 1
                act.refresh_from_db()
                if act.status == ActStatus.ANNOUNCED and case.status in (CaseStatus.IN_FORCE, CaseStatus.ARCHIVED):
                    actions.enter_into_force_for_history(
                        act, day=timezone.localdate(_moment_of(case, CaseStatus.IN_FORCE))
                    )
        _appeals_waiting_at_the_court(acts, ca=ca, keys=keys, tsa_url=tsa_url)
    final = Act.objects.filter(pk__in=[a.pk for a in acts])
    appeals = Appeal.objects.filter(act__in=final)
    today = clock.today()
    return ActSeedSummary(
        appeals_awaiting=appeals.filter(status=AppealStatus.AWAITING_RESPONSES, ready_on__gt=today).count(),
        appeals_ready=appeals.filter(status=AppealStatus.AWAITING_RESPONSES, ready_on__lte=today).count(),
        appeals_sent=appeals.filter(status=AppealStatus.SENT).count(),
        acts=len(acts),
        in_force=final.filter(status=ActStatus.IN_FORCE).count(),
        appealed=final.filter(status=ActStatus.APPEALED).count(),
        writs=final.exclude(writ=None).count(),
        reviews=reviews,
    )
