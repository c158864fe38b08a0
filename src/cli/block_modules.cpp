// SPDX-License-Identifier: Apache-2.0
#include "cli/block_modules.hpp"

#include <syntask/error.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::cli {

namespace {

// Prefect's integration packages hold the block types the seeds register; syntask ships them built in,
// so each module only names them. The prefect_* spellings let Prefect instructions work unchanged.
struct ModuleTypes {
  std::string_view suffix;
  std::vector<std::string_view> slugs;
};

const std::vector<ModuleTypes>& module_types()
{
  static const std::vector<ModuleTypes> all{
      {"aws", {"aws-credentials"}},
      {"gcp", {"gcp-credentials"}},
      {"azure", {"azure-blob-storage-credentials"}},
      {"github", {"github-credentials"}},
      {"gitlab", {"gitlab-credentials"}},
      {"bitbucket", {"bitbucket-credentials"}},
      {"docker", {"docker-registry-credentials"}},
  };
  return all;
}

std::vector<BlockModule> build_modules()
{
  std::vector<BlockModule> modules;
  for (const char* prefix : {"syntask_", "prefect_"}) {
    for (const auto& entry : module_types()) {
      modules.push_back({std::string(prefix) + std::string(entry.suffix), entry.slugs});
    }
  }
  return modules;
}

} // namespace

const std::vector<BlockModule>& block_modules()
{
  static const std::vector<BlockModule> all = build_modules();
  return all;
}

const BlockModule& require_block_module(std::string_view name)
{
  std::vector<std::string> known;
  std::vector<std::string> all_names;
  for (const auto& module : block_modules()) {
    if (module.name == name) {
      return module;
    }
    all_names.emplace_back(module.name);
    if (module.name.rfind("syntask_", 0) == 0) {
      known.emplace_back(module.name);
    }
  }
  throw UsageError("unknown module " + util::quoted(name) + util::did_you_mean(name, all_names) +
                   " (known modules: " + util::join(known, ", ") + ", and their prefect_* spellings)");
}

} // namespace syntask::cli
