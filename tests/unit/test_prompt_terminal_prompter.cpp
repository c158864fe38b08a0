// SPDX-License-Identifier: Apache-2.0
#include <syntask/prompt/prompter.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

#include <functional>
#include <sstream>

using namespace syntask;
using namespace syntask::prompt;

namespace {

// Feeds `input` to a terminal prompter that is not on a terminal and records what it writes.
struct Session {
  explicit Session(const std::string& input) : in(input), prompter(make_terminal_prompter(in, out)) {}
  std::istringstream in;
  std::ostringstream out;
  std::unique_ptr<Prompter> prompter;
};

std::string usage_message(const std::function<void()>& ask)
{
  try {
    ask();
  } catch (const UsageError& error) {
    return error.what();
  }
  return "(no UsageError)";
}

} // namespace

TEST_CASE("prompt::TerminalPrompter is interactive")
{
  Session session("");
  CHECK(session.prompter->interactive());
}

TEST_CASE("prompt::TerminalPrompter confirm shows the default and accepts y/yes/n/no in any case")
{
  Session yes("YES\n");
  CHECK(yes.prompter->confirm("Continue?", false, "--yes"));
  CHECK(yes.out.str() == "? Continue? [y/n] (n): ");

  Session no("n\n");
  CHECK_FALSE(no.prompter->confirm("Continue?", true, "--yes"));
  CHECK(no.out.str() == "? Continue? [y/n] (y): ");

  Session short_yes(" Y \n");
  CHECK(short_yes.prompter->confirm("Continue?", std::nullopt, "--yes"));
  CHECK(short_yes.out.str() == "? Continue? [y/n]: ");

  Session long_no("No\n");
  CHECK_FALSE(long_no.prompter->confirm("Continue?", std::nullopt, "--yes"));
}

TEST_CASE("prompt::TerminalPrompter confirm takes the default on an empty line")
{
  Session session("\n\r\n");
  CHECK(session.prompter->confirm("Continue?", true, "--yes"));
  CHECK_FALSE(session.prompter->confirm("Continue?", false, "--yes"));
}

TEST_CASE("prompt::TerminalPrompter confirm asks again on anything else")
{
  Session session("maybe\n\ny\n");
  CHECK(session.prompter->confirm("Save the file?", std::nullopt, "--save"));
  CHECK(session.out.str() == "? Save the file? [y/n]: "
                             "  please answer y or n\n"
                             "? Save the file? [y/n]: "
                             "  please answer y or n\n"
                             "? Save the file? [y/n]: ");
}

TEST_CASE("prompt::TerminalPrompter text shows the default and takes it on an empty line")
{
  Session session("\nmy-flow  \n");
  CHECK(session.prompter->text("Deployment name", std::string("default"), "--name") == "default");
  CHECK(session.prompter->text("Deployment name", std::string("default"), "--name") == "my-flow");
  CHECK(session.out.str() == "? Deployment name (default): ? Deployment name (default): ");
}

TEST_CASE("prompt::TerminalPrompter text without a default asks again on an empty line")
{
  Session session("\n  \nvalue\n");
  CHECK(session.prompter->text("Name:", std::nullopt, "--name") == "value");
  CHECK(session.out.str() == "? Name: "
                             "  an answer is required\n"
                             "? Name: "
                             "  an answer is required\n"
                             "? Name: ");
}

TEST_CASE("prompt::TerminalPrompter text with an empty default accepts an empty answer")
{
  Session session("\n");
  CHECK(session.prompter->text("Description", std::string(), "--description").empty());
  CHECK(session.out.str() == "? Description: ");
}

TEST_CASE("prompt::TerminalPrompter text hides a registered secret shown as the default")
{
  util::Redactor::global().add_secret("default-token-7781");
  Session session("\n");
  CHECK(session.prompter->text("Token", std::string("default-token-7781"), "--token") ==
        "default-token-7781");
  CHECK(session.out.str() == "? Token (********): ");
}

TEST_CASE("prompt::TerminalPrompter secret reads a line off a non-terminal and asks again when empty")
{
  Session session("\n s3cret \n");
  CHECK(session.prompter->secret("Access token", "--token") == " s3cret ");
  CHECK(session.out.str() == "? Access token: "
                             "  an answer is required\n"
                             "? Access token: ");
}

TEST_CASE("prompt::TerminalPrompter choose off a terminal takes a number or the option text")
{
  const std::vector<std::string> pools{"process-pool", "docker-pool", "k8s-pool"};

  Session by_number("3\n");
  CHECK(by_number.prompter->choose("Work pool", pools, 0, "--pool") == 2);
  CHECK(by_number.out.str() == "? Work pool\n"
                               "  1. process-pool\n"
                               "  2. docker-pool\n"
                               "  3. k8s-pool\n"
                               "  Enter a number [1-3] (1): ");

  Session by_text("docker-pool\n");
  CHECK(by_text.prompter->choose("Work pool", pools, 0, "--pool") == 1);

  Session by_default("\n");
  CHECK(by_default.prompter->choose("Work pool", pools, 2, "--pool") == 2);
}

TEST_CASE("prompt::TerminalPrompter choose asks again on a bad answer")
{
  const std::vector<std::string> pools{"a", "b"};
  Session session("0\n3\nc\n\n2\n");
  CHECK(session.prompter->choose("Pick", pools, k_no_fallback, "--pick") == 1);
  CHECK(session.out.str() == "? Pick\n"
                             "  1. a\n"
                             "  2. b\n"
                             "  Enter a number [1-2]: "
                             "  please enter a number from 1 to 2 or one of the options\n"
                             "  Enter a number [1-2]: "
                             "  please enter a number from 1 to 2 or one of the options\n"
                             "  Enter a number [1-2]: "
                             "  please enter a number from 1 to 2 or one of the options\n"
                             "  Enter a number [1-2]: "
                             "  please enter a number from 1 to 2 or one of the options\n"
                             "  Enter a number [1-2]: ");
}

TEST_CASE("prompt::TerminalPrompter choose with no options is a programming error")
{
  Session session("1\n");
  CHECK_THROWS_AS(session.prompter->choose("Pick", {}, 0, "--pick"), std::invalid_argument);
}

TEST_CASE("prompt::TerminalPrompter names the flag when input ends")
{
  Session confirm_session("");
  CHECK(usage_message([&] { confirm_session.prompter->confirm("Continue?", true, "--yes"); }) ==
        "no answer for 'Continue' (input ended); pass --yes");

  Session text_session("\n");
  CHECK(usage_message([&] { text_session.prompter->text("Deployment name:", std::nullopt, "--name"); }) ==
        "no answer for 'Deployment name' (input ended); pass --name");

  Session secret_session("");
  CHECK(usage_message([&] { secret_session.prompter->secret("Access token", "--token"); }) ==
        "no answer for 'Access token' (input ended); pass --token");

  Session choose_session("9\n");
  CHECK(usage_message([&] {
          choose_session.prompter->choose("Work pool", {"a", "b"}, 0, "--pool");
        }) == "no answer for 'Work pool' (input ended); pass --pool");

  Session no_flag("");
  CHECK(usage_message([&] { no_flag.prompter->text("Name", std::nullopt, ""); }) ==
        "no answer for 'Name' (input ended)");
}

TEST_CASE("prompt::TerminalPrompter input ending after a reask still fails with exit code 2")
{
  Session session("perhaps\n");
  try {
    session.prompter->confirm("Continue?", std::nullopt, "--yes");
    FAIL("expected a UsageError");
  } catch (const UsageError& error) {
    CHECK(error.exit_code() == ExitCode::usage);
  }
}
