// SPDX-License-Identifier: Apache-2.0
#include <syntask/template/resolver.hpp>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>

using namespace syntask;
using namespace syntask::tmpl;

namespace {

std::vector<std::string> names(const std::vector<Reference>& references)
{
  std::vector<std::string> result;
  for (const auto& reference : references) {
    result.push_back(reference.name);
  }
  return result;
}

std::string error_of(std::string_view text)
{
  try {
    find_references(text);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("template::find_references accepts both spellings and optional whitespace")
{
  CHECK(names(find_references("<< a >>")) == std::vector<std::string>{"a"});
  CHECK(names(find_references("{{ a }}")) == std::vector<std::string>{"a"});
  CHECK(names(find_references("<<a>>{{b}}")) == std::vector<std::string>{"a", "b"});
  CHECK(names(find_references("x <<   build-image.image\t>> y {{\ttag }}")) ==
        std::vector<std::string>{"build-image.image", "tag"});
  const auto references = find_references("pre {{ a.b[0].c }} post");
  REQUIRE(references.size() == 1);
  CHECK(references[0].text == "{{ a.b[0].c }}");
  CHECK(references[0].kind == ReferenceKind::step_output);
  CHECK(references[0].target == "a.b[0].c");
}

TEST_CASE("template::find_references leaves non-placeholders alone")
{
  CHECK(find_references("{{ x | default('y') }}").empty());
  CHECK(find_references("{{ \"x\" }}").empty());
  CHECK(find_references("{{}}").empty());
  CHECK(find_references("<< >>").empty());
  CHECK(find_references("docker ps --format '{{.ID}}'").empty());
  CHECK(find_references("{{ .Values.image.tag }}").empty());
  CHECK(find_references("<<.x>>").empty());
  CHECK(find_references("a << b").empty());
  CHECK(find_references("{{ a }").empty());
  CHECK(names(find_references("{{{ a }}}")) == std::vector<std::string>{"a"});
  CHECK(names(find_references("<< a << b >>")) == std::vector<std::string>{"b"});
}

TEST_CASE("template::find_references skips escaped placeholders")
{
  CHECK(find_references("\\<< x >>").empty());
  CHECK(find_references("\\{{ x }}").empty());
  CHECK(names(find_references("\\<< x >> << y >>")) == std::vector<std::string>{"y"});
}

TEST_CASE("template::find_references classifies kinds")
{
  const auto references =
      find_references("<< $HOME >> {{ prefect.variables.region }} << syntask.variables.a.b >> "
                      "<< syntask.blocks.secret.token >> {{ prefect.blocks.aws-credentials."
                      "prod.keys[0].id }} << step.out >>");
  REQUIRE(references.size() == 6);
  CHECK(references[0].kind == ReferenceKind::env);
  CHECK(references[0].target == "HOME");
  CHECK(references[1].kind == ReferenceKind::variable);
  CHECK(references[1].target == "region");
  CHECK(references[2].kind == ReferenceKind::variable);
  CHECK(references[2].target == "a.b");
  CHECK(references[3].kind == ReferenceKind::block);
  CHECK(references[3].target == "secret/token");
  CHECK(references[3].block_type == "secret");
  CHECK(references[3].block_name == "token");
  CHECK(references[3].field_path.empty());
  CHECK(references[4].kind == ReferenceKind::block);
  CHECK(references[4].target == "aws-credentials/prod");
  CHECK(references[4].field_path == "keys[0].id");
  CHECK(references[4].text == "{{ prefect.blocks.aws-credentials.prod.keys[0].id }}");
  CHECK(references[5].kind == ReferenceKind::step_output);
  CHECK(references[5].target == "step.out");
}

TEST_CASE("template::find_references rejects malformed references")
{
  CHECK(error_of("<< syntask.blocks.x >>") ==
        "invalid block reference '<< syntask.blocks.x >>': expected syntask.blocks.TYPE.NAME[.FIELD]");
  CHECK(error_of("{{ prefect.blocks.secret. }}") ==
        "invalid block reference '{{ prefect.blocks.secret. }}': expected syntask.blocks.TYPE.NAME[.FIELD]");
  CHECK(error_of("<< syntask.blocks.a..b >>") ==
        "invalid block reference '<< syntask.blocks.a..b >>': expected syntask.blocks.TYPE.NAME[.FIELD]");
  CHECK(error_of("<< $$HOME >>") ==
        "invalid environment variable reference '<< $$HOME >>': expected $NAME with "
        "NAME made of letters, digits and '_'");
  CHECK(error_of("<< $1X >>") ==
        "invalid environment variable reference '<< $1X >>': expected $NAME with NAME "
        "made of letters, digits and '_'");
  CHECK(error_of("<< $A.b >>") ==
        "invalid environment variable reference '<< $A.b >>': expected $NAME with NAME "
        "made of letters, digits and '_'");
  CHECK(error_of("<< syntask.variables. >>") ==
        "invalid variable reference '<< syntask.variables. >>': expected syntask.variables.NAME");
}

TEST_CASE("template::find_references walks values, not keys")
{
  const nlohmann::json value = {
      {"<< key >>", "<< a >>"}, {"list", {"<< b >>", 1, nullptr, {{"deep", "x {{ c }} y"}}}}, {"n", 3}};
  auto found = names(find_references(value));
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<std::string>{"a", "b", "c"});
}
