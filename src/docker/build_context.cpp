// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/build_context.hpp>
#include <syntask/error.hpp>

#include "docker/tar_writer.hpp"
#include <algorithm>

namespace syntask::docker {

namespace {

std::string clean_relative(const std::string& path)
{
  return std::filesystem::path(path).lexically_normal().generic_string();
}

} // namespace

BuildContextSummary stream_build_context(const std::filesystem::path& root, const std::string& dockerfile,
                                         const std::function<void(std::string_view)>& write)
{
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    throw FileError("the build context '" + root.string() + "' is not a folder");
  }
  const DockerIgnore ignore = DockerIgnore::load(root / ".dockerignore");
  // The engine always wants these, wherever .dockerignore puts them.
  const std::vector<std::string> always{".dockerignore", clean_relative(dockerfile)};
  const auto forced = [&always](const std::string& name) {
    return std::find(always.begin(), always.end(), name) != always.end();
  };
  const auto holds_forced = [&always](const std::string& name) {
    const std::string prefix = name + "/";
    return std::any_of(always.begin(), always.end(),
                       [&](const std::string& item) { return item.compare(0, prefix.size(), prefix) == 0; });
  };
  TarWriter writer(write, "the build context");
  write_tree(writer, root, [&](const std::string& name, bool is_directory) {
    if (forced(name) || !ignore.excludes(name)) {
      return TreeChoice{true, true};
    }
    // The engine enters an excluded folder only for what a '!' pattern may bring back, and writes no
    // entry for the folder itself.
    return TreeChoice{false, is_directory && (ignore.may_reinclude_below(name) || holds_forced(name))};
  });
  writer.finish();
  return {writer.files(), writer.bytes()};
}

} // namespace syntask::docker
