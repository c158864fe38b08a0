// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "git/pkt_line.hpp"
#include <random>
#include <string>
#include <vector>

using namespace syntask;
using git::detail::PacketKind;
using git::detail::PacketReader;

namespace {

std::vector<std::string> read_all(const std::string& stream, const std::vector<std::size_t>& cuts)
{
  std::vector<std::string> seen;
  PacketReader reader([&](PacketKind kind, std::string_view payload) {
    switch (kind) {
    case PacketKind::flush:
      seen.emplace_back("<flush>");
      break;
    case PacketKind::delim:
      seen.emplace_back("<delim>");
      break;
    case PacketKind::response_end:
      seen.emplace_back("<end>");
      break;
    case PacketKind::data:
      seen.emplace_back(payload);
      break;
    }
  });
  std::size_t offset = 0;
  for (const auto cut : cuts) {
    reader.feed(std::string_view(stream).substr(offset, cut - offset));
    offset = cut;
  }
  reader.feed(std::string_view(stream).substr(offset));
  CHECK(reader.at_boundary());
  return seen;
}

} // namespace

TEST_CASE("git::append_packet frames payloads as git does")
{
  std::string out;
  git::detail::append_packet(out, "done\n");
  git::detail::append_packet(out, "");
  CHECK(out == "0009done\n0004");
}

TEST_CASE("git::PacketReader gives the same packets however the stream is cut")
{
  std::string stream;
  std::vector<std::string> expected;
  std::mt19937 random(7);
  for (int i = 0; i < 200; ++i) {
    switch (random() % 5) {
    case 0:
      stream += "0000";
      expected.emplace_back("<flush>");
      break;
    case 1:
      stream += "0001";
      expected.emplace_back("<delim>");
      break;
    case 2:
      stream += "0002";
      expected.emplace_back("<end>");
      break;
    default: {
      std::string payload(random() % 3000, '\0');
      for (auto& c : payload) {
        c = static_cast<char>(random() % 256);
      }
      git::detail::append_packet(stream, payload);
      expected.push_back(payload);
    }
    }
  }
  CHECK(read_all(stream, {}) == expected);
  for (const std::size_t step : {1, 2, 3, 5, 4096}) {
    std::vector<std::size_t> cuts;
    for (std::size_t cut = step; cut < stream.size(); cut += step) {
      cuts.push_back(cut);
    }
    CHECK(read_all(stream, cuts) == expected);
  }
  std::vector<std::size_t> cuts;
  for (std::size_t cut = random() % 100; cut < stream.size(); cut += random() % 9000) {
    cuts.push_back(cut);
  }
  CHECK(read_all(stream, cuts) == expected);
}

TEST_CASE("git::PacketReader refuses malformed lengths")
{
  PacketReader reader([](PacketKind, std::string_view) {});
  CHECK_THROWS_AS(reader.feed("00zz"), RemoteError);
  PacketReader three([](PacketKind, std::string_view) {});
  CHECK_THROWS_AS(three.feed("0003"), RemoteError);
  PacketReader long_packet([](PacketKind, std::string_view) {});
  CHECK_THROWS_AS(long_packet.feed("fff5"), RemoteError);
  PacketReader partial([](PacketKind, std::string_view) {});
  partial.feed("0009do");
  CHECK_FALSE(partial.at_boundary());
}
