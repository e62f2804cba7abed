// The text report of `kijun diff`: the rules that changed, then per frame what the change
// does to the population, each kind of change with its rules and reduced examples.
#include <string>

#include "cli/diff_report.hpp"

namespace kijun::cli {

namespace {

class Styler {
public:
  explicit Styler(bool on) : on_(on) {}
  std::string operator()(const char* code, const std::string& s) const { return on_ ? "\x1b[" + std::string(code) + "m" + s + "\x1b[0m" : s; }

private:
  bool on_;
};

constexpr const char* red = "31";
constexpr const char* green = "32";
constexpr const char* yellow = "33";
constexpr const char* bold = "1";
constexpr const char* dim = "2";

std::string count(std::size_t n, const char* one, const char* many) { return runtime::grouped(static_cast<long long>(n)) + " " + (n == 1 ? one : many); }

std::string version_line(const VersionInfo& v) {
  std::string out = v.spec + "  (" + v.programme + " " + std::to_string(v.fiscal_year);
  std::string note = v.version_note.empty() ? "" : ": " + v.version_note;
  if (v.on) out += v.version ? ", version " + *v.version + note : ", before its first version";
  else if (v.version) out += ", latest version " + *v.version + note;
  return out + ")";
}

void structure(std::string& out, const DiffReport& r, const Styler& st) {
  for (auto& c : r.changes) {
    const char* colour = c.kind == runtime::StructuralChange::Kind::added ? green : c.kind == runtime::StructuralChange::Kind::removed ? red : yellow;
    std::string head = st(colour, std::string(change_word(c.kind))) + "  " + c.entry_kind + " " + st(bold, c.name);
    if (!c.cite.empty()) head += "  " + c.cite;
    if (!c.label.empty()) head += "  " + c.label;
    if (!r.effective.empty()) head += st(dim, "  (effective " + r.effective + ")");
    out += "\n" + head + "\n";
    for (auto& p : c.parts) {
      if (!p.before.empty()) out += st(red, "    - " + p.part + ": " + p.before) + "\n";
      if (!p.after.empty()) out += st(green, "    + " + p.part + ": " + p.after) + "\n";
    }
  }
}

std::string rule_words(const runtime::RuleRef& rule) {
  std::string s = rule.change ? std::string(rule.change == '+' ? "now awarded " : "no longer awarded ") : "";
  s += rule.kind + " " + rule.id;
  if (!rule.cite.empty()) s += "  " + rule.cite;
  if (!rule.label.empty()) s += "  " + rule.label;
  return s;
}

void group(std::string& out, const runtime::ChangeGroup& g, const Styler& st) {
  using K = runtime::ChangeKind;
  const char* colour = g.kind == K::became_ineligible || g.kind == K::amount_down || g.kind == K::became_undecidable ? red : green;
  out += "\n  " + st(colour, runtime::grouped(static_cast<long long>(g.count)) + " " + kind_words(g.kind));
  if (g.kind == K::became_ineligible || g.kind == K::became_eligible) out += g.kind == K::became_ineligible ? ", failing:" : ", no longer failing:";
  if (g.kind == K::score) out += ":";
  if (!g.detail.empty()) out += ": " + g.detail;
  out += "\n";
  for (auto& rule : g.rules) out += "      " + rule_words(rule) + "\n";
  if (!g.note.empty()) out += st(dim, "      (" + g.note + ")") + "\n";
  for (auto& e : g.examples) {
    out += "    " + st(bold, e.id);
    if (e.inputs_before_reduction)
      out += "  " + count(e.differences.size(), "input differs", "inputs differ") + " from the reference applicant (" +
             std::to_string(e.inputs_before_reduction) + " before reduction)";
    out += "\n";
    for (auto& d : e.differences) out += "        " + d.input + ": " + d.reference + " → " + d.value + "\n";
    out += "        before: " + outcome_words(e.before) + "\n        after:  " + outcome_words(e.after) + "\n";
  }
}

void frame(std::string& out, const runtime::FrameBehaviour& f, const Styler& st) {
  out += "\n" + st(bold, f.frame) + "  " + count(f.applicants, "applicant", "applicants") + ", " +
         runtime::grouped(static_cast<long long>(f.decided_both)) + " decided by both versions";
  if (f.undecided_both) out += ", " + runtime::grouped(static_cast<long long>(f.undecided_both)) + " by neither";
  out += "\n";
  auto n = [](std::size_t v) { return runtime::grouped(static_cast<long long>(v)); };
  out += "  eligible            " + n(f.eligible_before) + " → " + n(f.eligible_after) + "\n";
  out += "  became ineligible   " + n(f.became_ineligible) + "\n";
  out += "  became eligible     " + n(f.became_eligible) + "\n";
  out += "  amounts (yen)       total " + runtime::grouped(f.total_before) + " → " + runtime::grouped(f.total_after) + " (" +
         (f.total_after >= f.total_before ? "+" : "") + runtime::grouped(f.total_after - f.total_before) + "); " +
         n(f.amount_changed) + " changed while eligible in both\n";
  for (auto& b : f.amount_deltas)
    if (b.count) out += "      " + b.label + ": " + n(b.count) + "\n";
  out += "  scores              " + n(f.score_changed) + " changed";
  std::string sep = ": ";
  for (auto& [delta, c] : f.score_deltas) out += sep + (delta > 0 ? "+" : "") + std::to_string(delta) + " ×" + n(c), sep = ", ";
  out += "\n";
  if (f.became_undecidable || f.became_decidable)
    out += "  decidability        " + n(f.became_undecidable) + " no longer decided, " + n(f.became_decidable) + " now decided\n";
  for (auto& g : f.groups) group(out, g, st);
}

}  // namespace

std::string render_text(const DiffReport& r, bool colour) {
  Styler st(colour);
  std::string out = st(red, "--- " + version_line(r.before)) + "\n" + st(green, "+++ " + version_line(r.after)) + "\n";
  out += "\n" + st(bold, "Rules: " + count(r.changes.size(), "change", "changes")) + "\n";
  structure(out, r, st);
  std::size_t differing = 0;
  if (r.population) {
    const auto& p = *r.population;
    out += "\n" + st(bold, p.source == "file" ? "Applicants: " + p.file + ", decided by both versions"
                                               : "Applicants: " + runtime::grouped(static_cast<long long>(p.applicants)) +
                                                     " generated per frame (seed " + std::to_string(p.seed) + "), decided by both versions") + "\n";
    out += st(dim, "Examples are reduced to the inputs that differ from the reference applicant, the frame's first test\n"
                   "applicant both versions find eligible.") + "\n";
    for (auto& f : r.behaviour.frames) {
      frame(out, f, st);
      differing += f.differs();
    }
  }
  out += "\n" + count(r.changes.size(), "rule change", "rule changes");
  if (r.population) out += "; " + count(differing, "frame", "frames") + " where decisions differ";
  return out + "\n";
}

}  // namespace kijun::cli
