#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs commands side by side and prints wall time and peak memory, with ratios to a baseline.

Usage: measure.py --runs N --baseline NAME -- NAME=COMMAND [NAME=COMMAND ...]
Each COMMAND is run N times through /bin/sh (after one warm-up run); wall time comes from a monotonic
clock and peak memory from the child's rusage (ru_maxrss), so no timing tool is needed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(command, env):
    start = time.perf_counter()
    process = subprocess.Popen(["/bin/sh", "-c", command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"measure: '{command}' exited with {code}")
    return elapsed, usage.ru_maxrss  # kilobytes on Linux


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ)
    results = {}
    for spec in args.commands:
        name, _, command = spec.partition("=")
        run_once(command, env)
        samples = [run_once(command, env) for _ in range(args.runs)]
        results[name] = (statistics.median(s[0] for s in samples), max(s[1] for s in samples))
    base_time, base_rss = results[args.baseline]
    print(f"{'command':<28}{'median ms':>12}{'peak MiB':>11}{'time ratio':>12}{'mem ratio':>11}")
    for name, (elapsed, rss) in results.items():
        print(f"{name:<28}{elapsed * 1000:>12.2f}{rss / 1024:>11.1f}"
              f"{elapsed / base_time:>12.2f}{rss / base_rss:>11.2f}")
    print(f"(ratios against {args.baseline}; {args.runs} runs each, median time, max peak memory)")


if __name__ == "__main__":
    main()
