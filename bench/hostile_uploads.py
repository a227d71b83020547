"""How fast and how small the roster reader refuses hostile workbooks (issue target: < 1 s, < 300 MB).

  .venv/bin/python bench/hostile_uploads.py [--quick]

Each file is read by `read_roster` in a fresh interpreter, which reports its own time and peak memory
(VmHWM, the child's alone). The baseline, measured in the same run, is a genuine 5,000-row roster
(`--quick`: 500 rows) written as Excel writes it: a refusal should cost less than reading a real file.
The files (tests/approvals/hostile.py): the 1.5 KB sheet whose cells are A1 and XFD1048576, a 2 KB
shared-strings table declaring 2,000,000,000 entries, and a 2 MB ZIP whose members inflate to 2 GiB
while their headers say otherwise. The last line is one JSON object with the figures and targets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import json, sys, time
    sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
    from tests.approvals import hostile
    from approvals.roster.files import RosterFile, read_roster

    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    name, rows = sys.argv[2], int(sys.argv[3])
    if name == "genuine":  # as Excel saves it: the strings in a shared table (bench/roster_import.py)
        from roster_import import COLUMNS, generate, shared_strings, write_xlsx
        data = shared_strings(write_xlsx(generate(rows)), rows + 1, len(COLUMNS))[0]
    else:
        data = getattr(hostile, name)()
    start = time.perf_counter()
    found = read_roster(data, "台账.xlsx")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "bytes": len(data),
                      "refused": not isinstance(found, RosterFile), "rule": getattr(found, "rule", None)}))
""")

HOSTILE = ("corner_bomb", "strings_bomb", "lying_bomb")
TARGET_SECONDS, TARGET_MB = 1.0, 300.0


def read_in_child(name: str, rows: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), name, str(rows)], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    if done.returncode != 0:
        return {"died": done.returncode, "stderr": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 500-row genuine roster as the baseline")
    args = parser.parse_args()
    rows = 500 if args.quick else 5000
    baseline = read_in_child("genuine", rows)
    print(f"genuine roster, {rows} rows: {baseline['seconds'] * 1000:8.1f} ms  {baseline['peak_mb']:6.1f} MB")
    figures: dict = {"baseline": {**baseline, "rows": rows}}
    ok = not baseline.get("refused", True)
    for name in HOSTILE:
        found = read_in_child(name, rows)
        figures[name] = found
        if "died" in found:
            print(f"{name:14} the reader died (exit {found['died']})")
            ok = False
            continue
        print(
            f"{name:14} {found['bytes']:>9,} B  refused={found['refused']} ({found['rule']})  "
            f"{found['seconds'] * 1000:8.1f} ms  {found['peak_mb']:6.1f} MB  "
            f"({found['seconds'] / baseline['seconds']:.3f}× the genuine read)"
        )
        ok &= found["refused"] and found["seconds"] < TARGET_SECONDS and found["peak_mb"] < TARGET_MB
    figures["targets"] = {"seconds": f"< {TARGET_SECONDS}", "peak_mb": f"< {TARGET_MB}", "refused": True}
    figures["ok"] = bool(ok)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
