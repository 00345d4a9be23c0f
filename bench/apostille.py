"""Apostilles (issue 27): issuing (the certificate rendered, the original attached, the court's PAdES seal,
stored, the SMS queued) per second, and the public register's check by number and date (page and API)
p50/p95 among 20,000 registered apostilles. Floors: the court's PAdES seal alone on the same PDF, and one
indexed query. In-process, on a database of its own dropped afterwards. Run alone: `python -m bench.apostille`.
"""

import argparse
import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence

from bench import database
from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("apostille")
    group.add_argument("--apostille-issues", type=int, default=30, help="apostilles issued (PDF + seal each)")
    group.add_argument("--apostille-register", type=int, default=20000, help="entries in the public register")
    group.add_argument("--apostille-samples", type=int, default=300, help="register checks measured")


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    out = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        out.append(time.perf_counter() - started)
    return sorted(out)


def _line(label: str, ordered: Sequence[float]) -> str:
    return f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"


def _measure(args: argparse.Namespace) -> None:  # noqa: PLR0915 - one scenario, read top to bottom
    from django.test import Client
    from django.utils import timezone

    from torelik.acts.act_pdf import PrintedAct, render_act_pdf
    from torelik.acts.models import Act, ActStatus
    from torelik.apostille import actions
    from torelik.apostille.models import ApostilleRequest, ApostilleStatus
    from torelik.archive.actions import store_content
    from torelik.cases.models import Case, Party
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Judge, StaffRole
    from torelik.identity.models import Person, User
    from torelik.identity.pades import court_seal, seal_pdf

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    court = Court.objects.get(code="1916") if Court.objects.filter(code="1916").exists() else Court.objects.first()
    assert court is not None  # noqa: S101 - the registry is loaded
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    assert category is not None  # noqa: S101 - the classifier is loaded
    judge = Judge.objects.create(
        person=Person.objects.create(iin="800101300000", surname="Судья", given_name="Бас"), court=court
    )
    applicant = Person.objects.create(
        iin="871008401427", surname="Ахметова", given_name="Айгерим", phone="+77011234567"
    )
    clerk = User.objects.create_user(username="clerk", password="a-long-passphrase-1")  # noqa: S106
    clerk.positions.create(court=court, role=StaffRole.CLERK)
    now = timezone.now()
    case = Case.objects.create(
        number=f"{court.code}-26-00-2/1",
        court=court,
        year=2026,
        type_code="2",
        sequence=1,
        proceeding_type="civil",
        category=category,
        judge=judge,
        status="in_force",
        registered_at=now,
    )
    Party.objects.create(case=case, role="claimant", person=applicant, phone=applicant.phone)
    text = "Суд установил, что заём не возвращён в срок; требования обоснованы. " * 40
    original = render_act_pdf(
        PrintedAct("ru", court.name_ru, case.number, "16.11.2026", "РЕШЕНИЕ", text, text, text, text, "Судья Б.")
    )
    signed = seal_pdf(original, signer=court_seal(court.code, court.name_ru), field_name="JudgeSignature")
    act = Act.objects.create(
        case=case,
        kind="civil-decision",
        language="ru",
        status=ActStatus.IN_FORCE,
        signed_file=store_content(signed, "application/pdf"),
        signed_at=now,
        signer_name="Судья Бас",
        in_force_on=dt.date(2026, 12, 18),
    )
    print(f"  the original: a {len(signed) // 1024} KiB signed act")

    requests = [
        actions.request_apostille(
            act=act, document_kind="act", applicant=applicant, country="DE", channel="judicial_office", actor=None
        )
        for _n in range(args.apostille_issues + 1)
    ]
    ApostilleRequest.objects.update(status=ApostilleStatus.QUEUED, paid_at=now)
    actions.issue_apostille(request=requests[0], actor=clerk)  # the first pays for imports and the seal's key
    started = time.perf_counter()
    for request in requests[1:]:
        actions.issue_apostille(request=request, actor=clerk)
    took = time.perf_counter() - started
    rate = args.apostille_issues / took
    each = took / args.apostille_issues * 1000
    print(f"  issued {args.apostille_issues} apostilles in {took:.2f} s: {rate:.1f}/s ({each:.0f} ms each)")
    seal_floor = _timed(
        args.apostille_issues, lambda _i: seal_pdf(signed, signer=court_seal(court.code, court.name_ru))
    )
    print(_line("floor: the court's PAdES seal alone on the original", seal_floor))
    print(f"  ratio: issuing / sealing alone = {took / args.apostille_issues / percentile(seal_floor, 50):.1f}")

    issued = ApostilleRequest.objects.filter(status=ApostilleStatus.ISSUED).first()
    assert issued is not None  # noqa: S101
    ApostilleRequest.objects.bulk_create(
        [
            ApostilleRequest(
                act=act,
                document_kind="act",
                court=court,
                applicant=applicant,
                channel="judicial_office",
                country="DE",
                fee_amount=issued.fee_amount,
                fee_basis=issued.fee_basis,
                order_id=uuid.uuid4().hex,
                status=ApostilleStatus.ISSUED,
                number=f"{court.code}-25-A-{n:06d}",
                issued_on=dt.date(2025, 1, 1) + dt.timedelta(days=n % 365),
                signed_by=issued.signed_by,
                seal_of=issued.seal_of,
                pdf=issued.pdf,
                original_sha256=issued.original_sha256,
            )
            for n in range(1, args.apostille_register + 1)
        ],
        batch_size=2000,
    )
    entries = [
        (str(number), str(on))
        for number, on in ApostilleRequest.objects.filter(status=ApostilleStatus.ISSUED).values_list(
            "number", "issued_on"
        )
    ]
    client = Client(HTTP_HOST="127.0.0.1")

    def page(index: int) -> None:
        number, on = entries[(index * 7919) % len(entries)]
        response = client.get("/ru/apostille/verify/", {"number": number, "date": on})
        assert response.status_code == 200, (response.status_code, response.content[:300])  # noqa: S101

    def api(index: int) -> None:
        number, on = entries[(index * 7919) % len(entries)]
        response = client.get("/api/v1/apostilles/verify", {"number": number, "date": on})
        assert response.status_code == 200  # noqa: S101

    page(0)
    api(0)
    print(_line(f"register page by number and date ({len(entries)} entries)", _timed(args.apostille_samples, page)))
    print(_line("register API by number and date", _timed(args.apostille_samples, api)))
    floor = _timed(args.apostille_samples, lambda _i: Court.objects.filter(code=court.code).exists())
    print(_line("floor: one indexed query", floor))


def run(args: argparse.Namespace) -> None:
    argv = ["--apostille-issues", str(args.apostille_issues)]
    argv += ["--apostille-register", str(args.apostille_register)]
    argv += ["--apostille-samples", str(args.apostille_samples)]
    database.measured_apart(
        "apostille",
        "Apostilles: issuing (PDF + seal) per second, the public register's check",
        argv,
        lambda: _measure(args),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.apostille", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
