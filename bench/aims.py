#!/usr/bin/env python3
"""Issue 14's speed aims, each measured end to end as a user runs it, printed with PASS/FAIL.

Usage (from the repository root):
  python3 bench/aims.py [--runs N] [--native PATH] [--no-build] [--only AIM,...]

Every figure is wall time of a whole process (start-up included) unless it says otherwise; each is measured --runs
times (default 3), interleaved with the others, and printed as min and median with the 1-minute load average seen
while it ran. PASS/FAIL is judged on the min (the run least disturbed by other work on the machine). Wall times on a
busy machine say little: quote figures from runs whose load is below the core count.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JIT = os.path.join(ROOT, "src/Groundcrew.Cli/bin/Release/net10.0/groundcrew")
BENCH = os.path.join(ROOT, "bench/Groundcrew.Bench/bin/Release/net10.0/Groundcrew.Bench.dll")
CORPUS = os.environ.get("GROUNDCREW_CORPUS", os.path.abspath(os.path.join(ROOT, "../shared/corpus")))


def run(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS bytes, CPU seconds). Exit 0 and 1 (findings) are fine."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-2000:]}")
    if re.search(r'"ruleId":\s*"input-error"', p.stdout):  # a skipped or unreadable file would make the figure meaningless
        sys.exit(f"{' '.join(cmd)} reported an input-error: the generated corpus was not fully read")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) * 1024
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    return Measured(wall, rss, cpu)


class Measured:
    def __init__(self, wall, rss, cpu):
        self.wall, self.rss, self.cpu = wall, rss, cpu


def size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


class Series:
    """Repeated measurements of one thing, with the load average seen at each."""

    def __init__(self):
        self.values, self.loads, self.cpus = [], [], []

    def add(self, value, cpu=None):
        if isinstance(value, Measured):
            value, cpu = value.wall, value.cpu
        self.values.append(value)
        self.cpus.append(cpu)
        self.loads.append(os.getloadavg()[0])

    @property
    def min(self):
        return min(self.values)

    def text(self, unit="s", fmt="{:.2f}"):
        at = self.values.index(self.min)
        cpu = f", {self.cpus[at]:.2f} s CPU" if self.cpus[at] is not None else ""
        return (f"min {fmt.format(self.min)} {unit}{cpu} (load {self.loads[at]:.1f}), median {fmt.format(statistics.median(self.values))} {unit}"
                f" of {len(self.values)} (load {min(self.loads):.1f}-{max(self.loads):.1f})")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--native", help="path of a NativeAOT groundcrew (dotnet publish src/Groundcrew.Cli -c Release -r linux-x64 -p:PublishAot=true)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only", default="check,python,growth,memory,joins,terraform")
    args = ap.parse_args()
    only = set(args.only.split(","))

    try:
        import yaml
        yaml.CSafeLoader
        have_python = True
    except (ImportError, AttributeError):
        have_python = False
        print("python3 with libyaml is missing (yaml.CSafeLoader): apt-get install python3-yaml; the comparison is skipped")

    if not args.no_build:
        for project in ("src/Groundcrew.Cli", "bench/Groundcrew.Bench"):
            subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "--nologo", project], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    binaries = [("JIT", JIT)] + ([("native", os.path.abspath(args.native))] if args.native else [])
    work = tempfile.mkdtemp(prefix="groundcrew-aims-")
    try:
        def generate(name, *extra):
            path = os.path.join(work, name)
            subprocess.run(["dotnet", BENCH] + list(extra) + [path], check=True, stdout=subprocess.DEVNULL)
            return path

        gen50k = generate("50k-in-5000", "--files", "5000", "--per-file", "10", "--generate")
        gen5k = generate("5k-in-500", "--files", "500", "--per-file", "10", "--generate") if "growth" in only else None
        one = generate("100k-in-1", "--files", "1", "--per-file", "100000", "--generate") if "growth" in only else None
        if one:  # its one file is 29 MB, over the default 16 MB limit
            with open(os.path.join(one, ".groundcrew.yaml"), "w") as f:
                f.write("maxFileSizeMB: 64\n")
        many = generate("100k-in-10000", "--files", "10000", "--per-file", "10", "--generate") if "growth" in only else None
        joins = generate("joins", "--generate-joins") if "joins" in only else None
        empty = os.path.join(work, "empty")
        os.makedirs(empty)

        s = {}
        def series(key):
            return s.setdefault(key, Series())

        print(f"groundcrew speed aims: {os.cpu_count()} cores, {args.runs} runs each, load at start {os.getloadavg()[0]:.1f}")
        for _ in range(args.runs):
            for label, binary in binaries:
                check = lambda d: [binary, "check", d, "--format", "sarif", "--no-color"]
                if only & {"check", "python", "memory"}:
                    m = run(check(gen50k))
                    series(f"{label} 50k").add(m)
                    series(f"{label} 50k rss").add(m.rss)
                if "memory" in only:
                    series(f"{label} empty rss").add(run(check(empty)).rss)
                if "growth" in only:
                    series(f"{label} 5k").add(run(check(gen5k)))
                    series(f"{label} 100k/1").add(run(check(one)))
                    series(f"{label} 100k/10000").add(run(check(many)))
                if "joins" in only:
                    series(f"{label} joins").add(run(check(joins)))
            if have_python and "python" in only:
                series("python").add(run([sys.executable, os.path.join(ROOT, "bench/parse_yaml.py"), gen50k]))
        if "terraform" in only:
            out = subprocess.run(["dotnet", BENCH, "--terraform", CORPUS, "--rounds", str(args.runs + 1)], check=True, stdout=subprocess.PIPE, text=True).stdout
            times = [float(x) for x in re.findall(r"terraform_seconds=([\d.]+)", out)]
            first, warm = times[0], Series()
            for t in times[1:]: warm.add(t)
            detail = re.search(r"files=(\d+) resources=(\d+)", out)

        mb50 = size(gen50k)
        print()
        for label, _ in binaries:
            if only & {"check", "python", "memory"}:
                t = s[f"{label} 50k"]
                print(f"[{verdict(t.min < 1.0)}] {label}: 50,000 objects in 5,000 files ({mb50 / 2**20:.1f} MB), check --format sarif < 1.0 s: {t.text()}")
                if "python" in s and "python" in only:
                    ratio = t.min / s["python"].min
                    print(f"[{verdict(ratio < 0.25)}] {label}: < 0.25x python3+libyaml parse-only of the same files: {ratio:.2f}x "
                          f"(python whole process {s['python'].text()})")
            if "growth" in only:
                t50, t5 = s[f"{label} 50k"], s[f"{label} 5k"]
                r10 = t50.min / t5.min
                print(f"[{verdict(r10 <= 10.5)}] {label}: 10x the files (500 -> 5,000) <= 10.5x the time: {r10:.1f}x (500 files: {t5.text()})")
                for key, what in (("100k/1", "100,000 objects in 1 file"), ("100k/10000", "100,000 objects in 10,000 files")):
                    r = s[f"{label} {key}"].min / t50.min
                    print(f"[{verdict(r <= 2.1)}] {label}: {what}, linear (<= 2.1x the 50,000-object time): {r:.2f}x ({s[f'{label} {key}'].text()})")
            if "memory" in only:
                own, peak = s[f"{label} empty rss"].min, s[f"{label} 50k rss"].min
                ratio = (peak - own) / mb50
                print(f"[{verdict(ratio < 5)}] {label}: peak memory above the process's own < 5x the input: {ratio:.1f}x "
                      f"({(peak - own) / 2**20:.0f} MB above {own / 2**20:.0f} MB, input {mb50 / 2**20:.1f} MB; /usr/bin/time -v max RSS)")
            if "joins" in only:
                t = s[f"{label} joins"]
                print(f"[{verdict(t.min < 2.0)}] {label}: cross-file joins (5,000 Deployments/Services/Secrets, 2,000 IAM roles, 1,000 modules) < 2 s: {t.text()}")
        if "terraform" in only:
            print(f"[{verdict(warm.min < 0.25)}] Terraform: every module of ../shared/corpus ({detail.group(1)} files, {detail.group(2)} resources) "
                  f"parsed and evaluated < 0.25 s (in process, JIT warm): {warm.text()}; first run with JIT {first:.2f} s")
        print(f"load at end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
