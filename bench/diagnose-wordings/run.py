#!/usr/bin/env python3
"""Run every wording in corpus.py through `groundcrew diagnose --format json` (one process per text) and tabulate.

Usage: python3 bench/diagnose-wordings/run.py [--dll PATH] [--verbose]
A text is a hit when its expected signature ranks first; a look-alike ("!id") is a hit when that id does not match.
"""
import argparse, collections, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from corpus import C  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--dll", default=os.path.join(os.path.dirname(__file__), "../../src/Groundcrew.Cli/bin/Debug/net10.0/groundcrew.dll"))
ap.add_argument("--verbose", action="store_true")
ap.add_argument("--json", help="write per-text results here")
args = ap.parse_args()

rows = []
with tempfile.TemporaryDirectory() as tmp:
    for i, e in enumerate(C):
        path = os.path.join(tmp, f"w{i}.txt")
        with open(path, "w") as f:
            f.write(e["text"] + "\n")
        out = subprocess.run(["dotnet", args.dll, "diagnose", path, "--format", "json"], capture_output=True, text=True)
        ids = [m["id"] for m in json.loads(out.stdout)["matches"]] if out.stdout.strip() else []
        exp = e["expect"]
        if exp.startswith("!"):
            status = "ok" if exp[1:] not in ids else "false-match"
        elif ids and ids[0] == exp:
            status = "ok"
        elif exp in ids:
            status = "ranked-below"
        elif ids:
            status = "wrong"
        else:
            status = "none"
        rows.append({**e, "ids": ids, "status": status})
        if args.verbose or status != "ok":
            print(f"{status:13} {e['family']:24} expect={exp:40} got={ids[:3]}  | {e['text'][:90]!r}")

fam = collections.OrderedDict()
for r in rows:
    fam.setdefault(r["family"], collections.Counter())[r["status"]] += 1
print()
print("| family | texts | first-ranked / not matched (look-alikes) | ranked below | wrong signature | nothing |")
print("| --- | --- | --- | --- | --- | --- |")
tot = collections.Counter()
for f, c in fam.items():
    n = sum(c.values()); tot.update(c)
    print(f"| {f} | {n} | {c['ok']} | {c['ranked-below']} | {c['wrong'] + c['false-match']} | {c['none']} |")
n = sum(tot.values())
print(f"| all | {n} | {tot['ok']} | {tot['ranked-below']} | {tot['wrong'] + tot['false-match']} | {tot['none']} |")
if args.json:
    with open(args.json, "w") as f:
        json.dump(rows, f, indent=1)
