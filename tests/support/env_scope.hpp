// SPDX-License-Identifier: Apache-2.0
// Sets or unsets an environment variable for the life of a scope, then puts back the previous value.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace syntask::test {

class EnvScope {
public:
  /// Sets `name` to `value`, or unsets it when `value` is nullopt.
  EnvScope(std::string name, const std::optional<std::string>& value) : m_name(std::move(name))
  {
    if (const char* previous = std::getenv(m_name.c_str())) {
      m_previous = previous;
    }
    apply(value);
  }
  ~EnvScope() { apply(m_previous); }
  EnvScope(const EnvScope&) = delete;
  EnvScope& operator=(const EnvScope&) = delete;

private:
  void apply(const std::optional<std::string>& value)
  {
    if (value) {
      ::setenv(m_name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(m_name.c_str());
    }
  }

  std::string m_name;
  std::optional<std::string> m_previous;
};

} // namespace syntask::test
