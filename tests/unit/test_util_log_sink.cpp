// SPDX-License-Identifier: Apache-2.0
#include <syntask/util/log_sink.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

using syntask::util::Redactor;
using syntask::util::ScrubbingLogSink;

TEST_CASE("util::ScrubbingLogSink writes log lines with secrets and URL user-info masked")
{
  Redactor redactor;
  redactor.add_secret("resolved-s3cret");
  std::ostringstream written;
  spdlog::logger logger("test", std::make_shared<ScrubbingLogSink>(written, redactor));
  logger.set_pattern("%l %v");
  logger.set_level(spdlog::level::debug);
  logger.debug("GET https://x-access-token:ghp_abcdef@127.0.0.1/r.git/info/refs");
  logger.debug("value {}", "resolved-s3cret");
  logger.flush();
  CHECK(written.str() == "debug GET https://********@127.0.0.1/r.git/info/refs\ndebug value ********\n");
}
