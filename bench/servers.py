"""Throwaway PostgreSQL and Chroma servers for the backend tests and the multi-instance bench.

CI (`.ci/run`) starts both and exports `CHENGGUO_TEST_DATABASE_URL` / `CHENGGUO_TEST_CHROMA_URL`;
on a developer's machine without them the fixtures start their own here, from Debian's
PostgreSQL binaries (`/usr/lib/postgresql/*/bin`, installed by `make test`) and the `chroma`
command of the chromadb package. A missing binary fails the test with what to install — the
backend tests never skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


class ServerUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found and shutil.which("pg_ctl"):
        return Path(str(shutil.which("pg_ctl"))).parent
    if not found:
        raise ServerUnavailable(
            "PostgreSQL is not installed: the PostgreSQL backend tests need it. Install it with "
            "`apt-get install postgresql` (make test does), or set CHENGGUO_TEST_DATABASE_URL to a server "
            "whose user may create databases. / 未安装 PostgreSQL：请 `apt-get install postgresql`，或设置 "
            "CHENGGUO_TEST_DATABASE_URL。"
        )
    return Path(found[-1]).parent


class PostgresServer:
    """initdb + pg_ctl in a temp dir on a free loopback port (as user `postgres` when root:
    PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="chengguo-pg-"))
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> PostgresServer:
        data = self.dir / "data"
        subprocess.run(
            [
                *self._as,
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            cwd=self.dir,
        )
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        )
        subprocess.run(
            [
                *self._as,
                str(self.bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
            cwd=self.dir,
        )
        return self

    def stop(self) -> None:
        subprocess.run(
            [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=self.dir,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def _chroma_cmd() -> str:
    exe = Path(sys.executable).parent / "chroma"
    if exe.exists():
        return str(exe)
    found = shutil.which("chroma")
    if not found:
        raise ServerUnavailable(
            "the `chroma` command (package chromadb) is missing; reinstall with `pip install -e '.[dev]'`, "
            "or set CHENGGUO_TEST_CHROMA_URL. / 缺少 chroma 命令（chromadb 包）。"
        )
    return found


class ChromaServer:
    """`chroma run` on a free loopback port with a temp data path."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="chengguo-chroma-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> ChromaServer:
        self.proc = subprocess.Popen(
            [
                _chroma_cmd(),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--path",
                str(self.dir / "db"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.dir / "log", "wb"),  # noqa: SIM115 - closed with the process
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerUnavailable(
                    f"chroma run exited: {(self.dir / 'log').read_text(errors='replace')[-800:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise ServerUnavailable(f"chroma run did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A fresh database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
