// Diagnostics are data: a stable code from diagnostics.def, a severity, a primary span,
// an optional hint and notes. They are collected, sorted by position and rendered as
//   file:line:col: error[K0101]: message
//     41 |   source line
//        |   ^~~~~
//   hint: …
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dsl/support/source.hpp"
#include "dsl/support/text.hpp"  // nearest(), for "did you mean"

namespace kijun::dsl {

enum class Severity : std::uint8_t { error, warning };

enum class Diag : std::uint16_t {
#define KIJUN_DIAG(name, code, severity, text) name = code,
#include "dsl/diagnostics.def"
#undef KIJUN_DIAG
};

struct DiagNote {
  Span span;
  bool has_span = false;
  std::string message;
};

struct Diagnostic {
  Diag code{};
  Severity severity = Severity::error;
  Span span;
  std::string message;
  std::string hint;
  std::vector<DiagNote> notes;

  Diagnostic& with_hint(std::string h) { hint = std::move(h); return *this; }
  Diagnostic& note(Span s, std::string m) { notes.push_back({s, true, std::move(m)}); return *this; }
  Diagnostic& note(std::string m) { notes.push_back({{}, false, std::move(m)}); return *this; }
};

class Diagnostics {
public:
  Diagnostic& report(Diag code, Span span, std::vector<std::string> args = {});
  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  // Sorted by file, position and code, duplicates removed: golden files never flake.
  std::vector<Diagnostic> sorted() const;
  void append(const Diagnostics& other);

private:
  std::vector<Diagnostic> items_;
};

std::string code_string(Diag code);  // "K0101"
Severity severity_of(Diag code);
std::string render(const Diagnostic& d, const SourceSet& sources);
std::string render_all(const Diagnostics& diags, const SourceSet& sources);
std::string render_json(const Diagnostics& diags, const SourceSet& sources);


}  // namespace kijun::dsl
