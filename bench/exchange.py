"""Outbound exchange with partner agencies (issue 27, ADR 0092) on the database of DATABASE_URL
(PostgreSQL: the workers share it): events delivered per second to the partner simulator
(tools/partners/simulator.py, a separate process) through `torelik worker` processes, HMAC-signed
(e-government portal) and JWS-signed with a court's seal (enforcement); the floor is the same signed
bodies posted straight to the simulator from this process, no database, no engine. Then the time from
an act entering into force (the acts' daily task, writ sealed) to its writ acknowledged by the
enforcement simulator. Run alone: `python -m bench.exchange`.
"""

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

from bench import database
from bench.latency import percentile
from bench.server import PROJECT_DIR, free_port
from bench.workers import _alive, _start, _stop, _wait


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("exchange")
    group.add_argument("--exchange-events", type=int, default=5000, help="events delivered for the rate")
    group.add_argument("--exchange-workers", type=int, default=2, help="worker processes delivering")
    group.add_argument("--exchange-acts", type=int, default=30, help="acts timed from entry into force to delivery")


def _simulator(port: int, root: str) -> subprocess.Popen[bytes]:
    import httpx

    process = subprocess.Popen(
        [sys.executable, "tools/partners/simulator.py", "--port", str(port), "--trust-root", root],
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def up() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/_health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    if not _wait(up, 20):
        process.kill()
        raise RuntimeError("the partner simulator did not start")
    return process


def _world() -> tuple[object, object]:
    from torelik.exchange.tests.factories import decision_with_writ

    act = decision_with_writ("0215")
    return act.case, act.case.court


def _payloads(event_type: str, count: int, case: object, court: object) -> list[object]:
    from torelik.exchange.handlers import court_ref
    from torelik.exchange.schemas.acts import Attachment, WritInForceV1
    from torelik.exchange.schemas.portal import CaseStatusV1

    ref = court_ref(case)  # type: ignore[arg-type]
    now = dt.datetime.now(tz=dt.UTC)
    if event_type == "case_status":
        return [
            CaseStatusV1(
                case_number=f"{ref.code}-26-00-2/{n}",
                court=ref,
                from_status="accepted",
                to_status="scheduled",
                changed_at=now,
                participants=["871008401427"],
            )
            for n in range(count)
        ]
    import base64
    import hashlib
    import uuid

    pdf = b"%PDF-1.7 writ " + b"x" * 20_000  # about the size of a sealed writ
    return [
        WritInForceV1(
            act_id=uuid.uuid4(),
            act_kind="civil-decision",
            case_number=f"{ref.code}-26-00-2/{n}",
            court=ref,
            in_force_on=dt.date(2026, 12, 18),
            creditors=[],
            debtors=[],
            operative_part="Взыскать 1 500 000 тенге.",
            writ=Attachment(
                document_id=uuid.uuid4(),
                filename="writ.pdf",
                media_type="application/pdf",
                sha256=hashlib.sha256(pdf).hexdigest(),
                content_base64=base64.b64encode(pdf).decode(),
            ),
        )
        for n in range(count)
    ]


def _rate(event_type: str, count: int, case: object, court: object) -> tuple[float, float]:
    """Events per second through the workers, and the floor: the same bodies signed and posted here."""
    from django.db import transaction

    from torelik.exchange import delivery, outbox, partners, signing
    from torelik.exchange.models import DeliveryStatus, OutboundEvent

    payloads = _payloads(event_type, count, case, court)
    with transaction.atomic():
        for payload in payloads:
            outbox.publish(event_type, payload, court=court)  # type: ignore[arg-type]
    started = time.perf_counter()
    done = OutboundEvent.objects.filter(event_type=event_type, status=DeliveryStatus.DELIVERED)
    if not _wait(lambda: done.count() >= count, 900):
        raise RuntimeError(f"only {done.count()} of {count} {event_type} events were delivered")
    rate = count / (time.perf_counter() - started)
    # The floor: the simulator's own pace for these events (new ids: no duplicates), signed here.
    events = list(OutboundEvent.objects.filter(event_type=event_type).select_related("court")[:count])
    code = events[0].partner
    partner = partners.partner(code)
    if partner is None:
        raise RuntimeError(f"the partner {code} is not connected")
    floor_started = time.perf_counter()
    outgoing = []
    for event in events:
        event.public_id = __import__("uuid").uuid4()
        body, headers = signing.sign(partner, delivery.envelope(event), court_code=court.code, court_name=court.name_ru)  # type: ignore[attr-defined]
        outgoing.append(delivery._Outgoing(pk=event.pk, body=body, headers=headers, attempts=1))
    asyncio.run(delivery._send_all(partner, outgoing))
    floor = count / (time.perf_counter() - floor_started)
    refused = [o.error for o in outgoing if o.status != 200]
    if refused:
        raise RuntimeError(f"{len(refused)} of the floor's events were not acknowledged: {refused[0]}")
    return rate, floor


def _writ_latencies(acts: int) -> list[float]:
    from torelik.acts.actions import record_entries_into_force
    from torelik.acts.models import Act
    from torelik.acts.tests.factories import World
    from torelik.exchange.models import DeliveryStatus, OutboundEvent
    from torelik.exchange.tests.factories import announced_act

    base = Act.objects.select_related("case__court").first()
    if base is None:
        raise RuntimeError("no act to take the case from")
    world = World(court=None, case=base.case, assistant=None, claimant=None, claimant_party=None, defendant_party=None)  # type: ignore[arg-type]
    latencies = []
    for _ in range(acts):
        act = announced_act(world, "civil-decision", "Взыскать 1 500 000 тенге.")
        record_entries_into_force(today=dt.date(2026, 12, 19))
        committed = dt.datetime.now(tz=dt.UTC)
        act.refresh_from_db()
        found = OutboundEvent.objects.filter(
            partner="enforcement", event_type="writ_in_force", payload__act_id=str(act.public_id)
        )
        delivered_rows = found.filter(status=DeliveryStatus.DELIVERED)
        if not _wait(delivered_rows.exists, 60):
            raise RuntimeError("a writ was not delivered within a minute")
        delivered = found.get().delivered_at
        if delivered is None:
            raise RuntimeError("a delivered writ has no moment of delivery")
        latencies.append((delivered - committed).total_seconds())
    return sorted(latencies)


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.exchange", "--exchange-events", str(args.exchange_events)]
        command += ["--exchange-workers", str(args.exchange_workers), "--exchange-acts", str(args.exchange_acts)]
        subprocess.run(command, check=True)
        return
    print("== exchange with partner agencies (issue 27)")
    with database.throwaway_database("exchange") as url, tempfile.TemporaryDirectory(prefix="torelik-pki-") as pki:
        port = free_port()
        os.environ.update(
            {
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "TORELIK_TASKS_INLINE": "false",
                "TORELIK_SEND_MESSAGES": "off",
                "TORELIK_TEST_PKI_DIR": pki,
                "TORELIK_EXCHANGE_URL": f"http://127.0.0.1:{port}",
            }
        )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from torelik.identity.pki import DemoCA

        DemoCA.load_or_create()
        print(f"  database: {database.describe({'DATABASE_URL': url})}")
        simulator = _simulator(port, os.path.join(pki, "root.pem"))
        case, court = _world()
        from torelik.workers.models import WorkerProcess

        WorkerProcess.objects.all().delete()
        workers = _start(args.exchange_workers, {**os.environ})
        try:
            if not _wait(lambda: _alive(args.exchange_workers), 60):
                raise RuntimeError("the workers did not start")
            for event_type, how in (("case_status", "HMAC"), ("writ_in_force", "JWS RS256, 27 KB writ")):
                rate, floor = _rate(event_type, args.exchange_events, case, court)
                print(
                    f"  {args.exchange_events} {event_type} events ({how}), {args.exchange_workers} worker(s): "
                    f"{rate:,.0f}/s; floor (signed and posted from one process, no database): {floor:,.0f}/s; "
                    f"ratio {rate / floor:.2f} (target >= 500/s)"
                )
            latencies = _writ_latencies(args.exchange_acts)
            print(
                f"  act in force (committed) -> writ acknowledged by enforcement, {len(latencies)} acts: "
                f"p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
                f"max {latencies[-1]:.2f} s (target p95 < 5 s)"
            )
        finally:
            _stop(workers)
            simulator.terminate()
            simulator.wait(timeout=10)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.exchange")
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
