// SPDX-License-Identifier: Apache-2.0
#include "cli/block_input.hpp"

#include <syntask/error.hpp>
#include <syntask/store/block_types.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"
#include <istream>
#include <iterator>

namespace syntask::cli {

namespace {

nlohmann::json field_value(const store::BlockField& field, const std::string& text)
{
  switch (field.kind) {
  case store::FieldKind::string:
    return text;
  case store::FieldKind::integer:
  case store::FieldKind::boolean:
  case store::FieldKind::object:
    return json_or_string(text);
  }
  return text;
}

// The field `name` of `type`, for `flag`; a UsageError with the close names and every field when none.
const store::BlockField& require_field(const store::BlockType& type, const std::string& name,
                                       const std::string& flag)
{
  if (const auto* field = type.field(name)) {
    return *field;
  }
  std::vector<std::string> names;
  for (const auto& field : type.fields) {
    names.emplace_back(field.name);
  }
  throw UsageError(flag + ": block type " + util::quoted(type.slug) + " has no field " + util::quoted(name) +
                   util::did_you_mean(name, names) + " (fields: " + util::join(names, ", ") + ")");
}

const store::BlockField& require_secret_field(const store::BlockType& type, const std::string& name,
                                              const std::string& flag)
{
  const auto& field = require_field(type, name, flag);
  if (!field.sensitive) {
    throw UsageError(flag + ": field " + util::quoted(name) + " of " + util::quoted(type.slug) +
                     " is not secret: pass --field " + name + "=VALUE");
  }
  return field;
}

std::string read_all(std::istream& in)
{
  std::string value{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
    value.pop_back();
  }
  return value;
}

class BlockBuilder {
public:
  BlockBuilder(const store::BlockType& type, store::Block& block) : m_type(type), m_block(block) {}

  bool has(std::string_view field) const { return m_block.data.contains(std::string(field)); }

  void set(const store::BlockField& field, const std::string& text, const std::string& source)
  {
    if (has(field.name)) {
      throw UsageError("field " + util::quoted(field.name) + " is given twice (again by " + source + ")");
    }
    if (field.sensitive) {
      if (text.empty()) {
        throw UsageError("empty value for secret field " + util::quoted(field.name) + " from " + source);
      }
      util::Redactor::global().add_secret(text);
    }
    m_block.data[std::string(field.name)] = field_value(field, text);
  }

  const store::BlockType& type() const { return m_type; }

private:
  const store::BlockType& m_type;
  store::Block& m_block;
};

void add_plain_fields(const BlockInput& input, BlockBuilder& builder)
{
  for (const auto& assignment : input.fields) {
    const auto [key, text] = split_assignment(assignment, "--field");
    const auto& field = require_field(builder.type(), key, "--field");
    if (field.sensitive) {
      throw UsageError("field " + util::quoted(key) +
                       " is secret and is never taken from the command line: use --secret-from-env " + key +
                       "=VAR, --value-stdin or answer the prompt");
    }
    builder.set(field, text, "--field");
  }
}

void add_secrets_from_env(const BlockInput& input, BlockBuilder& builder)
{
  for (const auto& assignment : input.secrets_from_env) {
    const auto [key, variable] = split_assignment(assignment, "--secret-from-env");
    const auto& field = require_secret_field(builder.type(), key, "--secret-from-env");
    const auto value = util::get_env(variable.c_str());
    if (!value) {
      throw UsageError("--secret-from-env " + assignment + ": the environment variable " +
                       util::quoted(variable) + " is not set");
    }
    builder.set(field, *value, "--secret-from-env " + assignment);
  }
}

// The one secret stdin holds: the field --stdin-field names, else the first secret field not given yet.
void add_secret_from_stdin(const BlockInput& input, BlockBuilder& builder, std::istream& in)
{
  if (!input.value_stdin && input.stdin_field.empty()) {
    return;
  }
  const store::BlockField* target = nullptr;
  if (!input.stdin_field.empty()) {
    target = &require_secret_field(builder.type(), input.stdin_field, "--stdin-field");
  } else {
    for (const auto& field : builder.type().fields) {
      if (field.sensitive && !builder.has(field.name)) {
        target = &field;
        break;
      }
    }
    if (target == nullptr) {
      throw UsageError("--value-stdin: every secret field of " + util::quoted(builder.type().slug) +
                       " is given already");
    }
  }
  builder.set(*target, read_all(in), "stdin");
}

std::string question(const store::BlockField& field)
{
  return std::string(field.name) + " (" + std::string(field.description) + ")" +
         (field.required ? "" : " [Enter to leave out]");
}

// Whatever is still missing: secret fields asked without echo, required plain fields asked as text.
// Without a terminal, optional fields stay out and a required one fails naming its flags.
void ask_remaining(BlockBuilder& builder, prompt::Prompter& prompter)
{
  for (const auto& field : builder.type().fields) {
    if (builder.has(field.name)) {
      continue;
    }
    const std::string name(field.name);
    if (field.sensitive) {
      if (field.required) {
        builder.set(field,
                    prompter.secret(question(field), "--secret-from-env " + name + "=VAR or --value-stdin"),
                    "the prompt");
      } else if (const auto answer = prompter.optional_secret(question(field))) {
        builder.set(field, *answer, "the prompt");
      }
    } else if (field.required) {
      builder.set(field, prompter.text(question(field), std::nullopt, "--field " + name + "=VALUE"),
                  "the prompt");
    }
  }
}

} // namespace

store::Block collect_block(const BlockInput& input, prompt::Prompter& prompter, std::istream& stdin_stream)
{
  const auto& type = store::require_block_type(input.type);
  store::Block block;
  block.type = input.type;
  block.name = input.name;
  BlockBuilder builder(type, block);
  add_plain_fields(input, builder);
  add_secrets_from_env(input, builder);
  add_secret_from_stdin(input, builder, stdin_stream);
  ask_remaining(builder, prompter);
  return block;
}

} // namespace syntask::cli
