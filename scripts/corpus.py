#!/usr/bin/env python3
"""A batch of N distinct, valid reports for the benchmark, from the two examples.

    scripts/corpus.py N OUT_DIR [--renamed]

Report i is example i mod 2 with its agency numbered and, unless --renamed, every prose
paragraph, the figures of table A, the natural-person column of table B (with its totals,
so the table still balances) and the upheld reviews of table C shifted by i: no two
reports share a paragraph or a table, as in a real batch, where every agency writes its
own. --renamed only numbers the agency (the old benchmark's batch: everything else is
shared, so a warm cache makes it look cheaper than a real batch).
"""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
n, out = int(sys.argv[1]), Path(sys.argv[2])
renamed = "--renamed" in sys.argv
out.mkdir(parents=True, exist_ok=True)
bases = [(root / "examples" / f).read_text(encoding="utf-8") for f in ("suizhong-2023.yaml", "shiyi-scjg-2024.yaml")]


def shift(line, keys, by):
    for k in keys:
        line = re.sub(rf"\b({k}): (\d+)", lambda m: f"{m.group(1)}: {int(m.group(2)) + by}", line)
    return line


for i in range(n):
    lines = []
    for line in bases[i % 2].splitlines():
        if re.match(r"^  agency: ", line):
            line += str(i)
        elif not renamed:
            s = line.strip()
            if s.endswith("。") and not s.startswith("#"):
                line = line[: line.rindex("。")] + f"（第{i}份）。"
            elif re.match(r"^  (licensing|punishment|enforcement): \d+$", line):
                line = shift(line, ["licensing", "punishment", "enforcement"], i)
            elif re.match(r"^  received: \{|^    disclosed: \{|^    total: \{", line):
                line = shift(line, ["natural_person", "total"], i % 37)
            elif re.match(r"^  review: \{", line):
                line = shift(line, ["upheld", "total"], i % 5)
        lines.append(line)
    (out / f"r{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
