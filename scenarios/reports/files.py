"""Writing a report file: whole or not at all, readable by whoever reads the folder.

A crashed or interrupted write never leaves half a report for CI to read: the text goes to a fresh file
beside the target and is renamed over it. Not ``tempfile.mkstemp``: its files are private (0600), and a
report is for others (a CI artefact, a shared folder), so an exclusive create gets the usual permissions
under the umask.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        with temporary.open("xb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
