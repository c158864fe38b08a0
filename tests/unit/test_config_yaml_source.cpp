// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/yaml_source.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unistd.h>

using namespace syntask;
using namespace syntask::config;
using nlohmann::json;

namespace {

json parse(std::string_view text)
{
  return parse_yaml(text, "f.yaml").root;
}

std::string parse_error(std::string_view text)
{
  try {
    parse_yaml(text, "f.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("config::parse_yaml resolves scalars as YAML 1.2 core")
{
  const auto root = parse("a: true\nb: False\nc: TRUE\nd: yes\ne: no\nf: on\n"
                          "g: null\nh: ~\ni:\nj: Null\n"
                          "k: 42\nl: -7\nm: 0x1F\nn: 0o17\no: +3\np: 017\n"
                          "q: 1.5\nr: 1e3\ns: .inf\nt: -.Inf\nu: .NaN\nv: .5\n"
                          "w: 3.1.0\nx: 1_000\ny: 0x\nz: '42'\nzz: \"true\"\nzn: 'null'\n");
  CHECK(root["a"] == true);
  CHECK(root["b"] == false);
  CHECK(root["c"] == true);
  CHECK(root["d"] == "yes");
  CHECK(root["e"] == "no");
  CHECK(root["f"] == "on");
  CHECK(root["g"].is_null());
  CHECK(root["h"].is_null());
  CHECK(root["i"].is_null());
  CHECK(root["j"].is_null());
  CHECK(root["k"] == 42);
  CHECK(root["l"] == -7);
  CHECK(root["m"] == 31);
  CHECK(root["n"] == 15);
  CHECK(root["o"] == 3);
  CHECK(root["p"] == 17);
  CHECK(root["q"].is_number_float());
  CHECK(root["q"] == 1.5);
  CHECK(root["r"].is_number_float());
  CHECK(root["r"] == 1000.0);
  CHECK(root["s"].get<double>() == std::numeric_limits<double>::infinity());
  CHECK(root["t"].get<double>() == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(root["u"].get<double>()));
  CHECK(root["v"] == 0.5);
  CHECK(root["w"] == "3.1.0");
  CHECK(root["x"] == "1_000");
  CHECK(root["y"] == "0x");
  CHECK(root["z"] == "42");
  CHECK(root["zz"] == "true");
  CHECK(root["zn"] == "null");
}

TEST_CASE("config::parse_yaml keeps large integers and block scalars")
{
  const auto root = parse("big: 18446744073709551615\nneg: -9223372036854775808\nhuge: 99999999999999999999\n"
                          "script: |\n  echo a\n  echo b\nfolded: >-\n  one\n  two\ntagged: !!str 12\n");
  CHECK(root["big"].is_number_unsigned());
  CHECK(root["big"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(root["neg"].get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(root["huge"].is_number_float());
  CHECK(root["script"] == "echo a\necho b\n");
  CHECK(root["folded"] == "one two");
  CHECK(root["tagged"] == "12");
}

TEST_CASE("config::parse_yaml records 1-based places of values and keys")
{
  const auto document =
      parse_yaml("name: demo\ndeployments:\n  - name: a\n    tags:\n      - x\n    empty:\n", "syntask.yaml");
  CHECK(document.sources.at("/name").str() == "syntask.yaml:1:7");
  CHECK(document.sources.key_at("/name").str() == "syntask.yaml:1:1");
  CHECK(document.sources.at("/deployments/0/name").str() == "syntask.yaml:3:11");
  CHECK(document.sources.key_at("/deployments/0/name").str() == "syntask.yaml:3:5");
  CHECK(document.sources.at("/deployments/0/tags/0").str() == "syntask.yaml:5:9");
  // An empty value is placed at its key.
  CHECK(document.sources.at("/deployments/0/empty").str() == "syntask.yaml:6:5");
  // Unknown pointers fall back to the nearest ancestor, then to the file alone.
  CHECK(document.sources.at("/deployments/0/tags/7").str() == "syntask.yaml:5:7");
  CHECK(document.sources.at("/nothing").str() == "syntask.yaml:1:1");
  CHECK(SourceMap("x.yaml").at("/a").str() == "x.yaml");
}

TEST_CASE("config::parse_yaml expands anchors, aliases and merge keys")
{
  const auto document = parse_yaml("definitions:\n"
                                   "  base: &base\n"
                                   "    a: 1\n"
                                   "    b: base\n"
                                   "  other: &other\n"
                                   "    b: other\n"
                                   "    c: 3\n"
                                   "one:\n"
                                   "  <<: *base\n"
                                   "  b: mine\n"
                                   "two:\n"
                                   "  b: mine\n"
                                   "  <<: [*other, *base]\n"
                                   "three: *base\n"
                                   "four:\n"
                                   "  <<: {z: 26}\n"
                                   "'<<': quoted\n",
                                   "f.yaml");
  const auto& root = document.root;
  CHECK(root["one"] == json{{"a", 1}, {"b", "mine"}});
  CHECK(root["two"] == json{{"a", 1}, {"b", "mine"}, {"c", 3}});
  CHECK(root["three"] == json{{"a", 1}, {"b", "base"}});
  CHECK(root["four"] == json{{"z", 26}});
  CHECK(root["<<"] == "quoted");
  // Merged values keep the place where they are written; an alias is placed where it is used.
  CHECK(document.sources.at("/one/a").str() == "f.yaml:3:8");
  CHECK(document.sources.at("/one/b").str() == "f.yaml:10:6");
  CHECK(document.sources.at("/three").str() == "f.yaml:14:8");
  CHECK(document.sources.at("/three/b").str() == "f.yaml:4:8");
}

TEST_CASE("config::parse_yaml turns scalar keys into text")
{
  const auto root = parse("1: one\ntrue: yes\n~: nothing\n2.5: x\n");
  CHECK(root == json{{"1", "one"}, {"true", "yes"}, {"null", "nothing"}, {"2.5", "x"}});
}

TEST_CASE("config::parse_yaml of an empty document is null")
{
  CHECK(parse("").is_null());
  CHECK(parse("# only a comment\n").is_null());
  CHECK(parse("---\n").is_null());
}

TEST_CASE("config::parse_yaml reports syntax errors with the line and a caret")
{
  CHECK(parse_error("a: b: c\n") == "f.yaml:1:5: illegal map value\n"
                                    "a: b: c\n"
                                    "    ^");
  CHECK(parse_error("x:\n\tb: 2\n") == "f.yaml:2:3: illegal map value\n"
                                       "\tb: 2\n"
                                       "  ^");
  CHECK(parse_error("a: [1, 2\nb: 3\n") == "f.yaml:2:2: end of sequence flow not found\n"
                                           "b: 3\n"
                                           " ^");
  CHECK(parse_error("a: *nope\n") == "f.yaml:1:4: the referenced anchor is not defined\n"
                                     "a: *nope\n"
                                     "   ^");
  CHECK(parse_error("a: 1\n---\nb: 2\n") == "f.yaml:2:1: a second document starts here; a file holds one "
                                            "document\n"
                                            "---\n"
                                            "^");
}

TEST_CASE("config::parse_yaml rejects duplicate keys at the second one")
{
  CHECK(parse_error("name: x\nname: y\n") == "f.yaml:2:1: name: duplicate key 'name'");
  CHECK(parse_error("deployments:\n  - name: a\n    tags: [x]\n    tags: [y]\n") ==
        "f.yaml:4:5: deployments[0].tags: duplicate key 'tags'");
  // A key that only comes in through a merge is not a duplicate.
  CHECK(parse("a: &a {k: 1}\nb:\n  <<: *a\n  k: 2\n")["b"]["k"] == 2);
}

TEST_CASE("config::parse_yaml rejects bad merges, recursive aliases and complex keys")
{
  CHECK(parse_error("a:\n  <<: 5\n") ==
        "f.yaml:2:7: a: the value of a merge key '<<' must be a mapping or a list of mappings");
  CHECK(parse_error("a:\n  <<: [{x: 1}, 2]\n") ==
        "f.yaml:2:16: a: the value of a merge key '<<' must be a mapping or a list of mappings");
  CHECK(parse_error("a: &x [*x]\n") == "f.yaml:1:8: a[0]: an alias refers to a node that contains it");
  CHECK(parse_error("a: &x {<<: *x}\n") == "f.yaml:1:4: a: a merge key '<<' merges a mapping into itself");
  CHECK(parse_error("? [1]\n: 2\n") == "f.yaml:1:3: a mapping key must be a scalar, not a list");
}

TEST_CASE("config::load_yaml_file names the file it cannot read")
{
  const auto dir = std::filesystem::temp_directory_path() / ("syntask-yaml-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "ok.yaml") << "a: 1\n";
  }
  const auto document = load_yaml_file(dir / "ok.yaml");
  CHECK(document.root == json{{"a", 1}});
  CHECK(document.sources.file() == (dir / "ok.yaml").string());

  const auto missing = (dir / "missing.yaml").string();
  try {
    load_yaml_file(dir / "missing.yaml");
    FAIL("no error");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) == "cannot read '" + missing + "': no such file or directory");
  }
  try {
    load_yaml_file(dir);
    FAIL("no error");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) == "cannot read '" + dir.string() + "': it is a directory");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("config::to_yaml writes block style")
{
  const json value = {
      {"name", "demo"},
      {"deployments",
       {{{"name", "a"}, {"tags", json::array()}, {"schedule", json::object()}, {"version", nullptr}}}},
      {"pull", {{{"syntask.deployments.steps.run_shell_script", {{"script", "echo a\necho b\n"}}}}}}};
  CHECK(to_yaml(value) == "deployments:\n"
                          "  - name: a\n"
                          "    schedule: {}\n"
                          "    tags: []\n"
                          "    version: null\n"
                          "name: demo\n"
                          "pull:\n"
                          "  - syntask.deployments.steps.run_shell_script:\n"
                          "      script: |\n"
                          "        echo a\n"
                          "        echo b\n");
  nlohmann::ordered_json ordered;
  ordered["name"] = "demo";
  ordered["build"] = nullptr;
  ordered["deployments"] = nlohmann::ordered_json::array({{{"version", "1.0"}, {"tags", {"a", "b"}}}});
  CHECK(to_yaml(ordered) == "name: demo\n"
                            "build: null\n"
                            "deployments:\n"
                            "  - version: \"1.0\"\n"
                            "    tags:\n"
                            "      - a\n"
                            "      - b\n");
  CHECK(to_yaml(json("plain")) == "plain\n");
  CHECK(to_yaml(json::object()) == "{}\n");
}

TEST_CASE("config::to_yaml output reads back as the same value")
{
  const std::vector<std::string> strings{
      "",         "plain",     "true",          "False",       "null",        "~",           "42",
      "-7",       "0x1F",      "1.5",           "1e3",         ".inf",        "3.1.0",       "yes",
      " leading", "trailing ", "a: b",          "a #b",        "a#b",         "key:",        "- item",
      "-dash",    "---",       "...",           "[x]",         "{{ x }}",     "<< x >>",     "<<",
      "*star",    "&amp",      "!bang",         "%pct",        "@at",         "`tick",       "'q'",
      "\"dq\"",   "tab\there", "cr\rhere",      "bell\x07",    "back\\",      "one\ntwo",    "one\ntwo\n",
      "x\n\n",    "\nleading", "  indented\nx", "line\n  \nx", "caf\xc3\xa9", "a,b",         "#hash",
      "?q",       ":colon",    "|pipe",         ">gt",         "a: ",         "http://x:1/y"};
  json value = json::object();
  json list = json::array();
  for (std::size_t i = 0; i < strings.size(); ++i) {
    value["s" + std::to_string(i)] = strings[i];
    value[strings[i]] = i;
    list.push_back(strings[i]);
  }
  value["list"] = list;
  json nested = json::object();
  nested["a"] = {{"b", json::array({1, 2.5, json::array({json::array({"x"})}), json::object()})}};
  nested["empty_list"] = json::array();
  nested["numbers"] = json::array({0, -1, 3.25, 1e300, -0.5, std::numeric_limits<double>::infinity()});
  nested["bools"] = json::array({true, false, nullptr});
  nested["list_of_maps"] =
      json::array({json{{"a", 1}, {"b", {{"c", "d"}}}}, json{{"e", json::array({"f"})}}});
  value["nested"] = nested;
  const auto text = to_yaml(value);
  INFO(text);
  CHECK(parse(text) == value);
  for (const auto& item : list) {
    INFO(item.get<std::string>());
    CHECK(parse(to_yaml(item)) == item);
  }
}

TEST_CASE("config::pointer_child and field_path")
{
  CHECK(pointer_child("", "deployments") == "/deployments");
  CHECK(pointer_child("/a", "b/c~d") == "/a/b~1c~0d");
  CHECK(pointer_child("/deployments", std::size_t{3}) == "/deployments/3");
  CHECK(field_path("/deployments/0/pull/1/x") == "deployments[0].pull[1].x");
  CHECK(field_path("/a/b~1c~0d") == "a.b/c~d");
  CHECK(field_path("/name") == "name");
  CHECK(field_path("") == "");
  CHECK(field_path("/0/a") == "[0].a");
}

TEST_CASE("config::parse_yaml refuses documents that explode through aliases")
{
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const auto previous = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) {
      text += (j > 0 ? ", " : "") + previous;
    }
    text += "]\n";
  }
  const auto message = parse_error(text);
  CHECK(message.find(": the document is too large once its aliases are expanded") != std::string::npos);
}
