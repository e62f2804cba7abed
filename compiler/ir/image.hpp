// The ruleset image: the typed IR of a ruleset and its sources, serialized. An
// ahead-of-time plugin carries one, so the runtime can read applicants, write outputs,
// explain decisions and check the content hash without the compiler.
//
// Format: "KIJUNIR\0", a uint32 format version, then the fields of ir::Ruleset and the
// sources in a fixed order; integers as zigzag LEB128, strings as length + bytes. The
// reader checks every length against the bytes that remain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"
#include "dsl/support/source.hpp"

namespace kijun::ir {

// 4: add, sub, and, or may have more than two operands (a chain, folded left to right).
// 5: `tiered` is one operation. 6: the ruleset's tests (ir::Test), after the functions.
// 7: the ruleset's description (ir::Described); the tests and the description each a
// section (length and bytes), a test's applicant as its changes from the previous test's.
// 8: lists: records, list inputs' lengths, element definitions and tables, and a test's
// applicant with its lists' elements after its inputs.
inline constexpr std::uint32_t image_format_version = 8;

std::string write_image(const Ruleset& rs, const dsl::SourceSet& sources);

// The parts of an image only tests and audits read — the tests and the description — as
// views into the image's bytes, unread.
struct DeferredParts {
  std::string_view tests, description;
};

// False with `error` when the bytes are not a well-formed image of this format version.
// With `deferred`, the tests and the description are left unread (rs.tests and
// rs.description stay empty) and their bytes are put there, for read_deferred: a plugin
// loaded to decide applicants does not pay for them.
bool read_image(std::string_view bytes, Ruleset& rs, dsl::SourceSet& sources, std::string& error,
                DeferredParts* deferred = nullptr);
// Reads deferred parts into `rs` (the ruleset read with them) and verifies the tests; false
// with `error`, and rs.tests and rs.description left empty, when they are corrupt.
bool read_deferred(const DeferredParts& parts, Ruleset& rs, std::string& error);

}  // namespace kijun::ir
