"""Run the real ``mockxero serve`` in a subprocess on a free loopback port (shared by CLI and store tests)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT = 30  # seconds; only a broken start-up ever waits this long


class ServerProcess:
    def __init__(self, process: subprocess.Popen, banner: list[str]):
        self.process = process
        self.banner = banner
        self.url = re.search(r"serving at (http://\S+)", banner[0]).group(1)

    def access_token(self) -> str:
        """A client-credentials token of the default app, as any client would get one."""
        from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

        answer = requests.post(
            self.url + "/connect/token",
            timeout=10,
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
            },
        )
        return str(answer.json()["access_token"])

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a person would press it; the exit code and whatever it printed after the banner."""
        self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=START_TIMEOUT)
        return self.process.returncode, rest


@contextmanager
def serve(*args: str) -> Iterator[ServerProcess]:
    command = [sys.executable, "-m", "mockxero", "serve", "--port", "0", *args]
    # request logs and tracebacks, read only when start-up fails; closed in the finally below, after the process
    errors = tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
    watchdog = threading.Timer(START_TIMEOUT, process.kill)  # a hung start fails the test instead of hanging it
    watchdog.start()
    try:
        banner = []
        for line in process.stdout:
            banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        watchdog.cancel()
        if not banner or "serving at" not in banner[0]:
            process.wait(timeout=START_TIMEOUT)
            errors.seek(0)
            raise AssertionError(f"mockxero serve did not start: {banner!r}\n{errors.read()}")
        server = ServerProcess(process, banner)
        yield server
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.communicate()
        process.stdout.close()
        errors.close()
