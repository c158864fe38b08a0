// SPDX-License-Identifier: Apache-2.0
#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include "support/env_scope.hpp"
#include <sstream>

using namespace syntask;
using namespace syntask::ui;
using syntask::test::EnvScope;

namespace {

struct Streams {
  std::ostringstream out;
  std::ostringstream err;
};

} // namespace

TEST_CASE("ui::Output writes plain text when the streams are not terminals")
{
  const EnvScope no_color("NO_COLOR", std::nullopt);
  Streams streams;
  Output output(streams.out, streams.err, false, false, false);
  output.result("deployed 'etl/prod'", Style::green);
  output.info("running step 1");
  output.warn("no pull steps");
  output.error("step failed");
  CHECK(streams.out.str() == "deployed 'etl/prod'\n");
  CHECK(streams.err.str() == "running step 1\n"
                             "syntask: warning: no pull steps\n"
                             "syntask: error: step failed\n");
}

TEST_CASE("ui::Output colours each terminal stream separately")
{
  const EnvScope no_color("NO_COLOR", std::nullopt);
  Streams streams;
  Output output(streams.out, streams.err, false, true, true);
  output.result("done", Style::green);
  output.result("plain");
  output.warn("careful");
  output.error("broken");
  CHECK(streams.out.str() == "\x1b[32mdone\x1b[0m\nplain\n");
  CHECK(streams.err.str() == "\x1b[33msyntask: warning:\x1b[0m careful\n"
                             "\x1b[31msyntask: error:\x1b[0m broken\n");
  CHECK(output.styled("x", Style::bold, false) == "\x1b[1mx\x1b[0m");
  CHECK(output.styled("x", Style::dim, true) == "\x1b[2mx\x1b[0m");
  CHECK(output.styled("x", Style::red, false) == "\x1b[31mx\x1b[0m");
  CHECK(output.styled("x", Style::yellow, false) == "\x1b[33mx\x1b[0m");

  Streams only_err;
  Output err_terminal(only_err.out, only_err.err, false, false, true);
  CHECK(err_terminal.styled("x", Style::red, false) == "x");
  CHECK(err_terminal.styled("x", Style::red, true) == "\x1b[31mx\x1b[0m");
}

TEST_CASE("ui::Output has no colour under NO_COLOR")
{
  const EnvScope no_color("NO_COLOR", std::string("1"));
  Streams streams;
  Output output(streams.out, streams.err, false, true, true);
  output.result("done", Style::green);
  output.error("broken");
  CHECK(streams.out.str() == "done\n");
  CHECK(streams.err.str() == "syntask: error: broken\n");
}

TEST_CASE("ui::Output treats an empty NO_COLOR as unset")
{
  const EnvScope no_color("NO_COLOR", std::string());
  Streams streams;
  Output output(streams.out, streams.err, false, true, true);
  CHECK(output.styled("x", Style::green, false) == "\x1b[32mx\x1b[0m");
}

TEST_CASE("ui::Output scrubs registered secrets from every line")
{
  const EnvScope no_color("NO_COLOR", std::nullopt);
  util::Redactor::global().add_secret("tok-5521-secret");
  Streams streams;
  Output output(streams.out, streams.err, false, true, true);
  output.result("token tok-5521-secret saved");
  output.info("using tok-5521-secret");
  output.warn("tok-5521-secret expires soon");
  output.error("rejected tok-5521-secret at https://user:pw@example.com/x");
  CHECK(streams.out.str() == "token ******** saved\n");
  CHECK(streams.err.str() ==
        "using ********\n"
        "\x1b[33msyntask: warning:\x1b[0m ******** expires soon\n"
        "\x1b[31msyntask: error:\x1b[0m rejected ******** at https://********@example.com/x\n");

  Streams json_streams;
  Output json_output(json_streams.out, json_streams.err, true, false, false);
  json_output.json_result({{"token", "tok-5521-secret"}});
  CHECK(json_streams.out.str() == "{\n  \"token\": \"********\"\n}\n");
}

TEST_CASE("ui::Output under --json keeps stdout for the document alone")
{
  const EnvScope no_color("NO_COLOR", std::nullopt);
  Streams streams;
  Output output(streams.out, streams.err, true, true, true);
  CHECK(output.json());
  output.result("deployed", Style::green);
  output.warn("careful");
  output.program_output() << "pip output\n";
  output.json_result({{"deployments", {"a", "b"}}, {"ok", true}});
  CHECK(streams.out.str() == "{\n"
                             "  \"deployments\": [\n"
                             "    \"a\",\n"
                             "    \"b\"\n"
                             "  ],\n"
                             "  \"ok\": true\n"
                             "}\n");
  // No colour under --json, on either stream.
  CHECK(streams.err.str() == "syntask: warning: careful\npip output\n");
  CHECK(output.styled("x", Style::red, true) == "x");
}

TEST_CASE("ui::Output ignores json_result outside --json and sends programs to stdout")
{
  Streams streams;
  Output output(streams.out, streams.err, false, false, false);
  output.json_result({{"ok", true}});
  output.program_output() << "pip output\n";
  CHECK(streams.out.str() == "pip output\n");
  CHECK(&output.diagnostics() == &streams.err);

  output.set_json(true);
  CHECK(&output.program_output() == &streams.err);
}

TEST_CASE("ui::Output replaces invalid UTF-8 in the JSON document")
{
  Streams streams;
  Output output(streams.out, streams.err, true, false, false);
  output.json_result({{"name", std::string("a\xff")}});
  CHECK(streams.out.str() == "{\n  \"name\": \"a\xef\xbf\xbd\"\n}\n");
}
