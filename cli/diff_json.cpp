// The JSON report of `kijun diff`, format "kijun-diff/1" (docs/auditing.md describes every
// field). Keys never change meaning within a format version; new keys may be added.
#include <string>

#include "cli/diff_report.hpp"
#include "dsl/support/text.hpp"

namespace kijun::cli {

namespace {

class Json {
public:
  std::string out;
  Json& raw(const std::string& s) { return out += s, *this; }
  Json& str(const std::string& s) { return dsl::append_json_string(out, s), *this; }
  Json& key(const char* k) {
    comma();
    str(k);
    out += ':';
    fresh_ = true;
    return *this;
  }
  Json& open(char c) {
    comma();
    out += c;
    fresh_ = true;
    return *this;
  }
  Json& close(char c) {
    out += c;
    fresh_ = false;
    return *this;
  }
  Json& value(const std::string& s) { return comma(), str(s), done(); }
  Json& json(const std::string& text) { return comma(), raw(text), done(); }  // a JSON value already written
  Json& value(runtime::wide v) { return comma(), raw(integer(v)), done(); }
  Json& value(bool b) { return comma(), raw(b ? "true" : "false"), done(); }
  Json& null() { return comma(), raw("null"), done(); }
  Json& opt(const std::optional<std::string>& s) { return s ? value(*s) : null(); }
  Json& item(const char* k, const std::string& s) { return key(k).value(s); }
  Json& item(const char* k, runtime::wide v) { return key(k).value(v); }
  Json& item(const char* k, std::size_t v) { return key(k).value(static_cast<runtime::wide>(v)); }
  Json& item(const char* k, bool v) { return key(k).value(v); }

private:
  static std::string integer(runtime::wide v) {
    std::string s = runtime::grouped(v);
    std::erase(s, ',');
    return s;
  }
  void comma() {
    if (!fresh_ && !out.empty() && out.back() != '[' && out.back() != '{' && out.back() != ':') out += ',';
    fresh_ = false;
  }
  Json& done() { return fresh_ = false, *this; }
  bool fresh_ = false;
};

void version(Json& j, const char* name, const VersionInfo& v) {
  j.key(name).open('{');
  j.item("spec", v.spec).item("programme", v.programme).item("fiscal_year", static_cast<runtime::wide>(v.fiscal_year));
  j.key("on").opt(v.on);
  j.key("version").opt(v.version);
  j.item("version_note", v.version_note).item("content_hash", v.content_hash);
  j.close('}');
}

void structure(Json& j, const DiffReport& r) {
  j.key("structure").open('{').key("changes").open('[');
  for (auto& c : r.changes) {
    j.open('{').item("change", std::string(change_word(c.kind))).item("kind", c.entry_kind).item("name", c.name);
    j.item("cite", c.cite).item("label", c.label);
    j.key("effective").opt(r.effective.empty() ? std::nullopt : std::optional(r.effective));
    j.key("parts").open('[');
    for (auto& p : c.parts) {
      j.open('{').item("part", p.part);
      j.key("before").opt(p.before.empty() ? std::nullopt : std::optional(p.before));
      j.key("after").opt(p.after.empty() ? std::nullopt : std::optional(p.after));
      j.close('}');
    }
    j.close(']').close('}');
  }
  j.close(']').close('}');
}

void outcome(Json& j, const char* name, const runtime::Outcome& o) {
  j.key(name).open('{').item("decided", o.decided);
  if (o.decided) j.item("eligible", o.eligible).item("amount_yen", static_cast<runtime::wide>(o.amount_yen)).item("score", static_cast<runtime::wide>(o.score));
  else j.item("error", o.error);
  j.close('}');
}

void group(Json& j, const runtime::ChangeGroup& g) {
  j.open('{').item("kind", std::string(runtime::change_kind_name(g.kind))).item("count", g.count);
  j.key("rules").open('[');
  for (auto& rule : g.rules) {
    j.open('{').item("kind", rule.kind).item("id", rule.id).item("cite", rule.cite).item("label", rule.label);
    j.key("awarded");
    if (rule.change) j.value(std::string(rule.change == '+' ? "after_only" : "before_only"));
    else j.null();
    j.close('}');
  }
  j.close(']');
  j.key("detail").opt(g.detail.empty() ? std::nullopt : std::optional(g.detail));
  j.key("note").opt(g.note.empty() ? std::nullopt : std::optional(g.note));
  j.key("examples").open('[');
  for (auto& e : g.examples) {
    j.open('{').item("id", e.id).item("inputs_before_reduction", e.inputs_before_reduction);
    j.key("differences").open('[');
    for (auto& d : e.differences) j.open('{').item("input", d.input).item("reference", d.reference).item("value", d.value).close('}');
    j.close(']');
    outcome(j, "before", e.before);
    outcome(j, "after", e.after);
    j.key("record").json(e.record);
    j.close('}');
  }
  j.close(']').close('}');
}

void frame(Json& j, const runtime::FrameBehaviour& f) {
  j.open('{').item("frame", f.frame).item("applicants", f.applicants).item("decided_both", f.decided_both);
  j.item("undecided_both", f.undecided_both);
  j.key("eligible").open('{').item("before", f.eligible_before).item("after", f.eligible_after).close('}');
  j.item("became_ineligible", f.became_ineligible).item("became_eligible", f.became_eligible);
  j.item("amount_changed", f.amount_changed).item("score_changed", f.score_changed);
  j.item("became_undecidable", f.became_undecidable).item("became_decidable", f.became_decidable);
  j.key("amount_total_yen").open('{').item("before", f.total_before).item("after", f.total_after);
  j.item("delta", f.total_after - f.total_before).close('}');
  j.key("amount_deltas").open('[');
  for (auto& b : f.amount_deltas) {
    j.open('{').item("label", b.label).item("min", static_cast<runtime::wide>(b.lo)).item("max", static_cast<runtime::wide>(b.hi));
    j.item("count", b.count).close('}');
  }
  j.close(']');
  j.key("score_deltas").open('[');
  for (auto& [delta, n] : f.score_deltas) j.open('{').item("delta", static_cast<runtime::wide>(delta)).item("count", n).close('}');
  j.close(']');
  j.key("reference");
  if (f.reference_record.empty()) j.null();
  else j.json(f.reference_record);
  j.key("changes").open('[');
  for (auto& g : f.groups) group(j, g);
  j.close(']').close('}');
}

}  // namespace

std::string render_json(const DiffReport& r) {
  Json j;
  j.open('{').item("format", std::string("kijun-diff/1"));
  version(j, "before", r.before);
  version(j, "after", r.after);
  structure(j, r);
  j.key("behaviour");
  if (!r.population) {
    j.null();
  } else {
    j.open('{').key("population").open('{').item("source", r.population->source);
    if (r.population->source == "file") j.item("file", r.population->file);
    else j.item("applicants_per_frame", r.population->applicants).item("seed", static_cast<runtime::wide>(r.population->seed));
    j.close('}');
    j.key("frames").open('[');
    for (auto& f : r.behaviour.frames) frame(j, f);
    j.close(']').close('}');
  }
  j.item("differs", r.differs());
  j.close('}');
  return j.out + "\n";
}

}  // namespace kijun::cli
