// SPDX-License-Identifier: Apache-2.0
// The manifest of a pushed tree, its digest, and the folder and key rules shared by push and pull.
#include <syntask/storage/transfer.hpp>
#include <syntask/util/digest.hpp>
#include <syntask/util/strings.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>

namespace syntask::storage {

namespace {

class ManifestError : public Error {
public:
  using Error::Error;
};

struct DigestDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

bool is_sha256_hex(const std::string& text)
{
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

} // namespace

void Manifest::add(ManifestEntry entry)
{
  const auto at =
      std::lower_bound(files.begin(), files.end(), entry.path,
                       [](const ManifestEntry& a, const std::string& path) { return a.path < path; });
  if (at != files.end() && at->path == entry.path) {
    *at = std::move(entry);
  } else {
    files.insert(at, std::move(entry));
  }
}

const ManifestEntry* Manifest::find(std::string_view path) const
{
  const auto at = std::lower_bound(files.begin(), files.end(), path,
                                   [](const ManifestEntry& a, std::string_view p) { return a.path < p; });
  return at != files.end() && at->path == path ? &*at : nullptr;
}

std::string Manifest::encode() const
{
  // Written by hand rather than by dump(): the field order and the one-file-per-line layout are part of
  // the format, so that equal trees give byte-equal manifests and the digest stays stable.
  std::string text = "{\n  \"version\": 1,\n  \"files\": [";
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string path;
    try {
      path = nlohmann::json(files[i].path).dump();
    } catch (const nlohmann::json::exception&) {
      throw ManifestError("file name " + util::quoted(files[i].path) + " is not valid UTF-8");
    }
    text += i == 0 ? "\n" : ",\n";
    text += "    {\"path\": " + path + ", \"size\": " + std::to_string(files[i].size) + ", \"sha256\": \"" +
            files[i].sha256 + "\"}";
  }
  text += files.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return text;
}

Manifest Manifest::decode(std::string_view text, const std::string& where)
{
  const auto fail = [&](const std::string& reason) {
    throw ManifestError("invalid manifest " + util::quoted(where) + ": " + reason);
  };
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    fail("not JSON");
  }
  if (!document.is_object()) {
    fail("not a JSON object");
  }
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer()) {
    fail("no 'version'");
  }
  if (version->get<long long>() != 1) {
    fail("unsupported version " + version->dump() + " (this syntask reads version 1)");
  }
  const auto files = document.find("files");
  if (files == document.end() || !files->is_array()) {
    fail("'files' must be a list");
  }
  Manifest manifest;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto& item = (*files)[i];
    const auto field = "files[" + std::to_string(i) + "]";
    if (!item.is_object()) {
      fail(field + " must be an object");
    }
    const auto path = item.find("path");
    const auto size = item.find("size");
    const auto sha = item.find("sha256");
    if (path == item.end() || !path->is_string() || path->get<std::string>().empty()) {
      fail(field + ".path must be a non-empty string");
    }
    if (size == item.end() || !size->is_number_unsigned()) {
      fail(field + ".size must be a whole number");
    }
    if (sha == item.end() || !sha->is_string() || !is_sha256_hex(sha->get<std::string>())) {
      fail(field + ".sha256 must be 64 lowercase hexadecimal digits");
    }
    if (manifest.find(path->get<std::string>()) != nullptr) {
      fail(field + ": " + util::quoted(path->get<std::string>()) + " is listed twice");
    }
    manifest.add({path->get<std::string>(), size->get<std::uint64_t>(), sha->get<std::string>()});
  }
  return manifest;
}

std::string sha256_file(const std::filesystem::path& file)
{
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw ManifestError("cannot read " + util::quoted(file.string()));
  }
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> context(EVP_MD_CTX_new());
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) {
      EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  if (in.bad()) {
    throw ManifestError("cannot read " + util::quoted(file.string()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned size = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &size);
  return util::hex({reinterpret_cast<const char*>(digest.data()), size});
}

std::string manifest_digest(std::string_view manifest_text)
{
  return "sha256:" + util::sha256_hex(manifest_text);
}

std::string normalize_folder(std::string_view folder)
{
  std::vector<std::string> segments;
  for (const auto& segment : util::split(folder, '/')) {
    if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
  }
  const bool absolute = !folder.empty() && folder.front() == '/';
  const auto joined = util::join(segments, "/");
  return absolute ? "/" + joined : joined;
}

std::string folder_prefix(std::string_view folder)
{
  const auto normalized = normalize_folder(folder);
  if (normalized.empty() || normalized == "/") {
    return normalized;
  }
  return normalized + "/";
}

} // namespace syntask::storage
