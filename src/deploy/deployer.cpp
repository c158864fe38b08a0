// SPDX-License-Identifier: Apache-2.0
#include <syntask/deploy/deployer.hpp>
#include <syntask/flows/discovery.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "deploy/code_pins.hpp"
#include "deploy/docker_source.hpp"
#include "deploy/git_source.hpp"
#include "deploy/preflight.hpp"
#include "deploy/questions.hpp"
#include "deploy/save_config.hpp"
#include "deploy/selection.hpp"
#include "deploy/storage_source.hpp"

namespace syntask::deploy {

namespace {

using nlohmann::json;

// One selected deployment between preparation (questions, checks) and registration.
struct Prepared {
  const config::DeploymentSpec* spec = nullptr;
  json body;           // unresolved, with command-line overrides applied
  std::string pointer; // the entry's pointer in the file ("" for a new deployment)
  config::StepList build;
  config::StepList push;
  std::optional<config::StepList> pull; // nullopt: the default pull
  bool generated_build = false;         // build came from the image questions: saved with the entry
  bool generated_pull = false;          // pull came from the questions: saved with the entry
  bool generated_push = false;          // push came from the questions: saved with the entry
  DeployResult result;
};

struct Environment {
  const config::ProjectFile* project = nullptr;
  std::filesystem::path project_dir;
  std::filesystem::path project_file;
  store::Store& store;
  prompt::Prompter& prompter;
  ui::Output& output;
  std::optional<git::RepositoryState> repo; // nullopt: not in a git working tree
  bool pin = true;

  const config::SourceMap* sources() const
  {
    return project != nullptr ? &project->document.sources : nullptr;
  }
};

bool is_unset(const json& body, const char* key)
{
  return !body.contains(key) || body[key].is_null() ||
         (body[key].is_string() && body[key].get<std::string>().empty());
}

json& work_pool_of(json& body)
{
  if (!body.contains("work_pool") || !body["work_pool"].is_object()) {
    body["work_pool"] = json::object();
  }
  return body["work_pool"];
}

void apply_overrides(json& body, const DeployRequest& request, const Selected& selected)
{
  if (!selected.requested_name.empty()) {
    body["name"] = selected.requested_name;
  }
  if (request.entrypoint) {
    body["entrypoint"] = *request.entrypoint;
  }
  if (request.pool) {
    work_pool_of(body)["name"] = *request.pool;
  }
  if (request.work_queue) {
    work_pool_of(body)["work_queue_name"] = *request.work_queue;
  }
  if (!request.job_variables.empty()) {
    auto& pool = work_pool_of(body);
    if (!pool.contains("job_variables") || !pool["job_variables"].is_object()) {
      pool["job_variables"] = json::object();
    }
    pool["job_variables"].update(request.job_variables);
  }
  if (!request.parameters.empty()) {
    if (!body.contains("parameters") || !body["parameters"].is_object()) {
      body["parameters"] = json::object();
    }
    body["parameters"].update(request.parameters);
  }
  if (request.tags) {
    body["tags"] = *request.tags;
  }
  if (request.version) {
    body["version"] = *request.version;
  }
  if (request.description) {
    body["description"] = *request.description;
  }
  if (!request.schedules.empty()) {
    if (!body.contains("schedules") || !body["schedules"].is_array()) {
      body["schedules"] = json::array();
    }
    for (const auto& schedule : request.schedules) {
      body["schedules"].push_back(schedule);
    }
  }
  if (request.timezone && body.contains("schedules") && body["schedules"].is_array()) {
    for (auto& schedule : body["schedules"]) {
      if (schedule.is_object()) {
        schedule["timezone"] = *request.timezone;
      }
    }
  }
}

tmpl::ResolveOptions options_at(const Environment& env, const std::string& pointer)
{
  tmpl::ResolveOptions options;
  options.sources = env.sources();
  options.pointer = pointer;
  options.redactor = &util::Redactor::global();
  options.final_pass = false;
  return options;
}

std::string step_pointer(const config::StepSpec& step)
{
  return config::pointer_child(step.pointer, step.written_name);
}

// Every block and variable reference must exist now, lazy or not: a missing one fails the deploy, not a
// run hours later on a worker.
void check_store_references(const Environment& env, const Prepared& item)
{
  struct StoreOnly : tmpl::Scope {
    steps::StepScope inner;
    explicit StoreOnly(store::Store& store) : inner(json::object(), &store) {}
    std::optional<json> step_output(const std::string&) const override { return std::nullopt; }
    std::optional<std::string> env(const std::string&) const override { return std::nullopt; }
    std::optional<tmpl::BlockValue> block(const std::string& t, const std::string& n) const override
    {
      return inner.block(t, n);
    }
    std::optional<json> variable(const std::string& n) const override { return inner.variable(n); }
  } scope(env.store);
  auto check = [&](const json& value, const std::string& pointer) {
    auto options = options_at(env, pointer);
    options.step_outputs = tmpl::Action::keep;
    options.env = tmpl::Action::keep;
    options.blocks = tmpl::Action::check_and_keep;
    options.variables = tmpl::Action::check_and_keep;
    tmpl::resolve(value, scope, options);
  };
  check(item.body, item.pointer);
  for (const auto* list : {&item.build, &item.push}) {
    for (const auto& step : *list) {
      check(step.args, step_pointer(step));
    }
  }
  if (item.pull) {
    for (const auto& step : *item.pull) {
      check(step.args, step_pointer(step));
    }
  }
}

// Pull steps are stored with build/push outputs substituted; everything else (earlier pull outputs,
// environment, blocks, variables) stays a reference resolved on the worker. Under --dry-run build and
// push have not run and their outputs stay references; check_output_references has made sure before
// anything ran that each names a build or push output or an earlier pull step. The code pins are added
// to the record afterwards (record_code_pins).
json bake_pull_steps(const Environment& env, const Prepared& item, const tmpl::Scope& scope)
{
  auto baked = json::array();
  if (!item.pull) {
    baked.push_back(
        {{"syntask.deployments.steps.set_working_directory", {{"directory", env.project_dir.string()}}}});
    return baked;
  }
  for (const auto& step : *item.pull) {
    auto options = options_at(env, step_pointer(step));
    options.step_outputs = tmpl::Action::resolve_or_keep;
    options.env = tmpl::Action::keep;
    options.blocks = tmpl::Action::check_and_keep;
    options.variables = tmpl::Action::check_and_keep;
    auto spec = step;
    spec.args = tmpl::resolve(step.args, scope, options);
    baked.push_back(spec.to_json());
  }
  return baked;
}

// A problem with the deployment's field `key`, at its place in the project file when it has one.
[[noreturn]] void fail_field(const Environment& env, const Prepared& item, const std::string& key,
                             const std::string& message)
{
  const auto* sources = env.sources();
  const auto pointer = config::pointer_child(item.pointer, key);
  throw ConfigError(sources != nullptr ? sources->at(pointer) : SourceRef{},
                    config::field_path(pointer).empty() ? key : config::field_path(pointer), message);
}

void check_entrypoint_field(const Environment& env, const Prepared& item, const std::string& entrypoint)
{
  if (const auto problem = config::check_entrypoint(entrypoint); !problem.empty()) {
    fail_field(env, item, "entrypoint", problem);
  }
}

void check_resolved_body(const Environment& env, const Prepared& item, json& body)
{
  const auto fail = [&](const std::string& key, const std::string& message) {
    fail_field(env, item, key, message);
  };
  if (!body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty()) {
    fail("name", "must be a non-empty string");
  }
  // A templated entrypoint, now resolved (a literal one was checked before anything ran).
  if (body.contains("entrypoint") && body["entrypoint"].is_string()) {
    check_entrypoint_field(env, item, body["entrypoint"].get<std::string>());
  }
  if (body.contains("tags")) {
    if (body["tags"].is_string()) {
      body["tags"] = json::array({body["tags"]});
    } else if (body["tags"].is_null()) {
      body["tags"] = json::array();
    } else if (!body["tags"].is_array() || !std::all_of(body["tags"].begin(), body["tags"].end(),
                                                        [](const json& t) { return t.is_string(); })) {
      fail("tags", "must be a list of strings");
    }
  }
  if (body.contains("schedules") && body["schedules"].is_array()) {
    for (std::size_t i = 0; i < body["schedules"].size(); ++i) {
      for (const auto& [field, message] : config::check_schedule(body["schedules"][i])) {
        fail("schedules/" + std::to_string(i) + (field.empty() ? "" : "/" + field), message);
      }
    }
  }
}

json make_record(const Environment& env, json body, const std::string& flow_name, json pull)
{
  json record = json::object();
  record["flow_name"] = flow_name;
  record["name"] = body["name"];
  for (const char* key : {"version", "description", "entrypoint", "concurrency_limit", "paused",
                          "enforce_parameter_schema", "triggers"}) {
    if (body.contains(key) && !body[key].is_null()) {
      record[key] = body[key];
    }
  }
  record["tags"] = body.value("tags", json::array());
  record["parameters"] =
      body.contains("parameters") && body["parameters"].is_object() ? body["parameters"] : json::object();
  auto pool =
      body.contains("work_pool") && body["work_pool"].is_object() ? body["work_pool"] : json::object();
  record["work_pool"] = {{"name", pool.value("name", json("default"))},
                         {"work_queue_name", pool.value("work_queue_name", json(nullptr))},
                         {"job_variables", pool.contains("job_variables") && pool["job_variables"].is_object()
                                               ? pool["job_variables"]
                                               : json::object()}};
  record["schedules"] =
      body.contains("schedules") && body["schedules"].is_array() ? body["schedules"] : json::array();
  record["pull_steps"] = std::move(pull);
  record["project_directory"] = env.project_dir.string();
  if (env.project != nullptr) {
    record["syntask_file"] = env.project->path.string();
  }
  return record;
}

// Creates a process pool unless another process created it first: parallel first deploys all find the
// pool, whichever of them made it.
void create_process_pool(const Environment& env, const std::string& name)
{
  try {
    env.store.create_work_pool(name, "process");
  } catch (const StoreError&) {
    if (!env.store.get_work_pool(name)) {
      throw;
    }
  }
}

void ensure_work_pool(const Environment& env, const std::string& name)
{
  if (env.store.get_work_pool(name)) {
    return;
  }
  if (name == "default") {
    create_process_pool(env, name);
    return;
  }
  if (env.prompter.interactive() &&
      env.prompter.confirm("Work pool '" + name + "' does not exist. Create it as a process work pool?", true,
                           "--pool")) {
    create_process_pool(env, name);
    return;
  }
  throw UsageError("work pool '" + name + "' does not exist; create it with `syntask work-pool create " +
                   name + " --type process` or deploy without --pool to use the default pool");
}

// The work pool's name when it needs no step output (a literal, or variables, blocks and the
// environment), so that a missing pool fails the deploy before any step runs; nullopt otherwise.
std::optional<std::string> pool_name_now(const Environment& env, const std::string& pointer, const json& name)
{
  if (!name.is_string()) {
    return std::nullopt;
  }
  const auto references = tmpl::find_references(name);
  if (std::any_of(references.begin(), references.end(),
                  [](const tmpl::Reference& r) { return r.kind == tmpl::ReferenceKind::step_output; })) {
    return std::nullopt;
  }
  if (references.empty()) {
    return name.get<std::string>();
  }
  steps::StepScope scope(json::object(), &env.store);
  auto options = options_at(env, config::pointer_child(config::pointer_child(pointer, "work_pool"), "name"));
  options.final_pass = true;
  const auto resolved = tmpl::resolve(name, scope, options);
  return resolved.is_string() ? std::optional<std::string>(resolved.get<std::string>()) : std::nullopt;
}

void add_image_steps(Prepared& item, std::optional<ImageSteps> image)
{
  if (!image) {
    return;
  }
  item.build.insert(item.build.end(), image->build.begin(), image->build.end());
  item.push.insert(item.push.end(), image->push.begin(), image->push.end());
  item.generated_build = true;
  item.generated_push = item.generated_push || !image->push.empty();
  if (!item.pull) {
    item.pull = std::move(image->pull);
    item.generated_pull = true;
  }
}

Prepared prepare(const Environment& env, const DeployRequest& request, const Selected& selected)
{
  Prepared item;
  item.spec = selected.spec;
  item.body = selected.spec != nullptr ? selected.spec->body : json::object();
  item.pointer = selected.spec != nullptr ? selected.spec->pointer : "";
  apply_overrides(item.body, request, selected);

  if (is_unset(item.body, "entrypoint")) {
    item.body["entrypoint"] = ask_entrypoint(env.project_dir, env.prompter, env.output);
  }
  if (is_unset(item.body, "name")) {
    item.body["name"] = ask_deployment_name(env.prompter);
  }
  auto& pool = work_pool_of(item.body);
  if (is_unset(pool, "name")) {
    pool["name"] = ask_work_pool(env.store, env.prompter);
  }
  if (const auto name = pool_name_now(env, item.pointer, pool["name"]); name && *name != "default") {
    ensure_work_pool(env, *name);
  }
  if (!item.body.contains("schedules") && request.schedules.empty()) {
    item.body["schedules"] = ask_schedules(env.prompter, env.output);
  }

  if (env.project != nullptr) {
    item.build = selected.spec != nullptr ? env.project->build_for(*selected.spec) : env.project->build;
    item.push = selected.spec != nullptr ? env.project->push_for(*selected.spec) : env.project->push;
    item.pull = selected.spec != nullptr ? env.project->pull_for(*selected.spec) : env.project->pull;
  }
  // A literal entrypoint is checked now; a templated one once it is resolved.
  const auto entrypoint = item.body["entrypoint"];
  if (entrypoint.is_string() && tmpl::find_references(entrypoint).empty()) {
    check_entrypoint_field(env, item, entrypoint.get<std::string>());
    item.result.flow_name = flows::flow_name_for_entrypoint(env.project_dir, entrypoint.get<std::string>());
  }
  // A docker pool runs an image; one built now holds the code, so git and storage are not offered then.
  if (in_docker_pool(env.store, item.body)) {
    const bool build_cleared = item.spec != nullptr && item.spec->build && item.spec->build->empty();
    if (env.prompter.interactive() && !build_cleared && !has_step(item.build, k_build_image_step)) {
      add_image_steps(item, ask_image_steps(env.project_dir, item.body, env.store, env.prompter, env.output));
    }
    default_to_built_image(item.build, env.project_dir, item.body, item.pull, env.output);
  }
  // Asked only when nothing says where the code comes from: `pull: []` is an answer too, and so is a
  // pushed image (as Prefect's deploy sees it).
  if (!item.pull && !has_step(item.push, k_push_image_step) && env.repo && env.repo->has_remote() &&
      env.prompter.interactive()) {
    const auto name = item.body["name"].is_string() ? item.body["name"].get<std::string>() : "";
    item.pull = ask_git_pull(*env.repo, name, item.result.flow_name, env.store, env.prompter);
    item.generated_pull = item.pull.has_value();
  } else if (!item.pull && item.push.empty() && env.prompter.interactive()) {
    // Without a remote to clone from, the code can travel through object storage instead.
    if (auto storage = ask_storage_steps(env.project_dir, env.store, env.prompter, env.output)) {
      item.push = std::move(storage->push);
      item.pull = std::move(storage->pull);
      item.generated_push = true;
      item.generated_pull = true;
    }
  }
  check_store_references(env, item);
  check_output_references(item.body, item.pointer, item.build, item.push, item.pull, env.sources());
  return item;
}

// Where workers load the flow from when the code stays on this machine: the default pull, or a single
// set_working_directory to a literal absolute directory (the local recipe). "" otherwise.
std::string local_flow_file(const Environment& env, const Prepared& item, const std::string& entrypoint)
{
  std::filesystem::path directory = env.project_dir;
  if (item.pull) {
    if (item.pull->size() != 1 ||
        item.pull->front().name != "syntask.deployments.steps.set_working_directory") {
      return "";
    }
    const auto& target = item.pull->front().args.value("directory", json());
    if (!target.is_string() || !tmpl::find_references(target).empty() ||
        !std::filesystem::path(target.get<std::string>()).is_absolute()) {
      return "";
    }
    directory = target.get<std::string>();
  }
  const auto file = flows::entrypoint_file(entrypoint);
  return file ? (directory / *file).lexically_normal().string() : "";
}

// What workers will clone, from the record's pinned git_clone pull steps.
json describe_clones(const json& record)
{
  auto clones = json::array();
  for (const auto& step : record["pull_steps"]) {
    const auto* info = step.is_object() && step.size() == 1 ? steps::find_step(step.begin().key()) : nullptr;
    if (info != nullptr && info->name == k_git_clone_step) {
      clones.push_back(describe_clone(step.begin().value()));
    }
  }
  return clones;
}

// Runs build and push steps, adding the pins of the code they ship to `pins`, resolves the body, bakes
// the pull steps into the record and records every pin of this deploy in it.
void execute(const Environment& env, Prepared& item, CodePins& pins, bool dry_run)
{
  steps::StepContext context(env.output, util::Redactor::global());
  context.working_directory = env.project_dir;
  context.store = &env.store;
  steps::StepScope scope(json::object(), &env.store);
  if (!dry_run) {
    if (!item.build.empty()) {
      env.output.info("Running deployment build steps...");
      collect_code_pins(steps::run_steps(item.build, "build", context, scope, env.sources()).steps, pins);
    }
    if (!item.push.empty()) {
      env.output.info("Running deployment push steps...");
      collect_code_pins(steps::run_steps(item.push, "push", context, scope, env.sources()).steps, pins);
    }
  }
  auto options = options_at(env, item.pointer);
  options.step_outputs = dry_run ? tmpl::Action::resolve_or_keep : tmpl::Action::resolve;
  options.keep_sensitive_blocks = true;
  auto body = tmpl::resolve(item.body, scope, options);
  check_resolved_body(env, item, body);
  if (item.result.flow_name.empty()) {
    item.result.flow_name =
        flows::flow_name_for_entrypoint(env.project_dir, body["entrypoint"].get<std::string>());
  }
  auto pull = bake_pull_steps(env, item, scope);
  item.result.name = body["name"].get<std::string>();
  item.result.record = make_record(env, body, item.result.flow_name, std::move(pull));
  record_code_pins(pins, item.result.record, env.output);
  item.result.clones = describe_clones(item.result.record);
  item.result.load_from = local_flow_file(env, item, body["entrypoint"].get<std::string>());
  if (util::Redactor::global().document_contains_secret(item.result.record)) {
    throw ConfigError(SourceRef{}, "deployments",
                      "deployment '" + deployment_address(item.result.record) +
                          "' would store a secret value; reference the secret "
                          "block (<< syntask.blocks.secret.NAME >>) instead");
  }
}

void report(const Environment& env, const std::vector<Prepared>& items, bool dry_run)
{
  auto documents = json::array();
  for (const auto& item : items) {
    const auto address = deployment_address(item.result.record);
    documents.push_back(
        {{"address", address},
         {"flow_name", item.result.flow_name},
         {"name", item.result.name},
         {"created", item.result.created},
         {"load_from", item.result.load_from.empty() ? json(nullptr) : json(item.result.load_from)},
         {"git_clones", item.result.clones},
         {"build", json::array()},
         {"push", json::array()},
         {"record", item.result.record}});
    for (const auto& step : item.build) {
      documents.back()["build"].push_back(step.to_json());
    }
    for (const auto& step : item.push) {
      documents.back()["push"].push_back(step.to_json());
    }
    if (dry_run) {
      env.output.result("Plan for deployment '" + address + "' (dry run: nothing was run or registered):",
                        ui::Style::bold);
      json plan = {{"build", documents.back()["build"]},
                   {"push", documents.back()["push"]},
                   {"deployment", item.result.record}};
      env.output.result(config::to_yaml(plan));
      continue;
    }
    env.output.result("Deployment '" + address + "' successfully " +
                          (item.result.created ? "created" : "updated") + ".",
                      ui::Style::green);
    for (const auto& clone : item.result.clones) {
      env.output.result("\n" + clone_sentence(clone) + "\n");
    }
    if (!item.result.load_from.empty()) {
      env.output.result("\nYour Syntask workers will attempt to load your flow from:\n" +
                        item.result.load_from +
                        ". To see more options for managing your flow's code, run:\n\n\t$ syntask init\n");
    }
    env.output.result("To run this deployment, use the following command:\n\n\t$ syntask run '" + address +
                      "'\n");
  }
  env.output.json_result({{"dry_run", dry_run}, {"deployments", documents}});
}

json entry_to_save(const Prepared& item)
{
  json entry = json::object();
  for (const auto& [key, value] : item.body.items()) {
    if (!value.is_null()) {
      entry[key] = value;
    }
  }
  if (item.generated_build) {
    entry["build"] = json::array();
    for (const auto& step : item.build) {
      entry["build"].push_back(step.to_json());
    }
  }
  if (item.generated_push) {
    entry["push"] = json::array();
    for (const auto& step : item.push) {
      entry["push"].push_back(step.to_json());
    }
  }
  if (item.generated_pull) {
    entry["pull"] = json::array();
    for (const auto& step : *item.pull) {
      entry["pull"].push_back(step.to_json());
    }
  }
  return entry;
}

} // namespace

std::string deployment_address(const json& record)
{
  return record.value("flow_name", std::string()) + "/" + record.value("name", std::string());
}

std::pair<std::string, std::string> parse_address(const std::string& address)
{
  const auto slash = address.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == address.size() ||
      address.find('/', slash + 1) != std::string::npos) {
    throw UsageError("deployment " + util::quoted(address) + " must be written FLOW_NAME/DEPLOYMENT_NAME");
  }
  return {address.substr(0, slash), address.substr(slash + 1)};
}

std::vector<DeployResult> deploy(const DeployRequest& request, store::Store& store,
                                 prompt::Prompter& prompter, ui::Output& output)
{
  Environment env{nullptr,        std::filesystem::current_path(), {}, store, prompter, output, std::nullopt,
                  !request.no_pin};
  env.project_file = request.project_file.empty() ? config::default_project_file(env.project_dir)
                                                  : std::filesystem::absolute(request.project_file);
  std::optional<config::ProjectFile> project;
  if (std::filesystem::exists(env.project_file)) {
    project = config::load_project(env.project_file);
    env.project = &*project;
  } else if (!request.project_file.empty()) {
    throw UsageError("project file " + util::quoted(request.project_file.string()) + " does not exist");
  }

  try {
    env.repo = git::inspect_repository(env.project_dir);
  } catch (const UsageError& error) {
    // An unreadable repository only costs the git conveniences, not the deploy.
    output.warn(error.what());
  }

  const auto selected = select_deployments(env.project, request, env.project_dir, prompter);
  std::vector<Prepared> items;
  for (const auto& choice : selected) {
    items.push_back(prepare(env, request, choice));
  }
  if (env.repo && std::any_of(items.begin(), items.end(),
                              [](const Prepared& item) { return pulls_with_git(item.pull); })) {
    check_pushed(*env.repo, request.require_pushed, output);
  }
  if (!request.no_verify) {
    for (const auto& item : items) {
      check_git_branches(item.pull, store, env.sources());
    }
  }
  // One deploy's pins serve all its deployments: a later one may run code an earlier one shipped.
  CodePins pins;
  if (env.pin && env.repo) {
    pins.git_commit = env.repo->head_commit;
    pins.git_remote = env.repo->has_remote() ? env.repo->remote_url : "";
  }
  for (auto& item : items) {
    execute(env, item, pins, request.dry_run);
  }
  std::vector<DeployResult> results;
  if (!request.dry_run) {
    for (auto& item : items) {
      ensure_work_pool(env, item.result.record["work_pool"]["name"].get<std::string>());
    }
    // All or none, as one transaction: a later deployment's failure leaves no earlier one saved.
    std::vector<store::DeploymentWrite> writes;
    for (const auto& item : items) {
      writes.push_back({item.result.flow_name, item.result.name, item.result.record});
    }
    const auto created = store.save_deployments(writes);
    for (std::size_t i = 0; i < items.size(); ++i) {
      items[i].result.created = created[i];
    }
  }
  report(env, items, request.dry_run);
  for (const auto& item : items) {
    if (!request.dry_run && item.spec == nullptr && prompter.interactive() &&
        prompter.confirm(
            "Would you like to save configuration for this deployment for faster deployments in the future?",
            true, "")) {
      save_deployment_entry(env.project_file, entry_to_save(item));
      output.result(
          "Deployment configuration saved to " + env.project_file.filename().string() +
          "! You can now deploy using this deployment configuration with:\n\n\t$ syntask deploy -n " +
          item.result.name + "\n");
    }
    results.push_back(item.result);
  }
  return results;
}

} // namespace syntask::deploy
