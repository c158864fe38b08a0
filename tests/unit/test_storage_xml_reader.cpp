// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch_test_macros.hpp>

#include "storage/xml_reader.hpp"

using namespace syntask::storage;

TEST_CASE("storage::xml reads elements, attributes, entities and CDATA")
{
  const auto root =
      xml::parse("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- listing -->\n"
                 "<EnumerationResults ServiceEndpoint=\"http://x/&amp;y\">"
                 "<Blobs><Blob><Name Encoded='true'>a%20b</Name><Metadata/></Blob>"
                 "<Blob><Name>x &lt;&amp;&gt; &#233;&#x4E2D;</Name><![CDATA[<raw>]]></Blob></Blobs>"
                 "<NextMarker /></EnumerationResults>");
  CHECK(root.name == "EnumerationResults");
  CHECK(root.attribute("ServiceEndpoint") == "http://x/&y");
  CHECK_FALSE(root.attribute("Missing").has_value());
  const auto* blobs = root.child("Blobs");
  REQUIRE(blobs != nullptr);
  const auto list = blobs->children_named("Blob");
  REQUIRE(list.size() == 2);
  CHECK(list[0]->child("Name")->attribute("Encoded") == "true");
  CHECK(list[0]->child_text("Name") == "a%20b");
  CHECK(list[1]->child_text("Name") == "x <&> \xC3\xA9\xE4\xB8\xAD");
  CHECK(list[1]->text == "<raw>");
  CHECK(root.child_text("NextMarker").empty());
  CHECK(root.child("Nothing") == nullptr);
}

TEST_CASE("storage::xml rejects documents that are not well-formed")
{
  const auto error_of = [](std::string_view text) -> std::string {
    try {
      xml::parse(text);
    } catch (const xml::XmlError& error) {
      return error.what();
    }
    return "(no error)";
  };
  CHECK(error_of("<a><b></a>") == "malformed XML at byte 9: 'a' closes 'b'");
  CHECK(error_of("<a>") == "malformed XML at byte 3: element 'a' is not closed");
  CHECK(error_of("<a>&bogus;</a>") == "malformed XML at byte 3: unknown entity '&bogus;'");
  CHECK(error_of("<a/><b/>") == "malformed XML at byte 4: unexpected content after the root element");
  CHECK(error_of("") == "malformed XML at byte 0: expected the root element");
}

TEST_CASE("storage::xml::escape escapes the five special characters")
{
  CHECK(syntask::storage::xml::escape("<a & 'b' \"c\">") == "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;");
  const auto round =
      syntask::storage::xml::parse("<r>" + syntask::storage::xml::escape("x&y<z>'\"") + "</r>");
  CHECK(round.text == "x&y<z>'\"");
}
