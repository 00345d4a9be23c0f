"""Digital signatures: detached CMS (CAdES-BES) verifications per second through
`torelik.identity.eds.verify_detached` (path validation against the demo CA root with its CRL,
every certificate's revocation status required: ADR 0040, as in tests and development), the refusals
of a revoked certificate and of one whose status is unknown (validated a second time to say so), CMS
signatures per second, and PAdES court seals (B-B) made and checked per second. Where the time of one
verification goes is printed too.

No database. Settings are the test settings (a fresh demo CA in a temporary directory).
Run alone: `python -m bench.eds`.
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torelik.identity.pki import DemoCA


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("eds")
    group.add_argument("--eds-verifications", type=int, default=300, help="CMS signatures verified")
    group.add_argument("--eds-threads", type=int, default=4, help="threads for the concurrent verification run")
    group.add_argument("--eds-seals", type=int, default=40, help="PDFs sealed and checked")


def _rate(label: str, count: int, work: Callable[[int], object]) -> float:
    started = time.perf_counter()
    for index in range(count):
        work(index)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"  {label:<52} {rate:8.1f}/s  ({elapsed / count * 1000:6.2f} ms each, n={count})")
    return rate


def _measure(args: argparse.Namespace) -> None:
    import io

    from reportlab.pdfgen import canvas

    from torelik.core.asyncrun import run_coroutine
    from torelik.identity import eds
    from torelik.identity.pades import check_pdf_seals, court_seal, seal_pdf
    from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

    ca = DemoCA.load_or_create()
    started = time.perf_counter()
    signer = ca.issue_person(iin="871008401427", surname="Ахметова", given_name="Айгерим", purpose=KeyPurpose.SIGNING)
    print(f"  certificate issued (RSA-2048 key generated)            {(time.perf_counter() - started) * 1000:8.1f} ms")
    for serial in range(50):  # a CRL of realistic length to search
        revoked = ca.issue_person(iin="760212350620", surname="R", given_name=str(serial), purpose=KeyPurpose.SIGNING)
        ca.revoke(revoked.certificate)
    manifest = b'{"kind":"claim","attachments":[' + b",".join(b'{"sha256":"%064x"}' % n for n in range(10)) + b"]}"
    signatures = [sign_detached(manifest + str(n).encode(), signer) for n in range(min(args.eds_verifications, 50))]

    print(f"EDS: detached CMS over a {len(manifest)}-byte manifest, RSA-2048/SHA-256, CRL of 50 entries")
    _rate(
        "CMS signatures made (sign_detached)",
        min(args.eds_verifications, 100),
        lambda n: sign_detached(manifest, signer),
    )

    def verify(n: int) -> object:
        index = n % len(signatures)
        return eds.verify_detached(manifest + str(index).encode(), signatures[index], purpose=KeyPurpose.SIGNING)

    _rate("CMS verifications (verify_detached), one thread", args.eds_verifications, verify)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.eds_threads) as pool:
        list(pool.map(verify, range(args.eds_verifications)))
    elapsed = time.perf_counter() - started
    print(
        f"  {'CMS verifications, ' + str(args.eds_threads) + ' threads':<52} "
        f"{args.eds_verifications / elapsed:8.1f}/s  (the GIL: pyHanko is mostly Python)"
    )

    # Where one verification's time goes.
    parse, context, validate = [], [], []
    for n in range(min(args.eds_verifications, 100)):
        index = n % len(signatures)
        t0 = time.perf_counter()
        signed_data = eds.load_signed_data(signatures[index])
        t1 = time.perf_counter()
        validation_context = eds.validation_context()
        t2 = time.perf_counter()
        from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

        run_coroutine(
            async_validate_detached_cms(
                manifest + str(index).encode(),
                signed_data,
                signer_validation_context=validation_context,
                key_usage_settings=eds.PyHankoVerifier.key_usage,
            )
        )
        t3 = time.perf_counter()
        parse.append(t1 - t0)
        context.append(t2 - t1)
        validate.append(t3 - t2)
    medians = [statistics.median(part) * 1000 for part in (parse, context, validate)]
    print(
        "  one verification, median: parse {:.2f} ms, trust roots + CRL context {:.2f} ms, "
        "pyHanko validation {:.2f} ms".format(*medians)
    )

    _refusals(args, ca, manifest)

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Повестка")
    page.showPage()
    page.save()
    pdf = buffer.getvalue()
    seal = court_seal("751110", "Суд")
    sealed: list[bytes] = []
    print(f"PAdES B-B court seal on a one-page PDF ({len(pdf)} bytes)")
    _rate("PDFs sealed (seal_pdf)", args.eds_seals, lambda n: sealed.append(seal_pdf(pdf, signer=seal)))
    _rate("PDF seals checked (check_pdf_seals)", args.eds_seals, lambda n: check_pdf_seals(sealed[n % len(sealed)]))


def _refusals(args: argparse.Namespace, ca: "DemoCA", manifest: bytes) -> None:
    """The refusals revocation checking makes: revoked (on the issuer's CRL) and unknown status (an
    issuer trusted but without a CRL: pyHanko's chain failure, told apart by a second validation)."""
    import tempfile
    from pathlib import Path

    from django.test import override_settings

    from torelik.identity import eds
    from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

    other = DemoCA.load_or_create(Path(tempfile.mkdtemp(prefix="torelik-bench-other-ca-")))
    revoked = ca.issue_person(iin="871008401427", surname="R", given_name="Revoked", purpose=KeyPurpose.SIGNING)
    ca.revoke(revoked.certificate)
    unknown = other.issue_person(iin="871008401427", surname="U", given_name="Unknown", purpose=KeyPurpose.SIGNING)
    revoked_signature, unknown_signature = sign_detached(manifest, revoked), sign_detached(manifest, unknown)
    count = min(args.eds_verifications, 100)

    def refused(signature: bytes, code: str) -> object:
        try:
            eds.verify_detached(manifest, signature, purpose=KeyPurpose.SIGNING)
        except eds.SignatureRefusedError as error:
            if error.code != code:
                raise
            return error
        raise AssertionError("accepted")

    quiet = logging.getLogger("torelik.identity.eds")  # one warning per refusal otherwise
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    with override_settings(
        TORELIK_EDS_TRUST_ROOTS=[str(ca.root_path), str(other.root_path)], TORELIK_EDS_CRLS=[str(ca.crl_path)]
    ):
        print("Revocation refusals (two trusted roots, a CRL of the first only)")
        _rate("revoked certificate refused", count, lambda n: refused(revoked_signature, eds.SignatureRefusal.REVOKED))
        _rate(
            "unknown revocation status refused (validated twice)",
            count,
            lambda n: refused(unknown_signature, eds.SignatureRefusal.REVOCATION_UNKNOWN),
        )
    quiet.setLevel(level)


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.eds", "--eds-verifications", str(args.eds_verifications)]
        command += ["--eds-threads", str(args.eds_threads), "--eds-seals", str(args.eds_seals)]
        subprocess.run(command, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"})  # noqa: S603
        return
    # The test settings: a throw-away demo CA, trusted; never the development var/pki.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    _measure(args)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eds", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
