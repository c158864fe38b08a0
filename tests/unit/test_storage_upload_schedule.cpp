// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>

#include "storage/upload_schedule.hpp"
#include <sstream>
#include <string>
#include <vector>

using syntask::storage::detail::k_max_parts;
using syntask::storage::detail::UploadSchedule;
using syntask::storage::detail::UploadTask;
using Kind = UploadTask::Kind;

namespace {

// "whole 0", "start 1", "part 1.2 @10+10", "complete 1": tasks as text, so a failure shows the order.
std::string describe(const UploadTask& task)
{
  std::ostringstream text;
  switch (task.kind) {
  case Kind::whole_file:
    text << "whole " << task.file;
    break;
  case Kind::start:
    text << "start " << task.file;
    break;
  case Kind::part:
    text << "part " << task.file << '.' << task.part << " @" << task.offset << '+' << task.length;
    break;
  case Kind::complete:
    text << "complete " << task.file;
    break;
  }
  return text.str();
}

std::string take(UploadSchedule& schedule, std::vector<UploadTask>& running)
{
  const auto task = schedule.next();
  if (!task) {
    return "none";
  }
  running.push_back(*task);
  return describe(*task);
}

// Reports the running task described as `what` as succeeded.
void succeed(UploadSchedule& schedule, std::vector<UploadTask>& running, const std::string& what)
{
  for (auto it = running.begin(); it != running.end(); ++it) {
    if (describe(*it) == what) {
      schedule.succeeded(*it);
      running.erase(it);
      return;
    }
  }
  FAIL("not running: " << what);
}

} // namespace

TEST_CASE("storage::upload schedule with one worker: every task in order, parts exact")
{
  UploadSchedule schedule({3, 25, 0, 10}, 10, 10);
  CHECK_FALSE(schedule.multipart(0));
  CHECK(schedule.parts(1) == 3);
  CHECK(schedule.parts(3) == 1);
  CHECK(schedule.max_parallel() == 1 + 3 + 1 + 1);
  std::vector<std::string> order;
  while (const auto task = schedule.next()) {
    order.push_back(describe(*task));
    schedule.succeeded(*task);
  }
  CHECK(order == std::vector<std::string>{"whole 0", "start 1", "part 1.1 @0+10", "part 1.2 @10+10",
                                          "part 1.3 @20+5", "complete 1", "whole 2", "start 3",
                                          "part 3.1 @0+10", "complete 3"});
  CHECK(schedule.finished());
}

TEST_CASE("storage::upload schedule with many workers: parts wait for their start, complete for every part")
{
  UploadSchedule schedule({25, 4, 12}, 10, 10);
  std::vector<UploadTask> running;
  CHECK(take(schedule, running) == "start 0");
  // Nothing of file 0 can run before its start succeeded: the next files begin meanwhile.
  CHECK(take(schedule, running) == "whole 1");
  CHECK(take(schedule, running) == "start 2");
  CHECK(take(schedule, running) == "none");
  CHECK_FALSE(schedule.finished());

  succeed(schedule, running, "start 2");
  succeed(schedule, running, "start 0");
  // Parts of the upload started first come first, all of them at once if workers are free.
  CHECK(take(schedule, running) == "part 2.1 @0+10");
  CHECK(take(schedule, running) == "part 2.2 @10+2");
  CHECK(take(schedule, running) == "part 0.1 @0+10");
  CHECK(take(schedule, running) == "part 0.2 @10+10");
  CHECK(take(schedule, running) == "part 0.3 @20+5");
  CHECK(take(schedule, running) == "none");

  // Parts finish in any order; the complete is handed out once the last one is stored.
  succeed(schedule, running, "part 0.3 @20+5");
  succeed(schedule, running, "part 0.1 @0+10");
  CHECK(take(schedule, running) == "none");
  succeed(schedule, running, "part 0.2 @10+10");
  CHECK(take(schedule, running) == "complete 0");
  succeed(schedule, running, "part 2.2 @10+2");
  succeed(schedule, running, "whole 1");
  succeed(schedule, running, "part 2.1 @0+10");
  CHECK(take(schedule, running) == "complete 2");
  CHECK_FALSE(schedule.finished());
  succeed(schedule, running, "complete 0");
  succeed(schedule, running, "complete 2");
  CHECK(take(schedule, running) == "none");
  CHECK(schedule.finished());
}

TEST_CASE("storage::upload schedule stops handing out tasks after a failure")
{
  UploadSchedule schedule({30, 1, 1}, 10, 10);
  std::vector<UploadTask> running;
  CHECK(take(schedule, running) == "start 0");
  succeed(schedule, running, "start 0");
  CHECK(take(schedule, running) == "part 0.1 @0+10");
  CHECK(take(schedule, running) == "part 0.2 @10+10");
  schedule.failed(running.front());
  CHECK(schedule.stopped());
  CHECK(take(schedule, running) == "none");
  // The part still running reports before the push is over.
  CHECK_FALSE(schedule.finished());
  succeed(schedule, running, "part 0.2 @10+10");
  CHECK(take(schedule, running) == "none");
  CHECK(schedule.finished());
}

TEST_CASE("storage::upload schedule: no multipart without a threshold, larger parts past the part limit")
{
  UploadSchedule never({1ULL << 40, 0}, 0, 8);
  CHECK_FALSE(never.multipart(0));
  CHECK(never.max_parallel() == 2);

  const std::uint64_t part = 8;
  const std::uint64_t size = part * k_max_parts + 3;
  UploadSchedule huge({size}, 16, part);
  // 10,001 parts of 8 bytes would be too many: parts of 9 bytes instead.
  CHECK(huge.parts(0) == 8890);
  const auto start = huge.next();
  REQUIRE(start);
  huge.succeeded(*start);
  std::uint64_t covered = 0;
  std::uint64_t last_end = 0;
  while (const auto task = huge.next()) {
    if (task->kind == Kind::part) {
      CHECK(task->offset == last_end);
      CHECK(task->length == (task->part < 8890 ? 9 : size - 8889 * 9));
      last_end = task->offset + task->length;
      covered += task->length;
    }
    huge.succeeded(*task);
  }
  CHECK(covered == size);
  CHECK(huge.finished());

  UploadSchedule empty({}, 10, 10);
  CHECK(empty.max_parallel() == 0);
  CHECK_FALSE(empty.next());
  CHECK(empty.finished());
}
