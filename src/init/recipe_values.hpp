// SPDX-License-Identifier: Apache-2.0
// Private: the project-dependent parts of recipes: which recipe a directory suggests, field defaults
// taken from the project (its git repository), and values derived from the fields given.
#pragma once

#include <syntask/init/init.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace syntask::init {

/// "git" when `directory` is in a git repository with a remote, else "local"; with a ./Dockerfile
/// "docker-git" and "docker" instead.
std::string infer_recipe(const std::filesystem::path& directory);

/// Defaults for `recipe`'s fields that the project provides (git: repository and branch from the
/// repository; branch falls back to "main"). Fields without a default are absent.
std::map<std::string, std::string> field_defaults(const Recipe& recipe,
                                                  const std::filesystem::path& directory);

/// Template values computed from the fields (git: `access_token`, the secret reference for
/// `access_token_block` when that is given; image recipes: `image_directory`, see image_code_directory).
/// Throws UsageError for a block name that is not a plain name, and for a base_image without
/// `dockerfile: auto`.
std::map<std::string, std::string> derived_values(const Recipe& recipe,
                                                  const std::map<std::string, std::string>& values);

/// `text` with each `{{ field }}` replaced by its value as a YAML scalar; lines of fields without a value
/// are left out, and so is a mapping key all of whose nested lines went (see recipe_document).
std::string render_recipe_text(std::string_view text, const std::map<std::string, std::string>& values);

/// The block type a recipe field names a block of ("aws-credentials" for s3's credentials_block), or ""
/// when the field is not a block name.
std::string_view block_type_of(const Recipe& recipe, std::string_view field);

/// Where an image built with `dockerfile: auto` holds the project named `project_name` (its directory's
/// name): "/opt/syntask/<project_name>", the working directory build_docker_image gives it.
std::string image_code_directory(std::string_view project_name);

/// What `--field NAME=...` shows as the value in messages ("URL" for a repository, else "VALUE").
std::string field_placeholder(const RecipeField& field);

} // namespace syntask::init
