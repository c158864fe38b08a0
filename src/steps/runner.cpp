// SPDX-License-Identifier: Apache-2.0
#include <syntask/steps/runner.hpp>
#include <syntask/store/store.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/scrubbed_stream.hpp>
#include <syntask/util/strings.hpp>

#include <spdlog/spdlog.h>

#include <optional>
#include <ostream>

namespace syntask::steps {

StepContext::StepContext(ui::Output& ui, util::Redactor& redactor)
    : m_ui(&ui), m_redactor(&redactor),
      m_output(std::make_unique<util::ScrubbedStream>(ui.program_output(), redactor)),
      m_diagnostics(std::make_unique<util::ScrubbedStream>(ui.diagnostics(), redactor))
{
}

StepContext::~StepContext() = default;

std::ostream& StepContext::output() const
{
  return *m_output;
}

std::ostream& StepContext::diagnostics() const
{
  return *m_diagnostics;
}

StepScope::StepScope(nlohmann::json outputs, store::Store* store)
    : m_outputs(std::move(outputs)), m_store(store)
{
  if (!m_outputs.is_object()) {
    m_outputs = nlohmann::json::object();
  }
}

std::optional<nlohmann::json> StepScope::step_output(const std::string& path) const
{
  return tmpl::lookup_path(m_outputs, path);
}

std::optional<std::string> StepScope::env(const std::string& name) const
{
  return util::get_env(name.c_str());
}

std::optional<tmpl::BlockValue> StepScope::block(const std::string& type, const std::string& name) const
{
  if (m_store == nullptr) {
    return std::nullopt;
  }
  auto block = m_store->get_block(type, name);
  if (!block) {
    return std::nullopt;
  }
  return tmpl::BlockValue{std::move(block->data), std::move(block->sensitive)};
}

std::optional<nlohmann::json> StepScope::variable(const std::string& name) const
{
  if (m_store == nullptr) {
    return std::nullopt;
  }
  return m_store->get_variable(name);
}

void StepScope::add_output(const std::string& id, const nlohmann::json& output)
{
  if (!output.is_object()) {
    return;
  }
  if (!id.empty()) {
    m_outputs[id] = output;
  }
  for (const auto& [key, value] : output.items()) {
    m_outputs[key] = value;
  }
}

namespace {

// No trailing separator ("a/b/." normalises to "a/b/"), except for a root.
std::filesystem::path normal_folder(const std::filesystem::path& path)
{
  auto normal = path.lexically_normal();
  if (normal.has_relative_path() && !normal.has_filename()) {
    normal = normal.parent_path();
  }
  return normal;
}

} // namespace

void FlowDirectory::after_step(const nlohmann::json& output, const std::filesystem::path& step_directory)
{
  if (!output.is_object()) {
    return;
  }
  const auto directory = output.find("directory");
  if (directory != output.end() && directory->is_string()) {
    m_reported = normal_folder(step_directory / directory->get<std::string>());
  }
}

std::filesystem::path FlowDirectory::flow_directory(const std::filesystem::path& steps_directory) const
{
  return m_reported.value_or(normal_folder(steps_directory));
}

namespace {

// "pull[0] 'clone' (syntask.deployments.steps.git_clone): "; the place goes in front (fail).
std::string step_label(const config::StepSpec& step, const std::string& phase, std::size_t index)
{
  std::string label = phase + "[" + std::to_string(index) + "]";
  if (!step.id.empty()) {
    label += " " + util::quoted(step.id);
  }
  return label + " (" + step.written_name + "): ";
}

std::string short_name(std::string_view name)
{
  const auto dot = name.rfind('.');
  return std::string(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

// A step's failure, unless an interrupt caused it: then the interrupt is what to report. The place is the
// one the cause names (a template error points at its field), else the step's, and it is named once.
[[noreturn]] void fail(const config::StepSpec& step, const std::string& label, const std::exception& cause)
{
  util::throw_if_interrupted();
  const auto* known = dynamic_cast<const Error*>(&cause);
  if (known != nullptr && !known->where().empty()) {
    throw StepError(known->where(), label + known->detail());
  }
  throw StepError(step.where, label + cause.what());
}

/// Whether an argument's name says it holds a credential (access_token, password, aws_secret_access_key,
/// private_key, ...).
bool names_credential(const std::string& name)
{
  const auto lower = util::to_lower(name);
  for (const char* word : {"token", "password", "secret", "key"}) {
    if (lower.find(word) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// The arguments for the debug log: credentials written into the file itself are masked (a reference
/// such as << syntask.blocks.secret.x >> names a secret without holding it, so it stays), and so are
/// registered secrets and URL passwords.
std::string loggable_arguments(const nlohmann::json& args)
{
  const auto mask = [](const auto& self, const nlohmann::json& value, bool credential) -> nlohmann::json {
    if (value.is_object()) {
      auto copy = nlohmann::json::object();
      for (const auto& [name, field] : value.items()) {
        copy[name] = self(self, field, credential || names_credential(name));
      }
      return copy;
    }
    if (value.is_array()) {
      auto copy = nlohmann::json::array();
      for (const auto& item : value) {
        copy.push_back(self(self, item, credential));
      }
      return copy;
    }
    if (credential && value.is_string()) {
      const auto& text = value.get_ref<const std::string&>();
      const bool reference = text.find("<<") != std::string::npos || text.find("{{") != std::string::npos;
      return reference ? value : nlohmann::json(std::string(util::k_redacted));
    }
    return value;
  };
  return util::Redactor::global().scrub(mask(mask, args, false).dump());
}

// A line a step left unfinished is written when its steps end, however they end.
class FlushAtEnd {
public:
  explicit FlushAtEnd(const StepContext& context) : m_context(context) {}
  ~FlushAtEnd()
  {
    m_context.output().flush();
    m_context.diagnostics().flush();
  }
  FlushAtEnd(const FlushAtEnd&) = delete;
  FlushAtEnd& operator=(const FlushAtEnd&) = delete;

private:
  const StepContext& m_context;
};

} // namespace

StepsRun run_steps(const config::StepList& steps, const std::string& phase, StepContext& context,
                   StepScope& scope, const config::SourceMap* sources)
{
  const FlushAtEnd flush(context);
  StepsRun run;
  FlowDirectory flow;
  // A Ctrl-C stops the step in progress at its next check (transfers, clones, child processes) and no
  // later step runs; what the step had begun is removed as its work unwinds.
  const util::InterruptScope interruptible;
  for (std::size_t index = 0; index < steps.size(); ++index) {
    util::throw_if_interrupted();
    const auto& step = steps[index];
    const auto label = step_label(step, phase, index);
    const auto* info = find_step(step.name);
    if (info == nullptr) {
      throw StepError(step.where, label + "unknown step" + util::did_you_mean(step.name, step_names()));
    }
    // Arguments are logged as written, before resolution, so a log never holds a resolved secret.
    spdlog::debug("{} step {}: {} {}", phase, index, step.written_name, loggable_arguments(step.args));
    context.diagnostics() << " > Running " << short_name(info->name) << " step..." << std::endl;
    StepCall call{std::string(info->name), step.id, index, phase, nlohmann::json::object(), step.where, {}};
    try {
      tmpl::ResolveOptions options;
      options.sources = sources;
      options.pointer = config::pointer_child(step.pointer, step.written_name);
      options.redactor = &context.redactor();
      call.raw_args = step.args.is_null() ? nlohmann::json::object() : step.args;
      call.args = tmpl::resolve(call.raw_args, scope, options);
      const auto ran_in = context.working_directory;
      auto output = info->run(call, context);
      flow.after_step(output, ran_in);
      scope.add_output(step.id, output);
      run.steps.push_back({call.name, call.raw_args, output});
    } catch (const Interrupted&) {
      throw;
    } catch (const std::exception& error) {
      fail(step, label, error);
    }
  }
  util::throw_if_interrupted();
  run.flow_directory = flow.flow_directory(context.working_directory);
  return run;
}

} // namespace syntask::steps
