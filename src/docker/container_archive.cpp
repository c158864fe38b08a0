// SPDX-License-Identifier: Apache-2.0
// Files into a container before it starts: a tar made while it is sent, extracted by the daemon.
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/http/client.hpp>
#include <syntask/util/strings.hpp>

#include "docker/streamed_body.hpp"
#include "docker/tar_writer.hpp"
#include <algorithm>
#include <set>

namespace syntask::docker {

void stream_container_archive(const ContainerArchive& archive,
                              const std::function<void(std::string_view)>& write)
{
  TarWriter writer(write, "the files for the container");
  if (!archive.tree.empty()) {
    const std::set<std::string> bare(archive.bare_directories.begin(), archive.bare_directories.end());
    write_tree(writer, archive.tree, [&bare](const std::string& name, bool) {
      return TreeChoice{bare.count(name) == 0, true};
    });
  }
  std::set<std::string> made;
  for (const auto& file : archive.files) {
    // Parents first, each once: a tar extracts in order.
    const auto parts = util::split(file.name, '/');
    std::string parent;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      parent += (parent.empty() ? "" : "/") + parts[i];
      if (made.insert(parent).second) {
        writer.add_directory(parent, 0700);
      }
    }
    writer.add_data(file.name, file.content, file.mode);
  }
  writer.finish();
}

void put_container_archive(Engine& engine, const std::string& id, const std::string& path,
                           const ContainerArchive& archive)
{
  StreamedBody body([&archive](const auto& write) { stream_container_archive(archive, write); });
  // copyUIDGID: the files belong to the container's user, who may then read, change and delete them.
  const auto response = engine.call(
      "PUT", "/containers/" + id + "/archive?path=" + http::percent_encode(path) + "&copyUIDGID=1",
      {{"Content-Type", "application/x-tar"}, {"Transfer-Encoding", "chunked"}}, &body);
  if (response.status >= 300) {
    throw RemoteError("cannot copy files into container " + util::quoted(id.substr(0, 12)) + ": " +
                          error_message(response.status, response.body),
                      false);
  }
}

} // namespace syntask::docker
