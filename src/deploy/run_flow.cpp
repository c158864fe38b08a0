// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>
#include <syntask/deploy/runner.hpp>
#include <syntask/flows/discovery.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::deploy {

namespace {

// The Python side of `syntask run`. It supplies a minimal `syntask` module (flow and task decorators that
// return the function unchanged) when none is installed, loads the entrypoint by file path or module path,
// and calls the function with the parameters as keyword arguments.
constexpr const char* k_python_runner = R"PY(
import asyncio, importlib, importlib.util, inspect, json, os, sys, types

def _identity_decorator(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda fn: fn

for _name in ("syntask", "prefect"):
    try:
        importlib.import_module(_name)
    except ImportError:
        _module = types.ModuleType(_name)
        _module.flow = _identity_decorator
        _module.task = _identity_decorator
        sys.modules[_name] = _module

entrypoint = os.environ["SYNTASK_ENTRYPOINT"]
parameters = json.loads(os.environ.get("SYNTASK_PARAMETERS", "{}"))
os.environ.pop("SYNTASK_PARAMETERS", None)
sys.path.insert(0, os.getcwd())
if ".py:" in entrypoint:
    path, function = entrypoint.rsplit(":", 1)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("__syntask_flow__", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["__syntask_flow__"] = module
    spec.loader.exec_module(module)
else:
    if ":" in entrypoint:
        module_name, function = entrypoint.split(":", 1)
    else:
        module_name, _, function = entrypoint.rpartition(".")
    module = importlib.import_module(module_name)
target = getattr(module, function, None)
if target is None:
    sys.stderr.write("syntask: error: entrypoint '%s': no function '%s'\n" % (entrypoint, function))
    sys.exit(1)
result = target(**parameters)
if inspect.isawaitable(result):
    result = asyncio.run(result)
)PY";

} // namespace

PullResult pull_deployment(const nlohmann::json& record, const std::filesystem::path& directory,
                           store::Store& store, ui::Output& output)
{
  config::StepList steps;
  const auto& stored = record.value("pull_steps", nlohmann::json::array());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    steps.push_back(config::StepSpec::from_json(stored[i], "/pull_steps/" + std::to_string(i), SourceRef{}));
  }
  steps::StepContext context;
  context.working_directory = std::filesystem::absolute(directory).lexically_normal();
  context.store = &store;
  context.redactor = &util::Redactor::global();
  context.output = &output.program_output();
  context.diagnostics = &output.diagnostics();
  steps::StepScope scope(nlohmann::json::object(), &store);
  steps::run_steps(steps, "pull", context, scope, nullptr);

  PullResult result;
  result.working_directory = context.working_directory;
  result.entrypoint = record.value("entrypoint", std::string());
  if (const auto file = flows::entrypoint_file(result.entrypoint)) {
    result.entrypoint_path = (result.working_directory / *file).lexically_normal();
    if (!std::filesystem::exists(result.entrypoint_path)) {
      throw StepError("after the pull steps there is no flow file " +
                      util::quoted(result.entrypoint_path.string()) + " for entrypoint " +
                      util::quoted(result.entrypoint));
    }
  }
  return result;
}

nlohmann::json resolve_run_parameters(const nlohmann::json& record, const nlohmann::json& overrides,
                                      store::Store& store)
{
  auto parameters = record.value("parameters", nlohmann::json::object());
  parameters.update(overrides);
  steps::StepScope scope(nlohmann::json::object(), &store);
  tmpl::ResolveOptions options;
  options.pointer = "/parameters";
  options.redactor = &util::Redactor::global();
  return tmpl::resolve(parameters, scope, options);
}

int run_flow(const PullResult& pulled, const nlohmann::json& parameters, ui::Output& output)
{
  if (pulled.entrypoint.empty()) {
    throw UsageError("the deployment has no entrypoint");
  }
  util::ProcessOptions options;
  options.environment = util::current_environment();
  options.environment["SYNTASK_ENTRYPOINT"] = pulled.entrypoint;
  options.environment["SYNTASK_PARAMETERS"] = parameters.dump();
  options.working_directory = pulled.working_directory;
  // The flow's output passes through the redactor: a secret parameter printed by the flow stays masked.
  options.capture = false;
  options.inherit_stdin = true;
  options.stream_stdout = &output.program_output();
  options.stream_stderr = &output.diagnostics();
  options.redactor = &util::Redactor::global();
  const auto python = util::get_env("SYNTASK_PYTHON").value_or("python3");
  return util::run_process({python, "-c", k_python_runner}, options).exit_code;
}

} // namespace syntask::deploy
