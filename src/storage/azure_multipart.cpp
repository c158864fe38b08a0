// SPDX-License-Identifier: Apache-2.0
// Put Block / Put Block List: a large blob sent in blocks, committed in order at the end.
#include <syntask/util/base64.hpp>
#include <syntask/util/strings.hpp>

#include "storage/azure_store.hpp"
#include <cstdio>
#include <mutex>
#include <set>
#include <vector>

namespace syntask::storage {

namespace {

// Every block id of a blob must have the same length: a fixed-width counter.
std::string block_id(int number)
{
  char text[32]; // room for any int, which GCC checks at -O2
  std::snprintf(text, sizeof text, "block-%06d", number);
  return util::base64_encode(text);
}

class AzureMultipart : public MultipartUpload {
public:
  AzureMultipart(const AzureStore& store, std::string key) : m_store(store), m_key(std::move(key)) {}

  // Parts may arrive from several threads at once: each takes a connection from the pool.
  void put_part(int number, const std::filesystem::path& file, std::uint64_t offset, std::uint64_t length,
                const ProgressCallback& progress) override
  {
    auto client = take_client();
    http::FileSource body(file, offset, length);
    http::Request request;
    request.method = "PUT";
    request.url = m_store.blob_url(m_key, "comp=block&blockid=" + http::percent_encode(block_id(number)));
    request.body = &body;
    request.on_progress = progress;
    const auto response = m_store.send(*client, request);
    give_back(std::move(client));
    if (response.status != 201) {
      m_store.fail(response, m_key);
    }
    const std::lock_guard lock(m_mutex);
    m_parts.insert(number);
  }

  void complete() override
  {
    std::string list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
    {
      const std::lock_guard lock(m_mutex);
      int expected = 1;
      for (const int number : m_parts) {
        if (number != expected++) {
          throw RemoteError("cannot commit " + util::quoted(m_store.describe() + "/" + m_key) + ": part " +
                                std::to_string(expected - 1) + " was never sent",
                            false);
        }
        list += "<Latest>" + block_id(number) + "</Latest>";
      }
    }
    list += "</BlockList>";
    auto client = take_client();
    http::StringSource body(list);
    http::Request request;
    request.method = "PUT";
    request.url = m_store.blob_url(m_key, "comp=blocklist");
    request.headers = {{"Content-Type", "application/xml"},
                       {"x-ms-blob-content-type", "application/octet-stream"}};
    request.body = &body;
    const auto response = m_store.send(*client, request);
    give_back(std::move(client));
    if (response.status != 201) {
      m_store.fail(response, m_key);
    }
  }

  // Uncommitted blocks cannot be deleted one by one; the service discards them after a week, and a
  // later upload of the same blob replaces them.
  void abort() noexcept override {}

private:
  std::unique_ptr<http::Client> take_client()
  {
    const std::lock_guard lock(m_mutex);
    if (m_pool.empty()) {
      return std::make_unique<http::Client>();
    }
    auto client = std::move(m_pool.back());
    m_pool.pop_back();
    return client;
  }

  void give_back(std::unique_ptr<http::Client> client)
  {
    const std::lock_guard lock(m_mutex);
    m_pool.push_back(std::move(client));
  }

  const AzureStore& m_store;
  std::string m_key;
  std::mutex m_mutex;
  std::set<int> m_parts;
  std::vector<std::unique_ptr<http::Client>> m_pool;
};

} // namespace

std::unique_ptr<MultipartUpload> AzureStore::start_multipart(std::string_view key)
{
  return std::make_unique<AzureMultipart>(*this, std::string(key));
}

} // namespace syntask::storage
