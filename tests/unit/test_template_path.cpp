// SPDX-License-Identifier: Apache-2.0
#include <syntask/template/resolver.hpp>

#include <catch2/catch_test_macros.hpp>

using nlohmann::json;
using syntask::tmpl::lookup_path;

TEST_CASE("template::lookup_path follows dotted and indexed paths")
{
  const json root = {{"a", {{"b", json::array({{{"c", 1}}, {{"c", 2}}})}}},
                     {"build-image", {{"image", "repo/img:1"}}},
                     {"numbers", {{"0", "zero"}, {"1", {{"x", true}}}}},
                     {"tag", "v1"}};
  CHECK(lookup_path(root, "a.b[0].c") == json(1));
  CHECK(lookup_path(root, "a.b.1.c") == json(2));
  CHECK(lookup_path(root, "a.b[1]") == json({{"c", 2}}));
  CHECK(lookup_path(root, "build-image.image") == json("repo/img:1"));
  CHECK(lookup_path(root, "numbers.0") == json("zero"));
  CHECK(lookup_path(root, "numbers[1].x") == json(true));
  CHECK(lookup_path(root, "tag") == json("v1"));
  CHECK(lookup_path(root, "") == root);
}

TEST_CASE("template::lookup_path reports missing segments")
{
  const json root = {{"a", {{"b", json::array({1, 2})}}}, {"s", "text"}};
  CHECK_FALSE(lookup_path(root, "x"));
  CHECK_FALSE(lookup_path(root, "a.b[2]"));
  CHECK_FALSE(lookup_path(root, "a.b.x"));
  CHECK_FALSE(lookup_path(root, "a.b[-1]"));
  CHECK_FALSE(lookup_path(root, "s.length"));
  CHECK_FALSE(lookup_path(root, "a..b"));
  CHECK_FALSE(lookup_path(root, "a.b[0"));
  CHECK_FALSE(lookup_path(root, "a.b[]"));
  CHECK_FALSE(lookup_path(root, "a.b[0]x"));
  CHECK_FALSE(lookup_path(root, "a."));
  CHECK_FALSE(lookup_path(root, ".a"));
}
