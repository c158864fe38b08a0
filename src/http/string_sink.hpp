// SPDX-License-Identifier: Apache-2.0
// A BodySink that keeps the whole body in memory (listings, small objects), for callers that want the
// body apart from the Response.
#pragma once

#include <syntask/http/client.hpp>

#include <string>

namespace syntask::http {

class StringSink : public BodySink {
public:
  void write(std::string_view data) override { m_data.append(data); }
  void reset() override { m_data.clear(); }
  std::string& data() { return m_data; }

private:
  std::string m_data;
};

} // namespace syntask::http
