// SPDX-License-Identifier: Apache-2.0
// Private: git's pkt-line framing (gitprotocol-common(5)), written and read incrementally.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace syntask::git::detail {

/// Appends `payload` as one data packet ("0009done\n" for "done\n").
void append_packet(std::string& out, std::string_view payload);
/// The special packets: flush ends a message, delim separates its sections (protocol v2).
constexpr std::string_view k_flush_packet = "0000";
constexpr std::string_view k_delim_packet = "0001";

/// What PacketReader hands on: a data packet's payload, or one of the special packets.
enum class PacketKind { data, flush, delim, response_end };

/// Splits a byte stream into packets as it arrives, however the stream is cut. Throws RemoteError
/// (not transient) on a malformed length.
class PacketReader {
public:
  using Handler = std::function<void(PacketKind kind, std::string_view payload)>;
  explicit PacketReader(Handler handler) : m_handler(std::move(handler)) {}

  void feed(std::string_view bytes);
  /// Whether the stream stopped between packets (nothing half-read is pending).
  bool at_boundary() const { return m_pending.empty(); }

private:
  Handler m_handler;
  std::string m_pending; ///< the start of a packet not yet complete
};

/// A data packet's payload without its trailing newline, the form protocol lines are compared in.
std::string_view packet_line(std::string_view payload);

} // namespace syntask::git::detail
