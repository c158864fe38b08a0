// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <ostream>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace syntask::util {

namespace {

class ProcessError : public Error {
public:
  using Error::Error;
};

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe()
  {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      throw ProcessError(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe()
  {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read()
  {
    if (read_end >= 0) {
      ::close(read_end);
      read_end = -1;
    }
  }
  void close_write()
  {
    if (write_end >= 0) {
      ::close(write_end);
      write_end = -1;
    }
  }
};

// Copies streamed output; with a redactor, whole lines only, so a secret split across reads is still seen.
class StreamCopier {
public:
  StreamCopier(std::ostream* stream, const Redactor* redactor) : m_stream(stream), m_redactor(redactor) {}

  void write(std::string_view chunk)
  {
    if (m_stream == nullptr) {
      return;
    }
    if (m_redactor == nullptr) {
      m_stream->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      m_stream->flush();
      return;
    }
    m_pending += chunk;
    const auto last_newline = m_pending.rfind('\n');
    if (last_newline != std::string::npos) {
      *m_stream << m_redactor->scrub(std::string_view(m_pending).substr(0, last_newline + 1));
      m_stream->flush();
      m_pending.erase(0, last_newline + 1);
    }
  }

  void finish()
  {
    if (m_stream != nullptr && !m_pending.empty()) {
      *m_stream << (m_redactor != nullptr ? m_redactor->scrub(m_pending) : m_pending);
      m_stream->flush();
      m_pending.clear();
    }
  }

private:
  std::ostream* m_stream;
  const Redactor* m_redactor;
  std::string m_pending;
};

// Reads both pipes until both are closed, so a child filling one pipe never blocks on the other.
void drain(Pipe& out, Pipe& err, const ProcessOptions& options, ProcessResult& result)
{
  StreamCopier copiers[2] = {{options.stream_stdout, options.redactor},
                             {options.stream_stderr, options.redactor}};
  char buffer[8192];
  while (out.read_end >= 0 || err.read_end >= 0) {
    pollfd fds[2] = {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw ProcessError(std::string("cannot read child output: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i) {
      Pipe& pipe = i == 0 ? out : err;
      if (pipe.read_end < 0 || fds[i].revents == 0) {
        continue;
      }
      const auto n = ::read(pipe.read_end, buffer, sizeof buffer);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          continue;
        }
        pipe.close_read();
        copiers[i].finish();
        continue;
      }
      const std::string_view chunk(buffer, static_cast<std::size_t>(n));
      copiers[i].write(chunk);
      if (options.capture) {
        (i == 0 ? result.stdout_text : result.stderr_text) += chunk;
      }
    }
  }
}

} // namespace

bool is_syntask_key_variable(std::string_view name)
{
  return name == k_secret_key_variable || name == k_secret_key_file_variable;
}

std::map<std::string, std::string> current_environment()
{
  std::map<std::string, std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      environment.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
  }
  return environment;
}

namespace {

// Passes the signal of an interrupt on to a child, unless the terminal already sent it to the child's
// process group (Ctrl-C and a hang-up reach the whole foreground group).
void forward_interrupt(pid_t child)
{
  const int signal_number = interrupt_signal();
  const bool foreground = ::getpgid(child) == ::getpgrp() && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
  if (signal_number != 0 && !(foreground && (signal_number == SIGINT || signal_number == SIGHUP))) {
    ::kill(child, signal_number);
  }
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options)
{
  if (argv.empty()) {
    throw ProcessError("cannot run an empty command");
  }
  std::vector<char*> arguments;
  for (const auto& argument : argv) {
    arguments.push_back(const_cast<char*>(argument.c_str()));
  }
  arguments.push_back(nullptr);
  std::vector<std::string> environment_entries;
  for (const auto& [key, value] : options.environment) {
    if (!is_syntask_key_variable(key)) {
      environment_entries.push_back(key + "=" + value);
    }
  }
  std::vector<char*> environment;
  for (auto& entry : environment_entries) {
    environment.push_back(entry.data());
  }
  environment.push_back(nullptr);

  // posix_spawnp would search PATH in *our* environment; the child's PATH is the one that counts.
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {
    const auto path = options.environment.find("PATH");
    const std::string search = path != options.environment.end() ? path->second : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= search.size()) {
      auto end = search.find(':', start);
      if (end == std::string::npos) {
        end = search.size();
      }
      const std::string directory = end > start ? search.substr(start, end - start) : ".";
      const std::string candidate = directory + "/" + argv[0];
      if (::access(candidate.c_str(), X_OK) == 0) {
        program = candidate;
        break;
      }
      start = end + 1;
    }
  }

  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!options.inherit_stdio) {
    posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
    if (!options.inherit_stdin) {
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
  }
  if (!options.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());
  }
  pid_t pid = 0;
  const int rc =
      ::posix_spawn(&pid, program.c_str(), &actions, nullptr, arguments.data(), environment.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw ProcessError("cannot run '" + argv[0] + "': " + std::strerror(rc));
  }
  out.close_write();
  err.close_write();

  ProcessResult result;
  int status = 0;
  {
    // The child decides how to end on an interrupt; this process waits for it, then reports it.
    const InterruptScope forward([pid] { forward_interrupt(pid); });
    if (!options.inherit_stdio) {
      drain(out, err, options, result);
    }
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        throw ProcessError(std::string("cannot wait for '") + argv[0] + "': " + std::strerror(errno));
      }
    }
  }
  throw_if_interrupted();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
    // posix_spawn reports a failed exec (missing program, bad directory) as exit status 127.
    if (result.exit_code == 127 && ::access(program.c_str(), X_OK) != 0) {
      throw ProcessError("cannot run '" + argv[0] + "': No such file or directory");
    }
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

std::vector<std::string> split_command_line(const std::string& line)
{
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < line.size() && std::strchr("\\\"$`\n", line[i + 1]) != nullptr) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 < line.size()) {
        word += line[++i];
      }
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) {
        words.push_back(word);
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) {
    throw ProcessError(std::string("unbalanced ") + (quote == '"' ? "double" : "single") + " quote in '" +
                       line + "'");
  }
  if (in_word) {
    words.push_back(word);
  }
  return words;
}

std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& environment)
{
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      result += text[i];
      continue;
    }
    const bool braced = text[i + 1] == '{';
    std::size_t start = braced ? i + 2 : i + 1;
    std::size_t end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
      ++end;
    }
    if (end == start || (braced && (end >= text.size() || text[end] != '}'))) {
      result += text[i];
      continue;
    }
    const auto name = text.substr(start, end - start);
    const auto found = environment.find(name);
    const std::size_t stop = braced ? end + 1 : end;
    if (found == environment.end()) {
      result += text.substr(i, stop - i);
    } else {
      result += found->second;
    }
    i = stop - 1;
  }
  return result;
}

} // namespace syntask::util
