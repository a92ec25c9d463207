"""A throwaway PostgreSQL cluster of a test's own, on a free port, so that a test may restart
or stop it without touching the machine's shared server (other tests run on that in parallel).

    with throwaway_cluster() as cluster:
        cluster.restart()  # pg_ctl restart -m fast: every connection is cut

As root the cluster belongs to the ``postgres`` user (``runuser``), as anyone else to that user.
The server's binaries are found with ``pg_config --bindir``, else under /usr/lib/postgresql/*/.
``ClusterUnavailable`` says why a cluster cannot be made here; the caller decides to skip.

Run as a script it starts one and waits (for trying things by hand):

    python tests/web/pg_cluster.py   # prints the URL; Ctrl-C stops and removes it
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60


class ClusterUnavailable(Exception):
    """No cluster can be made on this machine (no binaries, or no user to run them)."""


def _bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        done = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(done.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise ClusterUnavailable("no PostgreSQL server binaries (initdb) on this machine")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: its directory, port and the user its processes run as."""

    bindir: Path
    directory: Path
    port: int
    as_user: list[str]  # the prefix that runs a command as the cluster's owner

    @property
    def url(self) -> str:
        """The server's URL, without a database (trust authentication as ``postgres``)."""
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*self.as_user, str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)}: {done.stdout}{done.stderr}")
        return done

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self.run(
            "pg_ctl", *args, "-D", str(self.directory / "data"), "-w", "-l", log, "-o", options
        )

    def restart(self) -> None:
        """Stop (fast: every session is cut, its transaction rolled back) and start again."""
        self.pg_ctl("restart", "-m", "fast")

    def log(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new cluster, started; stopped and removed at the end."""
    bindir = _bindir()
    as_user: list[str] = []
    directory = Path(tempfile.mkdtemp(prefix="xiaoneng_fault_pg_"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(directory)
            raise ClusterUnavailable("running as root and there is no postgres user") from None
        runuser = shutil.which("runuser")
        if runuser is None:
            shutil.rmtree(directory)
            raise ClusterUnavailable("running as root without runuser") from None
        os.chown(directory, owner.pw_uid, owner.pw_gid)
        as_user = [runuser, "-u", "postgres", "--"]
    cluster = Cluster(bindir, directory, _free_port(), as_user)
    try:
        cluster.run(
            "initdb", "-D", str(directory / "data"), "-U", "postgres", "-A", "trust", "--no-sync"
        )
        cluster.pg_ctl("start")
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise ClusterUnavailable(f"could not start a cluster: {error}") from None
    try:
        yield cluster
    finally:
        with suppress(RuntimeError, subprocess.TimeoutExpired):
            cluster.pg_ctl("stop", "-m", "immediate")  # not running: removed all the same
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    import time

    with throwaway_cluster() as running:
        print(running.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
