// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "prompt/arrow_menu.hpp"
#include <sstream>

using namespace syntask;
using namespace syntask::prompt::detail;

namespace {

const std::vector<std::string> k_pools{"process-pool", "docker-pool", "k8s-pool"};

} // namespace

TEST_CASE("prompt::run_arrow_menu draws, redraws in place and prints the choice")
{
  std::istringstream in("\x1b[B\r");
  std::ostringstream out;
  CHECK(run_arrow_menu(in, out, "Work pool", k_pools, 0, {}) == 1);
  CHECK(out.str() == "\x1b[?25l"
                     "? Work pool (arrow keys to move, enter to select)\n"
                     "\r\x1b[2K> process-pool\n"
                     "\r\x1b[2K  docker-pool\n"
                     "\r\x1b[2K  k8s-pool\n"
                     "\x1b[3A"
                     "\r\x1b[2K  process-pool\n"
                     "\r\x1b[2K> docker-pool\n"
                     "\r\x1b[2K  k8s-pool\n"
                     "\x1b[4A\r\x1b[J"
                     "? Work pool docker-pool\n"
                     "\x1b[?25h");
}

TEST_CASE("prompt::run_arrow_menu moves with k/j, wraps around and starts at the fallback")
{
  std::ostringstream out;
  std::istringstream wrap_up("\x1b[A\r");
  CHECK(run_arrow_menu(wrap_up, out, "Q", k_pools, 0, {}) == 2);
  std::istringstream wrap_down("j\r");
  CHECK(run_arrow_menu(wrap_down, out, "Q", k_pools, 2, {}) == 0);
  std::istringstream letters("jjkxk\n");
  CHECK(run_arrow_menu(letters, out, "Q", k_pools, 0, {}) == 0);
  std::istringstream out_of_range("\r");
  CHECK(run_arrow_menu(out_of_range, out, "Q", k_pools, 7, {}) == 2);
}

TEST_CASE("prompt::run_arrow_menu shows a window of options on a short terminal")
{
  std::istringstream in("\x1b[B\x1b[B\r");
  std::ostringstream out;
  CHECK(run_arrow_menu(in, out, "Q", k_pools, 0, {4, 80}) == 2);
  CHECK(out.str() == "\x1b[?25l"
                     "? Q (arrow keys to move, enter to select)\n"
                     "\r\x1b[2K> process-pool\n"
                     "\r\x1b[2K  docker-pool\n"
                     "\x1b[2A"
                     "\r\x1b[2K  process-pool\n"
                     "\r\x1b[2K> docker-pool\n"
                     "\x1b[2A"
                     "\r\x1b[2K  docker-pool\n"
                     "\r\x1b[2K> k8s-pool\n"
                     "\x1b[3A\r\x1b[J"
                     "? Q k8s-pool\n"
                     "\x1b[?25h");
}

TEST_CASE("prompt::run_arrow_menu cuts options wider than the terminal")
{
  std::istringstream in("\r");
  std::ostringstream out;
  CHECK(run_arrow_menu(in, out, "Q", {"abcdefghijklmnopqrstuvwxyz"}, 0, {24, 13}) == 0);
  CHECK(out.str().find("> abcdefghi~\n") != std::string::npos);
  CHECK(out.str().find("? Q abcdefghijklmnopqrstuvwxyz\n") != std::string::npos);
}

TEST_CASE("prompt::run_arrow_menu throws Interrupted on Ctrl-C and shows the cursor again")
{
  std::istringstream in("\x1b[B\x03");
  std::ostringstream out;
  CHECK_THROWS_AS(run_arrow_menu(in, out, "Q", k_pools, 0, {}), Interrupted);
  CHECK(out.str().ends_with("\x1b[?25h"));
}

TEST_CASE("prompt::run_arrow_menu returns nothing when input ends")
{
  std::istringstream in("\x1b[B");
  std::ostringstream out;
  CHECK(run_arrow_menu(in, out, "Q", k_pools, 0, {}) == std::nullopt);
  CHECK(out.str().ends_with("\x1b[?25h"));
}
