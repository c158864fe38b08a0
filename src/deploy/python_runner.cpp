// SPDX-License-Identifier: Apache-2.0
#include "deploy/python_runner.hpp"

#include <syntask/steps/step.hpp>

namespace syntask::deploy {

namespace {

// Before the steps' own functions: the helpers they use. Step arguments arrive checked and typed (each
// step's container_args): the functions only carry them out, with the same messages as the steps that
// run on this machine.
constexpr std::string_view k_prelude = R"PY(
import asyncio, importlib, importlib.util, inspect, json, os, re, shlex, subprocess, sys, types

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

class _StepFailure(Exception):
    pass

def _fail(message):
    sys.stdout.flush()
    sys.stderr.write("syntask: error: %s\n" % message)
    sys.stderr.flush()
    sys.exit(1)

def _load_run():
    path = os.environ.pop("SYNTASK_RUN_FILE", None)
    if path is None:
        run = {"entrypoint": os.environ["SYNTASK_ENTRYPOINT"],
               "parameters": json.loads(os.environ.get("SYNTASK_PARAMETERS", "{}"))}
        os.environ.pop("SYNTASK_PARAMETERS", None)
        return run
    with open(path, encoding="utf-8") as handle:
        run = json.load(handle)
    os.remove(path)
    try:
        os.rmdir(os.path.dirname(path))
    except OSError:
        pass
    return run

def _run(argv, directory, env, stream):
    if not os.path.isdir(directory):
        raise _StepFailure("directory '%s' does not exist" % directory)
    sys.stdout.flush()
    sys.stderr.flush()
    pipe = None if stream else subprocess.PIPE
    try:
        done = subprocess.run(argv, cwd=directory, env=env, stdout=pipe, stderr=pipe)
    except OSError as error:
        raise _StepFailure("cannot run '%s': %s" % (argv[0], error.strerror))
    code = done.returncode if done.returncode >= 0 else 128 - done.returncode
    return code, "" if stream else done.stderr.decode(errors="replace").strip()

_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")

def _expand(text, env):
    return _VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), text)

_STEPS = {}
)PY";

// After the steps' functions: running them, then the flow.
constexpr std::string_view k_main = R"PY(
def _main():
    run = _load_run()
    for step in run.get("steps", []):
        sys.stderr.write(" > Running %s step...\n" % step["step"])
        sys.stderr.flush()
        args = step["args"]
        directory = os.path.normpath(os.path.join(step["directory"], args.get("directory") or "."))
        try:
            _STEPS[step["step"]](args, directory)
        except _StepFailure as failure:
            _fail(step["label"] + str(failure))
    entrypoint = run["entrypoint"]
    parameters = run.get("parameters") or {}
    sys.path.insert(0, os.getcwd())
    if ".py:" in entrypoint:
        path, function = entrypoint.rsplit(":", 1)
        if not os.path.isfile(path):
            _fail("after the pull steps there is no flow file '%s' for entrypoint '%s'"
                  % (os.path.normpath(os.path.join(os.getcwd(), path)), entrypoint))
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
        _fail("entrypoint '%s': no function '%s'" % (entrypoint, function))
    result = target(**parameters)
    if inspect.isawaitable(result):
        asyncio.run(result)

_main()
)PY";

} // namespace

const std::string& python_runner()
{
  static const std::string script = [] {
    std::string text(k_prelude);
    for (const auto& step : steps::builtin_steps()) {
      if (step.container_place == steps::ContainerPlace::container) {
        const auto name = step.name.substr(step.name.rfind('.') + 1);
        text += "\n" + std::string(step.container_python) + "\n_STEPS[\"" + std::string(name) +
                "\"] = _step_" + std::string(name) + "\n";
      }
    }
    return text + std::string(k_main);
  }();
  return script;
}

} // namespace syntask::deploy
