// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "prompt/keys.hpp"
#include <sstream>

using namespace syntask;
using namespace syntask::prompt::detail;

TEST_CASE("prompt::read_key decodes arrows, Enter, Ctrl-C and the end of input")
{
  std::istringstream in("\x1b[A\x1b[B\x1bOA\x1bOB\x1b[1;5C\r\n\x03\x04x\x7f\x15\x01");
  CHECK(read_key(in).key == Key::up);
  CHECK(read_key(in).key == Key::down);
  CHECK(read_key(in).key == Key::up);
  CHECK(read_key(in).key == Key::down);
  CHECK(read_key(in).key == Key::other);
  CHECK(read_key(in).key == Key::enter);
  CHECK(read_key(in).key == Key::enter);
  CHECK(read_key(in).key == Key::interrupt);
  CHECK(read_key(in).key == Key::end_of_input);
  const auto letter = read_key(in);
  CHECK(letter.key == Key::character);
  CHECK(letter.byte == 'x');
  CHECK(read_key(in).key == Key::backspace);
  CHECK(read_key(in).key == Key::erase_line);
  CHECK(read_key(in).key == Key::other);
  CHECK(read_key(in).key == Key::end_of_input);
}

TEST_CASE("prompt::read_hidden_line edits with backspace and Ctrl-U")
{
  std::istringstream in("abx\x7f"
                        "c\r"
                        "junk\x15ok\n"
                        "caf\xc3\xa9\x7f"
                        "e\r");
  CHECK(read_hidden_line(in) == "abc");
  CHECK(read_hidden_line(in) == "ok");
  CHECK(read_hidden_line(in) == "cafe");
  CHECK(read_hidden_line(in) == std::nullopt);
}

TEST_CASE("prompt::read_hidden_line stops at Ctrl-D on an empty line and throws on Ctrl-C")
{
  std::istringstream end_of_input("\x04");
  CHECK(read_hidden_line(end_of_input) == std::nullopt);
  std::istringstream ignored_ctrl_d("a\x04"
                                    "b\r");
  CHECK(read_hidden_line(ignored_ctrl_d) == "ab");
  std::istringstream interrupted("abc\x03");
  CHECK_THROWS_AS(read_hidden_line(interrupted), Interrupted);
}
