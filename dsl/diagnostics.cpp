#include "dsl/diagnostics.hpp"

#include <algorithm>
#include <tuple>

#include "dsl/support/text.hpp"

namespace kijun::dsl {

namespace {

struct CatalogEntry {
  Diag code;
  Severity severity;
  const char* text;
};

constexpr CatalogEntry catalog[] = {
#define KIJUN_DIAG(name, code, severity, text) {Diag::name, Severity::severity, text},
#include "dsl/diagnostics.def"
#undef KIJUN_DIAG
};

const CatalogEntry& entry(Diag code) {
  for (const auto& e : catalog)
    if (e.code == code) return e;
  return catalog[0];
}

std::string substitute(const char* tmpl, const std::vector<std::string>& args) {
  std::string out;
  for (const char* p = tmpl; *p; ++p) {
    if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      auto k = static_cast<std::size_t>(p[1] - '0');
      if (k < args.size()) out += args[k];
      p += 2;
    } else {
      out += *p;
    }
  }
  return out;
}

std::string severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

void render_snippet(std::string& out, Span span, const SourceSet& sources) {
  auto lc = sources.line_col(span.file, span.begin);
  auto line = sources.line_text(span.file, lc.line);
  auto number = std::to_string(lc.line);
  std::string gutter(number.size() + 2, ' ');
  out += " " + number + " | " + std::string(line) + "\n";
  // The caret marks the start; tildes run to the end of the span on this line.
  const auto& file = sources.file(span.file);
  auto line_start = file.line_starts[lc.line - 1];
  auto line_end = line_start + static_cast<std::uint32_t>(line.size());
  auto end = std::min(std::max(span.end, span.begin + 1), line_end);
  std::uint32_t width = end > span.begin ? display_width(std::string_view(file.text).substr(span.begin, end - span.begin)) : 1;
  out += gutter + "| " + std::string(lc.column - 1, ' ') + "^";
  if (width > 1) out += std::string(width - 1, '~');
  out += "\n";
}

}  // namespace

std::string code_string(Diag code) {
  auto n = std::to_string(static_cast<int>(code));
  return "K" + std::string(4 - std::min<std::size_t>(4, n.size()), '0') + n;
}

Severity severity_of(Diag code) { return entry(code).severity; }

Diagnostic& Diagnostics::report(Diag code, Span span, std::vector<std::string> args) {
  const auto& e = entry(code);
  items_.push_back({code, e.severity, span, substitute(e.text, args), {}, {}});
  return items_.back();
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](auto& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

void Diagnostics::append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }

std::vector<Diagnostic> Diagnostics::sorted() const {
  auto out = items_;
  auto key = [](const Diagnostic& d) { return std::make_tuple(d.span.file, d.span.begin, static_cast<int>(d.code), d.message); };
  std::stable_sort(out.begin(), out.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(), [&](auto& a, auto& b) { return key(a) == key(b); }), out.end());
  return out;
}

std::string render(const Diagnostic& d, const SourceSet& sources) {
  std::string out;
  bool located = d.span.file < sources.size();
  if (located) out += sources.location(d.span) + ": ";
  out += severity_name(d.severity) + "[" + code_string(d.code) + "]: " + d.message + "\n";
  if (located) render_snippet(out, d.span, sources);
  if (!d.hint.empty()) out += "hint: " + d.hint + "\n";
  for (const auto& n : d.notes) {
    out += "note: " + n.message;
    if (n.has_span && n.span.file < sources.size()) out += " (" + sources.location(n.span) + ")";
    out += "\n";
  }
  return out;
}

std::string render_all(const Diagnostics& diags, const SourceSet& sources) {
  std::string out;
  for (const auto& d : diags.sorted()) out += render(d, sources);
  return out;
}

std::string render_json(const Diagnostics& diags, const SourceSet& sources) {
  std::string out = "[";
  bool first = true;
  for (const auto& d : diags.sorted()) {
    if (!first) out += ",";
    first = false;
    out += "{\"code\":\"" + code_string(d.code) + "\",\"severity\":\"" + severity_name(d.severity) + "\"";
    if (d.span.file < sources.size()) {
      auto lc = sources.line_col(d.span.file, d.span.begin);
      out += ",\"file\":";
      append_json_string(out, sources.file(d.span.file).path);
      out += ",\"line\":" + std::to_string(lc.line) + ",\"column\":" + std::to_string(lc.column);
    }
    out += ",\"message\":";
    append_json_string(out, d.message);
    if (!d.hint.empty()) {
      out += ",\"hint\":";
      append_json_string(out, d.hint);
    }
    out += "}";
  }
  return out + "]";
}


}  // namespace kijun::dsl
