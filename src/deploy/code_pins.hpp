// SPDX-License-Identifier: Apache-2.0
// Private: the code a deployment runs. Every step that ships code reports its pin in its output (a push
// to object storage its manifest_digest, push_docker_image its image_with_digest); the project's git
// HEAD pins git_clone. Deploy collects them here and records them in one place, so that workers run
// exactly what was deployed.
#pragma once

#include <syntask/steps/runner.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace syntask::ui {
class Output;
}

namespace syntask::deploy {

/// A tree a push step wrote to object storage.
struct PushedTree {
  std::string service;         ///< the step row's storage service: "s3", "gcs", "azure"
  std::string bucket;          ///< bucket or Azure container, as the step reported it
  std::string folder;          ///< normalised (storage::normalize_folder)
  std::string manifest_digest; ///< "sha256:..." of the manifest the push wrote
};

/// An image a push_docker_image step pushed, under one of its tags.
struct PushedImage {
  std::string image;                 ///< NAME:TAG
  std::string image_with_digest;     ///< NAME@sha256:...
  std::string credentials_reference; ///< the push's `credentials` as written (a block reference), or ""
};

/// Everything a deploy shipped, in the order it was shipped (a later pin of the same code wins).
struct CodePins {
  std::vector<PushedTree> trees;
  std::vector<PushedImage> images;
  std::string git_commit; ///< the project's HEAD for git_clone pull steps; "" when not pinned (--no-pin)
  std::string git_remote; ///< the project's remote URL, to warn when a clone names another repository
};

/// Adds the pins reported in the outputs of build or push steps that ran.
void collect_code_pins(const std::vector<steps::StepResult>& ran, CodePins& pins);

/// Records `pins` in a deployment record about to be registered: an object storage pull step reading a
/// pushed tree (same service, bucket and folder, all literal) gets that push's `manifest_digest`; a
/// git_clone pull step gets `commit_sha: git_commit` unless it says `pin: false` or names a commit (with
/// a warning when it clones another repository than the project's remote); an `image` job variable
/// naming a pushed NAME:TAG (NAME meaning NAME:latest) becomes NAME@sha256:... and the push's credentials
/// reference goes into `image_credentials`.
void record_code_pins(const CodePins& pins, nlohmann::json& record, ui::Output& output);

} // namespace syntask::deploy
