// SPDX-License-Identifier: Apache-2.0
// THE retry loop: attempts, a delay that doubles after each failure up to a cap, optional full jitter,
// and waits that an interrupt (util/interrupt.hpp) cuts short. Every place that tries again uses it.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <random>

namespace syntask::util {

/// How often and how patiently an operation is tried.
struct RetryPolicy {
  int attempts = 3;                           ///< tries in all (at least one is made)
  std::chrono::milliseconds first_delay{200}; ///< the wait before the first retry; doubled after each
  std::chrono::milliseconds max_delay{20000}; ///< no wait is longer
  bool jitter = true; ///< full jitter: each wait is drawn uniformly from [0, delay], so that many clients
                      ///< failing together do not come back together
};

/// The waits between the attempts of one operation.
class Backoff {
public:
  explicit Backoff(RetryPolicy policy);
  /// Whether another attempt may follow the failed attempt number `attempt` (1 for the first).
  bool may_retry(int attempt) const;
  /// The wait before the next attempt; each call doubles the delay the next one starts from, up to the
  /// policy's cap.
  std::chrono::milliseconds next_delay();

private:
  RetryPolicy m_policy;
  std::chrono::milliseconds m_delay;
  std::mt19937_64 m_random;
};

/// Sleeps `delay` in short slices; throws syntask::Interrupted as soon as an interrupt is requested.
void sleep_unless_interrupted(std::chrono::milliseconds delay);

/// Whether `error` is a syntask::RemoteError marked transient(): the default test of what is worth
/// another attempt (an interrupt, a usage error or a permanent remote failure is not).
bool is_transient_error(const std::exception& error);

/// Told before each wait: the attempt that failed (1 for the first), its error and how long the wait is.
using RetryNotice = std::function<void(int attempt, const std::exception& error, std::chrono::milliseconds)>;

/// Calls `work()` until it returns, trying again after a wait (see Backoff) when it throws an error that
/// `transient` accepts and attempts remain; `on_retry` (may be empty) is told before each wait. Any
/// other error, or the last attempt's, propagates as thrown.
template <typename Work>
auto with_retries(const RetryPolicy& policy, Work&& work, const RetryNotice& on_retry = {},
                  const std::function<bool(const std::exception&)>& transient = is_transient_error)
{
  Backoff backoff(policy);
  for (int attempt = 1;; ++attempt) {
    try {
      return work();
    } catch (const std::exception& error) {
      if (!backoff.may_retry(attempt) || !transient(error)) {
        throw;
      }
      const auto delay = backoff.next_delay();
      if (on_retry) {
        on_retry(attempt, error, delay);
      }
      sleep_unless_interrupted(delay);
    }
  }
}

} // namespace syntask::util
