// SPDX-License-Identifier: Apache-2.0
// A helper program serving on 127.0.0.1 for the duration of a test (a Python script of tests/support/):
// it is started with its port chosen by the program, which prints the port as its first line of output.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace syntask::test {

class LocalServer {
public:
  /// Starts argv (argv[0] looked up in PATH) and waits up to 10 s for the port line. Throws
  /// std::runtime_error when the program exits or prints no port.
  explicit LocalServer(const std::vector<std::string>& argv);
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const { return m_port; }
  /// "http://127.0.0.1:PORT"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
  pid_t m_pid = -1;
  int m_port = 0;
};

/// The path of a file under tests/support/ in the source tree (from SYNTASK_SOURCE_DIR).
std::string support_file(const std::string& name);

} // namespace syntask::test
