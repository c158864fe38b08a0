// SPDX-License-Identifier: Apache-2.0
// Typed access to a step's resolved arguments.
#include <syntask/steps/step.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::steps {

namespace {

[[noreturn]] void wrong_type(const StepCall& call, std::string_view name, std::string_view expected)
{
  throw StepError("argument " + util::quoted(name) + " of step " + util::quoted(call.name) + " must be " +
                  std::string(expected));
}

} // namespace

std::optional<std::string> optional_string(const StepCall& call, std::string_view name)
{
  const auto found = call.args.find(name);
  if (found == call.args.end() || found->is_null()) {
    return std::nullopt;
  }
  if (found->is_string()) {
    return found->get<std::string>();
  }
  if (found->is_number()) {
    return found->dump();
  }
  wrong_type(call, name, "a string");
}

std::string required_string(const StepCall& call, std::string_view name)
{
  auto value = optional_string(call, name);
  if (!value) {
    throw StepError("step " + util::quoted(call.name) + " needs the argument " + util::quoted(name));
  }
  return *value;
}

bool optional_bool(const StepCall& call, std::string_view name, bool fallback)
{
  const auto found = call.args.find(name);
  if (found == call.args.end() || found->is_null()) {
    return fallback;
  }
  if (found->is_boolean()) {
    return found->get<bool>();
  }
  if (found->is_string()) {
    const auto text = util::to_lower(found->get<std::string>());
    if (text == "true" || text == "yes" || text == "1") {
      return true;
    }
    if (text == "false" || text == "no" || text == "0") {
      return false;
    }
  }
  wrong_type(call, name, "true or false");
}

std::optional<long long> optional_whole_number(const StepCall& call, std::string_view name, long long low,
                                               long long high, std::string_view expected)
{
  const auto found = call.args.find(name);
  if (found == call.args.end() || found->is_null()) {
    return std::nullopt;
  }
  std::optional<long long> value;
  if (found->is_number_integer()) {
    value = found->get<long long>();
  } else if (found->is_string()) {
    // Digits only (no sign, no space), and few enough that the number fits.
    const auto& text = found->get_ref<const std::string&>();
    if (util::is_digits(text) && text.size() <= 18) {
      value = std::stoll(text);
    }
  }
  if (!value || *value < low || *value > high) {
    wrong_type(call, name, expected);
  }
  return value;
}

std::optional<std::pair<std::string, std::string>> written_block(const StepCall& call, std::string_view name)
{
  const auto found = call.raw_args.is_object() ? call.raw_args.find(name) : call.raw_args.end();
  if (!call.raw_args.is_object() || found == call.raw_args.end() || !found->is_string()) {
    return std::nullopt;
  }
  for (const auto& reference : tmpl::find_references(found->get_ref<const std::string&>())) {
    if (reference.kind == tmpl::ReferenceKind::block) {
      return std::pair{reference.block_type, reference.block_name};
    }
  }
  return std::nullopt;
}

std::filesystem::path resolve_path(const StepContext& context, const std::string& path)
{
  std::filesystem::path result = path;
  if (!path.empty() && path[0] == '~') {
    if (const char* home = std::getenv("HOME"); home != nullptr && (path.size() == 1 || path[1] == '/')) {
      result = std::string(home) + path.substr(1);
    }
  }
  if (result.is_relative()) {
    result = context.working_directory / result;
  }
  return result.lexically_normal();
}

} // namespace syntask::steps
