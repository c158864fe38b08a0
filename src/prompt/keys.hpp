// SPDX-License-Identifier: Apache-2.0
// Keys read one at a time from a terminal in raw mode (see RawTerminal).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace syntask::prompt::detail {

enum class Key { up, down, enter, interrupt, end_of_input, backspace, erase_line, character, other };

struct KeyPress {
  Key key = Key::other;
  char byte = 0; ///< the byte itself for Key::character
};

/// The next key on `in`. Up/Down are ESC [ A / ESC [ B (or ESC O A / ESC O B); Enter is CR or LF;
/// Ctrl-C is interrupt; Ctrl-D and the stream's end are end_of_input; DEL and Ctrl-H are backspace;
/// Ctrl-U is erase_line. Any other escape sequence is read whole and reported as other.
KeyPress read_key(std::istream& in);

/// A line typed without echo: backspace and Ctrl-U edit it, Enter ends it.
/// Returns nullopt at the end of input (or Ctrl-D on an empty line); throws Interrupted on Ctrl-C.
std::optional<std::string> read_hidden_line(std::istream& in);

} // namespace syntask::prompt::detail
