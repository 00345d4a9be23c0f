"""Partners' inbound messages (issue 27): the enforcement committee's execution reports, each signed
(HMAC) and with its own message id, POSTed to `/api/v1/exchange/inbound/enforcement/executions` of a real
server (gunicorn when installed, else `runserver --noreload`) by 1 and 8 keep-alive clients: messages
accepted per second (each checked: credential, signature, scope, schema, the case and its writ, the
message row, the case event, the client's journal, in one transaction). Beside it the floors: `/healthz`
over the same clients (the server's own pace) and, in-process, a bare `record_case_event` per second (the
database's pace for the one write every message makes). On a database of its own (PostgreSQL when
DATABASE_URL names one, dropped afterwards). Run alone: `python -m bench.exchange_inbound`."""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import httpx

from bench import database
from bench.server import ServerKind, bench_environment, gunicorn_installed, running_server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("exchange (inbound)")
    group.add_argument("--exchange-messages", type=int, default=2000, help="inbound messages sent per run")


def _sender() -> ModuleType:
    """The partners' sender program (`tools/partners/sender.py`, a script) as a module: its signing."""
    path = Path(__file__).resolve().parents[1] / "tools" / "partners" / "sender.py"
    spec = importlib.util.spec_from_file_location("partners_sender", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("partners_sender", module)
    spec.loader.exec_module(module)
    return module


def _fixture(out: Path) -> None:
    """In this process (Django set up): a case in force with its writ and an enforcement client."""
    from torelik.exchange import clients
    from torelik.exchange.models import PartnerKind
    from torelik.exchange.tests.factories import case_with_writ

    in_force = case_with_writ("0215")
    made = clients.create_client(name="Комитет по исполнению судебных актов", kind=PartnerKind.ENFORCEMENT, actor=None)
    out.write_text(
        json.dumps(
            {
                "case": in_force.world.case.number,
                "writ": str(in_force.writ_id),
                "token": made.token,
                "secret": made.secret,
                "case_id": in_force.world.case.pk,
            }
        )
    )


def _record_floor(case_id: int, count: int) -> float:
    from django.db import transaction

    from torelik.cases.actions import record_case_event
    from torelik.cases.models import Case, CaseEventKind

    case = Case.objects.get(pk=case_id)
    started = time.perf_counter()
    for index in range(count):
        with transaction.atomic():
            record_case_event(case=case, kind=CaseEventKind.EXECUTION_STARTED, actor=None, data={"n": index})
    return count / (time.perf_counter() - started)


def _rate(
    base_url: str, clients_count: int, total: int, request: Callable[[httpx.Client, int], int]
) -> tuple[float, int]:
    per_client = total // clients_count
    failures = [0]
    lock = threading.Lock()

    def work(offset: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30.0) as client:
            for index in range(offset, offset + per_client):
                if request(client, index) != httpx.codes.OK:
                    with lock:
                        failures[0] += 1

    threads = [threading.Thread(target=work, args=(n * per_client,)) for n in range(clients_count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_client * clients_count / (time.perf_counter() - started), failures[0]


def _measure(args: argparse.Namespace, url: str, files: str) -> None:
    sender = _sender()

    env = bench_environment(
        {
            "DATABASE_URL": url,
            "TORELIK_FILES_DIR": files,
            "TORELIK_PKI_DIR": os.environ["TORELIK_PKI_DIR"],
            "TORELIK_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        }
    )
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "fixture.json"
        subprocess.run([sys.executable, "-c", _SETUP, str(out)], env=env, check=True)  # noqa: S603
        fixture = json.loads(out.read_text())
    data = {"case_number": fixture["case"], "writ": fixture["writ"], "proceedings_number": "2612-0001-15/77",
            "status": "started", "on": "2026-12-04"}  # fmt: skip
    run_id = str(time.time_ns())

    def inbound(client: httpx.Client, index: int) -> int:
        body = sender.message(data, message_id=f"{run_id}-{index}")
        headers = {
            "Authorization": f"Bearer {fixture['token']}",
            "X-Torelik-Signature": sender.signature_header(fixture["secret"], body),
            "Content-Type": "application/json",
        }
        return client.post("/api/v1/exchange/inbound/enforcement/executions", content=body, headers=headers).status_code

    def health(client: httpx.Client, _index: int) -> int:
        return client.get("/healthz").status_code

    kind: ServerKind = "gunicorn" if gunicorn_installed() else "runserver"
    print(f"  server: {kind}; database: {database.describe(env)}")
    with running_server(env=env, kind=kind) as server:
        inbound(httpx.Client(base_url=server.base_url), -1)  # warm up
        for clients_count in (1, 8):
            rate, failed = _rate(server.base_url, clients_count, args.exchange_messages, inbound)
            floor, _ = _rate(server.base_url, clients_count, args.exchange_messages, health)
            print(
                f"  {clients_count} client(s): {rate:,.0f} messages accepted/s ({failed} not 200); "
                f"floor /healthz {floor:,.0f} req/s; ratio {rate / floor:.2f}"
            )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _FLOOR, str(fixture["case_id"]), str(min(args.exchange_messages, 2000))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"  floor in-process: {float(done.stdout):,.0f} case events recorded/s (one transaction each)")


_SETUP = """
import sys, django
django.setup()
from bench.exchange_inbound import _fixture
from pathlib import Path
_fixture(Path(sys.argv[1]))
"""
_FLOOR = """
import sys, django
django.setup()
from bench.exchange_inbound import _record_floor
print(_record_floor(int(sys.argv[1]), int(sys.argv[2])))
"""


def run(args: argparse.Namespace) -> None:
    print("Exchange: partners' inbound messages accepted per second (signed, each a case event)")
    with (
        database.throwaway_database("exchange") as url,
        tempfile.TemporaryDirectory(prefix="torelik-bench-exchange-files-") as files,
        tempfile.TemporaryDirectory(prefix="torelik-bench-exchange-pki-") as pki,
    ):
        env = bench_environment(
            {"DATABASE_URL": url, "TORELIK_FILES_DIR": files, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        )
        subprocess.run([sys.executable, "-m", "torelik", "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
        os.environ["TORELIK_PKI_DIR"] = pki
        _measure(args, url, files)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.exchange_inbound", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
