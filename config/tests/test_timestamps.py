"""RFC 3161 timestamps from the local authority (identity) over HTTP, asked and checked by the archive's
client: a token over the digest asked for, whose signature checks against the demo CA; another digest
does not check; the log's hourly checkpoint is timestamped."""

import datetime as dt
import hashlib
from typing import Any

import pytest

from torelik.archive.timestamps import TimestampError, request_timestamp, verify_token
from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority


def test_the_local_authority_stamps_a_digest_over_http() -> None:
    digest = hashlib.sha256(b"torelik.test/log\n5\n...").digest()
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url:
        stamped = request_timestamp(url, digest, timeout=5)
    assert abs(stamped.moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert verify_token(stamped.token, digest) == stamped.moment
    with pytest.raises(TimestampError):
        verify_token(stamped.token, hashlib.sha256(b"another checkpoint").digest())


def test_an_unreachable_authority_is_a_clear_failure() -> None:
    with pytest.raises(TimestampError, match="gave no token"):
        request_timestamp("http://127.0.0.1:9/", b"\0" * 32, timeout=0.5, attempts=2)


@pytest.mark.django_db
def test_the_hourly_checkpoint_is_timestamped_and_an_hour_later_again(settings: Any) -> None:
    from django.db import transaction

    from torelik.archive.log import append_entry, sequence_and_checkpoint, timestamp_checkpoint_if_due
    from torelik.archive.models import LogEntryKind
    from torelik.core import clock

    start = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url:
        settings.TORELIK_TSA_URL = url
        with clock.frozen_at(start):
            with transaction.atomic():
                append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "x"})
            first = sequence_and_checkpoint()
            stamped = timestamp_checkpoint_if_due()
        assert stamped is not None
        assert stamped.checkpoint == first
        assert verify_token(bytes(stamped.token), hashlib.sha256(first.note.encode()).digest()) == stamped.stamped_at
        with clock.frozen_at(start + dt.timedelta(minutes=30)):
            sequence_and_checkpoint()
            assert timestamp_checkpoint_if_due() is None  # within the hour
        with clock.frozen_at(start + dt.timedelta(minutes=61)):
            later = sequence_and_checkpoint()
            again = timestamp_checkpoint_if_due()
        assert again is not None
        assert again.checkpoint == later
