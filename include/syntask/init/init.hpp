// SPDX-License-Identifier: Apache-2.0
// `syntask init`: writing syntask.yaml from a recipe, and a default .syntaskignore.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::prompt {
class Prompter;
}
namespace syntask::store {
class Store;
}

namespace syntask::init {

struct RecipeField {
  std::string_view name;
  std::string_view description;
  bool required;      ///< false: has a default computed from the project, or is optional
  bool asked = false; ///< asked in a terminal even when it has a default or is optional (empty: unset)
};

struct Recipe {
  std::string_view name;
  std::string_view description;
  std::vector<RecipeField> fields;
  std::string_view text;       ///< the recipe's pull section; `{{ field }}` marks where fields go
  std::string_view push = {};  ///< the recipe's push section, same markers; empty: `push: null`
  std::string_view build = {}; ///< the recipe's build section, same markers; empty: `build: null`
};

/// The whole syntask.yaml template of a recipe: shared metadata, the recipe's build section (or
/// `build: null`), push section (or `push: null`) and pull section, and a commented deployment stub (for
/// a recipe that builds an image: in a docker work pool running `<< build_image.image >>`). A line whose
/// field is not given is left out when rendered, and so is a mapping key left without any of its lines.
std::string recipe_document(const Recipe& recipe);

/// The commented header that `init` and deploy's first save of a configuration write above the
/// project's keys.
std::string project_file_header();

/// Every recipe, in the order `init` offers them.
const std::vector<Recipe>& recipes();
/// The recipe with this name; throws UsageError naming the known ones.
const Recipe& require_recipe(std::string_view name);

struct InitRequest {
  std::filesystem::path directory;           ///< the project directory
  std::string recipe;                        ///< "" : infer or ask
  std::map<std::string, std::string> fields; ///< --field KEY=VALUE
  bool force = false;                        ///< overwrite an existing syntask.yaml
  /// Opens the store, called only to save a private repository's token (git recipes in a terminal);
  /// unset: the token questions are not asked.
  std::function<store::Store&()> open_store;
};

struct InitResult {
  std::string recipe;
  std::vector<std::string> created; ///< file names written, relative to the directory
};

/// Writes syntask.yaml (refusing to overwrite without `force`) and .syntaskignore (only when missing,
/// even with `force`). Missing required fields are asked for, or named in a UsageError when not interactive;
/// fields marked `asked` are asked in a terminal too, offering their default. In a terminal a git recipe
/// confirms the repository's URL and branch and asks whether it is private, with the words of an
/// interactive deploy; a private repository's token is saved as the secret block
/// "<slug(directory name)>-repo-token" that the pull step's access_token references.
InitResult initialize_project(const InitRequest& request, prompt::Prompter& prompter);

} // namespace syntask::init
