#!/usr/bin/env python3
"""Feeds follow-up pairs to `dossier ask --after` for score.py.

Each stdin line is `EARLIER >> FOLLOW-UP`; the line is answered as
`DOSSIER ask --json --after EARLIER FOLLOW-UP` and the answer's question echo is set back to
the whole line, as the scorer expects. Usage:

    python3 ../shared/eval/score.py tests/eval/followups.jsonl -- \
        python3 tests/eval/ask_after.py target/debug/dossier
"""
import json
import subprocess
import sys

dossier = sys.argv[1:]
for line in sys.stdin:
    line = line.rstrip("\n")
    earlier, _, followup = line.rpartition(" >> ")
    out = subprocess.run(
        dossier + ["ask", "--json", "--after", earlier, followup],
        capture_output=True, text=True, check=True,
    ).stdout
    answer = json.loads(out.splitlines()[0])
    answer["question"] = line
    print(json.dumps(answer, ensure_ascii=False), flush=True)
