// SPDX-License-Identifier: Apache-2.0
// How questions are shown and how a question that cannot be answered is reported.
#pragma once

#include <syntask/error.hpp>

#include <string>

namespace syntask::prompt::detail {

/// The question as shown after "? ": trailing spaces and a trailing ':' removed, secrets scrubbed.
std::string label(const std::string& question);

/// The question as named in messages: trailing spaces and one trailing '?' or ':' removed.
std::string subject(const std::string& question);

/// UsageError "missing answer for '<subject>': pass <flag>" (no ": pass" part when `flag` is empty).
UsageError missing_answer(const std::string& question, const std::string& flag);

/// UsageError "no answer for '<subject>' (input ended); pass <flag>".
UsageError input_ended(const std::string& question, const std::string& flag);

} // namespace syntask::prompt::detail
