// SPDX-License-Identifier: Apache-2.0
// build_docker_image: build an image through the Engine API with the context streamed, tagged at build time.
#include <syntask/docker/engine.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "docker/registry_auth.hpp"
#include "steps/builtin.hpp"
#include "steps/docker_image_name.hpp"
#include <ostream>

namespace syntask::steps {

namespace {

constexpr std::string_view k_auto = "auto";

// python:<major.minor>-slim of the local interpreter: an image that exists, unlike a tag derived from
// syntask's own version.
std::string default_base_image()
{
  if (auto image = util::get_env("SYNTASK_DEFAULT_DOCKER_BASE_IMAGE"); image && !util::trim(*image).empty()) {
    return util::trim(*image);
  }
  util::ProcessOptions options;
  options.environment = util::current_environment();
  const auto python = util::get_env("SYNTASK_PYTHON").value_or("python3");
  std::string version;
  try {
    const auto result =
        util::run_process({python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"}, options);
    version = result.exit_code == 0 ? util::trim(result.stdout_text) : "";
  } catch (const Error&) {
    version.clear();
  }
  const auto dot = version.find('.');
  if (dot == std::string::npos || !util::is_digits(version.substr(0, dot)) ||
      !util::is_digits(version.substr(dot + 1))) {
    throw StepError("cannot tell the local Python version for the base image of 'dockerfile: auto': give "
                    "'base_image' or set SYNTASK_DEFAULT_DOCKER_BASE_IMAGE");
  }
  return "python:" + version + "-slim";
}

std::string auto_dockerfile(const std::filesystem::path& directory, const std::string& base_image)
{
  const auto project = "/opt/syntask/" + directory.filename().string() + "/";
  std::string text = "FROM " + base_image + "\n";
  if (std::filesystem::is_regular_file(directory / "requirements.txt")) {
    text += "COPY requirements.txt " + project + "requirements.txt\n";
    text += "RUN python -m pip install -r " + project + "requirements.txt\n";
  }
  text += "COPY . " + project + "\n";
  text += "WORKDIR " + project + "\n";
  return text;
}

// Removes the generated Dockerfile however the build ends.
class GeneratedFile {
public:
  explicit GeneratedFile(std::filesystem::path file) : m_file(std::move(file)) {}
  ~GeneratedFile()
  {
    std::error_code error;
    std::filesystem::remove(m_file, error);
  }
  GeneratedFile(const GeneratedFile&) = delete;
  GeneratedFile& operator=(const GeneratedFile&) = delete;

private:
  std::filesystem::path m_file;
};

nlohmann::json object_argument(const StepCall& call, std::string_view name)
{
  const auto found = call.args.find(name);
  if (found == call.args.end() || found->is_null()) {
    return nlohmann::json::object();
  }
  if (!found->is_object()) {
    throw StepError("argument " + util::quoted(name) + " of step " + util::quoted(call.name) +
                    " must be a mapping");
  }
  nlohmann::json strings = nlohmann::json::object();
  for (const auto& [key, value] : found->items()) {
    strings[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return strings;
}

nlohmann::json build_step(const StepCall& call, StepContext& context)
{
  const auto image_name = docker_steps::image_name_argument(call);
  const auto tag = optional_string(call, "tag").value_or(docker_steps::default_tag());
  const auto extra_tags = docker_steps::additional_tags(call);
  const auto dockerfile = optional_string(call, "dockerfile").value_or("Dockerfile");
  auto build_path = resolve_path(context, optional_string(call, "path").value_or("."));
  // "/project/." normalises to "/project/": drop the separator so that the directory has a name.
  if (!build_path.has_filename()) {
    build_path = build_path.parent_path();
  }
  if (!std::filesystem::is_directory(build_path)) {
    throw StepError("the build context " + util::quoted(build_path.string()) + " is not a directory");
  }

  docker::BuildOptions options;
  options.context = build_path;
  options.dockerfile = dockerfile;
  std::optional<GeneratedFile> generated;
  if (dockerfile == k_auto) {
    const auto file = build_path / "Dockerfile";
    if (std::filesystem::exists(file)) {
      throw StepError("a Dockerfile already exists in " + util::quoted(build_path.string()) +
                      ": name it in 'dockerfile' instead of 'auto', or remove it");
    }
    const auto base_image = optional_string(call, "base_image").value_or(default_base_image());
    const auto text = auto_dockerfile(build_path, base_image);
    util::write_file_atomic(file, text);
    generated.emplace(file);
    if (optional_bool(call, "persist_dockerfile", false)) {
      const auto output_path = resolve_path(
          context, optional_string(call, "dockerfile_output_path").value_or("Dockerfile.generated"));
      util::write_file_atomic(output_path, text);
    }
    options.dockerfile = "Dockerfile";
  } else if (!std::filesystem::is_regular_file(build_path / dockerfile)) {
    throw StepError("no Dockerfile " + util::quoted(dockerfile) + " in " + util::quoted(build_path.string()));
  }

  options.tags.push_back(image_name + ":" + tag);
  for (const auto& extra : extra_tags) {
    options.tags.push_back(image_name + ":" + extra);
  }
  options.pull = optional_bool(call, "pull", false);
  options.nocache = optional_bool(call, "nocache", false);
  options.platform = optional_string(call, "platform").value_or("");
  options.target = optional_string(call, "target").value_or("");
  options.buildargs = object_argument(call, "buildargs");
  options.labels = object_argument(call, "labels");
  options.labels["syntask.version"] = SYNTASK_VERSION;
  const auto environment = util::current_environment();
  try {
    const auto known = docker::all_config_credentials(environment, &context.redactor());
    if (!known.empty()) {
      options.registry_config = docker::registry_config_header(known);
    }
  } catch (const Error& error) {
    // Base images usually need no login: a broken helper is worth a warning, not a failed build.
    context.ui().warn(std::string("registry logins for the base images not used: ") + error.what());
  }
  options.output = &context.output();

  auto engine = docker::Engine::from_environment();
  const auto image_id = docker::build_image(engine, options);
  return {{"image_name", image_name},
          {"tag", tag},
          {"image", image_name + ":" + tag},
          {"image_id", image_id},
          {"additional_tags", extra_tags}};
}

} // namespace

nlohmann::json run_build_docker_image(const StepCall& call, StepContext& context)
{
  return docker_steps::cached(call, [&] { return build_step(call, context); });
}

} // namespace syntask::steps
