// SPDX-License-Identifier: Apache-2.0
// The Docker Engine API client: where the daemon is (DOCKER_HOST, the current docker context, the default
// socket), the API version both sides speak, JSON-lines streams (build, push, pull) and the daemon's error
// messages, and the few operations syntask needs (build, tag, push, pull, inspect, containers).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace syntask::http {
class Client;
class BodySource;
class BodySink;
struct Response;
using Headers = std::vector<std::pair<std::string, std::string>>;
} // namespace syntask::http

namespace syntask::docker {

/// The newest and oldest Engine API versions this client speaks; the daemon's version is capped at the first.
inline constexpr std::string_view k_max_api_version = "1.43";
inline constexpr std::string_view k_min_api_version = "1.24";

using Environment = std::map<std::string, std::string>;

/// How to reach a daemon.
struct Endpoint {
  std::string host;        ///< as written: unix:///var/run/docker.sock, tcp://10.0.0.1:2376
  std::string origin;      ///< where it came from: "DOCKER_HOST", "docker context 'NAME'" or "the default"
  std::string unix_socket; ///< the socket path for unix:// hosts, else ""
  std::string base_url;    ///< http://localhost for sockets; http:// or https://HOST:PORT for tcp
  std::string ca_file; ///< TLS: the CA to verify the daemon with ("" = no verification wanted or system CAs)
  std::string client_certificate;
  std::string client_key;
  bool tls_verify = false;
};

/// DOCKER_CONFIG, else $HOME/.docker.
std::filesystem::path config_directory(const Environment& environment);

/// Where the daemon is, as the docker CLI decides: DOCKER_HOST (tcp:// with DOCKER_TLS_VERIFY and
/// DOCKER_CERT_PATH, default ~/.docker), else the context named by DOCKER_CONTEXT or config.json's
/// `currentContext` (its meta.json under contexts/meta/<sha256 of the name>/; "default" means none), else
/// unix:///var/run/docker.sock. Throws syntask::UsageError for an unknown context or an unsupported host.
Endpoint resolve_endpoint(const Environment& environment);

/// An endpoint for a host string (unix://PATH, tcp://HOST:PORT, http(s)://HOST:PORT). With `tls`, client
/// certificates ca.pem, cert.pem and key.pem are taken from `cert_directory` where they exist.
Endpoint endpoint_from_host(std::string_view host, bool tls, bool tls_verify,
                            const std::filesystem::path& cert_directory, std::string origin);

/// The API version to use with a daemon announcing `server_version`: the smaller of it and
/// k_max_api_version. Throws syntask::RemoteError when the daemon is older than k_min_api_version.
std::string negotiate_api_version(std::string_view server_version);

/// One line out of an HTTP error answer: the `message` of a JSON body, else its first non-empty line,
/// else "HTTP STATUS"; line breaks inside the message become "; ".
std::string error_message(long status, std::string_view body);

/// Splits a stream of newline-separated JSON objects (which may arrive in arbitrary pieces) into objects.
/// A line that is not JSON is handed on as {"stream": line}.
class JsonLines {
public:
  explicit JsonLines(std::function<void(const nlohmann::json&)> on_message)
      : m_on_message(std::move(on_message))
  {
  }
  void feed(std::string_view data);
  /// Hands on a last line that had no newline.
  void finish();

private:
  void emit(std::string_view line);
  std::function<void(const nlohmann::json&)> m_on_message;
  std::string m_pending;
};

/// What a build, push or pull stream said, and its live display: `stream` text is written as it comes,
/// `status` messages as "ID: STATUS [PROGRESS]" lines when a layer's status changes (progress of the same
/// status at most once a second per layer), other statuses as they are.
class StreamReport {
public:
  explicit StreamReport(std::ostream* output) : m_output(output) {}
  void handle(const nlohmann::json& message);

  /// The first error reported inside the stream (`error`, `errorDetail.message` or `message`), one line; "".
  const std::string& error() const { return m_error; }
  /// aux.ID of a build ("sha256:..."), "" when none.
  const std::string& image_id() const { return m_image_id; }
  /// aux.Digest of a push, else the digest in a "TAG: digest: sha256:... size: N" status; "" when none.
  const std::string& digest() const { return m_digest; }

private:
  void show(const std::string& line);
  std::ostream* m_output;
  std::string m_error;
  std::string m_image_id;
  std::string m_digest;
  bool m_line_open = false;
  struct Layer {
    std::string status;
    long long shown_at_ms = 0;
  };
  std::map<std::string, Layer> m_layers;
};

/// "; the registry refused access: check the login (credentials block or ~/.docker/config.json), that the
/// image name is one you may push to, and that the base image may be pulled" when `message` says "denied"
/// or "unauthorized", else "".
std::string denied_hint(std::string_view message);

/// An image reference split as the registry sees it.
struct ImageReference {
  std::string registry;   ///< "docker.io" when none is written
  std::string repository; ///< the name without registry, tag or digest ("library/" added for Docker Hub)
  std::string tag;        ///< "" when none
  std::string digest;     ///< "" when none
  /// registry/repository as written (without tag or digest), e.g. "127.0.0.1:5000/team/app".
  std::string name;
};

/// Parses NAME[:TAG][@DIGEST]; the registry is the first part when it has a '.' or ':' or is "localhost".
ImageReference parse_image_reference(std::string_view reference);

/// A connection to one daemon. Not thread-safe.
class Engine {
public:
  explicit Engine(Endpoint endpoint);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// The daemon of the current environment (resolve_endpoint of the process environment).
  static Engine from_environment();

  const Endpoint& endpoint() const { return m_endpoint; }

  /// The negotiated API version ("1.41"), asking /_ping (Api-Version header) or /version once.
  const std::string& api_version();

  /// Sends METHOD /v<version><path_and_query>. Throws syntask::RemoteError "cannot reach the docker
  /// daemon at HOST (ORIGIN): REASON" when the daemon cannot be reached; any HTTP status is returned.
  http::Response call(const std::string& method, const std::string& path_and_query,
                      http::Headers headers = {}, http::BodySource* body = nullptr,
                      http::BodySink* sink = nullptr);

  /// call() that throws syntask::RemoteError with error_message() for statuses >= 300 (prefixed by
  /// `what` and ": ") and returns the parsed JSON body (null when empty).
  nlohmann::json call_json(const std::string& what, const std::string& method,
                           const std::string& path_and_query, http::Headers headers = {},
                           http::BodySource* body = nullptr);

  /// A call answered with a JSON-lines stream: each object goes to `on_message` as it arrives. HTTP errors
  /// throw as call_json does; errors inside the stream are the caller's to look at.
  void stream(const std::string& what, const std::string& method, const std::string& path_and_query,
              http::Headers headers, http::BodySource* body,
              const std::function<void(const nlohmann::json&)>& on_message);

private:
  Endpoint m_endpoint;
  std::unique_ptr<http::Client> m_client;
  std::string m_version;
};

/// What POST /build gets.
struct BuildOptions {
  std::filesystem::path context;         ///< the directory sent as the build context
  std::string dockerfile = "Dockerfile"; ///< relative to the context
  std::vector<std::string> tags;         ///< NAME:TAG, given to the build (t=)
  bool pull = false;
  bool nocache = false;
  std::string platform;
  std::string target;
  nlohmann::json buildargs = nlohmann::json::object();
  nlohmann::json labels = nlohmann::json::object();
  std::string registry_config;    ///< the X-Registry-Config header value ("" = none)
  std::ostream* output = nullptr; ///< where the build output goes live
};

/// Builds an image, streaming the context. Returns the image id ("sha256:..."). Throws syntask::RemoteError
/// "build failed: MESSAGE[HINT]" (one line) for errors as HTTP status or inside the stream.
std::string build_image(Engine& engine, const BuildOptions& options);

/// POST /images/SOURCE/tag?repo=REPOSITORY&tag=TAG. Throws RemoteError "cannot tag ...: MESSAGE".
void tag_image(Engine& engine, const std::string& source, const std::string& repository,
               const std::string& tag);

/// GET /images/NAME/json; nullopt when the daemon has no such image.
std::optional<nlohmann::json> inspect_image(Engine& engine, const std::string& name);

/// Pushes NAME:TAG with the X-Registry-Auth value `registry_auth`, showing per-layer progress. Transient
/// failures (connection resets, 5xx, timeouts) are retried up to `attempts` times with backoff. Returns
/// the registry's manifest digest. Throws RemoteError "push of 'NAME:TAG' failed: MESSAGE[HINT]".
std::string push_image(Engine& engine, const std::string& name, const std::string& tag,
                       const std::string& registry_auth, std::ostream* output, int attempts = 3);

/// Pulls `reference` (NAME:TAG or NAME@DIGEST) with `registry_auth`, showing progress. Throws RemoteError
/// "pull of 'REFERENCE' failed: MESSAGE[HINT]".
void pull_image(Engine& engine, const std::string& reference, const std::string& registry_auth,
                std::ostream* output);

/// What a container is created with.
struct ContainerSpec {
  std::string image;
  std::vector<std::string> command;     ///< Cmd
  std::vector<std::string> environment; ///< KEY=VALUE
  std::string working_directory;        ///< "" = the image's
  std::vector<std::string> binds;       ///< HOST:CONTAINER[:ro] volumes
  std::string network_mode;             ///< "" = the daemon's default
  std::map<std::string, std::string> labels;
};

/// Creates a container; returns its id. Throws RemoteError "cannot create a container from 'IMAGE': ...".
std::string create_container(Engine& engine, const ContainerSpec& spec);
void start_container(Engine& engine, const std::string& id);
/// Streams the container's stdout and stderr (demultiplexed) until it exits.
void follow_container_logs(Engine& engine, const std::string& id, std::ostream* out, std::ostream* err);
/// Waits for the container to stop; returns its exit status.
int wait_container(Engine& engine, const std::string& id);
/// Removes the container (forcibly); failures are ignored.
void remove_container(Engine& engine, const std::string& id) noexcept;

/// Files put into a container before it starts.
struct ContainerArchive {
  /// A host folder whose entries (not the folder itself) go in below the upload path; "" for none.
  std::filesystem::path tree;
  /// Folders of `tree` ('/'-separated, relative to it) that get no entry of their own, only their
  /// contents: they stand for container folders that may exist already, whose owner and mode stay as the
  /// image has them. The daemon makes missing ones (mode 0755).
  std::vector<std::string> bare_directories;
  /// A file made from memory.
  struct File {
    std::string name; ///< relative to the upload path; its parent folders are written with mode 0700
    std::string content;
    unsigned mode = 0600;
  };
  std::vector<File> files;
};

/// Writes `archive` as a tar (uncompressed POSIX, owners 0:0, symlinks stored as links, `tree` in byte
/// order of names, then `files`) to `write` in chunks of at most 64 KiB as the files are read. Throws
/// syntask::FileError naming a file that cannot be read.
void stream_container_archive(const ContainerArchive& archive,
                              const std::function<void(std::string_view)>& write);

/// PUT /containers/ID/archive?path=PATH: extracts `archive`, streamed, below the container folder `path`
/// (which must exist in the container), the entries owned by the user the container runs as. Throws
/// RemoteError "cannot copy files into container 'ID': MESSAGE".
void put_container_archive(Engine& engine, const std::string& id, const std::string& path,
                           const ContainerArchive& archive);

/// Splits the multiplexed log stream of a container without a TTY (8-byte frame headers: stream 1 =
/// stdout, 2 = stderr, then a big-endian length) as it arrives in arbitrary pieces.
class LogDemuxer {
public:
  LogDemuxer(std::function<void(std::string_view)> on_stdout, std::function<void(std::string_view)> on_stderr)
      : m_on_stdout(std::move(on_stdout)), m_on_stderr(std::move(on_stderr))
  {
  }
  void feed(std::string_view data);

private:
  std::function<void(std::string_view)> m_on_stdout;
  std::function<void(std::string_view)> m_on_stderr;
  std::string m_pending;
};

/// Whether a stream error is worth another attempt (timeouts, resets, 5xx from the registry).
bool is_transient_stream_error(std::string_view message);

} // namespace syntask::docker
