#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a git fast-import stream of a repository with a long history: the first commit adds FILES text
files (about 1.5 KiB each, in 50 folders) and flows/hello.py; each later commit rewrites three of them.
Deterministic for given arguments. Usage: git_history.py COMMITS FILES | git fast-import"""
import random
import sys

FLOW = b'''from syntask import flow


@flow
def hello():
    print("hello from a long history")
'''


def blob(out, data):
    out.write(b"data %d\n" % len(data))
    out.write(data)
    out.write(b"\n")


def file_text(rng, index, version):
    words = [b"alpha", b"beta", b"gamma", b"delta", b"flow", b"task", b"data", b"code"]
    body = b" ".join(rng.choice(words) for _ in range(250))
    return b"file %d version %d\n%s\n" % (index, version, body)


def main():
    commits, files = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(42)
    out = sys.stdout.buffer
    paths = [b"data/d%02d/f%05d.txt" % (i % 50, i) for i in range(files)]
    when = 1700000000
    for number in range(commits):
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@syntask.invalid> %d +0000\n" % (when + number * 60))
        blob(out, b"commit %d\n" % number)
        if number == 0:
            out.write(b"M 644 inline flows/hello.py\n")
            blob(out, FLOW)
            for index, path in enumerate(paths):
                out.write(b"M 644 inline " + path + b"\n")
                blob(out, file_text(rng, index, 0))
        else:
            for index in rng.sample(range(files), 3):
                out.write(b"M 644 inline " + paths[index] + b"\n")
                blob(out, file_text(rng, index, number))
        out.write(b"\n")


if __name__ == "__main__":
    main()
