// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/process.hpp>

#include <catch2/catch_test_macros.hpp>

#include "support/local_server.hpp"
#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

namespace util = syntask::util;
using namespace std::chrono_literals;

namespace {

// Waits (at most 5 s) until the interrupt thread has run, as seen through a flag its callback sets.
bool wait_for(const std::atomic<bool>& flag)
{
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!flag && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  return flag;
}

// Sends `signal_number` to this process after `delay`, from a thread of its own.
std::thread signal_later(int signal_number, std::chrono::milliseconds delay)
{
  return std::thread([signal_number, delay] {
    std::this_thread::sleep_for(delay);
    ::kill(::getpid(), signal_number);
  });
}

struct ResetInterrupt {
  ~ResetInterrupt() { util::reset_interrupt_for_tests(); }
};

} // namespace

TEST_CASE("util::InterruptScope turns a signal into a request and runs the callbacks newest first")
{
  const ResetInterrupt reset;
  std::vector<std::string> order;
  std::atomic<bool> done{false};
  struct sigaction before {};
  ::sigaction(SIGTERM, nullptr, &before);
  {
    const util::InterruptScope outer([&] {
      order.push_back("outer");
      done = true;
    });
    const util::InterruptScope inner([&] { order.push_back("inner"); });
    CHECK_FALSE(util::interrupt_requested());
    CHECK_NOTHROW(util::throw_if_interrupted());
    ::kill(::getpid(), SIGTERM);
    REQUIRE(wait_for(done));
    CHECK(order == std::vector<std::string>{"inner", "outer"});
    CHECK(util::interrupt_requested());
    CHECK(util::interrupt_signal() == SIGTERM);
    CHECK_THROWS_AS(util::throw_if_interrupted(), syntask::Interrupted);
    {
      const util::InterruptShield shield;
      CHECK_FALSE(util::interrupt_requested());
    }
    CHECK(util::interrupt_requested());
  }
  // The scopes are gone: the handler from before them is back.
  struct sigaction after {};
  ::sigaction(SIGTERM, nullptr, &after);
  CHECK(after.sa_handler == before.sa_handler);
}

TEST_CASE("util::InterruptScope lets a scope that ended run no callback")
{
  const ResetInterrupt reset;
  std::atomic<bool> ended_ran{false};
  std::atomic<bool> live_ran{false};
  const util::InterruptScope live([&] { live_ran = true; });
  {
    const util::InterruptScope ended([&] { ended_ran = true; });
  }
  ::kill(::getpid(), SIGINT);
  REQUIRE(wait_for(live_ran));
  CHECK_FALSE(ended_ran);
}

TEST_CASE("util::run_process passes an interrupt on to its child and then reports it")
{
  const ResetInterrupt reset;
  util::ProcessOptions options;
  options.environment = util::current_environment();
  const auto started = std::chrono::steady_clock::now();
  auto signaller = signal_later(SIGTERM, 300ms);
  CHECK_THROWS_AS(util::run_process({"sleep", "20"}, options), syntask::Interrupted);
  signaller.join();
  // The child ended on the forwarded signal instead of sleeping on.
  CHECK(std::chrono::steady_clock::now() - started < 10s);
}

TEST_CASE("http::Client stops a stalled transfer on an interrupt without retrying it")
{
  const ResetInterrupt reset;
  syntask::test::LocalServer server({"python3", syntask::test::support_file("http_test_server.py")});
  syntask::http::Client client;
  syntask::http::Request request;
  request.url = server.url() + "/stall/30";
  const util::InterruptScope scope;
  const auto started = std::chrono::steady_clock::now();
  auto signaller = signal_later(SIGINT, 300ms);
  CHECK_THROWS_AS(client.send(request), syntask::Interrupted);
  signaller.join();
  // curl checks at least once a second while the body stalls.
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}
