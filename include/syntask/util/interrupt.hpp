// SPDX-License-Identifier: Apache-2.0
// Ctrl-C (and SIGTERM, SIGHUP) during long work: the work stops at its next check and unwinds, so that
// what it leaves behind (temporary clones, staging folders, containers, multipart uploads) is removed on
// the way out instead of staying where a killed process would leave it.
#pragma once

#include <functional>

namespace syntask::util {

/// While at least one scope exists, SIGINT, SIGTERM and SIGHUP no longer end the process at once. The
/// first one makes interrupt_requested() true and runs the callbacks of the live scopes (newest first)
/// on a thread of its own, under an InterruptShield; the work in progress notices at its next check
/// (HTTP transfers, git fetches, step sequences, the transfer engine) and throws Interrupted. A second
/// signal ends the process at once, as the signal does by default. When the last scope ends, the
/// previous signal handlers come back; the request itself stays (the process is on its way out). A
/// signal that was ignored when the first scope began (nohup, a script's background job) stays ignored.
class InterruptScope {
public:
  InterruptScope();
  explicit InterruptScope(std::function<void()> on_interrupt);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

private:
  unsigned long m_id;
};

/// While it exists, interrupt_requested() is false on this thread: cleanup work (removing a container,
/// aborting a multipart upload) must still be able to talk to its server after an interrupt.
class InterruptShield {
public:
  InterruptShield();
  ~InterruptShield();
  InterruptShield(const InterruptShield&) = delete;
  InterruptShield& operator=(const InterruptShield&) = delete;
};

/// True once a signal arrived while a scope existed, except on a thread inside an InterruptShield.
bool interrupt_requested();

/// Throws Interrupted when interrupt_requested().
void throw_if_interrupted();

/// The signal that made the request (SIGINT, SIGTERM or SIGHUP), 0 when none did.
int interrupt_signal();

/// Forgets a request, so that a test can interrupt again; not for use outside tests.
void reset_interrupt_for_tests();

} // namespace syntask::util
