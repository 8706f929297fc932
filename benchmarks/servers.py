"""Start and stop gunicorn servers for the benchmarks: same worker count for every app."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, ready_path: str = "/"):
    """Serve `app` ("module:factory()") on a free loopback port; yields the port."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(GUNICORN),
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
            app,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        _wait_until_ready(port, ready_path, process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn_servers(
    app: str, env: dict[str, str], workers: int, count: int, ready_path: str = "/"
):
    """`count` separate gunicorn servers of `app` sharing `workers` between them; their ports.

    Several servers stand for several hosts behind a load balancer: they share nothing but the
    database and the rate limiter's storage.
    """
    each = max(1, workers // count)
    with ExitStack() as stack:
        yield [stack.enter_context(gunicorn(app, env, each, ready_path)) for _ in range(count)]


def _wait_until_ready(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not become ready")
