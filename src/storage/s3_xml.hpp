// SPDX-License-Identifier: Apache-2.0
// A minimal XML reader for the documents S3 returns (ListBucketResult, InitiateMultipartUploadResult,
// CompleteMultipartUploadResult, Error): elements, attributes skipped, text with the five predefined
// entities and numeric character references, CDATA, comments and the declaration skipped. Namespace
// prefixes are dropped from element names. Not a general XML parser: no DTDs, no entity definitions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace syntask::storage::xml {

struct Element {
  std::string name; ///< the local name (a "prefix:" is removed)
  std::string text; ///< the element's own text, decoded (text of children not included)
  std::vector<Element> children;

  /// The first child called `name`, or nullptr.
  const Element* child(std::string_view child_name) const;
  /// The text of the first child called `name`; "" when there is none.
  std::string child_text(std::string_view child_name) const;
  /// Every child called `name`, in document order.
  std::vector<const Element*> children_named(std::string_view child_name) const;
};

/// Parses a whole document and returns its root element. Throws syntask::RemoteError (not transient)
/// "malformed XML: ..." naming the byte offset.
Element parse(std::string_view document);

/// Replaces &amp; &lt; &gt; &quot; &apos; &#NN; &#xNN; (as UTF-8); throws RemoteError for an unknown
/// or unterminated reference.
std::string decode_entities(std::string_view text);

/// Escapes & < > " ' for element text and attribute values.
std::string escape(std::string_view text);

} // namespace syntask::storage::xml
