#include "runtime/audit/explain.hpp"

#include <algorithm>
#include <set>

#include "compiler/ir/exact.hpp"
#include "dsl/support/calendar.hpp"
#include "dsl/support/text.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

using ir::Node;
using ir::NodeId;
using ir::Op;
using ir::Value;

namespace {

constexpr int max_depth = 6;
constexpr std::size_t max_lines = 40;
constexpr std::size_t max_elements = 20;  // rows of a list shown element by element (not counted in max_lines)

// num/den as a decimal when it ends within four places, else with a trailing "…".
std::string exact_text(std::int64_t num, std::int64_t den) {
  bool negative = (num < 0) != (den < 0);
  auto n = num < 0 ? 0ULL - static_cast<unsigned long long>(num) : static_cast<unsigned long long>(num);
  auto d = den < 0 ? 0ULL - static_cast<unsigned long long>(den) : static_cast<unsigned long long>(den);
  std::string out = (negative ? "-" : "") + yen_text(static_cast<std::int64_t>(n / d));
  auto rest = n % d;
  if (rest == 0) return out;
  out += '.';
  for (int i = 0; i < 4 && rest; ++i) {
    rest *= 10;
    out += static_cast<char>('0' + rest / d);
    rest %= d;
  }
  return rest ? out + "…" : out;
}

// A rate as people write it: 1/2, 2/3, or 3.5% when the percentage is exact.
std::string rate_display(Value v) {
  if (v.den == 1) return std::to_string(v.num);
  if (v.den <= 5) return rate_text(v);
  // num/den × 100 with at most two decimals (checked for overflow before multiplying).
  if (v.num < INT64_MAX / 10000 && v.num > INT64_MIN / 10000 && (v.num * 10000) % v.den == 0)
    return exact_text(v.num * 100, v.den) + "%";
  return rate_text(v);
}

const char* yen_unit(Lang lang) { return lang == Lang::ja ? "円" : " yen"; }


const char* relation(Op op, bool held) {
  switch (op) {
    case Op::lt: return held ? "<" : "≥";
    case Op::le: return held ? "≤" : ">";
    case Op::gt: return held ? ">" : "≤";
    case Op::ge: return held ? "≥" : "<";
    case Op::eq: return held ? "=" : "≠";
    case Op::ne: return held ? "≠" : "=";
    default: return "?";
  }
}

// The operator as the rule writes it, for programs reading the structured reason.
const char* written(Op op) {
  switch (op) {
    case Op::lt: return "<";
    case Op::le: return "<=";
    case Op::gt: return ">";
    case Op::ge: return ">=";
    case Op::eq: return "==";
    case Op::ne: return "!=";
    default: return "?";
  }
}

bool is_comparison(Op op) { return op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge || op == Op::eq || op == Op::ne; }

// A side of a comparison as a line of text says it: a literal by its value alone ("100",
// "1,500,000 yen"); anything else by its text and then its value, unless the two read the
// same ("1/2" is not worth saying twice); a table cell also names its row's citation.
std::string said(const Node& n, const Operand& o) {
  std::string s = n.op == Op::constant || o.expr == o.value ? o.value : o.expr + " " + o.value;
  return o.cite.empty() ? s : s + " (" + o.cite + ")";
}

class Builder {
public:
  Builder(const Engine& engine, std::uint32_t frame, const Record& record, std::int64_t as_of, Lang lang)
      : rs_(engine.ruleset()), src_(engine.sources()), record_(record), as_of_(as_of), lang_(lang),
        interp_(engine.interpreter()) {
    interp_.begin(frame, record.values.data(), as_of);
  }

  // A rule judged as of another date: what that date is, and its reasons seen on that date.
  void judged(const ir::Rule& r, std::int64_t day, RuleNote& note) {
    note.judged_on = day;
    note.judged_by = text(rs_.node(r.as_of));
    note.judged_value = said(rs_.node(r.as_of), side(r.as_of, {}));
  }
  void rule_reasons(const ir::Rule& r, std::optional<std::int64_t> day, std::vector<Reason>& out) {
    interp_.set_date(day.value_or(as_of_));
    reasons(r.body, 0, out);
    interp_.set_date(as_of_);
  }

  void reasons(NodeId id, int depth, std::vector<Reason>& out);
  void steps(NodeId id, int depth, const std::string& parent, std::vector<AmountStep>& out);
  void def_steps(std::uint32_t def, int depth, std::vector<AmountStep>& out);
  std::string note(NodeId id);
  std::uint32_t kids_read(const Node& n);
  void branch(NodeId id, int depth, const std::string& parent, std::vector<AmountStep>& out);
  void condition(NodeId id, int depth, std::vector<AmountStep>& out);
  void element_steps(NodeId id, int depth, std::vector<AmountStep>& out);
  void element_reasons(NodeId id, int depth, std::vector<Reason>& out);

private:
  ElementRef element(std::uint32_t slot, std::int64_t e) const {
    ElementRef ref{rs_.inputs[slot].name, static_cast<std::size_t>(e), {}};
    if (slot < record_.element_ids.size() && static_cast<std::size_t>(e) < record_.element_ids[slot].size())
      ref.id = record_.element_ids[slot][static_cast<std::size_t>(e)];
    return ref;
  }
  std::string element_name(const ElementRef& ref) const {
    return ref.list + "[" + std::to_string(ref.index) + "]" + (ref.id.empty() ? "" : " " + ref.id);
  }
  // The element's fields, as a person reads them (text fields are not kept).
  std::string element_fields(std::uint32_t slot, std::int64_t e) const;
  Value value(NodeId id) {
    ir::EvalError err;
    return interp_.value_of(id, err);
  }
  bool truth(NodeId id) {
    Value v = value(id);
    return v.present() && v.num != 0;
  }
  std::string text(const Node& n) const { return dsl::one_line(src_.text(n.span)); }
  std::string shown(const Node& n, Value v, std::optional<std::uint16_t> enum_hint = {}) const;
  Operand side(NodeId id, std::optional<std::uint16_t> enum_hint);
  Reason compared(const Node& n, int depth, bool held);
  Reason membership(const Node& n, int depth, bool held);
  std::optional<std::uint16_t> enum_of(const Node& n) const {
    if (n.op == Op::input && rs_.inputs[n.a].type.kind == dsl::Kind::enumeration) return rs_.inputs[n.a].type.enum_id;
    if (n.op == Op::frame)  // the enum of the ruleset's frames ("frame" is a keyword: no other enum has the name)
      for (std::size_t e = 0; e < rs_.enums.size(); ++e)
        if (rs_.enums[e].name == "frame") return static_cast<std::uint16_t>(e);
    return std::nullopt;
  }
  const ir::DefAlt* alt_in_force(std::uint32_t def) const {
    for (auto& alt : rs_.defs[def].alts)
      if (alt.period.contains(as_of_)) return &alt;
    return nullptr;
  }

  const ir::Ruleset& rs_;
  const dsl::SourceSet& src_;
  const Record& record_;
  std::int64_t as_of_;
  Lang lang_;
  ir::Interpreter interp_;
  std::set<std::uint32_t> expanded_;  // definitions already worked out in the amount
  std::size_t element_rows_ = 0;      // lines about single elements, beside max_lines
};

std::string Builder::shown(const Node& n, Value v, std::optional<std::uint16_t> enum_hint) const {
  if (n.op == Op::input) return value_text(rs_, rs_.inputs[n.a].type, v, lang_);
  // The IR keeps no enum id on computed values: without a hint, show the value index.
  if (n.kind == dsl::Kind::enumeration && !enum_hint && v.present()) return "#" + std::to_string(v.num);
  return value_text(rs_, {n.kind, enum_hint.value_or(0), false}, v, lang_);
}

// A comparison's side: its text, its value, and for a table cell the matched row's citation.
Operand Builder::side(NodeId id, std::optional<std::uint16_t> enum_hint) {
  const Node& n = rs_.node(id);
  Operand o{text(n), shown(n, value(id), enum_hint), {}};
  if (n.op != Op::table) return o;
  ir::EvalError err;
  auto row = interp_.matched_row(n.a, err);
  if (row >= 0) o.cite = rs_.tables[n.a].rows[static_cast<std::size_t>(row)].cite;
  return o;
}

// A comparison as a line saying which relation held between the values of its sides
// ("x 1/2 ≥ 1/2", "employees 101 > 100"), and the same as data.
Reason Builder::compared(const Node& n, int depth, bool held) {
  NodeId l = rs_.child(n, 0), r = rs_.child(n, 1);
  auto hint = enum_of(rs_.node(l));
  if (!hint) hint = enum_of(rs_.node(r));
  Comparison c{written(n.op), held, side(l, hint), side(r, hint)};
  std::string line = said(rs_.node(l), c.left) + " " + relation(n.op, held) + " " + said(rs_.node(r), c.right);
  return {depth, std::move(line), std::move(c)};
}

// `x in {a, b}` as "x retail ∉ {a, b}": the set, as written and as values, is the right side.
Reason Builder::membership(const Node& n, int depth, bool held) {
  NodeId subject = rs_.child(n, 0);
  auto hint = enum_of(rs_.node(subject));
  Operand set{"{", "{", {}};
  for (std::uint32_t i = 1; i < n.count; ++i) {
    NodeId e = rs_.child(n, i);
    set.expr += (i > 1 ? ", " : "") + text(rs_.node(e));
    set.value += (i > 1 ? ", " : "") + shown(rs_.node(e), value(e), hint);
  }
  set.expr += "}";
  set.value += "}";
  Comparison c{"in", held, side(subject, {}), set};
  std::string line = said(rs_.node(subject), c.left) + (held ? " ∈ " : " ∉ ") + set.value;
  return {depth, std::move(line), std::move(c)};
}

void Builder::reasons(NodeId id, int depth, std::vector<Reason>& out) {
  if (id == ir::no_node || out.size() >= max_lines + element_rows_ || depth > max_depth) return;
  const Node& n = rs_.node(id);
  bool held = truth(id);
  auto kid = [&](std::uint32_t i) { return rs_.child(n, i); };
  switch (n.op) {
    case Op::and_:
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (!held ? !truth(kid(i)) : true) reasons(kid(i), depth, out);
      return;
    case Op::or_:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (held && !truth(kid(i))) continue;
        reasons(kid(i), depth, out);
        if (held) return;
      }
      return;
    case Op::not_: reasons(kid(0), depth, out); return;
    case Op::implies:
      if (!held || !truth(kid(0))) reasons(kid(0), depth, out);
      if (!held || truth(kid(0))) reasons(kid(1), depth, out);
      return;
    case Op::if_:
      reasons(kid(0), depth, out);
      reasons(truth(kid(0)) ? kid(1) : kid(2), depth, out);
      return;
    case Op::def: {
      const auto& d = rs_.defs[n.a];
      std::string line = d.name + " = " + shown(n, value(id));
      if (!d.label.empty() && lang_ == Lang::ja) line += " (" + d.label + ")";
      if (!d.cite.empty()) line += " [" + d.cite + "]";
      out.push_back({depth, line, {}});
      if (n.kind == dsl::Kind::bool_)
        if (auto* alt = alt_in_force(n.a)) reasons(alt->root, depth + 1, out);
      return;
    }
    case Op::input: out.push_back({depth, rs_.inputs[n.a].name + " = " + shown(n, value(id)), {}}); return;
    case Op::present: {
      std::string what = text(rs_.node(kid(0)));
      out.push_back({depth, what + (held ? (lang_ == Lang::ja ? " あり" : " is given") : (lang_ == Lang::ja ? " なし" : " is absent")), {}});
      return;
    }
    case Op::in_set: out.push_back(membership(n, depth, held)); return;
    default: break;
  }
  if (ir::is_list_op(n.op)) return element_reasons(id, depth, out);
  if (is_comparison(n.op)) return out.push_back(compared(n, depth, held));
  out.push_back({depth, text(n) + " = " + shown(n, value(id)), {}});
}

// What a step did that its value alone does not show: rounding, a cap or floor that applied.
std::string Builder::note(NodeId id) {
  const Node& n = rs_.node(id);
  auto kid = [&](std::uint32_t i) { return rs_.child(n, i); };
  Value v = value(id);
  bool ja = lang_ == Lang::ja;
  if ((n.op == Op::floor || n.op == Op::ceil) && n.count == 1) {
    Value exact = value(kid(0));
    if (!exact.present() || exact.den == 1) return "";
    std::string amount = exact_text(exact.num, exact.den) + yen_unit(lang_);
    if (ja) return amount + (n.op == Op::floor ? " を切り捨て" : " を切り上げ");
    return (n.op == Op::floor ? "rounded down from " : "rounded up from ") + amount;
  }
  if ((n.op == Op::min || n.op == Op::max) && n.count > 1) {
    for (std::uint32_t i = 0; i < n.count; ++i) {
      if (!(value(kid(i)) == v)) continue;
      if (i == 0) return "";
      std::string which = "`" + text(rs_.node(kid(i))) + "`";
      if (ja) return which + (n.op == Op::min ? " が上限として適用" : " が下限として適用");
      return which + " applies (" + (n.op == Op::min ? "the lower" : "the higher") + ")";
    }
  }
  if (n.op == Op::clamp && n.count == 3 && !(value(kid(0)) == v)) return ja ? "範囲内に補正" : "clamped to its range";
  return "";
}

void Builder::def_steps(std::uint32_t def, int depth, std::vector<AmountStep>& out) {
  const auto& d = rs_.defs[def];
  auto* alt = alt_in_force(def);
  if (!alt || out.size() >= max_lines + element_rows_) return;
  ir::EvalError err;
  Value v = interp_.def_of(def, err);
  const Node& root = rs_.node(alt->root);
  if (root.kind == dsl::Kind::bool_) {
    // A condition used by the amount: its value, then why.
    out.push_back({depth, d.name, "", shown(root, v), {}, d.cite, d.label, {}});
    if (depth < max_depth) condition(alt->root, depth + 1, out);
    return;
  }
  bool constant = root.op == Op::constant || text(root) == shown(root, v);
  // A definition the amount uses twice is worked out once; later it is just its value.
  if (!expanded_.insert(def).second) {
    out.push_back({depth, d.name, "", shown(root, v), lang_ == Lang::ja ? "上記" : "as above", {}, {}, {}});
    return;
  }
  AmountStep s{depth, d.name, constant ? "" : text(root), shown(root, v), note(alt->root), d.cite, d.label, {}};
  out.push_back(s);
  if (constant || depth >= max_depth) return;
  if (root.op == Op::if_) branch(alt->root, depth + 1, s.expr, out);
  else steps(alt->root, depth + 1, s.expr, out);
}

void Builder::steps(NodeId id, int depth, const std::string& parent, std::vector<AmountStep>& out) {
  if (id == ir::no_node || out.size() >= max_lines + element_rows_ || depth > max_depth) return;
  const Node& n = rs_.node(id);
  auto kid = [&](std::uint32_t i) { return rs_.child(n, i); };
  switch (n.op) {
    case Op::constant: case Op::as_of: return;
    case Op::input: out.push_back({depth, rs_.inputs[n.a].name, "", shown(n, value(id)), {}, {}, {}, {}}); return;
    case Op::def: return def_steps(n.a, depth, out);
    default: break;
  }
  std::string t = text(n);
  std::string v = shown(n, value(id));
  // A step that only restates a constant ("2/3 = 2/3") says nothing.
  if (t == v) return;
  // A list operation: element by element, never into its body (evaluated only per element).
  if (ir::is_list_op(n.op)) {
    if (t == parent) return element_steps(id, depth, out);
    out.push_back({depth, "", t, v, note(id), {}, {}, {}});
    return element_steps(id, depth + 1, out);
  }
  // Lowered builtins (tiered) spread one source span over several nodes, and a definition's
  // root was shown with the definition: show it once, then its parts.
  if (t == parent) {
    if (n.op == Op::if_) return steps(truth(kid(0)) ? kid(1) : kid(2), depth, parent, out);
    for (std::uint32_t i = 0; i < kids_read(n); ++i) steps(kid(i), depth, parent, out);
    return;
  }
  AmountStep s{depth, "", t, v, note(id), {}, {}, {}};
  out.push_back(s);
  if (n.op == Op::if_) return branch(id, depth + 1, t, out);
  // `x * 2/3` parses as (x * 2) / 3: explain x, not the intermediate x * 2.
  if (n.op == Op::div && rs_.node(kid(1)).op == Op::constant) {
    const Node& left = rs_.node(kid(0));
    if (left.op == Op::mul && rs_.node(rs_.child(left, 1)).op == Op::constant) return steps(rs_.child(left, 0), depth + 1, t, out);
  }
  for (std::uint32_t i = 0; i < kids_read(n); ++i) steps(kid(i), depth + 1, t, out);
}

// The operands evaluation read: all of them, but tiered's rest rate only beyond the first
// tier (the cost past subsidy / first rate).
std::uint32_t Builder::kids_read(const Node& n) {
  if (n.op != Op::tiered) return n.count;
  Value first_cost;
  if (ir::exact::div(value(rs_.child(n, 1)), value(rs_.child(n, 2)), first_cost) != ir::EvalError::none) return 3;
  return ir::exact::compare(value(rs_.child(n, 0)), first_cost) <= 0 ? 3 : 4;
}

// An `if` in an amount: why its condition came out as it did, then the branch taken.
void Builder::branch(NodeId id, int depth, const std::string& parent, std::vector<AmountStep>& out) {
  const Node& n = rs_.node(id);
  NodeId cond = rs_.child(n, 0);
  // A builtin lowered to an `if` (tiered) has a condition of its own making: skip it.
  if (text(rs_.node(cond)) != text(n)) condition(cond, depth, out);
  steps(truth(cond) ? rs_.child(n, 1) : rs_.child(n, 2), depth, parent, out);
}

// A condition inside an amount, explained as a rule's condition is.
void Builder::condition(NodeId id, int depth, std::vector<AmountStep>& out) {
  std::vector<Reason> why;
  reasons(id, 0, why);
  for (auto& r : why) out.push_back({depth + r.depth, "", r.text, "", {}, {}, {}, r.comparison});
}

// A list operation worked out element by element (at most max_elements rows): for a sum, a
// minimum or a maximum, each element's value, or that the filter left it out; for a count
// with a filter, the elements counted.
void Builder::element_steps(NodeId id, int depth, std::vector<AmountStep>& out) {
  const Node& n = rs_.node(id);
  if (n.op == Op::list_all || n.op == Op::list_any) return condition(id, depth - 1, out);
  if (n.op == Op::list_count && !(n.b & 1u)) return;
  ir::Value list = record_.values[n.a];
  const NodeId filter = n.b & 1u ? rs_.child(n, n.count - 1) : ir::no_node;
  const NodeId body = n.op == Op::list_count ? ir::no_node : rs_.child(n, 0);
  std::size_t shown_rows = 0;
  for (std::int64_t e = 0; list.present() && e < list.num; ++e) {
    ir::EvalError err;
    bool chosen = filter == ir::no_node || interp_.element_value(filter, n.a, e, err).num != 0;
    if (body == ir::no_node && !chosen) continue;
    ++element_rows_;
    if (++shown_rows > max_elements) {
      std::string rest = std::to_string(list.num - e);
      out.push_back({depth, "", lang_ == Lang::ja ? "… ほか " + rest + " 件" : "… " + rest + " more elements", "", {}, {}, {}, {}});
      return;
    }
    ElementRef ref = element(n.a, e);
    std::string value = !chosen ? (lang_ == Lang::ja ? "対象外" : "not counted")
                        : body == ir::no_node ? (lang_ == Lang::ja ? "数える" : "counted")
                                              : shown(rs_.node(body), interp_.element_value(body, n.a, e, err));
    std::string why = chosen ? "" : "`" + text(rs_.node(filter)) + "`" + (lang_ == Lang::ja ? " を満たさない" : " does not hold");
    out.push_back({depth, element_name(ref), "", value, why, {}, {}, {}, ref});
  }
}

// Why `all` or `any` over a list came out as it did: the elements that decided it, with
// their fields (the members that fail the SME test, the member that qualifies).
void Builder::element_reasons(NodeId id, int depth, std::vector<Reason>& out) {
  const Node& n = rs_.node(id);
  out.push_back({depth, text(n) + " = " + shown(n, value(id)), {}});
  if (n.op != Op::list_all && n.op != Op::list_any) return;
  bool held = truth(id), deciding = n.op == Op::list_any;  // the body's value of the elements that decide
  if (held != deciding) return;  // every element agreed: no one element says why
  ir::Value list = record_.values[n.a];
  const NodeId filter = n.b & 1u ? rs_.child(n, n.count - 1) : ir::no_node;
  std::size_t rows = 0;
  for (std::int64_t e = 0; list.present() && e < list.num && rows < max_elements; ++e) {
    ir::EvalError err;
    if (filter != ir::no_node && interp_.element_value(filter, n.a, e, err).num == 0) continue;
    if ((interp_.element_value(rs_.child(n, 0), n.a, e, err).num != 0) != deciding) continue;
    ++rows, ++element_rows_;
    ElementRef ref = element(n.a, e);
    std::string line = element_name(ref) + ": " + text(rs_.node(rs_.child(n, 0))) + " = " + (deciding ? "true" : "false") +
                       " (" + element_fields(n.a, e) + ")";
    out.push_back({depth + 1, line, {}, ref});
    if (deciding) return;  // `any`: the first that holds
  }
}

std::string Builder::element_fields(std::uint32_t slot, std::int64_t e) const {
  const auto& fields = rs_.records[rs_.inputs[slot].type.enum_id].fields;
  ir::Value list = record_.values[slot];
  std::string out;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].type.kind == dsl::Kind::text) continue;
    Value v = record_.values[static_cast<std::size_t>(list.den) + static_cast<std::size_t>(e) * fields.size() + f];
    if (!v.present()) continue;
    out += (out.empty() ? "" : ", ") + fields[f].name + " = " + value_text(rs_, fields[f].type, v, lang_);
  }
  return out;
}

}  // namespace

std::string value_text(const ir::Ruleset& rs, const dsl::Type& type, Value v, Lang lang) {
  if (!v.present()) return lang == Lang::ja ? "なし" : "absent";
  switch (type.kind) {
    case dsl::Kind::bool_: return v.num ? "true" : "false";
    case dsl::Kind::yen: return yen_text(v.num) + yen_unit(lang);
    case dsl::Kind::date: return dsl::format_date(v.num);
    case dsl::Kind::enumeration: {
      const auto& en = rs.enums[type.enum_id];
      return v.num >= 0 && static_cast<std::size_t>(v.num) < en.values.size() ? en.values[static_cast<std::size_t>(v.num)] : "?";
    }
    case dsl::Kind::rate: return rate_display(v);
    case dsl::Kind::yen_exact: return exact_text(v.num, v.den) + yen_unit(lang);
    case dsl::Kind::list: return std::to_string(v.num) + (lang == Lang::ja ? " 件" : v.num == 1 ? " element" : " elements");
    default: return std::to_string(v.num);
  }
}

Explanation explain(const Engine& engine, std::uint32_t frame, const Record& record, const Decision& d, Lang lang) {
  const auto& rs = engine.ruleset();
  Explanation x;
  x.id = record.id;
  x.frame = frame;
  x.as_of = d.as_of;
  x.version = d.version;
  x.lang = lang;
  x.evaluation = d.evaluation;
  Builder b(engine, frame, record, d.as_of, lang);
  for (const auto& t : d.evaluation.trace) {
    RuleNote note{t.rule, t.outcome, t.exception, {}, {}, {}, {}, {}};
    for (auto s : t.inputs) note.reads.emplace_back(rs.inputs[s].name, value_text(rs, rs.inputs[s].type, record.values[s], lang));
    const auto& r = rs.rules[t.rule];
    bool counts = std::find(d.evaluation.failed.begin(), d.evaluation.failed.end(), t.rule) != d.evaluation.failed.end() ||
                  ((r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty) && t.outcome == ir::RuleOutcome::holds);
    if (t.judged_on) b.judged(r, *t.judged_on, note);
    if (counts) b.rule_reasons(r, t.judged_on, note.reasons);
    x.rules.push_back(std::move(note));
  }
  const auto& f = rs.frames[frame];
  if (f.amount != UINT32_MAX) b.def_steps(f.amount, 0, x.amount);
  return x;
}

}  // namespace kijun::runtime
