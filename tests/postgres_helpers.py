"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder, listening
on 127.0.0.1 only, run by an unprivileged user (`nobody` when the tests run as root, as CI does),
with password (SCRAM) authentication so wrong passwords can be tested."""

from __future__ import annotations

import glob
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

ADMIN = "matrix_admin"
UNPRIVILEGED = "nobody"


def postgres_tool(name: str) -> str | None:
    """A server program: on the PATH, or where Debian's `postgresql` package puts it."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One cluster for the whole test session; `database()` gives each test a fresh database."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = postgres_tool("initdb"), postgres_tool("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise RuntimeError(
                "PostgreSQL's initdb and pg_ctl are not installed (scripts/test.sh installs them)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="matrix-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.password = secrets.token_urlsafe(12)
        self.port = _free_port()
        self._numbers = itertools.count(1)
        self._as_user = ["runuser", "-u", UNPRIVILEGED, "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [*self._as_user, *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=self.root,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}"
            )
        return done

    @property
    def tiny(self) -> Path:
        """Where `start(tiny_disk=...)` mounts its small file system, for a tablespace."""
        return self.root / "tiny"

    def start(self, *, tiny_disk: str | None = None) -> PostgresServer:
        """Start the cluster; with `tiny_disk` (a tmpfs size such as "256k"), the server runs in a
        mount namespace of its own where `tiny` is a file system of that size: a real full disk for
        a tablespace, mounted nowhere else on the machine (needs root, as CI has)."""
        self.data.mkdir(mode=0o700)
        secret = self.root / "pwfile"
        secret.write_text(self.password + "\n")
        if self._as_user:
            for path in (self.data, secret):
                shutil.chown(path, UNPRIVILEGED)
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-U",
            ADMIN,
            f"--pwfile={secret}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        secret.unlink()
        start = [
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data / "server.log"),
            "-o",
            (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
                "-c fsync=off -c max_connections=60"
            ),
        ]
        if tiny_disk is None:
            self.pg_ctl_run(*start)
            return self
        self.tiny.mkdir()
        script = 'size=$1 dir=$2; shift 2; mount -t tmpfs -o "size=$size" tmpfs "$dir" || exit 97; '
        script += f'chown {UNPRIVILEGED} "$dir" && exec "$@"' if self._as_user else 'exec "$@"'
        command = [self.pg_ctl, start[0], "-D", str(self.data), *start[1:]]
        done = subprocess.run(
            [
                "unshare",
                "--mount",
                "sh",
                "-c",
                script,
                "sh",
                tiny_disk,
                str(self.tiny),
                *self._as_user,
                *command,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=self.root,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cannot start a server with a tiny disk: {done.stderr.strip()}")
        return self

    def pg_ctl_run(self, action: str, *options: str) -> None:
        self._run(self.pg_ctl, action, "-D", str(self.data), *options)

    def stop(self) -> None:
        try:
            self.pg_ctl_run("stop", "-m", "immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)

    def url(
        self, database: str = "postgres", *, user: str = ADMIN, password: str | None = None
    ) -> str:
        secret = self.password if password is None and user == ADMIN else password
        credentials = f"{user}:{secret}" if secret else user
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=ADMIN,
            password=self.password,
            dbname=database,
            autocommit=True,
        )

    def database(self) -> str:
        """A new, empty database; returns its name."""
        name = f"test_{next(self._numbers)}"
        with self.admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def execute(self, database: str, statement: str, *params: object) -> list[tuple]:
        with self.admin(database) as conn:
            cursor = conn.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []
