"""Judicial acts: (a) an act of about 10 pages rendered to PDF and signed, the server's side of the
signing timed apart from the judge's own signing program: rendering and preparing the PDF (the room
for the signature reserved) when the judge opens it for signing, then checking the judge's CMS
(`identity.eds`: path validation and CRL), the RFC 3161 timestamp from the local authority over HTTP,
and writing the signature into the PDF: p50/p95; (b) the judge's act queues (to draft, to sign, not
served) over demo cases with demo acts: p50/p95 of `acts.queries.docket_of`.

A database of its own (a temporary SQLite file), the test settings' throw-away demo CA.
Run alone: `python -m bench.acts`.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("acts")
    group.add_argument("--act-signings", type=int, default=30, help="10-page acts rendered and signed")
    group.add_argument("--act-demo-cases", type=int, default=300, help="demo cases under the docket")
    group.add_argument("--act-demo-acts", type=int, default=30, help="demo acts among them")
    group.add_argument("--docket-runs", type=int, default=50, help="docket queries measured")


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {percentile(ordered, 50) * 1000:7.1f} ms  p95 {percentile(ordered, 95) * 1000:7.1f} ms"


@contextmanager
def _authority_process() -> Iterator[str]:
    """The local timestamp authority in a process of its own (`torelik tsa`), as `make run` and
    production have it: not a thread competing for this process's interpreter lock."""
    import socket

    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "TORELIK_PKI_DIR": str(settings.TORELIK_PKI_DIR),
    }
    command = [sys.executable, "-m", "torelik", "tsa", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        for _ in range(1200):  # a minute at most: Django's start on a loaded machine
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"the timestamp authority exited with {process.returncode}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _signing(count: int) -> None:
    from django.test import override_settings
    from pyhanko.pdf_utils.reader import PdfFileReader

    from torelik.acts import signing
    from torelik.acts.act_pdf import PrintedAct, render_act_pdf
    from torelik.identity import eds
    from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

    ca = DemoCA.load_or_create()
    judge = ca.issue_person(iin="871008401427", surname="Судьева", given_name="Алия", purpose=KeyPurpose.SIGNING)
    paragraph = (
        "Суд, выслушав стороны и исследовав представленные доказательства, оценив их в совокупности по "
        "внутреннему убеждению, основанному на всестороннем, полном и объективном рассмотрении дела, "
        "приходит к выводу о том, что требования истца подлежат удовлетворению в части. "
    ) * 3
    act = PrintedAct(
        language="ru",
        court="Бостандыкский районный суд города Алматы",
        number="1916-26-00-2/101",
        dated="07.12.2026",
        title="РЕШЕНИЕ\nИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН",
        introductory=paragraph,
        descriptive="\n\n".join([paragraph] * 10),
        reasoning="\n\n".join([paragraph] * 24),
        operative=paragraph,
        judge="Судьева Алия",
        verify_url="http://127.0.0.1:8000/ru/acts/verify/" + "x" * 43 + "/",
    )
    pages = int(PdfFileReader(io.BytesIO(render_act_pdf(act))).root["/Pages"]["/Count"])
    stages: dict[str, list[float]] = {n: [] for n in ("render", "prepare", "verify", "timestamp", "complete")}
    opened, signed, client = [], [], []
    with _authority_process() as url, override_settings(TORELIK_TSA_URL=url):
        for _ in range(count):
            t0 = time.perf_counter()
            pdf = render_act_pdf(act)
            t0b = time.perf_counter()
            prepared = signing.prepare(pdf)
            t1 = time.perf_counter()
            cms = sign_detached(prepared.signed_bytes, judge)
            t2 = time.perf_counter()
            eds.verify_detached(prepared.signed_bytes, cms, purpose=KeyPurpose.SIGNING)
            t2b = time.perf_counter()
            stamped, _stamp = signing.with_timestamp(cms, url)
            t2c = time.perf_counter()
            signing.complete(prepared, stamped)
            t3 = time.perf_counter()
            opened.append(t1 - t0)
            client.append(t2 - t1)
            signed.append(t3 - t2)
            for name, value in zip(stages, (t0b - t0, t1 - t0b, t2b - t2, t2c - t2b, t3 - t2c), strict=True):
                stages[name].append(value)
        floors = _floors(act, judge, url, count)
    total = [a + b for a, b in zip(opened, signed, strict=True)]
    print(f"  (a) an act of {pages} pages, n={count}")
    print(f"      rendered and prepared for signing      {_ms(opened)}")
    print(f"      judge's CMS checked, timestamped, written {_ms(signed)}")
    print(f"      server side in all                     {_ms(total)}")
    print(f"      (the signing program's CMS, not server: {_ms(client)})")
    print("      by stage:")
    for name, samples in stages.items():
        print(f"        {name:<38} {_ms(samples)}")
    print("      floors in the same run:")
    for name, samples in floors.items():
        print(f"        {name:<38} {_ms(samples)}")
    floor = [
        r + s
        for r, s in zip(
            floors["render alone (ReportLab, 10 pages)"], floors["pyHanko signs in process, no timestamp"], strict=True
        )
    ]
    ratio = percentile(sorted(total), 95) / percentile(sorted(floor), 95)
    print(f"      floor: render + in-process pyHanko signature  {_ms(floor)}  (p95 ratio {ratio:.2f})")


def _floors(act: object, judge: object, url: str, count: int) -> dict[str, list[float]]:
    """What the least of each part costs here: the PDF rendered alone, pyHanko signing the rendered PDF
    in one go with the key in the process (no timestamp, no second step), the authority's HTTP round
    trip with the token not checked, and the round trip with the token checked."""
    import hashlib
    import secrets

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from torelik.acts.act_pdf import render_act_pdf
    from torelik.archive import timestamps
    from torelik.identity.pki import pyhanko_signer

    simple = pyhanko_signer(judge)  # type: ignore[arg-type]
    pdf = render_act_pdf(act)  # type: ignore[arg-type]
    body = timestamps._request(hashlib.sha256(b"x").digest(), secrets.randbits(63)).dump()
    out: dict[str, list[float]] = {
        "render alone (ReportLab, 10 pages)": [],
        "pyHanko signs in process, no timestamp": [],
        "TSA round trip, token not checked": [],
        "TSA round trip, token checked": [],
    }
    for _ in range(count):
        t0 = time.perf_counter()
        render_act_pdf(act)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
            signers.PdfSignatureMetadata(field_name="Floor", md_algorithm="sha256"),
            signer=simple,
        )
        t2 = time.perf_counter()
        timestamps._client().post(url, content=body, headers={"Content-Type": "application/timestamp-query"})
        t3 = time.perf_counter()
        timestamps.request_timestamp(url, hashlib.sha256(b"y").digest())
        t4 = time.perf_counter()
        for name, value in zip(out, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            out[name].append(value)
    return out


def _docket(cases: int, acts: int, runs: int) -> None:
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.test import override_settings

    from torelik.acts.demo import seed_demo_acts
    from torelik.acts.queries import docket_of
    from torelik.cases.demo import seed_demo_cases
    from torelik.courts.models import Judge
    from torelik.demo.distribution import RealDraws
    from torelik.identity.pki import DemoCA
    from torelik.identity.timestamps import LocalTimestampAuthority

    started = time.perf_counter()
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=cases, processes=0, distribution=RealDraws())
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url, override_settings(TORELIK_TSA_URL=url):
        summary = seed_demo_acts(limit=acts)
    print(f"  (b) demo: {cases} cases, {summary.acts} acts, seeded in {time.perf_counter() - started:.0f} s")
    # The judges with the most cases heard or with acts: the queues that have something in them.
    busy = Q(cases__status="heard") | Q(cases__acts__status__in=("draft", "announced"))
    busiest = Judge.objects.annotate(n=Count("cases", filter=busy)).filter(n__gt=0).order_by("-n", "pk")
    judges: list[Judge] = list(busiest[:5]) or list(Judge.objects.order_by("pk")[:5])
    samples = []
    for n in range(runs):
        t0 = time.perf_counter()
        docket = docket_of(judges[n % len(judges)])
        samples.append(time.perf_counter() - t0)
    print(
        f"      docket_of (to draft {len(docket.to_draft)}, to sign {len(docket.to_sign)}, "
        f"not served {len(docket.not_served)})  {_ms(samples)}"
    )


def _measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="torelik-bench-acts-") as directory:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print("Judicial acts (bench/acts.py)")
        _signing(args.act_signings)
        _docket(args.act_demo_cases, args.act_demo_acts, args.docket_runs)


def run(args: argparse.Namespace) -> None:
    command = [sys.executable, "-m", "bench.acts", "--act-signings", str(args.act_signings)]
    command += ["--act-demo-cases", str(args.act_demo_cases), "--act-demo-acts", str(args.act_demo_acts)]
    command += ["--docket-runs", str(args.docket_runs), "--in-process"]
    subprocess.run(command, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"})  # noqa: S603


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.acts", description=__doc__)
    add_arguments(parser)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        _measure(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
