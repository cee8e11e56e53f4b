#!/usr/bin/python3
"""Summarizes `jfr print --events jdk.ExecutionSample` output: the share of samples whose top frame is each
method (self) and of samples with the method anywhere on the stack (inclusive, d2l4j's methods only)."""
import collections
import re
import sys


def main():
    text = open(sys.argv[1]).read()
    top, incl, n = collections.Counter(), collections.Counter(), 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
        if not frames:
            continue
        n += 1
        top[frames[0]] += 1
        for f in set(frames):
            incl[f] += 1
    print(f"samples {n}")
    for f, c in top.most_common(15):
        print(f"{100 * c / n:5.1f}% self  {f}")
    print("--- inclusive (d2l4j)")
    for f, c in [(f, c) for f, c in incl.most_common() if f.startswith("d2l4j")][:25]:
        print(f"{100 * c / n:5.1f}% incl  {f}")


if __name__ == "__main__":
    main()
