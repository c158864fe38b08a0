// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/pushed_images.hpp>

#include <map>
#include <mutex>

namespace syntask::docker {

namespace {

std::mutex g_mutex;

std::map<std::string, PushedImage>& pushed()
{
  static std::map<std::string, PushedImage> images;
  return images;
}

// "name" means "name:latest", as docker reads it; a tag follows the last ':' after the last '/'.
std::string with_tag(const std::string& image)
{
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  return tagged || image.find('@') != std::string::npos ? image : image + ":latest";
}

} // namespace

void record_pushed_image(const std::string& image, const PushedImage& image_pushed)
{
  std::lock_guard lock(g_mutex);
  pushed()[with_tag(image)] = image_pushed;
}

std::optional<PushedImage> find_pushed_image(const std::string& image)
{
  std::lock_guard lock(g_mutex);
  const auto found = pushed().find(with_tag(image));
  if (found == pushed().end()) {
    return std::nullopt;
  }
  return found->second;
}

} // namespace syntask::docker
