// SPDX-License-Identifier: Apache-2.0
#include <syntask/deploy/runner.hpp>
#include <syntask/docker/engine.hpp>
#include <syntask/error.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/interrupt.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "deploy/container_run_plan.hpp"
#include "deploy/container_run_support.hpp"
#include "deploy/docker_source.hpp"
#include "deploy/python_runner.hpp"
#include "docker/registry_auth.hpp"
#include <mutex>
#include <random>
#include <unistd.h>

namespace syntask::deploy {

namespace {

using nlohmann::json;

// Where the run file goes in the container: next to nothing the image could have.
constexpr const char* k_run_file = ".syntask/run.json";

std::string address_of(const json& record)
{
  return record.value("flow_name", std::string()) + "/" + record.value("name", std::string());
}

// What the job variables say, resolved now (secret references were kept out of the record).
struct JobVariables {
  std::string image;
  std::vector<std::string> environment;
  std::vector<std::string> volumes;
  std::string network_mode;
};

JobVariables job_variables(const json& record, const tmpl::Scope& scope)
{
  const auto& pool = record.value("work_pool", json::object());
  tmpl::ResolveOptions options;
  options.pointer = "/work_pool/job_variables";
  options.redactor = &util::Redactor::global();
  const auto variables = tmpl::resolve(pool.value("job_variables", json::object()), scope, options);
  const auto wrong = [&record](const std::string& name, const std::string& expected) {
    return UsageError("deployment " + util::quoted(address_of(record)) + ": job variable " +
                      util::quoted(name) + " must be " + expected);
  };
  JobVariables result;
  const auto image = variables.value("image", json());
  if (image.is_null() || (image.is_string() && image.get<std::string>().empty())) {
    throw UsageError("deployment " + util::quoted(address_of(record)) + " is in docker work pool " +
                     util::quoted(pool.value("name", std::string())) +
                     " but has no 'image' job variable to run in");
  }
  if (!image.is_string()) {
    throw wrong("image", "a string");
  }
  result.image = image.get<std::string>();
  const auto env = variables.value("env", json());
  if (!env.is_null() && !env.is_object()) {
    throw wrong("env", "a mapping");
  }
  if (env.is_object()) {
    for (const auto& [key, value] : env.items()) {
      result.environment.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    }
  }
  const auto volumes = variables.value("volumes", json());
  if (!volumes.is_null() &&
      (!volumes.is_array() ||
       !std::all_of(volumes.begin(), volumes.end(), [](const json& item) { return item.is_string(); }))) {
    throw wrong("volumes", "a list of HOST:CONTAINER[:ro] strings");
  }
  if (volumes.is_array()) {
    for (const auto& volume : volumes) {
      result.volumes.push_back(volume.get<std::string>());
    }
  }
  const auto network = variables.value("network_mode", json());
  if (!network.is_null() && !network.is_string()) {
    throw wrong("network_mode", "a string");
  }
  result.network_mode = network.is_string() ? network.get<std::string>() : "";
  return result;
}

// The login for the image's registry: the block the push used, else what `docker login` left.
std::string registry_auth(const json& record, const std::string& image, const tmpl::Scope& scope)
{
  const auto reference = record.value("image_credentials", std::string());
  if (!reference.empty()) {
    tmpl::ResolveOptions options;
    options.pointer = "/image_credentials";
    options.redactor = &util::Redactor::global();
    const auto block = tmpl::resolve(json(reference), scope, options);
    if (!block.is_object()) {
      throw UsageError("image_credentials " + util::quoted(reference) +
                       " is not a docker-registry-credentials block");
    }
    return docker::registry_auth_header(docker::credentials_from_block(block, &util::Redactor::global()));
  }
  return docker::registry_auth_header(docker::credentials_from_config(
      util::current_environment(), docker::parse_image_reference(image).registry, &util::Redactor::global()));
}

// The image as the daemon has it, pulled first when it has not: a digest names exactly one image, so a
// local one with that digest is the one.
json ensure_image(docker::Engine& engine, const std::string& image, const json& record,
                  const tmpl::Scope& scope, ui::Output& output)
{
  if (auto found = docker::inspect_image(engine, image)) {
    return *found;
  }
  output.info("Pulling image " + util::quoted(image) + "...");
  docker::pull_image(engine, image, registry_auth(record, image, scope), &output.diagnostics());
  auto pulled = docker::inspect_image(engine, image);
  if (!pulled) {
    throw RemoteError(
        "pull of " + util::quoted(image) + " failed: the docker daemon does not have it afterwards", false);
  }
  return *pulled;
}

// Config.WorkingDir of an image inspection; "" when the image sets none (either may be null).
std::string image_working_directory(const json& image)
{
  const auto config = image.find("Config");
  if (config == image.end() || !config->is_object()) {
    return "";
  }
  const auto directory = config->find("WorkingDir");
  return directory != config->end() && directory->is_string() ? directory->get<std::string>() : "";
}

// A host folder standing for the container's root while the pull steps fetch code; removed at the end.
class StagingFolder {
public:
  StagingFolder()
  {
    std::random_device random;
    m_path = std::filesystem::temp_directory_path() /
             ("syntask-run-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(m_path);
    std::filesystem::permissions(m_path, std::filesystem::perms::owner_all);
  }
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  ~StagingFolder()
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

json run_document(const json& record, const json& parameters, const ContainerPullPlan& plan)
{
  auto steps = json::array();
  for (const auto& step : plan.container_steps) {
    steps.push_back(
        {{"label", step.label}, {"step", step.step}, {"args", step.args}, {"directory", step.directory}});
  }
  return {{"entrypoint", record.value("entrypoint", std::string())},
          {"parameters", parameters},
          {"steps", steps}};
}

// The container from its creation to its removal, which happens whatever way the run ends: normally, by
// an error, or by a signal (removal from the interrupt thread stops the output and the wait at once).
class RunningContainer {
public:
  RunningContainer(docker::Engine& engine, const docker::ContainerSpec& spec)
      : m_engine(engine), m_interruptible([this] { remove_from_watch(); })
  {
    auto id = docker::create_container(engine, spec);
    std::lock_guard lock(m_mutex);
    m_id = std::move(id);
  }
  RunningContainer(const RunningContainer&) = delete;
  RunningContainer& operator=(const RunningContainer&) = delete;
  ~RunningContainer()
  {
    const util::InterruptShield cleanup;
    std::lock_guard lock(m_mutex);
    if (!m_id.empty()) {
      docker::remove_container(m_engine, m_id);
      m_id.clear();
    }
  }

  const std::string& id() const { return m_id; }

private:
  void remove_from_watch()
  {
    std::lock_guard lock(m_mutex);
    if (!m_id.empty()) {
      // The engine of the main thread is busy following the output: one of its own.
      docker::Engine engine(m_engine.endpoint());
      docker::remove_container(engine, m_id);
    }
  }

  docker::Engine& m_engine;
  std::mutex m_mutex;
  std::string m_id;
  util::InterruptScope m_interruptible; // last: it ends (and waits for its callback) first
};

} // namespace

bool runs_in_container(const json& record, store::Store& store)
{
  // A stored record names its pool as a deployment body does.
  return in_docker_pool(store, record);
}

int run_in_container(const json& record, const json& parameters, store::Store& store, ui::Output& output)
{
  if (record.value("entrypoint", std::string()).empty()) {
    throw UsageError("the deployment has no entrypoint");
  }
  steps::StepScope scope(json::object(), &store);
  const auto variables = job_variables(record, scope);
  // A Ctrl-C from here on unwinds: the image pull and the host-side steps stop, and the staging folder
  // and the container are removed on the way out.
  const util::InterruptScope interruptible;
  auto engine = docker::Engine::from_environment();
  const auto image = ensure_image(engine, variables.image, record, scope, output);

  StagingFolder staging;
  steps::StepContext context(output, util::Redactor::global());
  context.working_directory = staging.path();
  context.store = &store;
  ContainerPullOptions options;
  options.start_directory = image_working_directory(image);
  options.staging = staging.path();
  const auto plan = plan_container_pull(stored_pull_steps(record), options, context, scope);

  docker::ContainerSpec spec;
  spec.image = variables.image;
  spec.command = {"python3", "-u", "-c", python_runner()};
  spec.environment = variables.environment;
  spec.environment.push_back("SYNTASK_RUN_FILE=/" + std::string(k_run_file));
  spec.working_directory = plan.working_directory;
  spec.binds = variables.volumes;
  spec.network_mode = variables.network_mode;
  // Containers of a deployment can be found (and cleaned up if this process is killed outright).
  spec.labels = {{"syntask.deployment", address_of(record)}};
  docker::ContainerArchive archive;
  archive.tree = staging.path();
  archive.bare_directories = plan.staged_directories;
  archive.files.push_back({k_run_file, run_document(record, parameters, plan).dump(), 0600});

  output.info("Running flow " + util::quoted(address_of(record)) + " in a container of " +
              util::quoted(variables.image) + " from " + plan.working_directory);
  RunningContainer container(engine, spec);
  util::throw_if_interrupted();
  RedactedStream out(output.program_output(), util::Redactor::global());
  RedactedStream err(output.diagnostics(), util::Redactor::global());
  int status = 0;
  try {
    docker::put_container_archive(engine, container.id(), "/", archive);
    util::throw_if_interrupted();
    docker::start_container(engine, container.id());
    docker::follow_container_logs(engine, container.id(), &out, &err);
    out.finish();
    err.finish();
    util::throw_if_interrupted();
    status = docker::wait_container(engine, container.id());
  } catch (const Error&) {
    util::throw_if_interrupted();
    throw;
  }
  util::throw_if_interrupted();
  return status;
}

} // namespace syntask::deploy
