// SPDX-License-Identifier: Apache-2.0
#include <syntask/error.hpp>

#include <catch2/catch_test_macros.hpp>

#include "storage/s3_xml.hpp"

using namespace syntask::storage;

namespace {

std::string parse_error(std::string_view document)
{
  try {
    xml::parse(document);
  } catch (const syntask::RemoteError& error) {
    CHECK_FALSE(error.transient());
    return error.what();
  }
  return "<no error>";
}

} // namespace

TEST_CASE("storage::s3_xml reads a ListBucketResult")
{
  auto root = xml::parse(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>a&amp;b/</Prefix><KeyCount>2</KeyCount>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <EncodingType>url</EncodingType>
  <Contents><Key>a%26b/x%20y</Key><ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag><Size>5</Size></Contents>
  <Contents><Key>a%26b/dir/</Key><ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>0</Size></Contents>
  <Empty/>
</ListBucketResult>)");
  CHECK(root.name == "ListBucketResult");
  CHECK(root.child_text("Prefix") == "a&b/");
  CHECK(root.child_text("IsTruncated") == "true");
  CHECK(root.child_text("NextContinuationToken") == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  CHECK(root.child_text("Missing").empty());
  CHECK(root.child("Missing") == nullptr);
  REQUIRE(root.child("Empty") != nullptr);
  CHECK(root.child("Empty")->text.empty());
  auto contents = root.children_named("Contents");
  REQUIRE(contents.size() == 2);
  CHECK(contents[0]->child_text("Key") == "a%26b/x%20y");
  CHECK(contents[0]->child_text("ETag") == "\"5d41402abc4b2a76b9719d911017c592\"");
  CHECK(contents[1]->child_text("Size") == "0");
}

TEST_CASE("storage::s3_xml decodes entities, character references and CDATA, and drops prefixes")
{
  auto root =
      xml::parse("<s3:Error xmlns:s3='x'><!-- c --><Code>NoSuchKey</Code>"
                 "<Message>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#xe9;&#x1F600;</Message>"
                 "<Key><![CDATA[x<&>y]]></Key></s3:Error>");
  CHECK(root.name == "Error");
  CHECK(root.child_text("Code") == "NoSuchKey");
  CHECK(root.child_text("Message") == "a <b> \"c\" 'd' AB\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(root.child_text("Key") == "x<&>y");
  CHECK(xml::decode_entities("plain") == "plain");
  CHECK(xml::escape("<a & 'b' \"c\">") == "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;");
  CHECK(xml::decode_entities(xml::escape("x&y<z>'\"")) == "x&y<z>'\"");
}

TEST_CASE("storage::s3_xml skips attributes, even with '>' in quoted values")
{
  auto root = xml::parse("<A b=\"1>2\" c='/'><B d=\"x\"/>t</A>");
  CHECK(root.name == "A");
  CHECK(root.text == "t");
  REQUIRE(root.children.size() == 1);
  CHECK(root.children[0].name == "B");
}

TEST_CASE("storage::s3_xml rejects malformed documents with one line")
{
  CHECK(parse_error("") == "malformed XML: expected the root element at byte 1");
  CHECK(parse_error("<A><B></A>") == "malformed XML: </A> closes <B> at byte 10");
  CHECK(parse_error("<A>text") == "malformed XML: missing </A> at byte 8");
  CHECK(parse_error("<A>&bogus;</A>") == "malformed XML: unknown entity '&bogus;' at byte 1");
  CHECK(parse_error("<A>&amp</A>") == "malformed XML: unterminated entity reference at byte 1");
  CHECK(parse_error("<A>&#xZZ;</A>") == "malformed XML: bad character reference '&#xZZ;' at byte 1");
  CHECK(parse_error("<A></A><B/>") == "malformed XML: content after the root element at byte 8");
  CHECK(parse_error("<A><!-- x </A>") == "malformed XML: unterminated comment at byte 4");
}
