// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/redact.hpp>
#include <syntask/util/scrubbed_stream.hpp>

#include <catch2/catch_test_macros.hpp>

#include <sstream>

namespace util = syntask::util;

TEST_CASE("util::ScrubbedStream scrubs a secret written in pieces, line by line")
{
  util::Redactor redactor;
  redactor.add_secret("hunter2-token");
  std::ostringstream target;
  {
    util::ScrubbedStream stream(target, redactor);
    stream << "login with hun" << std::flush;
    // A flush writes what is there: a secret cut by it could show, so steps flush at line ends.
    CHECK(target.str() == "login with hun");
    target.str("");
    stream << "token hunter2-"
           << "token accepted\n";
    CHECK(target.str() == "token ******** accepted\n");
    stream << "progress 50% of hunter2-token\r";
    CHECK(target.str() == "token ******** accepted\nprogress 50% of ********\r");
    stream << "left at the end";
  }
  CHECK(target.str() == "token ******** accepted\nprogress 50% of ********\rleft at the end");
}
