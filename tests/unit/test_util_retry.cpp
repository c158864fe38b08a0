// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/retry.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <chrono>
#include <csignal>
#include <vector>

namespace util = syntask::util;
using namespace std::chrono_literals;
using syntask::RemoteError;

namespace {

struct ResetInterrupt {
  ~ResetInterrupt() { util::reset_interrupt_for_tests(); }
};

} // namespace

TEST_CASE("util::Backoff delays double from the first delay and stop at the cap")
{
  util::Backoff backoff({6, 100ms, 500ms, false});
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 5; ++i) {
    delays.push_back(backoff.next_delay());
  }
  CHECK(delays == std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms, 500ms, 500ms});
  CHECK(backoff.may_retry(5));
  CHECK_FALSE(backoff.may_retry(6));
}

TEST_CASE("util::Backoff with jitter waits at most the delay it would wait without")
{
  util::Backoff backoff({20, 64ms, 256ms, true});
  const std::vector<std::chrono::milliseconds> ceilings{64ms, 128ms, 256ms, 256ms, 256ms, 256ms};
  bool varied = false;
  for (const auto ceiling : ceilings) {
    const auto delay = backoff.next_delay();
    CHECK(delay >= 0ms);
    CHECK(delay <= ceiling);
    varied = varied || delay != ceiling;
  }
  CHECK(varied); // six draws all at their ceiling would mean no jitter
}

TEST_CASE("util::with_retries tries a transient failure again until it succeeds")
{
  int calls = 0;
  std::vector<int> told;
  const auto result = util::with_retries(
      {4, 1ms, 2ms, false},
      [&] {
        if (++calls < 3) {
          throw RemoteError("503 from the server", true);
        }
        return 42;
      },
      [&](int attempt, const std::exception& error, std::chrono::milliseconds) {
        CHECK(std::string(error.what()) == "503 from the server");
        told.push_back(attempt);
      });
  CHECK(result == 42);
  CHECK(calls == 3);
  CHECK(told == std::vector<int>{1, 2});
}

TEST_CASE("util::with_retries does not retry a permanent error and gives up after the last attempt")
{
  int calls = 0;
  CHECK_THROWS_WITH(util::with_retries({5, 1ms, 1ms, false},
                                       [&] {
                                         ++calls;
                                         throw RemoteError("403 forbidden", false);
                                       }),
                    "403 forbidden");
  CHECK(calls == 1);

  calls = 0;
  CHECK_THROWS_WITH(util::with_retries({3, 1ms, 1ms, false},
                                       [&] {
                                         ++calls;
                                         throw RemoteError("attempt " + std::to_string(calls), true);
                                       }),
                    "attempt 3");
  CHECK(calls == 3);

  calls = 0;
  const auto never = [](const std::exception&) { return false; };
  CHECK_THROWS_AS(util::with_retries(
                      {3, 1ms, 1ms, false},
                      [&] {
                        ++calls;
                        throw RemoteError("transient, but the predicate says no", true);
                      },
                      {}, never),
                  RemoteError);
  CHECK(calls == 1);
}

TEST_CASE("util::with_retries stops waiting when an interrupt arrives")
{
  const ResetInterrupt reset;
  const util::InterruptScope scope;
  int calls = 0;
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(util::with_retries(
                      {3, 30s, 30s, false},
                      [&] {
                        ++calls;
                        throw RemoteError("connection reset", true);
                      },
                      [](int, const std::exception&, std::chrono::milliseconds) { std::raise(SIGINT); }),
                  syntask::Interrupted);
  CHECK(calls == 1);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}
