// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>

#include "git/cache.hpp"
#include "support/temp_dir.hpp"
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sys/stat.h>
#include <thread>

using namespace syntask;
using git::detail::CacheLock;
namespace fs = std::filesystem;

namespace {

ino_t inode_of(const fs::path& path)
{
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_ino;
}

} // namespace

TEST_CASE("git::CacheLock: a waiter whose lock file was deleted by the holder locks the new file",
          "[git][cache]")
{
  test::TempDir dir;
  const auto path = dir.path() / "key.lock";
  std::optional<CacheLock> holder(std::in_place, path);

  std::atomic<bool> locked{false};
  ino_t waiter_inode = 0;
  std::thread waiter([&] {
    const CacheLock lock(path);
    waiter_inode = inode_of(path);
    locked = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(locked.load());

  // What `syntask cache clear` does: delete the lock file while holding it, then let go. Locking the
  // deleted file would let a second pull lock a new file at the same path beside this one.
  fs::remove(path);
  holder.reset();
  waiter.join();
  CHECK(locked.load());
  CHECK(fs::exists(path));
  CHECK(waiter_inode == inode_of(path));
}

TEST_CASE("git::CacheLock marks the repository used now", "[git][cache]")
{
  test::TempDir dir;
  const auto path = dir.path() / "key.lock";
  {
    const CacheLock lock(path);
  }
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(72);
  fs::last_write_time(path, old);
  {
    const CacheLock lock(path);
  }
  CHECK(fs::last_write_time(path) > old + std::chrono::hours(71));
}
