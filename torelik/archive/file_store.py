"""Content-addressed file stores: a file is saved once under the SHA-256 of its bytes and never changes.

Two backends behind one interface: a local directory (the embedded default) and an S3-compatible
object store (MinIO, Ceph, AWS) for production. Content is streamed: nothing is held whole in memory.
"""

import datetime as dt
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

    def restore(self, sha256: str, content: IO[bytes]) -> None:
        """Put back the object `sha256` from a good copy (the fixity audit's repair): the caller has
        checked that `content` hashes to `sha256`."""

    def delete(self, sha256: str, *, stored_at: dt.datetime) -> bool:
        """Remove the object (content nobody references: the sweep, ADR 0037). False when the store may
        not remove it yet (object lock until `stored_at` + the lock's days): the next sweep tries again."""


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

    def restore(self, sha256: str, content: IO[bytes]) -> None:
        incoming = self.root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        with _spooled_with_digest(content, incoming, None) as (spool, stored):
            if stored.sha256 != sha256:
                raise ValueError("the copy does not hash to the object's address")
            target = self._path(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(spool.name, 0o440)
            os.replace(spool.name, target)

    def delete(self, sha256: str, *, stored_at: dt.datetime) -> bool:
        self._path(sha256).unlink(missing_ok=True)
        return True

    def check(self) -> None:
        probe = self.root / ".incoming"
        probe.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".probe-"):
            pass


class S3FileStore:
    """Objects `prefix + sha256` in a bucket of an S3-compatible store (boto3, optional extra `s3`)."""

    def __init__(self, *, bucket: str, prefix: str = "", client: Any, lock_days: int = 0) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
        self.lock_days = lock_days

    def _extra(self) -> dict[str, Any]:
        """Every object is written with its SHA-256 checksum and, where the bucket has object lock, in
        compliance mode for `lock_days`: nobody, the operator included, deletes or overwrites it."""
        extra: dict[str, Any] = {"ChecksumAlgorithm": "SHA256"}
        if self.lock_days:
            extra |= {
                "ObjectLockMode": "COMPLIANCE",
                "ObjectLockRetainUntilDate": dt.datetime.now(dt.UTC) + dt.timedelta(days=self.lock_days),
            }
        return extra

    def save(self, content: IO[bytes], *, max_size: int | None = None) -> StoredContent:
        with _spooled_with_digest(content, None, max_size) as (spool, stored):
            key = self.prefix + stored.sha256
            if not self.exists(stored.sha256):
                spool.seek(0)
                self.client.upload_fileobj(spool, self.bucket, key, ExtraArgs=self._extra())
            return stored

    def adopt(self, path: Path, *, sha256: str) -> None:
        if not self.exists(sha256):
            self.client.upload_file(str(path), self.bucket, self.prefix + sha256, ExtraArgs=self._extra())
        path.unlink(missing_ok=True)

    def restore(self, sha256: str, content: IO[bytes]) -> None:
        """A new version of the object (a locked bucket keeps the damaged one as an older version)."""
        with _spooled_with_digest(content, None, None) as (spool, stored):
            if stored.sha256 != sha256:
                raise ValueError("the copy does not hash to the object's address")
            spool.seek(0)
            self.client.upload_fileobj(spool, self.bucket, self.prefix + sha256, ExtraArgs=self._extra())

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

    def delete(self, sha256: str, *, stored_at: dt.datetime) -> bool:
        if self.lock_days and stored_at + dt.timedelta(days=self.lock_days) > dt.datetime.now(dt.UTC):
            return False  # in compliance mode the bucket refuses it, rightly: kept until the lock ends
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + sha256)
        return True


class MirroredFileStore:
    """The primary store, every new object also written to a second copy on other storage (what the
    fixity audit repairs from). Reads come from the primary."""

    def __init__(self, primary: FileStore, copy: FileStore) -> None:
        self.primary = primary
        self.copy = copy

    def save(self, content: IO[bytes], *, max_size: int | None = None) -> StoredContent:
        stored = self.primary.save(content, max_size=max_size)
        if not self.copy.exists(stored.sha256):
            with self.primary.open(stored.sha256) as saved:
                self.copy.save(saved)
        return stored

    def adopt(self, path: Path, *, sha256: str) -> None:
        self.primary.adopt(path, sha256=sha256)
        if not self.copy.exists(sha256):
            with self.primary.open(sha256) as saved:
                self.copy.save(saved)

    def open(self, sha256: str) -> IO[bytes]:
        return self.primary.open(sha256)

    def exists(self, sha256: str) -> bool:
        return self.primary.exists(sha256)

    def check(self) -> None:
        self.primary.check()
        self.copy.check()

    def restore(self, sha256: str, content: IO[bytes]) -> None:
        self.primary.restore(sha256, content)

    def delete(self, sha256: str, *, stored_at: dt.datetime) -> bool:
        if not self.primary.delete(sha256, stored_at=stored_at):
            return False
        return self.copy.delete(sha256, stored_at=stored_at)


def copy_to(store: FileStore, sha256: str, target: IO[bytes]) -> None:
    with store.open(sha256) as source:
        shutil.copyfileobj(source, target, CHUNK)


def _s3_client() -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings.TORELIK_S3_ENDPOINT_URL or None,
        region_name=settings.TORELIK_S3_REGION or None,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 5, "mode": "standard"}),
    )


def primary_store() -> FileStore:
    """The configured store (settings.TORELIK_FILE_STORE: `local` or `s3`)."""
    if settings.TORELIK_FILE_STORE == "s3":
        return S3FileStore(
            bucket=settings.TORELIK_S3_BUCKET,
            prefix=settings.TORELIK_S3_PREFIX,
            client=_s3_client(),
            lock_days=settings.TORELIK_S3_OBJECT_LOCK_DAYS,
        )
    return LocalFileStore(Path(settings.MEDIA_ROOT) / "sha256")


def second_copy() -> FileStore | None:
    """The second copy (TORELIK_FILE_STORE_COPY: a directory, or `s3://bucket/prefix`), if configured."""
    where = settings.TORELIK_FILE_STORE_COPY
    if not where:
        return None
    if where.startswith("s3://"):
        bucket, _slash, prefix = where.removeprefix("s3://").partition("/")
        return S3FileStore(
            bucket=bucket, prefix=prefix, client=_s3_client(), lock_days=settings.TORELIK_S3_OBJECT_LOCK_DAYS
        )
    return LocalFileStore(Path(where))


@cache
def file_store() -> FileStore:
    """The store every write goes to: the primary, mirrored to the second copy when there is one."""
    copy = second_copy()
    return primary_store() if copy is None else MirroredFileStore(primary_store(), copy)
