// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/retry.hpp>

#include <algorithm>
#include <thread>

namespace syntask::util {

Backoff::Backoff(RetryPolicy policy)
    : m_policy(policy), m_delay(std::min(policy.first_delay, policy.max_delay)),
      m_random(std::random_device{}())
{
}

bool Backoff::may_retry(int attempt) const
{
  return attempt < std::max(1, m_policy.attempts);
}

std::chrono::milliseconds Backoff::next_delay()
{
  auto delay = m_delay;
  if (m_policy.jitter && delay.count() > 0) {
    delay = std::chrono::milliseconds(
        std::uniform_int_distribution<std::int64_t>(0, static_cast<std::int64_t>(delay.count()))(m_random));
  }
  m_delay = std::min(m_delay * 2, m_policy.max_delay);
  return delay;
}

void sleep_unless_interrupted(std::chrono::milliseconds delay)
{
  constexpr std::chrono::milliseconds k_slice{100};
  while (delay.count() > 0) {
    throw_if_interrupted();
    const auto step = std::min(delay, k_slice);
    std::this_thread::sleep_for(step);
    delay -= step;
  }
  throw_if_interrupted();
}

bool is_transient_error(const std::exception& error)
{
  const auto* remote = dynamic_cast<const RemoteError*>(&error);
  return remote != nullptr && remote->transient();
}

} // namespace syntask::util
