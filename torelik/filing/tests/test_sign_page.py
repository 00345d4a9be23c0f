"""The signing page says in words exactly what the signature covers: the court, the kind, the parties,
the claim, and each attachment with its size and SHA-256, the JSON one click away."""

import hashlib
import html
import re

import pytest
from django.test import Client

from torelik.archive.queries import open_stored_file
from torelik.filing.tests.conftest import Court3, make_claim_draft, pay_in_sandbox
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def _section(page: str, element: str, ident: str) -> str:
    found = re.search(rf'<{element} id="{ident}"[^>]*>(.*?)</{element}>', page, re.S)
    assert found is not None, f"no #{ident} on the page"
    return html.unescape(found.group(1))


def test_the_signing_page_lists_what_is_signed_in_words_with_each_file_s_size_and_sha256(
    court3: Court3, claimant: User, claimant_client: Client
) -> None:
    filing = make_claim_draft(court3.office, claimant)
    page = claimant_client.get(f"/ru/office/filings/{filing.public_id}/sign/")
    assert page.status_code == 200
    text = page.content.decode()
    summary = _section(text, "section", "summary")
    assert "Бурабайский районный суд" in summary  # the court by its name, not "0215"
    assert "Исковое заявление" in summary  # the kind in Russian, not "claim"
    assert 'ТОО "Алатау Строй"' in summary
    assert "Ответчик" in summary
    assert "1\xa0000\xa0000,00 ₸" in summary  # the claim as Russian writes it
    assert "Взыскать 1 000 000 тенге" in summary  # what is asked, in the filer's words
    with open_stored_file(filing.attachments.get().file) as stored:
        claim = stored.read()  # the bytes as kept, hashed here (not the hash the store wrote down)
    assert claim.startswith(b"%PDF")
    assert hashlib.sha256(claim).hexdigest() in summary  # in full, not cut
    assert f"{len(claim):,}".replace(",", "\xa0") + " байт" in summary
    assert "claim.pdf" in summary
    # The JSON is kept, folded, one click away.
    details = _section(text, "details", "manifest-details")
    assert '"torelik_filing_manifest":1' in details
    assert hashlib.sha256(claim).hexdigest() in details


@pytest.mark.parametrize(
    ("language", "fee"), [("ru", "10\xa0000,00 ₸"), ("kk", "10\xa0000,00 ₸"), ("en", "10,000.00 ₸")]
)
def test_the_draft_writes_the_fee_and_its_payment_as_the_page_s_language_does(
    court3: Court3, claimant: User, claimant_client: Client, language: str, fee: str
) -> None:
    """1 % of a 1 000 000 ₸ claim (НК РК art. 610) is 10 000 ₸: the quote and the payment line say it
    alike, grouped and with the page's decimal mark."""
    filing = make_claim_draft(court3.office, claimant)
    pay_in_sandbox(filing)
    page = html.unescape(claimant_client.get(f"/{language}/office/filings/{filing.public_id}/").content.decode())
    assert page.count(fee) >= 2, page
