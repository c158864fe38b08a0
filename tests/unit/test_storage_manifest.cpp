// SPDX-License-Identifier: Apache-2.0
#include <syntask/storage/transfer.hpp>
#include <syntask/util/digest.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>

#include "unit/test_storage_support.hpp"

using namespace syntask;
using namespace syntask::storage;
using Catch::Matchers::Message;

namespace {

const std::string k_abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string k_empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

} // namespace

TEST_CASE("storage::sha256 of bytes and of a file")
{
  CHECK(syntask::util::sha256_hex("abc") == k_abc);
  CHECK(syntask::util::sha256_hex("") == k_empty);
  testing::TempTree tree("manifest");
  tree.write("a", "abc");
  tree.write("empty", "");
  CHECK(sha256_file(tree.root / "a") == k_abc);
  CHECK(sha256_file(tree.root / "empty") == k_empty);
  CHECK_THROWS_MATCHES(sha256_file(tree.root / "missing"), Error,
                       Message("cannot read '" + (tree.root / "missing").string() + "'"));
}

TEST_CASE("storage::Manifest encodes sorted, one file per line")
{
  Manifest manifest;
  manifest.add({"z.py", 3, k_abc});
  manifest.add({"dir/a b.txt", 0, k_empty});
  manifest.add({"é.txt", 3, k_abc});
  manifest.add({"z.py", 4, k_abc}); // replaces
  const auto text = manifest.encode();
  CHECK(text == "{\n  \"version\": 1,\n  \"files\": [\n"
                "    {\"path\": \"dir/a b.txt\", \"size\": 0, \"sha256\": \"" +
                    k_empty +
                    "\"},\n"
                    "    {\"path\": \"z.py\", \"size\": 4, \"sha256\": \"" +
                    k_abc +
                    "\"},\n"
                    "    {\"path\": \"é.txt\", \"size\": 3, \"sha256\": \"" +
                    k_abc +
                    "\"}\n"
                    "  ]\n}\n");
  CHECK(Manifest().encode() == "{\n  \"version\": 1,\n  \"files\": []\n}\n");
  CHECK(Manifest::decode(text, "x").files == manifest.files);
  CHECK(manifest.find("z.py")->size == 4);
  CHECK(manifest.find("nope") == nullptr);
  CHECK(manifest_digest(text) == "sha256:" + syntask::util::sha256_hex(text));
}

TEST_CASE("storage::Manifest::decode names what is wrong")
{
  const std::string where = "mem://bucket/f/.syntask-manifest.json";
  auto fails = [&](const std::string& text, const std::string& reason) {
    CHECK_THROWS_MATCHES(Manifest::decode(text, where), Error,
                         Message("invalid manifest '" + where + "': " + reason));
  };
  fails("{", "not JSON");
  fails("[]", "not a JSON object");
  fails("{\"files\": []}", "no 'version'");
  fails("{\"version\": 2, \"files\": []}", "unsupported version 2 (this syntask reads version 1)");
  fails("{\"version\": 1}", "'files' must be a list");
  fails("{\"version\": 1, \"files\": [1]}", "files[0] must be an object");
  fails("{\"version\": 1, \"files\": [{\"size\": 1, \"sha256\": \"" + k_abc + "\"}]}",
        "files[0].path must be a non-empty string");
  fails("{\"version\": 1, \"files\": [{\"path\": \"a\", \"size\": -1, \"sha256\": \"" + k_abc + "\"}]}",
        "files[0].size must be a whole number");
  fails("{\"version\": 1, \"files\": [{\"path\": \"a\", \"size\": 1, \"sha256\": \"ABC\"}]}",
        "files[0].sha256 must be 64 lowercase hexadecimal digits");
  fails("{\"version\": 1, \"files\": [{\"path\": \"a\", \"size\": 1, \"sha256\": \"" + k_abc +
            "\"}, {\"path\": \"a\", \"size\": 1, \"sha256\": \"" + k_abc + "\"}]}",
        "files[1]: 'a' is listed twice");
}

TEST_CASE("storage::normalize_folder follows a POSIX path join")
{
  CHECK(normalize_folder("") == "");
  CHECK(normalize_folder(".") == "");
  CHECK(normalize_folder("flows") == "flows");
  CHECK(normalize_folder("flows/") == "flows");
  CHECK(normalize_folder("a//b/./c/") == "a/b/c");
  CHECK(normalize_folder("/abs/x") == "/abs/x");
  CHECK(folder_prefix("") == "");
  CHECK(folder_prefix("./") == "");
  CHECK(folder_prefix("flows/") == "flows/");
  CHECK(folder_prefix("a//b") == "a/b/");
}

TEST_CASE("storage::check_key refuses keys that would land outside the target")
{
  auto safe = [](std::string_view key) { return check_key(key, "f/").relative_path; };
  auto problem = [](std::string_view key) { return check_key(key, "f/").problem; };
  CHECK(safe("f/a.py") == "a.py");
  CHECK(safe("f/dir/sub/a b é.txt") == "dir/sub/a b é.txt");
  CHECK(safe("f/..a/b..") == "..a/b..");
  CHECK(safe("f/100%") == "100%");
  CHECK(safe("f/a%2Fb") == "a%2Fb"); // kept literally: one file named a%2Fb
  CHECK(problem("f/") == "it names no file below the folder");
  CHECK(problem("g/a") == "it is not under the folder");
  CHECK(problem("f/../x") == "it contains a '..' segment");
  CHECK(problem("f/a/../../x") == "it contains a '..' segment");
  CHECK(problem("f/./x") == "it contains a '.' segment");
  CHECK(problem("f//abs") == "it is an absolute path");
  CHECK(problem("f/a//b") == "it contains an empty path segment");
  CHECK(problem("f/a/") == "it contains an empty path segment");
  CHECK(problem("f/..\\x") == "it contains a backslash");
  CHECK(problem("f/a\\b") == "it contains a backslash");
  CHECK(problem("f/..%2Fx") == "it contains a '..' segment once percent-decoded");
  CHECK(problem("f/%2E%2E/x") == "it contains a '..' segment once percent-decoded");
  CHECK(problem("f/%2Fetc/passwd") == "it is an absolute path once percent-decoded");
  CHECK(problem("f/a%5Cb") == "it contains a backslash once percent-decoded");
  CHECK(problem(std::string("f/a\0b", 5)) == "it contains a NUL byte");
  CHECK(check_key("/abs", "").problem == "it is an absolute path");
  CHECK(check_key("a/b", "").relative_path == "a/b");
}

TEST_CASE("storage::plan_upload sends only what changed")
{
  Manifest local;
  local.add({"a.py", 3, k_abc});
  local.add({"b.py", 0, k_empty});
  local.add({"c.py", 3, k_abc});
  const std::vector<ObjectInfo> listing{{"f/a.py", 3, "", false},
                                        {"f/b.py", 0, "", false},
                                        {"f/c.py", 2, "", false}, // size differs from the manifest's
                                        {"f/old.py", 1, "", false},
                                        {"f/dir/", 0, "", true},
                                        {"f/.syntask-manifest.json", 100, "", false}};

  SECTION("no remote manifest: everything is uploaded")
  {
    const auto plan = plan_upload(local, std::nullopt, listing, "f/", false);
    CHECK(plan.upload == std::vector<std::string>{"a.py", "b.py", "c.py"});
    CHECK(plan.unchanged.empty());
    CHECK(plan.remove.empty());
  }
  SECTION("same manifest and listing: nothing is uploaded")
  {
    auto remote = local;
    remote.add({"c.py", 2, k_abc});
    auto same = local;
    same.add({"c.py", 2, k_abc});
    const auto plan = plan_upload(same, remote, listing, "f/", false);
    CHECK(plan.upload.empty());
    CHECK(plan.unchanged == std::vector<std::string>{"a.py", "b.py", "c.py"});
  }
  SECTION("changed content, a key missing remotely, a size mismatch")
  {
    Manifest remote;
    remote.add({"a.py", 3, k_empty}); // content differs
    remote.add({"b.py", 0, k_empty}); // same
    remote.add({"c.py", 3, k_abc});   // same in the manifest, but the listing says 2 bytes
    auto with_new = local;
    with_new.add({"new.py", 3, k_abc}); // not listed at all
    const auto plan = plan_upload(with_new, remote, listing, "f/", false);
    CHECK(plan.upload == std::vector<std::string>{"a.py", "c.py", "new.py"});
    CHECK(plan.unchanged == std::vector<std::string>{"b.py"});
  }
  SECTION("prune removes stale keys, never the manifest or markers")
  {
    const auto plan = plan_upload(local, std::nullopt, listing, "f/", true);
    CHECK(plan.remove == std::vector<std::string>{"f/old.py"});
  }
}
