// SPDX-License-Identifier: Apache-2.0
#include "storage/upload_schedule.hpp"

#include <algorithm>

namespace syntask::storage::detail {

UploadSchedule::UploadSchedule(std::vector<std::uint64_t> sizes, std::uint64_t threshold,
                               std::uint64_t part_size)
{
  part_size = std::max<std::uint64_t>(part_size, 1);
  m_files.reserve(sizes.size());
  for (const auto size : sizes) {
    File file;
    file.size = size;
    if (threshold != 0 && size >= threshold) {
      file.part_size = std::max(part_size, (size + k_max_parts - 1) / k_max_parts);
      file.parts = static_cast<int>(std::max<std::uint64_t>((size + file.part_size - 1) / file.part_size, 1));
    }
    m_files.push_back(file);
  }
}

std::optional<UploadTask> UploadSchedule::next()
{
  if (m_stopped) {
    return std::nullopt;
  }
  UploadTask task;
  if (!m_ready.empty()) {
    // Completing first makes an object whole as early as possible and frees its bookkeeping.
    task.kind = UploadTask::Kind::complete;
    task.file = m_ready.front();
    m_ready.erase(m_ready.begin());
  } else if (!m_open.empty()) {
    auto& file = m_files[m_open.front()];
    task.kind = UploadTask::Kind::part;
    task.file = m_open.front();
    task.part = file.next_part;
    task.offset = static_cast<std::uint64_t>(file.next_part - 1) * file.part_size;
    task.length = std::min(file.part_size, file.size - task.offset);
    if (++file.next_part > file.parts) {
      m_open.erase(m_open.begin());
    }
  } else if (m_next_file < m_files.size()) {
    task.file = m_next_file++;
    task.kind = m_files[task.file].parts > 0 ? UploadTask::Kind::start : UploadTask::Kind::whole_file;
  } else {
    return std::nullopt;
  }
  ++m_running;
  return task;
}

void UploadSchedule::succeeded(const UploadTask& task)
{
  --m_running;
  auto& file = m_files.at(task.file);
  switch (task.kind) {
  case UploadTask::Kind::whole_file:
  case UploadTask::Kind::complete:
    ++m_done;
    break;
  case UploadTask::Kind::start:
    m_open.push_back(task.file);
    break;
  case UploadTask::Kind::part:
    if (++file.parts_done == file.parts) {
      m_ready.push_back(task.file);
    }
    break;
  }
}

void UploadSchedule::failed(const UploadTask&)
{
  --m_running;
  m_stopped = true;
}

bool UploadSchedule::finished() const
{
  return m_running == 0 && (m_stopped || m_done == m_files.size());
}

std::size_t UploadSchedule::max_parallel() const
{
  std::size_t tasks = 0;
  for (const auto& file : m_files) {
    tasks += file.parts > 0 ? static_cast<std::size_t>(file.parts) : 1;
  }
  return tasks;
}

} // namespace syntask::storage::detail
