"""Content-addressed file stores: a file is saved once under the SHA-256 of its bytes and never changes.

Two backends behind one interface: a local directory (the embedded default) and an S3-compatible
object store (MinIO, Ceph, AWS) for production. Content is streamed: nothing is held whole in memory.
"""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredContent:
    sha256: str
    size: int


class FileTooLargeError(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class FileStore(Protocol):
    def save(self, content: IO[bytes], *, max_size: int | None = None) -> StoredContent: ...

    def open(self, sha256: str) -> IO[bytes]: ...

    def exists(self, sha256: str) -> bool: ...

    def adopt(self, path: Path, *, sha256: str) -> None:
        """Take the file at `path`, whose SHA-256 the caller computed while receiving it, into the
        store without reading it again: moved into place (local) or uploaded (S3). `path` is gone after."""

    def check(self) -> None:
        """Raise OSError (or the backend's error) when the store cannot be written."""


@contextmanager
def _spooled_with_digest(
    content: IO[bytes], directory: Path | None, max_size: int | None
) -> Iterator[tuple[Any, StoredContent]]:
    """Copy `content` to a temporary file while hashing it; refuse it past `max_size` bytes."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".incoming-", delete=False) as spool:
        try:
            while chunk := content.read(CHUNK):
                size += len(chunk)
                if max_size is not None and size > max_size:
                    raise FileTooLargeError(max_size)
                digest.update(chunk)
                spool.write(chunk)
            spool.flush()
            os.fsync(spool.fileno())
            yield spool, StoredContent(sha256=digest.hexdigest(), size=size)
        finally:
            Path(spool.name).unlink(missing_ok=True)


class LocalFileStore:
    """Files under `root/ab/cd/abcd...` (the SHA-256 in hex), written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 in lowercase hex")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def save(self, content: IO[bytes], *, max_size: int | None = None) -> StoredContent:
        incoming = self.root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        with _spooled_with_digest(content, incoming, max_size) as (spool, stored):
            target = self._path(stored.sha256)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(spool.name, 0o440)
                os.replace(spool.name, target)  # atomic: readers never see a half-written file
            return stored

    def adopt(self, path: Path, *, sha256: str) -> None:
        target = self._path(sha256)
        if target.exists():
            path.unlink(missing_ok=True)
            return
        with path.open("rb") as received:
            os.fsync(received.fileno())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o440)
        os.replace(path, target)  # same file system as MEDIA_ROOT: a rename, not a copy

    def open(self, sha256: str) -> IO[bytes]:
        return self._path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def check(self) -> None:
        probe = self.root / ".incoming"
        probe.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".probe-"):
            pass


class S3FileStore:
    """Objects `prefix + sha256` in a bucket of an S3-compatible store (boto3, optional extra `s3`)."""

    def __init__(self, *, bucket: str, prefix: str = "", client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client

    def save(self, content: IO[bytes], *, max_size: int | None = None) -> StoredContent:
        with _spooled_with_digest(content, None, max_size) as (spool, stored):
            key = self.prefix + stored.sha256
            if not self.exists(stored.sha256):
                spool.seek(0)
                self.client.upload_fileobj(spool, self.bucket, key, ExtraArgs={"ChecksumAlgorithm": "SHA256"})
            return stored

    def adopt(self, path: Path, *, sha256: str) -> None:
        if not self.exists(sha256):
            self.client.upload_file(
                str(path), self.bucket, self.prefix + sha256, ExtraArgs={"ChecksumAlgorithm": "SHA256"}
            )
        path.unlink(missing_ok=True)

    def open(self, sha256: str) -> IO[bytes]:
        body: IO[bytes] = self.client.get_object(Bucket=self.bucket, Key=self.prefix + sha256)["Body"]
        return body

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + sha256)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


def copy_to(store: FileStore, sha256: str, target: IO[bytes]) -> None:
    with store.open(sha256) as source:
        shutil.copyfileobj(source, target, CHUNK)


@cache
def file_store() -> FileStore:
    """The configured store (settings.TORELIK_FILE_STORE: `local` or `s3`)."""
    if settings.TORELIK_FILE_STORE == "s3":
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "s3",
            endpoint_url=settings.TORELIK_S3_ENDPOINT_URL or None,
            region_name=settings.TORELIK_S3_REGION or None,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 5, "mode": "standard"}),
        )
        return S3FileStore(bucket=settings.TORELIK_S3_BUCKET, prefix=settings.TORELIK_S3_PREFIX, client=client)
    return LocalFileStore(Path(settings.MEDIA_ROOT) / "sha256")
