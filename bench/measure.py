#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs commands side by side and prints wall time and peak memory, with ratios to a baseline.

Usage: measure.py --runs N --baseline NAME [--setup NAME=COMMAND ...] [--interleave] [--cpu] -- NAME=COMMAND ...
Each COMMAND is split like a shell would and run N times after one warm-up run (with --interleave in
rounds that run every command once, so that changing load falls on all alike); wall time comes from a
monotonic clock around each run. A --setup command for NAME runs (through /bin/sh, untimed) before every
run of NAME, e.g. to remove the directory a clone writes. Peak memory comes from GNU time (/usr/bin/time -f %M) over the same runs:
a child forked from this Python process would count the interpreter's own pages in its ru_maxrss.
With --cpu it also prints each command's median CPU time (user + system, from the child's rusage over the
timed runs), which a loaded machine inflates much less than wall time.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(command, env, setup=None):
    """Runs command once; returns (wall seconds, CPU seconds of the child)."""
    if setup:
        subprocess.run(setup, shell=True, check=True, env=env)
    start = time.perf_counter()
    child = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"measure: '{command}' exited with {code}")
    return elapsed, usage.ru_utime + usage.ru_stime


def peak_kib(command, env, setup=None):
    if setup:
        subprocess.run(setup, shell=True, check=True, env=env)
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *shlex.split(command)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env, check=True)
    return int(result.stderr.strip().splitlines()[-1])


def run_measured(argv, env, cwd=None):
    """Runs argv once under GNU time; returns (seconds, peak KiB). Fails the bench when it fails."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"measure: '{shlex.join(argv)}' exited with {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed, int(result.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--setup", action="append", default=[])
    parser.add_argument("--interleave", action="store_true",
                        help="time the commands in rounds (each once per round, in the order given) instead of "
                             "all runs of one command after another, so that load changing during the "
                             "benchmark falls on every command alike")
    parser.add_argument("--cpu", action="store_true", help="also print the median CPU time of each command")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ)
    setups = dict(spec.partition("=")[::2] for spec in args.setup)
    specs = [spec.partition("=")[::2] for spec in args.commands]
    times = {name: [] for name, _ in specs}
    if args.interleave:
        for _ in range(args.runs + 1):  # the first round warms up and is not counted
            for name, command in specs:
                times[name].append(run_once(command, env, setups.get(name)))
        times = {name: values[1:] for name, values in times.items()}
    else:
        for name, command in specs:
            run_once(command, env, setups.get(name))
            times[name] = [run_once(command, env, setups.get(name)) for _ in range(args.runs)]
    results = {}
    for name, command in specs:
        memory = max(peak_kib(command, env, setups.get(name)) for _ in range(min(args.runs, 5)))
        results[name] = (statistics.median(wall for wall, _ in times[name]), memory,
                         statistics.median(cpu for _, cpu in times[name]))
    base_time, base_rss, base_cpu = results[args.baseline]
    cpu_header = f"{'median cpu ms':>15}{'cpu ratio':>11}" if args.cpu else ""
    print(f"{'command':<34}{'median ms':>12}{'peak MiB':>11}{'time ratio':>12}{'mem ratio':>11}{cpu_header}")
    for name, (elapsed, rss, cpu) in results.items():
        cpu_columns = f"{cpu * 1000:>15.2f}{cpu / base_cpu:>11.2f}" if args.cpu else ""
        print(f"{name:<34}{elapsed * 1000:>12.2f}{rss / 1024:>11.1f}"
              f"{elapsed / base_time:>12.2f}{rss / base_rss:>11.2f}{cpu_columns}")
    order = "in interleaved rounds" if args.interleave else "each"
    print(f"(ratios against {args.baseline}; {args.runs} runs {order}, median time, max peak memory)")


if __name__ == "__main__":
    main()
