// SPDX-License-Identifier: Apache-2.0
#include "git/pkt_line.hpp"

#include <syntask/error.hpp>

#include <algorithm>
#include <cstdio>

namespace syntask::git::detail {

namespace {

constexpr std::size_t k_header = 4;
constexpr std::size_t k_max_packet = 65520; // LARGE_PACKET_MAX in git

std::size_t parse_length(std::string_view header)
{
  std::size_t length = 0;
  for (const char c : header) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      throw RemoteError("malformed reply from the git server (bad packet length)", false);
    }
    length = length * 16 + static_cast<std::size_t>(digit);
  }
  return length;
}

} // namespace

void append_packet(std::string& out, std::string_view payload)
{
  char header[k_header + 1];
  std::snprintf(header, sizeof header, "%04zx", payload.size() + k_header);
  out.append(header, k_header);
  out.append(payload);
}

namespace {

/// The whole length of the packet starting with `header`: its own for data packets, 4 for special ones.
std::size_t packet_size(std::string_view header)
{
  const auto length = parse_length(header);
  if (length == 3) {
    throw RemoteError("malformed reply from the git server (bad packet length)", false);
  }
  if (length > k_max_packet) {
    throw RemoteError("malformed reply from the git server (packet too long)", false);
  }
  return length < k_header ? k_header : length;
}

void dispatch(const PacketReader::Handler& handler, std::string_view packet)
{
  switch (parse_length(packet.substr(0, k_header))) {
  case 0:
    handler(PacketKind::flush, {});
    break;
  case 1:
    handler(PacketKind::delim, {});
    break;
  case 2:
    handler(PacketKind::response_end, {});
    break;
  default:
    handler(PacketKind::data, packet.substr(k_header));
  }
}

} // namespace

void PacketReader::feed(std::string_view bytes)
{
  // Whole packets are handed on straight from `bytes`; only a packet cut by the end of `bytes` is
  // copied, so a pack streams through without being buffered.
  while (!m_pending.empty() && !bytes.empty()) {
    if (m_pending.size() < k_header) {
      const auto take = std::min(k_header - m_pending.size(), bytes.size());
      m_pending.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (m_pending.size() < k_header) {
        return;
      }
    }
    const auto size = packet_size(std::string_view(m_pending).substr(0, k_header));
    const auto take = std::min(size - m_pending.size(), bytes.size());
    m_pending.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (m_pending.size() == size) {
      const std::string packet = std::move(m_pending);
      m_pending.clear();
      dispatch(m_handler, packet);
    }
  }
  while (bytes.size() >= k_header) {
    const auto size = packet_size(bytes.substr(0, k_header));
    if (bytes.size() < size) {
      break;
    }
    dispatch(m_handler, bytes.substr(0, size));
    bytes.remove_prefix(size);
  }
  m_pending.append(bytes);
}

std::string_view packet_line(std::string_view payload)
{
  if (!payload.empty() && payload.back() == '\n') {
    payload.remove_suffix(1);
  }
  return payload;
}

} // namespace syntask::git::detail
