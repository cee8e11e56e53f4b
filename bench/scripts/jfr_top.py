#!/usr/bin/python3
"""Summarizes `jfr print --events jdk.ExecutionSample` output: the share of samples whose top frame is each
method (self) and of samples with the method anywhere on the stack (inclusive, d2l4j's methods only); then
each sample given to its innermost d2l4j frame, on the calling ("main") thread and on the pool's workers, and
the methods the main thread runs more than the workers: with 2 threads, the work that did not split."""
import collections
import re
import sys


def main():
    text = open(sys.argv[1]).read()
    top, incl, n = collections.Counter(), collections.Counter(), 0
    by_thread = {"main": collections.Counter(), "workers": collections.Counter()}
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
        if not frames:
            continue
        n += 1
        top[frames[0]] += 1
        for f in set(frames):
            incl[f] += 1
        ours = [f for f in frames if f.startswith("d2l4j")]
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        if ours:
            by_thread["main" if thread and thread.group(1) == "main" else "workers"][ours[0]] += 1
    print(f"samples {n}")
    for f, c in top.most_common(15):
        print(f"{100 * c / n:5.1f}% self  {f}")
    print("--- inclusive (d2l4j)")
    for f, c in [(f, c) for f, c in incl.most_common() if f.startswith("d2l4j")][:25]:
        print(f"{100 * c / n:5.1f}% incl  {f}")
    main_n, work_n = sum(by_thread["main"].values()), sum(by_thread["workers"].values())
    print(f"--- by thread (innermost d2l4j frame): main {main_n}, workers {work_n}; main's excess {main_n - work_n}")
    excess = {f: by_thread["main"][f] - by_thread["workers"][f] for f in by_thread["main"]}
    for f, c in sorted(excess.items(), key=lambda e: -e[1])[:10]:
        print(f"{c:5d} excess  {f} (main {by_thread['main'][f]}, workers {by_thread['workers'][f]})")


if __name__ == "__main__":
    main()
