// SPDX-License-Identifier: Apache-2.0
#include "store/block_codec.hpp"

#include <syntask/error.hpp>
#include <syntask/store/block_types.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>

namespace syntask::store {

namespace {

std::vector<std::string> type_sensitive_fields(const BlockType& type)
{
  std::vector<std::string> names;
  for (const auto& field : type.fields) {
    if (field.sensitive) {
      names.emplace_back(field.name);
    }
  }
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
  return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

std::string block_label(const std::string& type, const std::string& name)
{
  return util::quoted(type + "/" + name);
}

StoredBlock seal_block(const Block& block, const SecretKey& key)
{
  const auto label = block_label(block.type, block.name);
  const auto* type = find_block_type(block.type);
  if (type == nullptr) {
    std::vector<std::string> slugs;
    for (const auto& known : block_types()) {
      slugs.emplace_back(known.slug);
    }
    throw StoreError("cannot save block " + label + ": unknown block type " + util::quoted(block.type) +
                     util::did_you_mean(block.type, slugs));
  }
  if (!block.data.is_object()) {
    throw StoreError("cannot save block " + label + ": its data must be a JSON object");
  }
  auto sensitive = type_sensitive_fields(*type);
  sensitive.insert(sensitive.end(), block.sensitive.begin(), block.sensitive.end());

  StoredBlock stored{nlohmann::json::object(), std::nullopt};
  auto secrets = nlohmann::json::object();
  for (const auto& [name, value] : block.data.items()) {
    const bool secret = contains(sensitive, name);
    if (secret && value.is_string() && !value.get_ref<const std::string&>().empty() &&
        value.get_ref<const std::string&>().size() < util::k_min_secret_length) {
      throw StoreError("cannot save block " + label + ": secret field " + util::quoted(name) +
                       " has fewer than " + std::to_string(util::k_min_secret_length) +
                       " characters, too short to be masked wherever it is printed");
    }
    (secret ? secrets : stored.data)[name] = value;
  }
  if (!secrets.empty()) {
    std::string text;
    try {
      text = secrets.dump();
    } catch (const nlohmann::json::exception&) {
      // The library's message quotes the offending bytes, which may be part of a secret.
      throw StoreError("cannot save block " + label + ": a sensitive field is not valid UTF-8");
    }
    stored.sealed = seal(key, text);
    wipe(text);
  }
  return stored;
}

Block open_block(const std::string& type, const std::string& name, nlohmann::json data,
                 const std::optional<std::vector<unsigned char>>& sealed, const SecretKey& key)
{
  Block block{type, name, std::move(data), {}};
  if (const auto* known = find_block_type(type)) {
    block.sensitive = type_sensitive_fields(*known);
  }
  if (!sealed) {
    return block;
  }
  auto text = unseal(key, *sealed);
  if (!text) {
    throw StoreError("cannot unseal block " + block_label(type, name) +
                     ": the secret key does not match the one it was saved with (SYNTASK_HOME/secret.key or "
                     "SYNTASK_SECRET_KEY)");
  }
  auto secrets = nlohmann::json::parse(*text, nullptr, false);
  wipe(*text);
  if (!secrets.is_object()) {
    throw StoreError("cannot unseal block " + block_label(type, name) + ": its sealed fields are damaged");
  }
  for (auto& [field, value] : secrets.items()) {
    if (!contains(block.sensitive, field)) {
      block.sensitive.push_back(field);
    }
    block.data[field] = std::move(value);
  }
  return block;
}

} // namespace syntask::store
