#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs a command in a pseudo-terminal and follows a script of expect/send steps.

Usage: pty_driver.py [--timeout SECONDS] --script FILE -- COMMAND [ARGS...]

Script lines (blank lines and lines starting with '#' are skipped):
  expect <regex>            wait for <regex> in the output after the previous match (ANSI codes removed)
  send <text>               type <text>; escapes: \\r \\n \\t \\e \\\\ \\xHH
  sendline <text>           type <text> and Enter (a carriage return, as a terminal sends it)
  key <name>                up, down, left, right, enter, tab, escape, backspace, ctrl-c, ctrl-d, ctrl-u
  expect-exit <code>        wait for the command to end with <code> (128 + N when killed by signal N)
  secret-not-echoed <text>  fail if <text> appears anywhere in the output so far
  expect-terminal-sane      fail unless the terminal has echo, line editing and signal keys on
  signal <NAME>             send signal NAME (TERM, INT, HUP, ...) to the command
  timeout <seconds>         the wait limit for the following steps (default 10, or --timeout)
  sleep <seconds>           pause, collecting output

On failure the whole transcript is printed and the exit status is 1; a bad command line or script
exits with 2.
"""

import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor movement, colours, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles and the like
    r"|\x1b[()][0-9A-Za-z]"  # character set selection
    r"|\x1b[@-Z\\-_]"  # other two-byte sequences
)

KEYS = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "ctrl-c": b"\x03",
    "ctrl-d": b"\x04",
    "ctrl-u": b"\x15",
}


class StepFailed(Exception):
    pass


def unescape(text):
    """Turns the escapes a script may use into the bytes they stand for."""
    simple = {"r": b"\r", "n": b"\n", "t": b"\t", "e": b"\x1b", "\\": b"\\", "0": b"\x00"}
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\" or i + 1 == len(text):
            out += char.encode()
            i += 1
            continue
        code = text[i + 1]
        if code in simple:
            out += simple[code]
            i += 2
        elif code == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 2 : i + 4]):
            out.append(int(text[i + 2 : i + 4], 16))
            i += 4
        else:
            raise ValueError(f"unknown escape '\\{code}'")
    return bytes(out)


def clean(raw):
    """The output as a reader sees it: ANSI sequences removed, line ends normalised."""
    text = ANSI.sub("", raw.decode("utf-8", "replace"))
    return text.replace("\r\n", "\n").replace("\r", "")


class Session:
    def __init__(self, command, timeout):
        self.timeout = timeout
        self.raw = b""
        self.cursor = 0
        self.status = None
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.pid = os.fork()
        if self.pid == 0:
            self._exec_child(command)
        # The parent keeps the terminal's slave side open so its settings can be read after the
        # command has ended (expect-terminal-sane).

    def _exec_child(self, command):
        try:
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(self.slave, fd)
            os.close(self.master)
            if self.slave > 2:
                os.close(self.slave)
            os.execvp(command[0], command)
        except OSError as error:
            os.write(2, f"pty_driver: cannot run {command[0]}: {error}\n".encode())
        os._exit(127)

    def transcript(self):
        return clean(self.raw)

    def pump(self, seconds):
        """Collects output for up to `seconds`; returns early once something arrived."""
        ready, _, _ = select.select([self.master], [], [], max(seconds, 0))
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.raw += data
        return bool(data)

    def drain(self):
        while self.pump(0.05):
            pass

    def poll_exit(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                code = os.waitstatus_to_exitcode(status)
                self.status = code if code >= 0 else 128 - code
        return self.status

    def send(self, data):
        os.write(self.master, data)

    def expect(self, pattern):
        regex = re.compile(pattern)
        deadline = time.monotonic() + self.timeout
        while True:
            match = regex.search(self.transcript(), self.cursor)
            if match:
                self.cursor = match.end()
                return
            if self.poll_exit() is not None:
                self.drain()
                match = regex.search(self.transcript(), self.cursor)
                if match:
                    self.cursor = match.end()
                    return
                raise StepFailed(f"the command ended (exit {self.status}) before /{pattern}/ appeared")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"/{pattern}/ did not appear within {self.timeout:g} s")
            self.pump(min(remaining, 0.1))

    def expect_exit(self, code):
        deadline = time.monotonic() + self.timeout
        while self.poll_exit() is None:
            if time.monotonic() >= deadline:
                raise StepFailed(f"the command did not end within {self.timeout:g} s")
            self.pump(0.05)
        self.drain()
        if self.status != code:
            raise StepFailed(f"the command ended with exit {self.status}, expected {code}")

    def secret_not_echoed(self, secret):
        self.drain()
        if secret in self.transcript() or secret.encode() in self.raw:
            raise StepFailed(f"'{secret}' appeared in the output")

    def expect_terminal_sane(self):
        self.drain()
        lflag = termios.tcgetattr(self.slave)[3]
        missing = [name for name in ("ECHO", "ICANON", "ISIG") if not lflag & getattr(termios, name)]
        if missing:
            raise StepFailed("the terminal was left without " + ", ".join(missing))

    def close(self):
        if self.poll_exit() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.master)
        os.close(self.slave)


def run_step(session, verb, argument):
    if verb == "expect":
        session.expect(argument)
    elif verb == "send":
        session.send(unescape(argument))
    elif verb == "sendline":
        session.send(unescape(argument) + b"\r")
    elif verb == "key":
        if argument not in KEYS:
            raise ValueError(f"unknown key '{argument}'")
        session.send(KEYS[argument])
    elif verb == "expect-exit":
        session.expect_exit(int(argument))
    elif verb == "secret-not-echoed":
        session.secret_not_echoed(argument)
    elif verb == "expect-terminal-sane":
        session.expect_terminal_sane()
    elif verb == "signal":
        os.kill(session.pid, getattr(signal, "SIG" + argument))
    elif verb == "timeout":
        session.timeout = float(argument)
    elif verb == "sleep":
        deadline = time.monotonic() + float(argument)
        while time.monotonic() < deadline:
            session.pump(deadline - time.monotonic())
    else:
        raise ValueError(f"unknown step '{verb}'")


VERBS = {
    "expect",
    "send",
    "sendline",
    "key",
    "expect-exit",
    "secret-not-echoed",
    "expect-terminal-sane",
    "signal",
    "timeout",
    "sleep",
}


def read_script(path):
    """The script's steps as (line number, verb, argument); a malformed step raises ValueError."""
    steps = []
    with open(path, encoding="utf-8") as script:
        for number, line in enumerate(script, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            verb, _, argument = line.lstrip().partition(" ")
            if verb not in VERBS:
                raise ValueError(f"{path}:{number}: unknown step '{verb}'")
            if verb == "key" and argument not in KEYS:
                raise ValueError(f"{path}:{number}: unknown key '{argument}'")
            if verb == "signal" and not isinstance(getattr(signal, "SIG" + argument, None), signal.Signals):
                raise ValueError(f"{path}:{number}: unknown signal '{argument}'")
            steps.append((number, verb, argument))
    return steps


def parse_arguments(argv):
    if "--" not in argv:
        raise ValueError("missing '--' before the command")
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    script, timeout = None, 10.0
    i = 0
    while i < len(options):
        if options[i] == "--script" and i + 1 < len(options):
            script = options[i + 1]
        elif options[i] == "--timeout" and i + 1 < len(options):
            timeout = float(options[i + 1])
        else:
            raise ValueError(f"unknown option '{options[i]}'")
        i += 2
    if script is None or not command:
        raise ValueError("need --script FILE and a command")
    return script, timeout, command


def main(argv):
    try:
        script, timeout, command = parse_arguments(argv)
        steps = read_script(script)
    except (ValueError, OSError) as error:
        print(f"pty_driver: {error}\nusage: pty_driver.py [--timeout S] --script FILE -- COMMAND...", file=sys.stderr)
        return 2
    session = Session(command, timeout)
    try:
        for number, verb, argument in steps:
            try:
                run_step(session, verb, argument)
            except (StepFailed, ValueError) as error:
                session.drain()
                print(f"pty_driver: {script}:{number}: {verb} {argument}: {error}", file=sys.stderr)
                print("----- transcript -----", file=sys.stderr)
                print(session.transcript(), file=sys.stderr)
                print("----- end of transcript -----", file=sys.stderr)
                return 1
    finally:
        session.close()
    print(f"pty_driver: {script}: {len(steps)} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
