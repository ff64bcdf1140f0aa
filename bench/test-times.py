#!/usr/bin/env python3
"""Per-class and per-test durations from a `dotnet test --logger trx` log.

    python3 bench/test-times.py /tmp/run.trx [--top 20] [--filter Verify.]

xunit runs the tests of one class serially, so a class's summed duration is the floor it sets on the
suite's wall time; "span" is the first start to the last end of the class's tests (it includes time a
test waited for a free thread, so it says more about load than about the class).
"""
import argparse
import collections
import datetime
import re
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def stamp(text):
    # 2026-12-07T11:30:01.1234567+00:00: Python wants at most 6 fractional digits.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return datetime.datetime.fromisoformat(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trx")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--filter", default="", help="only classes whose full name contains this")
    args = parser.parse_args()

    root = ET.parse(args.trx).getroot()
    classes = {}
    for test in root.iterfind(".//t:UnitTest", NS):
        method = test.find("t:TestMethod", NS)
        classes[test.get("id")] = method.get("className")

    total = collections.defaultdict(float)
    count = collections.Counter()
    first, last = {}, {}
    tests = []
    outcomes = collections.Counter()
    for r in root.iterfind(".//t:UnitTestResult", NS):
        cls = classes.get(r.get("testId"), "?")
        if args.filter not in cls:
            continue
        d = seconds(r.get("duration", "0:0:0"))
        outcomes[r.get("outcome")] += 1
        total[cls] += d
        count[cls] += 1
        tests.append((d, r.get("testName")))
        if r.get("startTime") and r.get("endTime"):
            s, e = stamp(r.get("startTime")), stamp(r.get("endTime"))
            first[cls] = min(first.get(cls, s), s)
            last[cls] = max(last.get(cls, e), e)

    times = root.find("t:Times", NS)
    if times is not None and times.get("start") and times.get("finish"):
        wall = (stamp(times.get("finish")) - stamp(times.get("start"))).total_seconds()
        print(f"run: {wall:.0f} s wall (trx Times start..finish)")
    print("tests:", sum(outcomes.values()), dict(outcomes))
    print(f"\ntop {args.top} classes (sum of test durations; span = first start .. last end)")
    for cls, d in sorted(total.items(), key=lambda kv: -kv[1])[: args.top]:
        span = (last[cls] - first[cls]).total_seconds() if cls in first else float("nan")
        print(f"{d:8.1f} s  span {span:6.1f} s  {count[cls]:4d} tests  {cls}")
    print(f"\ntop {args.top} tests")
    for d, name in sorted(tests, reverse=True)[: args.top]:
        print(f"{d:8.1f} s  {name}")


if __name__ == "__main__":
    main()
