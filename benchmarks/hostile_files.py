"""Hostile and huge experiment files, timed as a user meets them: python benchmarks/hostile_files.py

Writes each file of issue 16 into a temporary folder and runs ``python -m sim validate`` (or
``run``) on it in a fresh process, as a user would. Prints one JSON object per case: case,
command, exit_code, seconds (wall clock, start-up included), peak_rss_mb (of that process),
output_chars (stdout and stderr together) and the first line of the output. The case
``startup`` (``sim --version``) is the floor every command pays to import the model;
a refusal's own cost is its seconds minus that. ``--cases`` picks some cases by name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = "name: hostile\nseed: 1\nreplications: 1\npopulation: {seekers: {polite: 2, nfl: 2}}\n"
GRID_PATHS = ("contacts.gossip_rate", "contacts.gossip_weight", "contacts.mention_when_asked",
              "market.offer_prob", "market.formal_interview_prob", "market.referral_interview_prob")  # fmt: skip


def alias_bomb(levels: int, fan: int) -> str:
    """The issue's bomb: lists each repeating the one before ``fan`` times, ``levels`` deep."""
    lines = [HEAD.rstrip("\n"), 'l0: &l0 ["lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fan)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def grid(values: int) -> str:
    """Six parameters with ``values`` values each: values**6 design points."""
    listed = ", ".join(f"{i / values:.3f}" for i in range(values))
    return HEAD + "sweep:\n  grid:\n" + "".join(f"    {p}: [{listed}]\n" for p in GRID_PATHS)


CASES = {
    "startup": (["--version"], None),
    "alias_bomb_8x10_validate": (["validate"], alias_bomb(8, 10)),
    "alias_bomb_8x10_run": (["run", "--no-report", "-q"], alias_bomb(8, 10)),
    "alias_bomb_7x9_validate": (["validate"], alias_bomb(7, 9)),
    "file_of_2_mib": (["validate"], HEAD + "description: " + "x" * (2 << 20) + "\n"),
    "list_of_200000_numbers": (["validate"], HEAD + "sweep: {grid: {contacts.gossip_rate: [" + ", ".join(["0.5"] * 200_000) + "]}}\n"),
    "unknown_key_long_value": (["validate"], HEAD + "unknown: " + "y" * 500_000 + "\n"),
    "grid_1e6_validate": (["validate"], grid(10)),
    "grid_1e6_run_capped": (["run", "--no-report", "-q"], grid(10)),
}  # fmt: skip


def measure(name: str, args: list[str], text: str | None, folder: Path) -> dict:
    command = [sys.executable, "-m", "sim", *args]
    if text is not None:
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        command.insert(command.index(args[0]) + 1, str(path))
        if args[0] == "run":
            command += ["--out", str(folder / f"{name}-results")]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as captured:
        process = subprocess.Popen(command, stdout=captured, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        captured.seek(0)
        output = captured.read()
    return {
        "case": name,
        "command": " ".join(["sim", *args]),
        "exit_code": process.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        "output_chars": len(output),
        "first_line": output.strip().splitlines()[0][:160] if output.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), default=list(CASES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            print(json.dumps(measure(name, *CASES[name], Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
