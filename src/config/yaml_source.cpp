// SPDX-License-Identifier: Apache-2.0
// yaml-cpp's event parser builds a small tree (so aliases and merge keys can be expanded by hand, with
// every node's place kept); the tree is then turned into JSON plus a SourceMap.
#include <syntask/config/yaml_source.hpp>
#include <syntask/util/strings.hpp>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "config/yaml_scalars.hpp"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace syntask::config {

namespace {

struct Place {
  int line = 0;
  int column = 0;
};

Place place_of(const YAML::Mark& mark)
{
  return {mark.line + 1, mark.column + 1};
}

// Nodes are owned by the TreeBuilder; the tree itself uses plain pointers, since an alias may point
// back at a node that contains it.
struct Node;
using NodePtr = Node*;

struct Node {
  enum class Kind { null, scalar, sequence, mapping, alias };
  Kind kind = Kind::null;
  Place place;
  std::string tag;
  std::string text;
  std::vector<NodePtr> items;
  std::vector<std::pair<NodePtr, NodePtr>> entries;
  NodePtr target = nullptr; // alias only
};

// Receives parser events and assembles the tree of one document.
class TreeBuilder : public YAML::EventHandler {
public:
  NodePtr root() const { return m_root; }

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
  {
    add(make(Node::Kind::null, mark), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
  {
    auto node = make(Node::Kind::alias, mark);
    node->target = m_anchors.at(anchor);
    add(node, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override
  {
    auto node = make(Node::Kind::scalar, mark);
    node->tag = tag;
    node->text = value;
    add(node, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override
  {
    open(make(Node::Kind::sequence, mark), anchor);
  }

  void OnSequenceEnd() override { m_stack.pop_back(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override
  {
    open(make(Node::Kind::mapping, mark), anchor);
  }

  void OnMapEnd() override { m_stack.pop_back(); }

private:
  struct Frame {
    NodePtr node;
    NodePtr pending_key; // mappings: the key waiting for its value
  };

  NodePtr make(Node::Kind kind, const YAML::Mark& mark)
  {
    auto& node = m_nodes.emplace_back(std::make_unique<Node>());
    node->kind = kind;
    node->place = place_of(mark);
    return node.get();
  }

  void add(NodePtr node, YAML::anchor_t anchor)
  {
    if (anchor != 0) {
      m_anchors[anchor] = node;
    }
    if (m_stack.empty()) {
      m_root = node;
      return;
    }
    auto& frame = m_stack.back();
    if (frame.node->kind == Node::Kind::sequence) {
      frame.node->items.push_back(node);
    } else if (frame.pending_key == nullptr) {
      frame.pending_key = node;
    } else {
      frame.node->entries.emplace_back(frame.pending_key, node);
      frame.pending_key = nullptr;
    }
  }

  // Containers are anchored before their content is read, as in yaml-cpp itself.
  void open(NodePtr node, YAML::anchor_t anchor)
  {
    add(node, anchor);
    m_stack.push_back({node, nullptr});
  }

  std::vector<std::unique_ptr<Node>> m_nodes;
  NodePtr m_root = nullptr;
  std::vector<Frame> m_stack;
  std::map<YAML::anchor_t, NodePtr> m_anchors;
};

// Stops at the start of a second document.
class SecondDocumentProbe : public YAML::EventHandler {
public:
  struct Found {
    YAML::Mark mark;
  };

  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override
  {
  }
  void OnSequenceStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                       YAML::EmitterStyle::value /*style*/) override
  {
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override
  {
  }
  void OnMapEnd() override {}
};

// "FILE:LINE:COL: message", then the source line and a caret under the column (ninja's layout).
ConfigError syntax_error(const std::string& file, std::string_view text, const YAML::Mark& mark,
                         std::string message)
{
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  if (mark.line < 0) {
    return ConfigError(SourceRef{file}, "", message);
  }
  const Place place = place_of(mark);
  const auto lines = util::split(text, '\n');
  if (static_cast<std::size_t>(mark.line) < lines.size()) {
    std::string line = lines[static_cast<std::size_t>(mark.line)];
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    message +=
        "\n" + line + "\n" + std::string(static_cast<std::size_t>(std::max(mark.column, 0)), ' ') + "^";
  }
  return ConfigError(SourceRef{file, place.line, place.column}, "", message);
}

// Aliases can multiply a small file into a huge value ("billion laughs"); refuse beyond this.
constexpr std::size_t k_max_nodes = 100'000;
// Merge keys nest through aliases; a deeper chain can only come from a mapping merging itself.
constexpr int k_max_merge_depth = 64;

class Converter {
public:
  Converter(SourceMap& sources, std::string file) : m_sources(sources), m_file(std::move(file)) {}

  nlohmann::json convert(const Node& node, const std::string& pointer, bool record)
  {
    if (++m_count > k_max_nodes) {
      fail(node.place, pointer, "the document is too large once its aliases are expanded");
    }
    if (record) {
      m_sources.add(pointer, node.place.line, node.place.column);
    }
    switch (node.kind) {
    case Node::Kind::null:
      return nullptr;
    case Node::Kind::scalar:
      return scalar_value(node);
    case Node::Kind::alias:
      return convert_alias(node, pointer);
    case Node::Kind::sequence:
      return convert_sequence(node, pointer);
    case Node::Kind::mapping:
      return convert_mapping(node, pointer);
    }
    return nullptr;
  }

private:
  struct Entry {
    std::string key;
    Place key_place;
    const Node* value;
  };

  [[noreturn]] void fail(const Place& place, const std::string& pointer, const std::string& message) const
  {
    throw ConfigError(SourceRef{m_file, place.line, place.column}, field_path(pointer), message);
  }

  static const Node& deref(const Node& node)
  {
    const Node* current = &node;
    while (current->kind == Node::Kind::alias) {
      current = current->target;
    }
    return *current;
  }

  static nlohmann::json scalar_value(const Node& node)
  {
    // "!" marks a quoted or block scalar; those are strings whatever they contain.
    if (node.tag == "!" || node.tag == "tag:yaml.org,2002:str") {
      return node.text;
    }
    if (node.tag == "tag:yaml.org,2002:null") {
      return nullptr;
    }
    return detail::resolve_plain_scalar(node.text);
  }

  nlohmann::json convert_alias(const Node& node, const std::string& pointer)
  {
    const Node& target = deref(node);
    if (std::find(m_active.begin(), m_active.end(), &target) != m_active.end()) {
      fail(node.place, pointer, "an alias refers to a node that contains it");
    }
    // The alias itself is recorded where it is used; what it brings in keeps its original places.
    return convert(target, pointer, false);
  }

  nlohmann::json convert_sequence(const Node& node, const std::string& pointer)
  {
    m_active.push_back(&node);
    auto array = nlohmann::json::array();
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      array.push_back(convert(*node.items[i], pointer_child(pointer, i), true));
    }
    m_active.pop_back();
    return array;
  }

  nlohmann::json convert_mapping(const Node& node, const std::string& pointer)
  {
    m_active.push_back(&node);
    auto object = nlohmann::json::object();
    for (const auto& entry : entries_of(node, pointer, 0)) {
      const auto child = pointer_child(pointer, entry.key);
      m_sources.add_key(child, entry.key_place.line, entry.key_place.column);
      const Node& value = *entry.value;
      // An empty value has no place of its own (yaml-cpp marks the next token); use its key's.
      const bool empty_value = value.kind == Node::Kind::null;
      if (empty_value) {
        m_sources.add(child, entry.key_place.line, entry.key_place.column);
      }
      object[entry.key] = convert(value, child, !empty_value);
    }
    m_active.pop_back();
    return object;
  }

  std::string key_text(const Node& key, const std::string& pointer) const
  {
    const Node& target = deref(key);
    switch (target.kind) {
    case Node::Kind::scalar:
      return target.text;
    case Node::Kind::null:
      return "null";
    default:
      fail(key.place, pointer,
           "a mapping key must be a scalar, not a " +
               std::string(target.kind == Node::Kind::mapping ? "mapping" : "list"));
    }
  }

  static bool is_merge_key(const Node& key)
  {
    return key.kind == Node::Kind::scalar && key.tag == "?" && key.text == "<<";
  }

  // The entries of a mapping with its merge keys applied: its own keys first (they win), then those of
  // each merged mapping in order, skipping keys already present.
  std::vector<Entry> entries_of(const Node& mapping, const std::string& pointer, int depth) const
  {
    if (depth > k_max_merge_depth) {
      fail(mapping.place, pointer, "a merge key '<<' merges a mapping into itself");
    }
    std::vector<Entry> entries;
    std::set<std::string, std::less<>> seen;
    std::vector<const Node*> merges;
    for (const auto& [key, value] : mapping.entries) {
      if (is_merge_key(*key)) {
        merges.push_back(value);
        continue;
      }
      auto text = key_text(*key, pointer);
      if (!seen.insert(text).second) {
        fail(key->place, pointer_child(pointer, text), "duplicate key " + util::quoted(text));
      }
      entries.push_back({std::move(text), key->place, value});
    }
    for (const Node* merge : merges) {
      for (const Node* source : merge_sources(*merge, pointer)) {
        for (auto& entry : entries_of(*source, pointer, depth + 1)) {
          if (seen.insert(entry.key).second) {
            entries.push_back(std::move(entry));
          }
        }
      }
    }
    return entries;
  }

  std::vector<const Node*> merge_sources(const Node& merge, const std::string& pointer) const
  {
    const std::string message = "the value of a merge key '<<' must be a mapping or a list of mappings";
    const Node& value = deref(merge);
    if (value.kind == Node::Kind::mapping) {
      return {&value};
    }
    if (value.kind != Node::Kind::sequence) {
      fail(merge.place, pointer, message);
    }
    std::vector<const Node*> sources;
    for (const auto& item : value.items) {
      const Node& source = deref(*item);
      if (source.kind != Node::Kind::mapping) {
        fail(item->place, pointer, message);
      }
      sources.push_back(&source);
    }
    return sources;
  }

  SourceMap& m_sources;
  std::string m_file;
  std::size_t m_count = 0;
  std::vector<const Node*> m_active;
};

} // namespace

void SourceMap::add(const std::string& pointer, int line, int column)
{
  m_places[pointer] = SourceRef{m_file, line, column};
}

void SourceMap::add_key(const std::string& pointer, int line, int column)
{
  m_keys[pointer] = SourceRef{m_file, line, column};
}

SourceRef SourceMap::at(std::string_view pointer) const
{
  while (true) {
    if (const auto found = m_places.find(pointer); found != m_places.end()) {
      return found->second;
    }
    if (pointer.empty()) {
      return SourceRef{m_file, 0, 0};
    }
    pointer = pointer.substr(0, pointer.rfind('/'));
  }
}

SourceRef SourceMap::key_at(std::string_view pointer) const
{
  if (const auto found = m_keys.find(pointer); found != m_keys.end()) {
    return found->second;
  }
  return at(pointer);
}

YamlDocument parse_yaml(std::string_view text, const std::string& file_name)
{
  YamlDocument document{nullptr, SourceMap(file_name)};
  std::istringstream input{std::string(text)};
  try {
    YAML::Parser parser(input);
    TreeBuilder builder;
    if (!parser.HandleNextDocument(builder)) {
      return document;
    }
    try {
      SecondDocumentProbe probe;
      parser.HandleNextDocument(probe);
    } catch (const SecondDocumentProbe::Found& found) {
      throw syntax_error(file_name, text, found.mark,
                         "a second document starts here; a file holds one document");
    }
    if (const auto root = builder.root()) {
      Converter converter(document.sources, file_name);
      document.root = converter.convert(*root, "", true);
    }
  } catch (const YAML::Exception& error) {
    throw syntax_error(file_name, text, error.mark, error.msg);
  }
  return document;
}

YamlDocument load_yaml_file(const std::filesystem::path& path)
{
  const auto name = path.string();
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw ConfigError(SourceRef{}, "", "cannot read " + util::quoted(name) + ": it is a directory");
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    const int error = errno;
    throw ConfigError(SourceRef{}, "",
                      "cannot read " + util::quoted(name) + ": " + util::to_lower(std::strerror(error)));
  }
  std::ostringstream content;
  content << stream.rdbuf();
  return parse_yaml(content.str(), name);
}

} // namespace syntask::config
