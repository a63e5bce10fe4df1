"""Screenshot the finance report (docs/images/finance-report.png) in headless Chromium.

Runs the fee-from-deposit trap with its ``allow:`` taken away, so the page shows a failure in plain words,
the clearing residue and the statement mismatch, and then the first paid invoice, which squares, through
``xero-scenarios run --report DIR`` into a temporary directory, then has Chromium draw ``DIR/index.html``.
Not part of the test suite; run it from the repository root after changing the report's look:

    python docs/screenshots/take.py                 # needs Debian's chromium: apt-get install -y chromium
    python docs/screenshots/take.py --height 3000   # a taller page
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORIES = ("scenarios/cases/first-paid-invoice.yaml",)
TRAP = ROOT / "scenarios" / "cases" / "fee-from-deposit-trap.yaml"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def failing_trap(directory: Path) -> Path:
    """The trap story as it would be without ``allow:``: reconciliation then fails it, as it should."""
    text = TRAP.read_text(encoding="utf-8")
    text = text.replace("../fixtures/", f"{ROOT / 'scenarios' / 'fixtures'}/")
    text = text.replace("allow: [clearing-nets-to-zero, statement-matches]\n", "")
    if "allow:" in text:
        raise SystemExit(f"{TRAP} changed: its allow: line is not the one this script removes")
    path = directory / "fee-trap-without-allow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "finance-report.png")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=2150)
    args = parser.parse_args()
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        print("no Chromium found; install it with: apt-get install -y chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="finance-report-") as scratch:
        work = Path(scratch)
        report = work / "report"
        run = subprocess.run(
            [sys.executable, "-m", "scenarios", "run", str(failing_trap(work)), *STORIES, "--report", str(report)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode not in (0, 1) or not (report / "index.html").exists():  # 1: the trap fails, on purpose
            print(run.stdout + run.stderr, file=sys.stderr)
            return 1
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shot = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",  # Chromium refuses to run as root with its sandbox; this page has no script
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--window-size={args.width},{args.height}",
                f"--screenshot={args.out.resolve()}",
                (report / "index.html").as_uri(),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if shot.returncode != 0 or not args.out.exists():
            print(shot.stdout + shot.stderr, file=sys.stderr)
            return 1
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
