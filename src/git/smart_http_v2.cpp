// SPDX-License-Identifier: Apache-2.0
// Protocol v2 over smart HTTP (gitprotocol-v2(5), gitprotocol-http(5)) for the one case where it pays:
// the first, shallow fetch into an empty repository. The pack streams from libcurl through the pkt-line
// reader into libgit2's indexer, so memory stays flat; libgit2 keeps every other fetch.
#include "git/smart_http_v2.hpp"

#include <syntask/http/client.hpp>
#include <syntask/util/base64.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/strings.hpp>

#include <git2/sys/errors.h>
#include <spdlog/spdlog.h>

#include "git/pkt_line.hpp"
#include <algorithm>
#include <fcntl.h>
#include <map>
#include <unistd.h>
#include <vector>

namespace syntask::git::detail {

namespace {

constexpr std::string_view k_user_agent = "git/2.0 (syntask " SYNTASK_VERSION ")";

/// Why the fast path gave up; never shown (libgit2 then fetches and reports), only logged for
/// diagnostics. Distinct from RemoteError so that nothing else is swallowed by mistake.
struct NotApplicable {
  std::string why;
};

bool has_http_configuration(git_repository* repo)
{
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) {
    git_error_clear();
    return true;
  }
  const Ptr<git_config> config(raw);
  bool found = false;
  git_config_foreach_match(
      config.get(), "^http\\.",
      [](const git_config_entry*, void* payload) {
        *static_cast<bool*>(payload) = true;
        return 1;
      },
      &found);
  git_error_clear();
  return found;
}

bool applies(git_repository* repo, const Session& session, const FetchRequest& request)
{
  const auto& scheme = session.url.scheme;
  return request.depth > 0 && (scheme == "http" || scheme == "https") &&
         util::get_env("SYNTASK_GIT_PROTOCOL").value_or("") != "0" && git_repository_is_empty(repo) == 1 &&
         git_repository_is_shallow(repo) == 0 && !has_http_configuration(repo);
}

http::ClientOptions client_options()
{
  http::ClientOptions options;
  // The same CA settings libgit2 is given (apply_ca_environment).
  for (const char* name : {"GIT_SSL_CAINFO", "SSL_CERT_FILE"}) {
    if (const auto file = util::get_env(name); file && !file->empty()) {
      options.ca_file = *file;
      break;
    }
  }
  // One attempt: a failure falls back to libgit2, inside clone_repository's own retries.
  options.max_attempts = 1;
  return options;
}

/// The requests of one conversation: the same connection, and credentials once the server asked.
class Conversation {
public:
  explicit Conversation(const Session& session) : m_session(session), m_client(client_options())
  {
    m_base = session.connect_url;
    while (!m_base.empty() && m_base.back() == '/') {
      m_base.pop_back();
    }
  }

  /// Sends a request, answering one 401 with the session's credentials (as git does: credentials
  /// only go where they are asked for). Anything but 200 ends the fast path.
  void send(http::Request& request)
  {
    request.headers.emplace_back("User-Agent", std::string(k_user_agent));
    request.headers.emplace_back("Git-Protocol", "version=2");
    const auto without_credentials = request.headers;
    for (int round = 0;; ++round) {
      request.headers = without_credentials;
      if (request.body != nullptr) {
        request.body->rewind(); // a POST answered with 401 is sent again whole
      }
      if (!m_authorization.empty()) {
        request.headers.emplace_back("Authorization", m_authorization);
      }
      const auto response = send_once(request);
      if (response.status == 401 && round == 0 && m_authorization.empty() && m_session.credentials) {
        m_authorization = "Basic " + util::base64_encode(m_session.credentials->username + ":" +
                                                         m_session.credentials->password);
        continue;
      }
      if (response.status != 200) {
        throw NotApplicable{"HTTP " + std::to_string(response.status)};
      }
      m_body = response.body;
      return;
    }
  }

  /// POSTs a protocol v2 command; the reply goes to `sink`, or to body() without one.
  void command(std::string body, http::BodySink* sink = nullptr)
  {
    http::StringSource source(std::move(body));
    http::Request request;
    request.method = "POST";
    request.url = m_base + "/git-upload-pack";
    request.headers = {{"Content-Type", "application/x-git-upload-pack-request"},
                       {"Accept", "application/x-git-upload-pack-result"}};
    request.body = &source;
    request.sink = sink;
    send(request);
  }

  const std::string& base() const { return m_base; }
  const std::string& body() const { return m_body; }

private:
  http::Response send_once(http::Request& request)
  {
    try {
      return m_client.send(request);
    } catch (const RemoteError& error) {
      throw NotApplicable{error.what()};
    }
  }

  const Session& m_session;
  http::Client m_client;
  std::string m_base;
  std::string m_authorization;
  std::string m_body;
};

/// Reads a small pkt-line reply (capabilities, ls-refs) into lines; a flush ends each message.
std::vector<std::string> reply_lines(std::string_view body)
{
  std::vector<std::string> lines;
  PacketReader reader([&](PacketKind kind, std::string_view payload) {
    if (kind == PacketKind::data) {
      lines.emplace_back(packet_line(payload));
    }
  });
  try {
    reader.feed(body);
  } catch (const RemoteError& error) {
    throw NotApplicable{error.what()};
  }
  return lines;
}

/// Asks for the capabilities; the server must speak v2 and offer ls-refs and a shallow fetch.
void require_v2(Conversation& conversation)
{
  http::Request request;
  request.url = conversation.base() + "/info/refs?service=git-upload-pack";
  conversation.send(request);
  auto lines = reply_lines(conversation.body());
  // A smart server may start with the v0-style service announcement.
  if (!lines.empty() && util::starts_with(lines.front(), "# service=")) {
    lines.erase(lines.begin());
  }
  if (lines.empty() || lines.front() != "version 2") {
    throw NotApplicable{"the server does not speak protocol v2"};
  }
  bool ls_refs = false;
  bool shallow = false;
  for (const auto& line : lines) {
    if (line == "ls-refs" || util::starts_with(line, "ls-refs=")) {
      ls_refs = true;
    } else if (util::starts_with(line, "fetch=")) {
      const auto features = util::split(line.substr(6), ' ');
      shallow = std::find(features.begin(), features.end(), "shallow") != features.end();
    } else if (util::starts_with(line, "object-format=") && line != "object-format=sha1") {
      throw NotApplicable{"the repository uses " + line};
    }
  }
  if (!ls_refs || !shallow) {
    throw NotApplicable{"the server offers no ls-refs or no shallow fetch"};
  }
}

git_oid parse_oid(std::string_view hex)
{
  git_oid oid{};
  if (hex.size() != GIT_OID_SHA1_HEXSIZE || git_oid_fromstrn(&oid, hex.data(), hex.size()) < 0) {
    git_error_clear();
    throw NotApplicable{"malformed object id in the server's reply"};
  }
  return oid;
}

struct ListedRef {
  git_oid oid{};
  std::optional<git_oid> peeled;
  std::string symref_target;
};

/// ls-refs for HEAD (when no branch was named) and the branch or tag: name -> ref.
std::map<std::string, ListedRef> list_refs(Conversation& conversation, const std::string& branch)
{
  std::string body;
  append_packet(body, "command=ls-refs\n");
  body += k_delim_packet;
  append_packet(body, "peel\n");
  append_packet(body, "symrefs\n");
  if (branch.empty()) {
    append_packet(body, "ref-prefix HEAD\n");
    append_packet(body, "ref-prefix refs/heads/\n");
  } else {
    append_packet(body, "ref-prefix refs/heads/" + branch + "\n");
    append_packet(body, "ref-prefix refs/tags/" + branch + "\n");
  }
  body += k_flush_packet;
  conversation.command(std::move(body));
  std::map<std::string, ListedRef> refs;
  for (const auto& line : reply_lines(conversation.body())) {
    const auto fields = util::split(line, ' ');
    if (fields.size() < 2) {
      throw NotApplicable{"malformed ls-refs reply"};
    }
    ListedRef ref;
    if (fields[0] != "unborn") {
      ref.oid = parse_oid(fields[0]);
    }
    for (std::size_t i = 2; i < fields.size(); ++i) {
      if (util::starts_with(fields[i], "peeled:")) {
        ref.peeled = parse_oid(std::string_view(fields[i]).substr(7));
      } else if (util::starts_with(fields[i], "symref-target:")) {
        ref.symref_target = fields[i].substr(14);
      }
    }
    refs[fields[1]] = ref;
  }
  return refs;
}

/// What to fetch, chosen as find_remote_ref chooses: the branch before a tag of the same name.
Fetched choose_ref(const std::map<std::string, ListedRef>& refs, std::string branch)
{
  if (branch.empty()) {
    const auto head = refs.find("HEAD");
    if (head == refs.end() || !util::starts_with(head->second.symref_target, "refs/heads/")) {
      throw NotApplicable{"no default branch"};
    }
    branch = head->second.symref_target.substr(11);
  }
  Fetched fetched;
  fetched.branch = branch;
  if (const auto head = refs.find("refs/heads/" + branch); head != refs.end()) {
    fetched.tip = head->second.oid;
    return fetched;
  }
  if (const auto tag = refs.find("refs/tags/" + branch); tag != refs.end()) {
    fetched.is_tag = true;
    fetched.tip = tag->second.oid;
    fetched.commit = tag->second.peeled.value_or(tag->second.oid);
    return fetched;
  }
  throw NotApplicable{"no such branch or tag"};
}

/// The fetch reply as it streams: sections of lines, then the pack in side-band packets, which go
/// straight into libgit2's indexer.
class FetchReply : public http::BodySink {
public:
  explicit FetchReply(git_repository* repo)
      : m_reader([this](PacketKind kind, std::string_view payload) { on_packet(kind, payload); })
  {
    git_odb* odb = nullptr;
    check(git_repository_odb(&odb, repo), "cannot open the object database");
    m_odb.reset(odb);
    git_indexer_options options = GIT_INDEXER_OPTIONS_INIT;
    options.progress_cb = [](const git_indexer_progress*, void*) {
      return util::interrupt_requested() ? -1 : 0;
    };
    const auto pack_dir = std::string(git_repository_path(repo)) + "objects/pack";
    git_indexer* indexer = nullptr;
    check(git_indexer_new(&indexer, pack_dir.c_str(), 0, m_odb.get(), &options),
          "cannot start the pack index");
    m_indexer.reset(indexer);
  }

  void write(std::string_view data) override
  {
    m_written = true;
    m_reader.feed(data);
  }
  /// Called before every attempt; only one is made (client_options), so a second is a bug.
  void reset() override
  {
    if (m_written) {
      throw NotApplicable{"the fetch was restarted"};
    }
  }

  /// Checks that the reply was complete, then writes the pack and its index into the repository.
  void commit()
  {
    if (m_state != State::finished || !m_reader.at_boundary()) {
      throw NotApplicable{"the fetch reply ended early"};
    }
    // The indexer checks the counts it kept in the progress of the appends.
    if (git_indexer_commit(m_indexer.get(), &m_progress) < 0) {
      util::throw_if_interrupted();
      throw NotApplicable{last_error_message()};
    }
  }

  const std::vector<std::string>& shallow() const { return m_shallow; }

private:
  enum class State { section, shallow_info, skipped_section, packfile, finished };

  void on_packet(PacketKind kind, std::string_view payload)
  {
    if (m_state == State::finished) {
      throw NotApplicable{"data after the end of the fetch reply"};
    }
    if (kind == PacketKind::flush) {
      m_state = m_state == State::packfile ? State::finished : m_state;
      if (m_state != State::finished) {
        throw NotApplicable{"the fetch reply has no pack"};
      }
      return;
    }
    if (kind == PacketKind::delim) {
      m_state = State::section;
      return;
    }
    if (kind != PacketKind::data) {
      throw NotApplicable{"unexpected packet in the fetch reply"};
    }
    switch (m_state) {
    case State::section:
      m_state = enter_section(packet_line(payload));
      break;
    case State::shallow_info:
      on_shallow_line(packet_line(payload));
      break;
    case State::skipped_section:
      break;
    case State::packfile:
      on_sideband(payload);
      break;
    case State::finished:
      break;
    }
  }

  State enter_section(std::string_view name)
  {
    if (name == "shallow-info") {
      return State::shallow_info;
    }
    if (name == "packfile") {
      return State::packfile;
    }
    if (name == "acknowledgments" || name == "wanted-refs" || name == "packfile-uris") {
      // packfile-uris would move part of the pack elsewhere: never asked for, so never sent.
      if (name == "packfile-uris") {
        throw NotApplicable{"the server sent packfile URIs"};
      }
      return State::skipped_section;
    }
    throw NotApplicable{"unknown section " + std::string(name)};
  }

  void on_shallow_line(std::string_view line)
  {
    if (util::starts_with(line, "shallow ")) {
      const auto hex = line.substr(8);
      parse_oid(hex);
      m_shallow.emplace_back(hex);
    } else if (!util::starts_with(line, "unshallow ")) {
      throw NotApplicable{"malformed shallow-info"};
    }
  }

  void on_sideband(std::string_view payload)
  {
    if (payload.empty()) {
      throw NotApplicable{"empty side-band packet"};
    }
    const auto band = payload.front();
    payload.remove_prefix(1);
    if (band == 1) {
      if (git_indexer_append(m_indexer.get(), payload.data(), payload.size(), &m_progress) < 0) {
        util::throw_if_interrupted();
        throw NotApplicable{last_error_message()};
      }
    } else if (band == 3) {
      throw NotApplicable{"the server reported: " + std::string(packet_line(payload))};
    } else if (band != 2) {
      throw NotApplicable{"unknown side-band channel"};
    }
  }

  struct IndexerFree {
    void operator()(git_indexer* p) const { git_indexer_free(p); }
  };
  struct OdbFree {
    void operator()(git_odb* p) const { git_odb_free(p); }
  };
  PacketReader m_reader;
  std::unique_ptr<git_odb, OdbFree> m_odb;
  std::unique_ptr<git_indexer, IndexerFree> m_indexer;
  git_indexer_progress m_progress{};
  State m_state = State::section;
  bool m_written = false;
  std::vector<std::string> m_shallow;
};

void fetch_pack(Conversation& conversation, git_repository* repo, const git_oid& want, int depth,
                std::vector<std::string>& shallow)
{
  char hex[GIT_OID_SHA1_HEXSIZE + 1] = {};
  git_oid_tostr(hex, sizeof hex, &want);
  std::string body;
  append_packet(body, "command=fetch\n");
  body += k_delim_packet;
  append_packet(body, "ofs-delta\n");
  append_packet(body, "no-progress\n");
  append_packet(body, "deepen " + std::to_string(depth) + "\n");
  append_packet(body, "want " + std::string(hex) + "\n");
  append_packet(body, "done\n");
  body += k_flush_packet;
  FetchReply reply(repo);
  conversation.command(std::move(body), &reply);
  reply.commit();
  shallow = reply.shallow();
}

/// Records the shallow boundary as git and libgit2 read it: one id per line in $GIT_DIR/shallow.
void write_shallow(git_repository* repo, std::vector<std::string> ids)
{
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string text;
  for (const auto& id : ids) {
    text += id + "\n";
  }
  const auto path = std::string(git_repository_path(repo)) + "shallow";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const bool written = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) {
    ::close(fd);
  }
  if (!written) {
    throw RemoteError("cannot write " + util::quoted(path), false);
  }
}

} // namespace

std::optional<Fetched> fetch_new_clone_v2(git_repository* repo, const Session& session,
                                          const FetchRequest& request)
{
  if (!applies(repo, session, request)) {
    return std::nullopt;
  }
  try {
    Conversation conversation(session);
    require_v2(conversation);
    auto fetched = choose_ref(list_refs(conversation, request.branch), request.branch);
    std::vector<std::string> shallow;
    fetch_pack(conversation, repo, fetched.tip, request.depth, shallow);
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, repo) == 0) {
      git_odb_refresh(odb);
      git_odb_free(odb);
    }
    if (!shallow.empty()) {
      write_shallow(repo, shallow);
    }
    const auto ref = destination_ref_name(fetched.branch, fetched.is_tag, request.layout);
    git_reference* written = nullptr;
    check(git_reference_create(&written, repo, ref.c_str(), &fetched.tip, 1, "syntask: git_clone"),
          "cannot write " + util::quoted(ref));
    git_reference_free(written);
    if (!fetched.is_tag) {
      fetched.commit = peel_to_commit(repo, fetched.tip, session);
    }
    spdlog::debug("git: fetched {} over protocol v2", ref);
    return fetched;
  } catch (const NotApplicable& reason) {
    spdlog::debug("git: fetching through libgit2 (protocol v0): {}", reason.why);
    return std::nullopt;
  }
}

} // namespace syntask::git::detail
