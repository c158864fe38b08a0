// SPDX-License-Identifier: Apache-2.0
// `syntask cache ls` and `syntask cache clear`: the local caches under SYNTASK_HOME that pulls and pushes
// keep (git mirrors and tree snapshots, push hash caches). Everything in them can be rebuilt: clearing
// costs the next pull a full clone and the next push one read of every file.
#include <syntask/git/clone.hpp>
#include <syntask/storage/transfer.hpp>
#include <syntask/util/strings.hpp>

#include "cli/context.hpp"
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>

namespace syntask::cli {

namespace {

namespace fs = std::filesystem;

struct CacheFolders {
  fs::path git;
  fs::path push_hashes;
};

CacheFolders cache_folders()
{
  const auto home = store::Store::default_home();
  return {home / git::k_clone_cache_folder, home / storage::k_push_hash_folder};
}

// "2026-11-24T04:10:25Z"
std::string utc_timestamp(fs::file_time_type time)
{
  const auto seconds =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::system_clock::duration>(
          std::chrono::file_clock::to_sys(time)));
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string human_time(fs::file_time_type time)
{
  auto text = utc_timestamp(time);
  text[10] = ' ';
  return text.substr(0, 16) + " UTC";
}

std::string count_of(std::size_t count, const std::string& singular, const std::string& plural)
{
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

std::string row(std::uint64_t bytes, fs::file_time_type last_used, const std::string& what)
{
  auto size = util::human_bytes(static_cast<double>(bytes));
  size.resize(std::max<std::size_t>(size.size(), 10), ' ');
  return "  " + size + "  " + human_time(last_used) + "  " + what;
}

nlohmann::json describe(const git::CachedRepository& repository)
{
  return {{"url", repository.url},
          {"key", repository.key},
          {"bytes", repository.bytes},
          {"last_used", utc_timestamp(repository.last_used)}};
}

nlohmann::json describe(const storage::CachedPushHashes& cache)
{
  return {{"directory", cache.directory},
          {"file", cache.file.string()},
          {"bytes", cache.bytes},
          {"last_used", utc_timestamp(cache.last_used)}};
}

template <typename Entry> std::uint64_t total_bytes(const std::vector<Entry>& entries)
{
  std::uint64_t total = 0;
  for (const auto& entry : entries) {
    total += entry.bytes;
  }
  return total;
}

void list_caches(Context& context)
{
  const auto folders = cache_folders();
  const auto repositories = git::list_clone_cache(folders.git);
  const auto hashes = storage::list_push_hash_caches(folders.push_hashes);
  auto& output = context.output();
  output.result("Git clone cache (" + folders.git.string() +
                    "): " + count_of(repositories.size(), "repository", "repositories") + ", " +
                    util::human_bytes(static_cast<double>(total_bytes(repositories))),
                ui::Style::bold);
  auto repository_rows = nlohmann::json::array();
  for (const auto& repository : repositories) {
    output.result(row(repository.bytes, repository.last_used,
                      repository.url.empty() ? "(URL not recorded) " + repository.key : repository.url));
    repository_rows.push_back(describe(repository));
  }
  output.result("Push hash caches (" + folders.push_hashes.string() +
                    "): " + count_of(hashes.size(), "directory", "directories") + ", " +
                    util::human_bytes(static_cast<double>(total_bytes(hashes))),
                ui::Style::bold);
  auto hash_rows = nlohmann::json::array();
  for (const auto& cache : hashes) {
    output.result(row(cache.bytes, cache.last_used,
                      cache.directory.empty() ? "(unreadable) " + cache.file.string() : cache.directory));
    hash_rows.push_back(describe(cache));
  }
  output.json_result({{"git", {{"path", folders.git.string()}, {"repositories", repository_rows}}},
                      {"push_hashes", {{"path", folders.push_hashes.string()}, {"directories", hash_rows}}}});
}

struct ClearOptions {
  bool git = false;
  bool push_hashes = false;
  double unused_for_days = 0;
};

void clear_caches(Context& context, const ClearOptions& options)
{
  const bool both = !options.git && !options.push_hashes;
  const auto cutoff = fs::file_time_type::clock::now() -
                      std::chrono::duration_cast<fs::file_time_type::duration>(
                          std::chrono::duration<double, std::ratio<86400>>(options.unused_for_days));
  const auto folders = cache_folders();
  auto removed_repositories = nlohmann::json::array();
  auto removed_hashes = nlohmann::json::array();
  std::uint64_t repository_bytes = 0;
  std::uint64_t hash_bytes = 0;
  if (both || options.git) {
    for (const auto& repository : git::list_clone_cache(folders.git)) {
      if (repository.last_used <= cutoff &&
          git::remove_from_clone_cache(folders.git, repository.key, cutoff)) {
        repository_bytes += repository.bytes;
        removed_repositories.push_back(describe(repository));
      }
    }
  }
  if (both || options.push_hashes) {
    for (const auto& cache : storage::list_push_hash_caches(folders.push_hashes)) {
      std::error_code error;
      if (cache.last_used <= cutoff && fs::remove(cache.file, error)) {
        hash_bytes += cache.bytes;
        removed_hashes.push_back(describe(cache));
      } else if (error) {
        throw Error("cannot remove " + util::quoted(cache.file.string()) + ": " + error.message());
      }
    }
  }
  auto& output = context.output();
  if (both || options.git) {
    output.result("Removed " + count_of(removed_repositories.size(), "repository", "repositories") + " (" +
                  util::human_bytes(static_cast<double>(repository_bytes)) + ") from the git clone cache.");
  }
  if (both || options.push_hashes) {
    output.result("Removed " + count_of(removed_hashes.size(), "push hash cache", "push hash caches") + " (" +
                  util::human_bytes(static_cast<double>(hash_bytes)) + ").");
  }
  output.json_result({{"removed", {{"git", removed_repositories}, {"push_hashes", removed_hashes}}},
                      {"bytes", repository_bytes + hash_bytes}});
}

} // namespace

void set_cache_command(CLI::App& app, Context& context)
{
  auto* group = app.add_subcommand(
      "cache", "Show and clear the local caches under SYNTASK_HOME (git mirrors, push hash caches)");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("ls", "List the cached repositories and pushed directories, with their "
                                           "size and when a pull or push last used them");
  context.add_common_flags(list, false);
  list->callback([&context] { list_caches(context); });

  auto options = std::make_shared<ClearOptions>();
  auto* clear = group->add_subcommand(
      "clear",
      "Remove cached repositories and push hash caches (both unless --git or --push-hashes); a pull "
      "using a repository finishes first. The next pull clones anew, the next push reads every file");
  clear->add_flag("--git", options->git, "Only the git clone cache (mirrors and tree snapshots)");
  clear->add_flag("--push-hashes", options->push_hashes, "Only the push hash caches");
  clear
      ->add_option("--unused-for", options->unused_for_days,
                   "Only what no pull or push used for this many days (fractions allowed; default 0: all)")
      ->check(CLI::Validator(
          // Not CLI::NonNegativeNumber: "nan" passes it (no comparison with NaN is true) and would clear all.
          [](std::string& text) -> std::string {
            char* end = nullptr;
            const double days = std::strtod(text.c_str(), &end);
            const bool number = !text.empty() && end == text.c_str() + text.size();
            return number && std::isfinite(days) && days >= 0 ? "" : "expected a number of days, 0 or more";
          },
          "DAYS"));
  context.add_common_flags(clear, false);
  clear->callback([options, &context] { clear_caches(context, *options); });
}

} // namespace syntask::cli
