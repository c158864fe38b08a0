// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/flows/discovery.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <fstream>
#include <random>

using namespace syntask;
using namespace syntask::flows;
namespace fs = std::filesystem;

namespace {

class TempProject {
public:
  TempProject()
  {
    std::random_device random;
    m_path = fs::temp_directory_path() / ("syntask-discovery-test-" + std::to_string(random()));
    fs::create_directories(m_path);
  }
  ~TempProject()
  {
    std::error_code error;
    fs::remove_all(m_path, error);
  }
  TempProject(const TempProject&) = delete;
  TempProject& operator=(const TempProject&) = delete;
  const fs::path& path() const { return m_path; }

  void write(const std::string& relative, std::string_view content) const
  {
    const auto file = m_path / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

private:
  fs::path m_path;
};

constexpr std::string_view k_hello = R"py("""Module docstring that mentions a decorator:

@flow(name="fake")
def not_a_flow():
    pass
"""
from syntask import flow, task


@task
def helper():
    pass


@flow
def hello_world():
    """A docstring with @flow inside."""
    return "@flow"


@flow(name="Custom Name", retries=2)
async def custom():
    pass


@flow(
    retries=3,  # a comment mentioning @flow(name="wrong")
    name='multi line',
    description="a (parenthesised) text",
)
def multi_line_flow():
    pass


def plain():
    return "@flow"


class Holder:
    @flow
    def method(self):
        pass


# @flow
def commented():
    pass


@flow
class NotAFunction:
    pass


if True:
    @flow
    def indented():
        pass
)py";

constexpr std::string_view k_aliases = R"py(import os, syntask as s
import prefect
from syntask import flow as syntask_flow
from prefect import flow as pf, task
from syntask import (
    task as t,
    flow as F,
)


@syntask_flow
def via_alias():
    pass


@pf(name="prefect-alias")
def via_prefect_alias():
    pass


@s.flow
def via_module_alias():
    pass


@prefect.flow()
def via_prefect_module():
    pass


@syntask.flow(name=f"dynamic-{os.getpid()}")
def dynamic_name():
    pass


@F
async def via_parenthesised_import():
    pass


@other.flow
def other_module():
    pass


@flow.with_options(name="options")
def with_options():
    pass
)py";

constexpr std::string_view k_tricky = R"py(import functools

NAME = "from-variable"
quote = 'it\'s @flow'
raw = r"\"" + r'\''
formatted = f"{NAME['k']}" + f'{NAME!r:>{10}}' + f"{{literal}}"
triple = """with ' and " inside
@flow
def in_string():
    pass
"""
total = 1 + \
    2; flagged = (
    1,
    2)


@functools.lru_cache
@flow(name="stacked")
@other
def stacked_flow():
    pass


@flow(name=NAME)
def named_by_variable():
    pass


@flow(name="con" 'cat')
def concatenated():
    pass


@flow(name = 'spaced' , )
def spaced_keyword():
    pass


@flow(name="a" + "b")
def expression_name():
    pass


@flow  # trailing comment
def after_tricky():
    pass


def redefined():
    pass


@flow(name="second definition")
def redefined():
    pass
)py";

// A project with flows, decoys, and directories discovery must leave alone.
void make_project(const TempProject& project)
{
  project.write("flows/hello.py", k_hello);
  project.write("flows/aliases.py", k_aliases);
  project.write("tricky.py", k_tricky);
  project.write("crlf.py", "from prefect import flow\r\n\r\n@flow\r\ndef crlf_flow():\r\n    pass\r\n");
  project.write("tabs.py",
                "class A:\n\t@flow\n\tdef method(self):\n\t\tpass\n\n@flow\ndef tab_file_flow():\n\tpass\n");
  project.write("notes.txt", "@flow\ndef in_text_file():\n    pass\n");
  const std::string decoy = "@flow\ndef decoy():\n    pass\n";
  project.write("build/generated.py", decoy);
  project.write("skip_me.py", decoy);
  project.write(".hidden/x.py", decoy);
  project.write("env_dir/pyvenv.cfg", "home = /usr/bin\n");
  project.write("env_dir/lib/x.py", decoy);
  project.write("lib/python3.11/site-packages/pkg/x.py", decoy);
  project.write("web/node_modules/x.py", decoy);
  project.write("flows/__pycache__/x.py", decoy);
  project.write("script", "@flow(name='extensionless')\ndef main():\n    pass\n");
  fs::create_directory_symlink("flows", project.path() / "linked");
}

std::vector<std::string> describe(const std::vector<FlowInfo>& flows)
{
  std::vector<std::string> lines;
  for (const auto& flow : flows) {
    lines.push_back(flow.entrypoint() + " -> " + flow.flow_name);
  }
  return lines;
}

} // namespace

TEST_CASE("flows::discover_flows finds decorated module-level functions")
{
  TempProject project;
  make_project(project);
  const auto rules = util::IgnoreRules::parse("build/\nskip_me.py\n");
  CHECK(describe(discover_flows(project.path(), rules)) ==
        std::vector<std::string>{
            "crlf.py:crlf_flow -> crlf-flow",
            "flows/aliases.py:dynamic_name -> dynamic-name",
            "flows/aliases.py:via_alias -> via-alias",
            "flows/aliases.py:via_module_alias -> via-module-alias",
            "flows/aliases.py:via_parenthesised_import -> via-parenthesised-import",
            "flows/aliases.py:via_prefect_alias -> prefect-alias",
            "flows/aliases.py:via_prefect_module -> via-prefect-module",
            "flows/hello.py:custom -> Custom Name",
            "flows/hello.py:hello_world -> hello-world",
            "flows/hello.py:multi_line_flow -> multi line",
            "tabs.py:tab_file_flow -> tab-file-flow",
            "tricky.py:after_tricky -> after-tricky",
            "tricky.py:concatenated -> concat",
            "tricky.py:expression_name -> expression-name",
            "tricky.py:named_by_variable -> named-by-variable",
            "tricky.py:redefined -> second definition",
            "tricky.py:spaced_keyword -> spaced",
            "tricky.py:stacked_flow -> stacked",
        });
}

TEST_CASE("flows::discover_flows honours the ignore rules")
{
  TempProject project;
  make_project(project);
  // A negation cannot re-include a file inside an ignored directory.
  const auto flows =
      describe(discover_flows(project.path(), util::IgnoreRules::parse("flows/\n!flows/hello.py\n")));
  CHECK(std::none_of(flows.begin(), flows.end(),
                     [](const std::string& line) { return line.starts_with("flows/"); }));
  CHECK(flows.size() == 11);
  const auto unignored = describe(discover_flows(project.path(), util::IgnoreRules{}));
  CHECK(std::count(unignored.begin(), unignored.end(), "build/generated.py:decoy -> decoy") == 1);
  CHECK(std::count(unignored.begin(), unignored.end(), "skip_me.py:decoy -> decoy") == 1);
  CHECK(unignored.size() == 20);
}

TEST_CASE("flows::find_flow reads one function")
{
  TempProject project;
  make_project(project);
  const auto hello = project.path() / "flows/hello.py";
  const auto custom = find_flow(hello, "custom");
  REQUIRE(custom);
  CHECK(custom->file == hello.generic_string());
  CHECK(custom->function == "custom");
  CHECK(custom->flow_name == "Custom Name");
  const auto plain = find_flow(hello, "plain");
  REQUIRE(plain);
  CHECK(plain->flow_name == "plain");
  CHECK(find_flow(hello, "helper")->flow_name == "helper");
  CHECK_FALSE(find_flow(hello, "method"));
  CHECK_FALSE(find_flow(hello, "indented"));
  CHECK_FALSE(find_flow(hello, "not_a_flow"));
  CHECK_FALSE(find_flow(hello, "NotAFunction"));
  CHECK_FALSE(find_flow(project.path() / "tricky.py", "in_string"));
  CHECK(find_flow(project.path() / "tricky.py", "redefined")->flow_name == "second definition");
  CHECK_THROWS_AS(find_flow(project.path() / "missing.py", "f"), Error);
}

TEST_CASE("flows::flow_name_for_entrypoint")
{
  TempProject project;
  make_project(project);
  const auto& dir = project.path();
  CHECK(flow_name_for_entrypoint(dir, "flows/hello.py:custom") == "Custom Name");
  CHECK(flow_name_for_entrypoint(dir, "./flows/hello.py:hello_world") == "hello-world");
  CHECK(flow_name_for_entrypoint(dir, "flows/hello.py:plain") == "plain");
  CHECK(flow_name_for_entrypoint(dir, (dir / "tricky.py").string() + ":stacked_flow") == "stacked");
  CHECK(flow_name_for_entrypoint(dir, "script:main") == "extensionless");
  CHECK(flow_name_for_entrypoint(dir, "pkg.mod:my_flow") == "my-flow");
  CHECK(flow_name_for_entrypoint(dir, "pkg.mod.my_flow") == "my-flow");
  CHECK(flow_name_for_entrypoint(dir, "flows:my_flow") == "my-flow"); // a package, not a file

  CHECK_THROWS_AS(flow_name_for_entrypoint(dir, "flows/missing.py:f"), UsageError);
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "flows/missing.py:f"),
                    "entrypoint 'flows/missing.py:f': file 'flows/missing.py' does not exist");
  CHECK_THROWS_AS(flow_name_for_entrypoint(dir, "flows/hello.py:nope"), UsageError);
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "flows/hello.py:nope"),
                    "entrypoint 'flows/hello.py:nope': no function 'nope' in 'flows/hello.py'");
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "flows/hello.py:method"),
                    "entrypoint 'flows/hello.py:method': no function 'method' in 'flows/hello.py'");
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "flows/:f"),
                    "entrypoint 'flows/:f': 'flows/' is not a file");
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "hello"),
                    "entrypoint 'hello': expected 'path/to/file.py:function' or 'module.function'");
  CHECK_THROWS_WITH(flow_name_for_entrypoint(dir, "flows/hello.py:"),
                    "entrypoint 'flows/hello.py:': expected 'path/to/file.py:function' or 'module:function'");
}
