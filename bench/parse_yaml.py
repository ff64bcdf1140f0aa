#!/usr/bin/env python3
"""Parse-only floor for issue 14: load every YAML document under DIR with libyaml's C parser (yaml.CSafeLoader).

Usage: python3 bench/parse_yaml.py DIR. Prints `python_parse_seconds=S documents=N files=F` (process start excluded;
bench/aims.py times the whole process as well). Needs PyYAML built against libyaml: Debian `apt-get install python3-yaml`.
"""
import os
import sys
import time

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    sys.exit("PyYAML has no libyaml (yaml.CSafeLoader missing): apt-get install python3-yaml (or libyaml-dev, then reinstall PyYAML)")


def main(root):
    start = time.perf_counter()
    files = documents = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.endswith((".yaml", ".yml")):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                for _ in yaml.load_all(f, Loader=Loader):
                    documents += 1
            files += 1
    print(f"python_parse_seconds={time.perf_counter() - start:.3f} documents={documents} files={files}")


if __name__ == "__main__":
    main(sys.argv[1])
