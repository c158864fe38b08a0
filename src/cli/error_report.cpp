// SPDX-License-Identifier: Apache-2.0
#include "cli/error_report.hpp"

#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>

namespace syntask::cli {

namespace {

std::string scrub(const std::string& text)
{
  return util::Redactor::global().scrub(text);
}

// What is not known is null, so every document has the same keys.
nlohmann::json place_fields(const std::string& detail, const SourceRef& where)
{
  const auto number = [](int value) { return value > 0 ? nlohmann::json(value) : nlohmann::json(nullptr); };
  return {{"message", scrub(detail)},
          {"file", where.file.empty() ? nlohmann::json(nullptr) : nlohmann::json(scrub(where.file))},
          {"line", where.file.empty() ? nlohmann::json(nullptr) : number(where.line)},
          {"column", where.file.empty() ? nlohmann::json(nullptr) : number(where.column)}};
}

nlohmann::json error_document(const Failure& failure)
{
  // A validation pass that found several problems: the first (in file order) is the error, and each is
  // listed under "problems".
  auto fields = failure.problems.empty()
                    ? place_fields(failure.detail, failure.where)
                    : place_fields(failure.problems.front().detail(), failure.problems.front().where());
  fields["exit_code"] = failure.exit_code;
  if (!failure.problems.empty()) {
    auto problems = nlohmann::json::array();
    for (const auto& problem : failure.problems) {
      problems.push_back(place_fields(problem.detail(), problem.where()));
    }
    fields["problems"] = problems;
  }
  return {{"error", fields}};
}

} // namespace

Failure Failure::of(const Error& error)
{
  Failure failure{error.what(), error.where(), error.detail(), {}, static_cast<int>(error.exit_code())};
  if (const auto* several = dynamic_cast<const ConfigErrors*>(&error)) {
    failure.problems = several->problems();
  }
  return failure;
}

Failure Failure::plain(const std::string& text, int exit_code)
{
  return {text, {}, text, {}, exit_code};
}

int report_failure(const Failure& failure, bool json)
{
  auto& output = ui::Output::global();
  // Every line of a multi-problem report gets the prefix, so each stands alone in CI logs.
  const auto text = scrub(failure.text);
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    output.error(text.substr(start, end - start));
    start = end + 1;
  }
  if (json) {
    // A parse error comes before the flags are applied: --json may not be switched on yet.
    output.set_json(true);
    output.json_result(error_document(failure));
  }
  return failure.exit_code;
}

} // namespace syntask::cli
