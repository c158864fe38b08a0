// SPDX-License-Identifier: Apache-2.0
// The arrow-key menu behind Prompter::choose on a terminal.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace syntask::prompt::detail {

struct MenuGeometry {
  int rows = 24;    ///< terminal height: at most rows - 2 options are shown at once
  int columns = 80; ///< terminal width: longer options are cut to fit one line
};

/// Writes "? <label>" and the options to `out`, a '>' before the current one (starting at `start`),
/// then reads keys from `in` (which must be in raw mode): Up/Down or k/j move (wrapping around), Enter
/// chooses. The menu is redrawn in place with ANSI cursor movement and, once chosen, replaced by the
/// line "? <label> <option>". Returns the chosen index, or nullopt when input ends.
/// Throws Interrupted on Ctrl-C; the cursor is visible again however it returns.
std::optional<std::size_t> run_arrow_menu(std::istream& in, std::ostream& out, const std::string& label,
                                          const std::vector<std::string>& options, std::size_t start,
                                          MenuGeometry geometry);

} // namespace syntask::prompt::detail
