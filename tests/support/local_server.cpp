// SPDX-License-Identifier: Apache-2.0
#include "support/local_server.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace syntask::test {

LocalServer::LocalServer(const std::vector<std::string>& argv)
{
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  const int spawned = posix_spawnp(&m_pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd fd{pipe_fds[0], POLLIN, 0};
    if (::poll(&fd, 1, 100) <= 0) {
      continue;
    }
    char buffer[64];
    const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got <= 0) {
      break;
    }
    line.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  m_port = std::atoi(line.c_str());
  if (m_port <= 0) {
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    throw std::runtime_error(argv[0] + " printed no port");
  }
}

LocalServer::~LocalServer()
{
  ::kill(m_pid, SIGTERM);
  ::waitpid(m_pid, nullptr, 0);
}

std::string support_file(const std::string& name)
{
  const char* source = std::getenv("SYNTASK_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/tests/support/" + name;
}

} // namespace syntask::test
