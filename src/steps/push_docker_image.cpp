// SPDX-License-Identifier: Apache-2.0
// push_docker_image: push an image and its additional tags, reporting the registry's manifest digest.
#include <syntask/docker/engine.hpp>
#include <syntask/util/process.hpp>
#include <syntask/util/strings.hpp>

#include "docker/registry_auth.hpp"
#include "steps/builtin.hpp"
#include "steps/docker_image_name.hpp"

namespace syntask::steps {

namespace {

std::string registry_auth(const StepCall& call, const std::string& image_name, StepContext& context)
{
  const auto found = call.args.find("credentials");
  if (found != call.args.end() && !found->is_null()) {
    if (!found->is_object()) {
      throw StepError("argument 'credentials' of step " + util::quoted(call.name) +
                      " must be a docker-registry-credentials block");
    }
    try {
      return docker::registry_auth_header(docker::credentials_from_block(*found, &context.redactor()));
    } catch (const UsageError& error) {
      throw StepError(error.what());
    }
  }
  const auto registry = docker::parse_image_reference(image_name).registry;
  return docker::registry_auth_header(
      docker::credentials_from_config(util::current_environment(), registry, &context.redactor()));
}

nlohmann::json push_step(const StepCall& call, StepContext& context)
{
  const auto image_name = docker_steps::image_name_argument(call);
  const auto tag = optional_string(call, "tag").value_or("latest");
  const auto extra_tags = docker_steps::additional_tags(call);
  const auto auth = registry_auth(call, image_name, context);

  auto engine = docker::Engine::from_environment();
  const auto digest = docker::push_image(engine, image_name, tag, auth, &context.output());
  for (const auto& extra : extra_tags) {
    // A tag the build did not give is added here, as the reference does after its build.
    if (!docker::inspect_image(engine, image_name + ":" + extra)) {
      docker::tag_image(engine, image_name + ":" + tag, image_name, extra);
    }
    // The same local image under another tag: the registry stores the same manifest, so `digest` pins
    // every tag of this push.
    docker::push_image(engine, image_name, extra, auth, &context.output());
  }
  // image_with_digest is the pin of the code this push shipped: deploy stores it for an `image` job
  // variable naming any of the pushed tags.
  return {
      {"image_name", image_name},      {"tag", tag},       {"image", image_name + ":" + tag},
      {"additional_tags", extra_tags}, {"digest", digest}, {"image_with_digest", image_name + "@" + digest}};
}

} // namespace

nlohmann::json run_push_docker_image(const StepCall& call, StepContext& context)
{
  return docker_steps::cached(call, [&] { return push_step(call, context); });
}

} // namespace syntask::steps
