"""The content-addressed file store, local and S3-compatible, and what the archive accepts."""

import hashlib
import io
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import skip_or_fail
from torelik.archive.actions import reuse_stored_file, store_file
from torelik.archive.errors import ArchiveError, ArchiveErrorCode
from torelik.archive.file_store import FileTooLargeError, LocalFileStore, S3FileStore
from torelik.archive.models import StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_local_store_addresses_content_by_its_sha256(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    stored = store.save(io.BytesIO(PDF))
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)
    assert (tmp_path / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256).read_bytes() == PDF
    assert store.save(io.BytesIO(PDF)) == stored  # same bytes, same place, written once
    with store.open(stored.sha256) as content:
        assert content.read() == PDF
    assert not list((tmp_path / ".incoming").iterdir())  # no temporary file left behind


def test_local_store_refuses_an_oversized_stream_and_keeps_nothing(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    with pytest.raises(FileTooLargeError):
        store.save(io.BytesIO(b"x" * 2048), max_size=1024)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_local_store_rejects_paths_that_are_not_a_digest(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        LocalFileStore(tmp_path).open("../../etc/passwd")


@pytest.mark.django_db
def test_archive_sniffs_the_type_from_the_bytes() -> None:
    stored = store_file(content=io.BytesIO(PDF), filename="claim.pdf", max_size=10_000)
    assert stored.media_type == "application/pdf"
    assert StoredFile.objects.get(sha256=hashlib.sha256(PDF).hexdigest()) == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"", "claim.pdf", ArchiveErrorCode.EMPTY_FILE),
        (b"MZ\x90\x00" + b"\x00" * 100, "claim.pdf", ArchiveErrorCode.FILE_TYPE_NOT_ALLOWED),  # a Windows program
        (PNG, "claim.pdf", ArchiveErrorCode.FILE_TYPE_MISMATCH),
        (PDF * 100, "claim.pdf", ArchiveErrorCode.FILE_TOO_LARGE),
    ],
)
def test_archive_refuses_what_is_not_a_document(content: bytes, filename: str, code: ArchiveErrorCode) -> None:
    with pytest.raises(ArchiveError) as refused:
        store_file(content=io.BytesIO(content), filename=filename, max_size=1024)
    assert refused.value.code == code
    assert StoredFile.objects.count() == 0


@pytest.mark.django_db
def test_a_stored_file_taken_again_keeps_the_limits_of_its_new_use() -> None:
    """A Judicial Office attachment becomes a case document without being stored twice, but the
    case's own limits still apply to it."""
    stored = store_file(content=io.BytesIO(PDF), filename="claim.pdf", max_size=10_000)
    assert reuse_stored_file(stored, filename="claim.pdf", max_size=10_000) == stored
    with pytest.raises(ArchiveError) as refused:
        reuse_stored_file(stored, filename="claim.pdf", max_size=len(PDF) - 1)
    assert refused.value.code == ArchiveErrorCode.FILE_TOO_LARGE
    with pytest.raises(ArchiveError) as refused:
        reuse_stored_file(stored, filename="claim.pdf", max_size=10_000, allowed_media_types=frozenset({"image/png"}))
    assert refused.value.code == ArchiveErrorCode.FILE_TYPE_NOT_ALLOWED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server in a process of its own on loopback (moto's server mode, `moto_server`;
    shared/recipes.md: MinIO is not packaged here), spoken to over HTTP through boto3 as production
    speaks to MinIO."""
    command = Path(sys.executable).with_name("moto_server")
    if not command.exists():
        skip_or_fail("moto_server not found: install the dev extra (moto[server])")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own test server on loopback
        [str(command), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _client(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3

    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


def test_s3_objects_are_write_once_where_the_bucket_has_object_lock(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    client = _client(s3_endpoint, monkeypatch)
    client.create_bucket(Bucket="torelik-locked", ObjectLockEnabledForBucket=True)
    store = S3FileStore(bucket="torelik-locked", prefix="sha256/", client=client, lock_days=3650)
    stored = store.save(io.BytesIO(PDF))
    key = f"sha256/{stored.sha256}"
    head = client.head_object(Bucket="torelik-locked", Key=key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    version = head["VersionId"]
    with pytest.raises(ClientError):  # not even the operator removes a locked version
        client.delete_object(Bucket="torelik-locked", Key=key, VersionId=version)
    assert store.open(stored.sha256).read() == PDF


def test_s3_store_keeps_content_under_its_digest(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(s3_endpoint, monkeypatch)
    client.create_bucket(Bucket="torelik-test")
    store = S3FileStore(bucket="torelik-test", prefix="sha256/", client=client)
    store.check()
    stored = store.save(io.BytesIO(PDF))
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert store.exists(stored.sha256)
    assert not store.exists("0" * 64)
    assert store.open(stored.sha256).read() == PDF
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="torelik-test")["Contents"]]
    assert keys == [f"sha256/{stored.sha256}"]
    with pytest.raises(FileTooLargeError):
        store.save(io.BytesIO(b"x" * 2048), max_size=1024)
