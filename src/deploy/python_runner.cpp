// SPDX-License-Identifier: Apache-2.0
#include "deploy/python_runner.hpp"

namespace syntask::deploy {

// Step arguments arrive checked and typed (container_run_plan.cpp): the script only carries them out, with
// the same messages as the steps that run on this machine.
const std::string_view k_python_runner = R"PY(
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

def _run_shell_script(args, directory):
    env = dict(os.environ)
    env.update(args["env"])
    script = args["script"]
    if args["shell"]:
        commands = [["/bin/sh", "-e", "-c", _expand(script, env) if args["expand_env_vars"] else script]]
    else:
        commands = []
        for line in (line.strip() for line in script.split("\n")):
            if line and not line.startswith("#"):
                try:
                    commands.append(shlex.split(_expand(line, env) if args["expand_env_vars"] else line))
                except ValueError as error:
                    raise _StepFailure("cannot split '%s': %s" % (line, error))
    for command in commands:
        code, detail = _run(command, directory, env, args["stream_output"])
        if code != 0:
            raise _StepFailure("command '%s' failed with exit code %d%s"
                               % (" ".join(command), code, ": " + detail if detail else ""))

def _pip_install_requirements(args, directory):
    requirements = args["requirements_file"]
    if not os.path.exists(os.path.join(directory, requirements)):
        raise _StepFailure("requirements file '%s' does not exist" % os.path.join(directory, requirements))
    code, detail = _run([sys.executable, "-m", "pip", "install", "-r", requirements], directory,
                        dict(os.environ), args["stream_output"])
    if code != 0:
        raise _StepFailure("pip install -r %s failed with exit code %d%s"
                           % (requirements, code, ": " + detail if detail else ""))

_STEPS = {"run_shell_script": _run_shell_script, "pip_install_requirements": _pip_install_requirements}

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

} // namespace syntask::deploy
