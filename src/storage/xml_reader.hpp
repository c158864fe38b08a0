// SPDX-License-Identifier: Apache-2.0
// A small XML reader for the documents object stores answer with (listings, errors). It reads elements,
// attributes, character data, CDATA and the predefined and numeric entities; it skips the XML
// declaration, processing instructions, comments and a DOCTYPE without an internal subset. Namespaces are
// not resolved: names are kept as written.
#pragma once

#include <syntask/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace syntask::storage::xml {

/// A document that is not well-formed XML. The message says what was wrong and the byte offset.
class XmlError : public Error {
public:
  using Error::Error;
};

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes; ///< in document order, values decoded
  std::string text; ///< the character data directly inside this element, decoded and concatenated
  std::vector<Element> children;

  /// The first child called `name`, or nullptr.
  const Element* child(std::string_view child_name) const;
  /// Every child called `name`, in document order.
  std::vector<const Element*> children_named(std::string_view child_name) const;
  /// The text of the first child called `name`; "" when there is none.
  std::string child_text(std::string_view child_name) const;
  /// The value of an attribute; nullopt when absent.
  std::optional<std::string> attribute(std::string_view attribute_name) const;
};

/// Parses a whole document and returns its root element. Throws XmlError.
Element parse(std::string_view document);

/// Escapes & < > " ' for element text and attribute values (request documents such as S3's
/// CompleteMultipartUpload).
std::string escape(std::string_view text);

} // namespace syntask::storage::xml
