"""The documented deployment runs: gunicorn and a worker with deploy/torelik.env's settings, Debian's nginx
in the foreground with deploy/nginx/torelik.conf (only its paths, ports and certificate changed) over TLS
with a test certificate; pages, static files, the request id and the closed /metrics through nginx."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from torelik.operations.tests.test_deploy import ENV_FILE, chosen, read_env

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = Path(settings.BASE_DIR) / "deploy" / "nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("TORELIK_STRICT_TESTS"), reason="nginx is not installed"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args!r} exited with {process.returncode}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def wait_for_app(port: int, process: subprocess.Popen[bytes], seconds: float = 180.0) -> None:
    """Until a gunicorn worker answers `/healthz`: the master listens before its workers have imported
    the application, which takes tens of seconds on a loaded machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args!r} exited with {process.returncode}"
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"}, timeout=5)
            if answer.status_code < 500:  # any answer (a redirect to HTTPS too) is a worker with the app loaded
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the application on {port} did not answer /healthz")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    app, http, https = free_port(), free_port(), free_port()
    env = chosen(read_env(ENV_FILE), tmp_path)
    env.update(
        TORELIK_ALLOWED_HOSTS="localhost,127.0.0.1",
        TORELIK_PUBLIC_URL=f"https://localhost:{https}",
        TORELIK_CSRF_TRUSTED_ORIGINS=f"https://localhost:{https}",
        TORELIK_SMS_BACKEND="console",
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TORELIK_", "DJANGO_", "DATABASE_"))}
    full = {**keep, **env}
    bin_dir = Path(sys.executable).parent
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "-m", "torelik", *step], env=full, check=True, timeout=300)  # noqa: S603

    subprocess.run(  # noqa: S603
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "36500",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site_conf = (
        (DEPLOY / "torelik.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{app}")
        .replace("listen 80;", f"listen 127.0.0.1:{http};")
        .replace("listen [::]:80;", "")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("/etc/ssl/torelik/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/torelik/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/var/lib/torelik/static/", f"{tmp_path / 'static'}/")
        .replace("/etc/nginx/torelik-proxy.conf", str(DEPLOY / "torelik-proxy.conf"))
    )
    (tmp_path / "site.conf").write_text(site_conf)
    temp = tmp_path / "nginx"
    temp.mkdir()
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log;\nevents {{}}\nhttp {{\n"
        f"  include /etc/nginx/mime.types;\n  access_log {temp}/access.log;\n"
        + "".join(f"  {kind}_temp_path {temp}/{kind};\n" for kind in TEMP_PATHS)
        + f"  include {tmp_path / 'site.conf'};\n}}\n"
    )  # fmt: skip

    processes = [
        subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "gunicorn"),
                "config.wsgi:application",
                "-k",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{app}",
            ],
            env=full,
        ),  # fmt: skip
        subprocess.Popen([sys.executable, "-m", "torelik", "worker"], env=full),  # noqa: S603
        subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-e", str(temp / "error.log")]),  # noqa: S603
    ]
    try:
        wait_for_port(app, processes[0])
        wait_for_app(app, processes[0])
        wait_for_port(https, processes[2])
        yield https, tmp_path
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_pages_static_files_and_the_request_id_through_nginx_over_tls(site: tuple[int, Path]) -> None:
    port, root = site
    with httpx.Client(base_url=f"https://localhost:{port}", verify=str(root / "cert.pem"), timeout=30) as client:
        home = client.get("/ru/")
        assert home.status_code == 200
        assert "Төрелік" in home.text or "Torelik" in home.text
        assert len(home.headers["X-Request-ID"]) == 32  # nginx's $request_id, carried by Django
        assert home.headers["Strict-Transport-Security"].startswith("max-age=")
        courts = client.get("/kk/courts/")
        assert courts.status_code == 200
        static = client.get("/static/identity/signer.js")
        assert static.status_code == 200
        assert "public" in static.headers["Cache-Control"]
        assert client.get("/metrics").status_code == 404
        ready = client.get("/readyz")
        deadline = time.monotonic() + 30
        while ready.json()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
            ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ok", ready.text
