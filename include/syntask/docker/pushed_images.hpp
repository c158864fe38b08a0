// SPDX-License-Identifier: Apache-2.0
// The images this process pushed, by the names they were pushed under: how deploy learns that a
// deployment's `image` job variable names an image it just pushed, to store the exact digest instead.
#pragma once

#include <optional>
#include <string>

namespace syntask::docker {

struct PushedImage {
  std::string image_with_digest;     ///< NAME@sha256:...
  std::string credentials_reference; ///< the push's `credentials` as written (a block reference), or ""
};

/// Records that `image` (NAME:TAG) was pushed.
void record_pushed_image(const std::string& image, const PushedImage& pushed);

/// What was pushed under `image` (NAME:TAG, or NAME alone for NAME:latest) by this process; nullopt when
/// nothing was.
std::optional<PushedImage> find_pushed_image(const std::string& image);

} // namespace syntask::docker
