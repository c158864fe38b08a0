#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Docker build + push commands measured side by side, in two scenarios (bench/docker.sh runs it).

Usage: docker.py --runs N --stamp FILE -- NAME=COMMAND [NAME=COMMAND ...]   (the first NAME is the baseline)

Each scenario has one warm-up round and N measured rounds; a round runs every command once, in an order
that is reversed every other round, so that the load of a shared machine weighs on all commands alike.
- unchanged: the project as it is: the build comes from the daemon's layer cache and the push finds every
  layer in the registry, so what is left is sending the context and talking to the Engine API;
- one file changed: FILE gets new content before every run (untimed), so the `COPY . /app` layer is built
  anew, compressed by the daemon and uploaded to the registry.
Wall time and peak memory of every run come from measure.run_measured; the table has the median time and
the largest peak of each command, and both as ratios to the baseline.
"""
import argparse
import os
import shlex
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import run_measured  # noqa: E402


def change(stamp):
    with open(stamp, "w") as handle:
        handle.write(f"{time.time_ns()}\n")


def scenario(commands, runs, stamp, env):
    """Returns {name: ([seconds], [peak KiB])} over the measured rounds."""
    results = {name: ([], []) for name, _ in commands}
    for round_number in range(runs + 1):
        order = commands if round_number % 2 == 0 else commands[::-1]
        for name, argv in order:
            if stamp:
                change(stamp)
            elapsed, peak = run_measured(argv, env)
            if round_number > 0:
                results[name][0].append(elapsed)
                results[name][1].append(peak)
    return results


def print_table(title, results, baseline):
    base_time = statistics.median(results[baseline][0])
    base_peak = max(results[baseline][1])
    print(title)
    print(f"{'command':<34}{'median s':>10}{'peak MiB':>10}{'time ratio':>12}{'mem ratio':>11}")
    for name, (times, peaks) in results.items():
        elapsed, peak = statistics.median(times), max(peaks)
        print(f"{name:<34}{elapsed:>10.2f}{peak / 1024:>10.1f}{elapsed / base_time:>12.2f}{peak / base_peak:>11.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stamp", required=True)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    commands = [(name, shlex.split(command)) for name, _, command in (c.partition("=") for c in args.commands)]
    env = dict(os.environ)
    baseline = commands[0][0]
    print_table("unchanged project (layer cache, layers already in the registry):",
                scenario(commands, args.runs, None, env), baseline)
    print_table("one file changed before every run (new layer built and pushed):",
                scenario(commands, args.runs, args.stamp, env), baseline)
    print(f"(ratios against {baseline}; {args.runs} runs each after one warm-up, in alternating order; "
          "median time, largest peak memory)")


if __name__ == "__main__":
    main()
