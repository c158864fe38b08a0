#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Object storage push and pull: syntask beside rclone and aws-cli on the same local servers, one run.

Usage: storage.py --syntask BIN --servers DIR [--work DIR] [--skip-memory] [--runs N]
Needs the s3 and azure test servers running (their s3.env / azure.env in DIR), rclone, /usr/bin/aws and
GNU time. bench/storage.sh sets all of that up. Each scenario runs for every tool back to back. The
nothing-changed re-push runs N rounds (default 3) of every tool in turn and reports each tool's median; the
other scenarios run once (they change remote state or take long). Wall time and peak memory come from
measure.run_measured. Ratios are against the best peer of each scenario; the targets of issue 5 are checked at the end.
"""
import argparse
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import run_measured  # noqa: E402

KIB = 1024
MIB = 1024 * KIB
FLOW = """import syntask


@syntask.flow(name="bench")
def bench():
    print("bench")
"""


def load_env(path):
    values = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("export ") and "=" in line:
                name, _, value = line[len("export "):].partition("=")
                values[name] = shlex.split(value)[0] if value else ""
    return values


def write_random(path, size, rng):
    with open(path, "wb") as handle:
        left = size
        while left > 0:
            chunk = min(left, 4 * MIB)
            handle.write(rng.randbytes(chunk))
            left -= chunk


def make_tree(root, rng):
    """2,000 files of 4 KiB in 40 folders, 4 files of 64 MiB, and the flow syntask deploys."""
    for folder in range(40):
        os.makedirs(os.path.join(root, f"dir{folder:02}"))
        for index in range(50):
            write_random(os.path.join(root, f"dir{folder:02}", f"file{index:03}.bin"), 4 * KIB, rng)
    os.makedirs(os.path.join(root, "large"))
    for index in range(4):
        write_random(os.path.join(root, "large", f"blob{index}.bin"), 64 * MIB, rng)
    add_flow(root)


def add_flow(root):
    os.makedirs(os.path.join(root, "flows"), exist_ok=True)
    with open(os.path.join(root, "flows", "bench.py"), "w") as handle:
        handle.write(FLOW)


def change_files(root, count, rng):
    for index in range(count):
        write_random(os.path.join(root, f"dir{index % 40:02}", f"file{index // 40:03}.bin"), 4 * KIB, rng)


class Syntask:
    """Pushes with `syntask deploy` (a push step and its pull step) and pulls with `syntask pull`."""

    def __init__(self, binary, service, env, work):
        self.binary, self.service, self.env, self.work = binary, service, dict(env), work
        self.env["SYNTASK_HOME"] = os.path.join(work, "syntask-home")
        self.env["NO_COLOR"] = "1"
        self.deployments = 0

    def write_project(self, source, container, folder):
        if self.service == "s3":
            step, place, extra = "syntask_aws.deployments.steps.{}_s3", "bucket", (
                "    client_parameters:\n      endpoint_url: " + self.env["SYNTASK_S3_ENDPOINT"] + "\n")
        else:
            step, place, extra = "syntask_azure.deployments.steps.{}_azure_blob_storage", "container", ""
        with open(os.path.join(source, "syntask.yaml"), "w") as handle:
            handle.write(f"name: bench\npush:\n- {step.format('push_to')}:\n    id: push_code\n"
                         f"    {place}: {container}\n    folder: {folder}\n{extra}"
                         f"pull:\n- {step.format('pull_from')}:\n    {place}: << push_code.{place} >>\n"
                         f"    folder: << push_code.folder >>\n{extra}")

    def push(self, source, container, folder):
        self.write_project(source, container, folder)
        self.deployments += 1
        self.last = f"bench-{self.deployments}"
        return run_measured([self.binary, "deploy", "flows/bench.py:bench", "--name", self.last, "--no-prompt"],
                            self.env, cwd=source)

    def pull(self, container, folder, target):
        os.makedirs(target)
        return run_measured([self.binary, "pull", f"bench/{self.last}", "--dir", target], self.env)


class Rclone:
    def __init__(self, remote, env, flags=()):
        self.remote, self.env, self.flags = remote, env, list(flags)

    def push(self, source, container, folder):
        return run_measured(["rclone", "copy", *self.flags, source, f"{self.remote}:{container}/{folder}"],
                            self.env)

    def pull(self, container, folder, target):
        return run_measured(["rclone", "copy", *self.flags, f"{self.remote}:{container}/{folder}", target],
                            self.env)


class AwsCli:
    def __init__(self, endpoint, env):
        self.endpoint, self.env = endpoint, env

    def push(self, source, container, folder):
        return run_measured(["/usr/bin/aws", "--endpoint-url", self.endpoint, "s3", "sync", "--only-show-errors",
                             source, f"s3://{container}/{folder}"], self.env)

    def pull(self, container, folder, target):
        return run_measured(["/usr/bin/aws", "--endpoint-url", self.endpoint, "s3", "sync", "--only-show-errors",
                             f"s3://{container}/{folder}", target], self.env)


def median_run(runs):
    """The median wall time of (seconds, KiB) runs, with the largest peak memory among them."""
    return statistics.median(seconds for seconds, _ in runs), max(kib for _, kib in runs)


def scenarios(tools, data, container, work, rng, runs):
    """Cold push, re-push unchanged, re-push after 20 changed files, cold pull; one row per tool.

    Each scenario runs for every tool back to back, so a shared machine's drifting load weighs on all of
    them alike. The nothing-changed re-push leaves the remote side as it was and takes seconds, so it runs
    `runs` rounds of every tool in turn (a burst of load then hits one run of each, not all runs of one)
    and reports each tool's median; the others run once."""
    sources, folders = {}, {}
    for name in tools:
        sources[name] = os.path.join(work, "src-" + name.replace(" ", "_"))
        folders[name] = "bench-" + name.replace(" ", "-")
        shutil.copytree(data, sources[name])
    rows = {name: {} for name in tools}
    for name, tool in tools.items():
        rows[name]["cold push"] = tool.push(sources[name], container, folders[name])
    unchanged = {name: [] for name in tools}
    for _ in range(runs):
        for name, tool in tools.items():
            unchanged[name].append(tool.push(sources[name], container, folders[name]))
    for name in tools:
        rows[name]["re-push, nothing changed"] = median_run(unchanged[name])
    for name, tool in tools.items():
        change_files(sources[name], 20, rng)
        rows[name]["re-push, 20 changed"] = tool.push(sources[name], container, folders[name])
    for name, tool in tools.items():
        target = os.path.join(work, "pull-" + name.replace(" ", "_"))
        rows[name]["cold pull"] = tool.pull(container, folders[name], target)
        shutil.rmtree(target)
    for source in sources.values():
        shutil.rmtree(source)
    return rows


def report(title, rows):
    print(f"\n{title}")
    columns = list(next(iter(rows.values())).keys())
    for column in columns:
        peers = [values[column][0] for name, values in rows.items() if not name.startswith("syntask")]
        best = min(peers) if peers else None
        print(f"  {column}")
        for name, values in rows.items():
            seconds, kib = values[column]
            ratio = f"{seconds / best:6.2f}x best peer" if best else ""
            print(f"    {name:<28}{seconds:9.2f} s{kib / 1024:9.1f} MiB  {ratio}")


def check_targets(title, rows):
    """Prints issue 5's targets for syntask's row: met or missed, with the ratio."""
    if "syntask" not in rows:
        return
    mine = rows["syntask"]
    peers = {name: values for name, values in rows.items() if not name.startswith("syntask")}
    print(f"  targets ({title})")

    def line(what, ratio, limit):
        verdict = "met" if ratio <= limit else "MISSED"
        print(f"    {what:<58}{ratio:6.2f}x (at most {limit:.2f}x) {verdict}")

    for column in ("cold push", "cold pull"):
        if column in mine and peers:
            best_name = min(peers, key=lambda name: peers[name][column][0])
            line(f"{column} vs best peer ({best_name})", mine[column][0] / peers[best_name][column][0], 1.0)
    checksum = peers.get("rclone copy --checksum")
    if checksum and "re-push, nothing changed" in mine:
        line("re-push, nothing changed vs rclone copy --checksum",
             mine["re-push, nothing changed"][0] / checksum["re-push, nothing changed"][0], 1 / 3)
    for column in ("push 1 GiB", "pull 1 GiB"):
        if column in mine:
            mib = mine[column][1] / 1024
            verdict = "met" if mib < 64 else "MISSED"
            print(f"    {column + ' peak memory':<58}{mib:6.1f} MiB (under 64 MiB) {verdict}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--syntask", required=True)
    parser.add_argument("--servers", required=True)
    parser.add_argument("--work")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the nothing-changed re-push (the median is reported)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="syntask-bench-", dir=args.work)
    rng = random.Random(20261123)
    bucket, rclone_env = None, None
    try:
        s3 = load_env(os.path.join(args.servers, "s3.env"))
        azure = load_env(os.path.join(args.servers, "azure.env"))
        base = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}
        aws_env = dict(base, AWS_ACCESS_KEY_ID=s3["SYNTASK_S3_ACCESS_KEY"],
                       AWS_SECRET_ACCESS_KEY=s3["SYNTASK_S3_SECRET_KEY"], AWS_REGION=s3["SYNTASK_S3_REGION"],
                       AWS_DEFAULT_REGION=s3["SYNTASK_S3_REGION"], SYNTASK_S3_ENDPOINT=s3["SYNTASK_S3_ENDPOINT"])
        # syntask keeps the machine's AWS_CA_BUNDLE (the endpoint is plain http, so it is unused).
        syntask_s3_env = dict(os.environ, **{k: v for k, v in aws_env.items() if k.startswith(("AWS_", "SYNTASK_"))})
        rclone_env = dict(aws_env, RCLONE_CONFIG_S3R_TYPE="s3", RCLONE_CONFIG_S3R_PROVIDER="Other",
                          RCLONE_CONFIG_S3R_ACCESS_KEY_ID=s3["SYNTASK_S3_ACCESS_KEY"],
                          RCLONE_CONFIG_S3R_SECRET_ACCESS_KEY=s3["SYNTASK_S3_SECRET_KEY"],
                          RCLONE_CONFIG_S3R_ENDPOINT=s3["SYNTASK_S3_ENDPOINT"],
                          RCLONE_CONFIG_S3R_REGION=s3["SYNTASK_S3_REGION"],
                          RCLONE_CONFIG_S3R_FORCE_PATH_STYLE="true",
                          # With an account and key, rclone's azureblob `endpoint` is a host suffix
                          # (https://ACCOUNT.ENDPOINT); in emulator mode (azurite's development account) it
                          # is the whole service URL, which is what a path-style azurite address needs.
                          RCLONE_CONFIG_AZ_TYPE="azureblob", RCLONE_CONFIG_AZ_USE_EMULATOR="true",
                          RCLONE_CONFIG_AZ_ENDPOINT=azure["SYNTASK_AZURE_ENDPOINT"])
        syntask_azure_env = dict(os.environ,
                                 AZURE_STORAGE_CONNECTION_STRING=azure["SYNTASK_AZURE_CONNECTION_STRING"])

        data = os.path.join(work, "data")
        make_tree(data, rng)
        bucket = f"bench{os.getpid()}"
        run_measured(["rclone", "mkdir", f"s3r:{bucket}"], rclone_env)
        run_measured(["rclone", "mkdir", f"az:{bucket}"], rclone_env)

        s3_tools = {
            "syntask": Syntask(args.syntask, "s3", syntask_s3_env, work),
            "rclone copy": Rclone("s3r", rclone_env),
            "rclone copy --transfers 16": Rclone("s3r", rclone_env, ["--transfers", "16"]),
            "rclone copy --checksum": Rclone("s3r", rclone_env, ["--checksum", "--transfers", "16"]),
            "aws s3 sync": AwsCli(s3["SYNTASK_S3_ENDPOINT"], aws_env),
        }
        title = "S3 (s3rver), 2,000 x 4 KiB + 4 x 64 MiB"
        rows = scenarios(s3_tools, data, bucket, work, rng, args.runs)
        report(title, rows)
        check_targets("S3", rows)
        azure_tools = {
            "syntask": Syntask(args.syntask, "azure", syntask_azure_env, work),
            "rclone copy": Rclone("az", rclone_env),
            "rclone copy --transfers 16": Rclone("az", rclone_env, ["--transfers", "16"]),
        }
        rows = scenarios(azure_tools, data, bucket, work, rng, args.runs)
        report("Azure Blob (azurite), 2,000 x 4 KiB + 4 x 64 MiB", rows)
        check_targets("Azure", rows)
        shutil.rmtree(data)

        if not args.skip_memory:
            big = os.path.join(work, "big")
            os.makedirs(big)
            write_random(os.path.join(big, "one.bin"), 1024 * MIB, rng)
            add_flow(big)
            rows = {}
            for name, tool in s3_tools.items():
                # One peer is enough beside syntask: the figure that matters is syntask's own peak.
                if name not in ("syntask", "rclone copy"):
                    continue
                folder = "big-" + name.replace(" ", "-")
                pushed = tool.push(big, bucket, folder)
                target = os.path.join(work, "big-pull")
                pulled = tool.pull(bucket, folder, target)
                shutil.rmtree(target)
                rows[name] = {"push 1 GiB": pushed, "pull 1 GiB": pulled}
            report("Peak memory, one 1 GiB file on S3 (target: syntask under 64 MiB)", rows)
            check_targets("memory", rows)
    finally:
        # The servers outlive the run: leave no bench bucket behind on them.
        if bucket:
            for remote in ("s3r", "az"):
                subprocess.run(["rclone", "purge", f"{remote}:{bucket}"], env=rclone_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
