#pragma once

// Reading the DOM headless Chromium dumped of the status page (e2e_status_page): an element by
// an attribute's value, an attribute of a start tag, the text of markup, and every reference
// that could load something from elsewhere. Chromium's serialisation is well-formed, which
// these rely on.

#include <string>

/// The element of `html` whose start tag has `attribute`="`value`": its markup from the start
/// tag to the matching end tag (the start tag alone for an element without one); empty when
/// there is none.
std::string element(const std::string& html, const std::string& attribute, const std::string& value);

/// The value of `attribute` on the first start tag of `markup`: "" for one without a value,
/// `missing` when it has none.
std::string attribute(const std::string& markup, const std::string& name, const std::string& missing = "(none)");

/// The text of `markup`: tags left out, the entities Chromium writes decoded.
std::string text(const std::string& markup);

/// The text of the element with id `id`.
std::string textById(const std::string& dom, const std::string& id);

/// The references of `html` that could reach another origin, a line each: anything naming a
/// scheme other than data:, a "//" authority, or any @import or url(); empty when the page is
/// self-contained.
std::string externalReferences(const std::string& html);
