// SPDX-License-Identifier: Apache-2.0
#include <syntask/template/resolver.hpp>
#include <syntask/util/redact.hpp>

#include <catch2/catch_test_macros.hpp>

using namespace syntask;
using namespace syntask::tmpl;
using nlohmann::json;

namespace {

MapScope sample_scope()
{
  MapScope scope;
  scope.outputs = {{"build", {{"image", "repo/app:1"}, {"info", {{"size", 3}}}, {"tags", {"a", "b"}}}},
                   {"build-image", {{"image", "repo/img:2"}}},
                   {"tag", "v1"},
                   {"count", 3},
                   {"ratio", 2.5},
                   {"flag", true},
                   {"nothing", nullptr},
                   {"steps", json::array({{{"out", "first"}}, {{"out", "second"}}})},
                   {"by_number", {{"0", "zero"}}}};
  scope.environment = {{"POOL", "docker-pool"}, {"EMPTY", ""}};
  scope.variables = {{"region", "eu-west-1"}, {"replicas", 2}, {"config", {{"k", "v"}}}};
  scope.blocks["secret/token"] = BlockValue{{{"value", "s3cr3t-token"}}, {"value"}};
  scope.blocks["string/greeting"] = BlockValue{{{"value", "hello"}}, {}};
  scope.blocks["json/settings"] = BlockValue{{{"value", {{"depth", 2}, {"names", {"x", "y"}}}}}, {}};
  scope.blocks["aws-credentials/prod"] = BlockValue{
      {{"region", "eu-central-1"}, {"secret_access_key", "aws-secret-key"}, {"keys", {"k1", "k2"}}},
      {"secret_access_key"}};
  scope.blocks["docker/registry"] = BlockValue{{{"url", "registry.example.com"}, {"port", 5000}}, {}};
  return scope;
}

json run(const json& value, ResolveOptions options = {})
{
  const auto scope = sample_scope();
  return resolve(value, scope, options);
}

std::string error_of(const json& value, ResolveOptions options = {})
{
  try {
    run(value, options);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

ResolveOptions at(std::string pointer)
{
  ResolveOptions options;
  options.pointer = std::move(pointer);
  return options;
}

} // namespace

TEST_CASE("template::resolve accepts both spellings and whitespace variants")
{
  CHECK(run("<< tag >>") == json("v1"));
  CHECK(run("{{ tag }}") == json("v1"));
  CHECK(run("<<tag>>") == json("v1"));
  CHECK(run("{{tag}}") == json("v1"));
  CHECK(run("<<   tag\t>>") == json("v1"));
  CHECK(run("img={{ build.image }}, tag=<<tag>>") == json("img=repo/app:1, tag=v1"));
}

TEST_CASE("template::resolve keeps the type of a whole-value placeholder")
{
  CHECK(run("<< count >>") == json(3));
  CHECK(run("<< ratio >>") == json(2.5));
  CHECK(run("<< flag >>") == json(true));
  CHECK(run("<< nothing >>") == json(nullptr));
  CHECK(run("<< build.tags >>") == json({"a", "b"}));
  CHECK(run("<< build.info >>") == json({{"size", 3}}));
  CHECK(run("<< syntask.variables.replicas >>") == json(2));
  CHECK(run("<< syntask.variables.config >>") == json({{"k", "v"}}));
  CHECK(run(" << count >>") == json(" 3"));
}

TEST_CASE("template::resolve embeds scalars in JSON spelling")
{
  CHECK(run("n=<< count >> r=<< ratio >> f=<< flag >> z=<< nothing >> s=<< tag >>") ==
        json("n=3 r=2.5 f=true z=null s=v1"));
  CHECK(run("<< count >><< tag >>") == json("3v1"));
  CHECK(run("replicas: {{ prefect.variables.replicas }}") == json("replicas: 2"));
}

TEST_CASE("template::resolve refuses objects and lists embedded in text")
{
  CHECK(error_of("size: << build.info >>", at("/deployments/0/name")) ==
        "deployments[0].name: '<< build.info >>' is an object and cannot be embedded in text; reference a "
        "field of it");
  CHECK(error_of("tags: << build.tags >>") ==
        "'<< build.tags >>' is a list and cannot be embedded in text; reference an element of it");
  CHECK(run("size: << build.info.size >>") == json("size: 3"));
}

TEST_CASE("template::resolve leaves Go templates and Jinja filters alone")
{
  CHECK(run("docker ps --format '{{.ID}}' << tag >>") == json("docker ps --format '{{.ID}}' v1"));
  CHECK(run("{{ .Values.image }}") == json("{{ .Values.image }}"));
  CHECK(run("{{ name | upper }} {{ tag }}") == json("{{ name | upper }} v1"));
  CHECK(run("{{ \"quoted\" }}") == json("{{ \"quoted\" }}"));
}

TEST_CASE("template::resolve keeps escapes until the final pass")
{
  ResolveOptions early;
  early.final_pass = false;
  CHECK(run("\\<< tag >> << tag >> \\{{ tag }}", early) == json("\\<< tag >> v1 \\{{ tag }}"));
  CHECK(run("\\<< tag >>", early) == json("\\<< tag >>"));
  CHECK(run("\\<< tag >> << tag >> \\{{ tag }}") == json("<< tag >> v1 {{ tag }}"));
  CHECK(run("\\<< tag >>") == json("<< tag >>"));
  CHECK(run("plain \\ text") == json("plain \\ text"));
  // A later final pass over an earlier result still sees the escape.
  CHECK(run(run("\\<< tag >>", early)) == json("<< tag >>"));
}

TEST_CASE("template::resolve follows paths, hyphenated ids, numeric keys and flat keys")
{
  CHECK(run("<< steps[1].out >>") == json("second"));
  CHECK(run("<< steps.0.out >>") == json("first"));
  CHECK(run("<< build-image.image >>") == json("repo/img:2"));
  CHECK(run("<< by_number.0 >>") == json("zero"));
  CHECK(run("<< tag >>") == json("v1"));
}

TEST_CASE("template::resolve reports unknown step outputs")
{
  CHECK(error_of("<< x.y >>", at("/deployments/0/pull/1/syntask.deployments.steps.git_clone/directory")) ==
        "deployments[0].pull[1].syntask.deployments.steps.git_clone.directory: unknown step output '<< x.y "
        ">>'");
  CHECK(error_of("a {{x.y}} b") == "unknown step output '{{x.y}}'");
  CHECK(error_of("<< steps[5].out >>") == "unknown step output '<< steps[5].out >>'");
}

TEST_CASE("template::resolve reads environment variables")
{
  CHECK(run("<< $POOL >>") == json("docker-pool"));
  CHECK(run("{{$POOL}}-x") == json("docker-pool-x"));
  CHECK(run("[<< $EMPTY >>]") == json("[]"));
  CHECK(error_of({{"name", "<< $MISSING >>"}}, at("/deployments/0")) ==
        "deployments[0].name: environment variable 'MISSING' is not set (referenced as '<< $MISSING >>')");
}

TEST_CASE("template::resolve reports missing variables, blocks and fields")
{
  CHECK(error_of("<< syntask.variables.nope >>") == "variable 'nope' does not exist");
  CHECK(error_of("x-{{ prefect.variables.nope }}") == "variable 'nope' does not exist");
  CHECK(error_of("<< syntask.blocks.secret.other >>") == "block 'secret/other' does not exist");
  CHECK(error_of("<< syntask.blocks.aws-credentials.prod.a.b >>") ==
        "block 'aws-credentials/prod' has no field 'a.b'");
  CHECK(error_of("<< syntask.blocks.docker.registry.keys[3] >>") ==
        "block 'docker/registry' has no field 'keys[3]'");
}

TEST_CASE("template::resolve reads block fields and unwraps single-value blocks")
{
  CHECK(run("<< syntask.blocks.string.greeting >>") == json("hello"));
  CHECK(run("<< syntask.blocks.string.greeting.value >>") == json("hello"));
  CHECK(run("{{ prefect.blocks.secret.token }}") == json("s3cr3t-token"));
  CHECK(run("{{ prefect.blocks.secret.token.value }}") == json("s3cr3t-token"));
  CHECK(run("<< syntask.blocks.json.settings.names[1] >>") == json("y"));
  CHECK(run("<< syntask.blocks.json.settings.value.depth >>") == json(2));
  CHECK(run("<< syntask.blocks.docker.registry.port >>") == json(5000));
  CHECK(run("<< syntask.blocks.docker.registry >>") ==
        json({{"url", "registry.example.com"}, {"port", 5000}}));
  CHECK(run("https://<< syntask.blocks.docker.registry.url >>:<< syntask.blocks.docker.registry.port >>") ==
        json("https://registry.example.com:5000"));
  CHECK(run("<< syntask.blocks.aws-credentials.prod.keys[0] >>") == json("k1"));
}

TEST_CASE("template::resolve registers sensitive values with the redactor")
{
  util::Redactor redactor;
  ResolveOptions options;
  options.redactor = &redactor;
  CHECK(run("token=<< syntask.blocks.secret.token >>", options) == json("token=s3cr3t-token"));
  CHECK(redactor.scrub("token=s3cr3t-token") == "token=********");

  CHECK(run("<< syntask.blocks.aws-credentials.prod.region >>", options) == json("eu-central-1"));
  CHECK(redactor.scrub("eu-central-1") == "eu-central-1");
  CHECK(run("<< syntask.blocks.aws-credentials.prod.secret_access_key >>", options) ==
        json("aws-secret-key"));
  CHECK(redactor.scrub("key aws-secret-key") == "key ********");

  util::Redactor whole;
  options.redactor = &whole;
  CHECK(run("<< syntask.blocks.aws-credentials.prod >>", options)["region"] == json("eu-central-1"));
  // A whole block: its sensitive fields are secrets, its other fields (a region, a user name) are not.
  CHECK(whole.scrub("aws-secret-key eu-central-1") == "******** eu-central-1");

  util::Redactor plain;
  options.redactor = &plain;
  run({"<< syntask.blocks.docker.registry >>", "<< syntask.blocks.string.greeting >>x"}, options);
  CHECK(plain.scrub("registry.example.com hello") == "registry.example.com hello");
}

TEST_CASE("template::resolve keeps sensitive block references when asked")
{
  util::Redactor redactor;
  ResolveOptions options;
  options.keep_sensitive_blocks = true;
  options.redactor = &redactor;
  const json value = {{"token", "<< syntask.blocks.secret.token >>"},
                      {"key", "k=<< syntask.blocks.aws-credentials.prod.secret_access_key >>"},
                      {"creds", "{{ prefect.blocks.aws-credentials.prod }}"},
                      {"region", "<< syntask.blocks.aws-credentials.prod.region >>"},
                      {"url", "<< syntask.blocks.docker.registry.url >>"}};
  CHECK(run(value, options) == json({{"token", "<< syntask.blocks.secret.token >>"},
                                     {"key", "k=<< syntask.blocks.aws-credentials.prod.secret_access_key >>"},
                                     {"creds", "{{ prefect.blocks.aws-credentials.prod }}"},
                                     {"region", "eu-central-1"},
                                     {"url", "registry.example.com"}}));
  CHECK(error_of("<< syntask.blocks.secret.missing >>", options) == "block 'secret/missing' does not exist");
  CHECK(error_of("<< syntask.blocks.aws-credentials.prod.secret_access_key.x >>", options) ==
        "block 'aws-credentials/prod' has no field 'secret_access_key.x'");
  options.blocks = Action::resolve_or_keep;
  CHECK(run("<< syntask.blocks.secret.missing >>", options) == json("<< syntask.blocks.secret.missing >>"));
}

TEST_CASE("template::resolve honours resolve_or_keep, check_and_keep and keep")
{
  ResolveOptions options;
  options.step_outputs = Action::resolve_or_keep;
  options.env = Action::keep;
  options.variables = Action::check_and_keep;
  options.blocks = Action::check_and_keep;
  CHECK(run("<< tag >> << clone.directory >>", options) == json("v1 << clone.directory >>"));
  CHECK(run("<< clone.directory >>", options) == json("<< clone.directory >>"));
  CHECK(run("<< count >>", options) == json(3));
  CHECK(run("<< $POOL >> << $MISSING >>", options) == json("<< $POOL >> << $MISSING >>"));
  CHECK(run("<< syntask.variables.region >>", options) == json("<< syntask.variables.region >>"));
  CHECK(run("<< syntask.blocks.docker.registry.url >>", options) ==
        json("<< syntask.blocks.docker.registry.url >>"));
  CHECK(error_of("<< syntask.variables.nope >>", options) == "variable 'nope' does not exist");
  CHECK(error_of("<< syntask.blocks.docker.registry.nope >>", options) ==
        "block 'docker/registry' has no field 'nope'");

  options.env = Action::check_and_keep;
  CHECK(run("<< $POOL >>", options) == json("<< $POOL >>"));
  CHECK(error_of("<< $MISSING >>", options) ==
        "environment variable 'MISSING' is not set (referenced as '<< $MISSING >>')");
  options.step_outputs = Action::keep;
  CHECK(run("<< nowhere >>", options) == json("<< nowhere >>"));
  options.variables = Action::resolve_or_keep;
  CHECK(run("<< syntask.variables.region >>/<< syntask.variables.nope >>", options) ==
        json("eu-west-1/<< syntask.variables.nope >>"));
}

TEST_CASE("template::resolve walks lists and objects without dropping anything")
{
  ResolveOptions options;
  options.step_outputs = Action::resolve_or_keep;
  const json value = {
      {"tags", {"<< build-step.stdout >>", "<< tag >>", "plain", 7, nullptr, {"<< count >>"}}},
      {"<< tag >>", {{"nested", "<< flag >>"}}},
      {"empty", json::array()},
      {"n", 1.5}};
  CHECK(run(value, options) == json({{"tags", {"<< build-step.stdout >>", "v1", "plain", 7, nullptr, {3}}},
                                     {"<< tag >>", {{"nested", true}}},
                                     {"empty", json::array()},
                                     {"n", 1.5}}));
  CHECK(error_of({{"pull", {"ok", {{"dir", "<< nope >>"}}}}}, at("/deployments/2")) ==
        "deployments[2].pull[1].dir: unknown step output '<< nope >>'");
  CHECK(error_of({{"a/b~c", "<< nope >>"}}) == "a/b~c: unknown step output '<< nope >>'");
}

TEST_CASE("template::resolve reports a malformed block reference with its place")
{
  const config::SourceMap sources("syntask.yaml");
  auto options = at("/deployments/0");
  options.sources = &sources;
  CHECK(error_of({{"name", "<< syntask.blocks.secret >>"}}, options) ==
        "syntask.yaml: deployments[0].name: invalid block reference '<< syntask.blocks.secret >>': expected "
        "syntask.blocks.TYPE.NAME[.FIELD]");
  CHECK(error_of({{"image", "x << syntask.blocks.x >>"}}, at("/deployments/0/job_variables")) ==
        "deployments[0].job_variables.image: invalid block reference '<< syntask.blocks.x >>': expected "
        "syntask.blocks.TYPE.NAME[.FIELD]");
}

TEST_CASE("template::MapScope looks names up in its maps")
{
  const auto scope = sample_scope();
  CHECK(scope.step_output("build.image") == json("repo/app:1"));
  CHECK_FALSE(scope.step_output("build.nope"));
  CHECK(scope.env("POOL") == std::optional<std::string>("docker-pool"));
  CHECK_FALSE(scope.env("HOME"));
  CHECK(scope.variable("replicas") == json(2));
  CHECK_FALSE(scope.variable("nope"));
  REQUIRE(scope.block("docker", "registry"));
  CHECK(scope.block("docker", "registry")->data["port"] == json(5000));
  CHECK_FALSE(scope.block("docker", "nope"));
}
