// The explanation as text for a person: Japanese (the guideline's labels) or English (rule
// ids as words). Outcome first, then why, the amount step by step, points, every rule.
#include "dsl/support/calendar.hpp"
#include "dsl/support/source.hpp"
#include "runtime/audit/explain.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

using ir::RuleOutcome;

namespace {

struct Words {
  const char* applicant;
  const char* frame;
  const char* ruleset;
  const char* version;
  const char* as_of;
  const char* eligible;
  const char* not_eligible;
  const char* at_rate;
  const char* not_paid;
  const char* score;
  const char* bonus;
  const char* penalty;
  const char* why_not;
  const char* amount;
  const char* points;
  const char* no_points;
  const char* rules;
  const char* read;
  const char* not_in_force_on;
  const char* yen;
  const char* judged_on;
};

const Words english{"Applicant", "frame", "Ruleset", "version", "as of", "Outcome: ELIGIBLE", "Outcome: NOT ELIGIBLE",
                    "at rate", "the computed amount is not paid", "Score", "bonus", "penalty", "Why not eligible:",
                    "How the amount was computed", "Points:", "  none", "Every rule:", "read", "not in force on",
                    " yen", "judged as of"};
const Words japanese{"申請者", "申請枠", "ルールセット", "版", "基準日", "結果: 交付対象", "結果: 交付対象外",
                     "補助率", "算定額は交付されません", "点数", "加点", "減点", "交付対象外の理由:",
                     "補助額の計算", "加点・減点:", "  なし", "全ルール:", "参照", "基準日に効力のないルール",
                     "円", "判定日"};

std::string pad(std::string s, std::size_t width) {
  auto w = dsl::display_width(s);
  if (w < width) s += std::string(width - w, ' ');
  return s;
}

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

class Renderer {
public:
  Renderer(const Engine& engine, const Explanation& x)
      : rs_(engine.ruleset()), x_(x), ja_(x.lang == Lang::ja), w_(ja_ ? japanese : english) {}

  std::string run() {
    header();
    outcome();
    failures();
    amount();
    points();
    every_rule();
    return out_;
  }

private:
  // A rule as the reader knows it: its label in Japanese, its id as words in English.
  std::string title(const ir::Rule& r) const {
    if (ja_) return r.label.empty() ? r.id : r.label + " (" + r.id + ")";
    return english_name(r.id) + " (" + r.id + ")";
  }
  std::string kind(const ir::Rule& r) const {
    if (!ja_) return dsl::rule_kind_name(r.kind);
    switch (r.kind) {
      case dsl::RuleKind::requirement: return "要件";
      case dsl::RuleKind::exclusion: return "除外";
      case dsl::RuleKind::bonus: return "加点";
      case dsl::RuleKind::penalty: return "減点";
      case dsl::RuleKind::limit: return "補助額";
    }
    return "";
  }
  std::string verdict(const ir::Rule& r, const RuleNote& n) const;

  void header();
  void outcome();
  void failures();
  void amount();
  void points();
  void every_rule();
  void reasons(const std::vector<Reason>& rs, int base) {
    for (auto& reason : rs) out_ += indent(base + reason.depth) + reason.text + "\n";
  }
  // "判定日 2026-06-15: rounds.deadline 2026-06-15 (締切回 2次)"
  void judged(const RuleNote& n, int base) {
    if (n.judged_on) out_ += indent(base) + w_.judged_on + " " + dsl::format_date(*n.judged_on) + ": " + n.judged_value + "\n";
  }

  const ir::Ruleset& rs_;
  const Explanation& x_;
  bool ja_;
  const Words& w_;
  std::string out_;
};

std::string Renderer::verdict(const ir::Rule& r, const RuleNote& n) const {
  switch (n.outcome) {
    case RuleOutcome::not_in_force: return ja_ ? "効力なし" : "not in force";
    case RuleOutcome::not_applicable: return ja_ ? "対象外 (適用条件に該当せず)" : "does not apply";
    case RuleOutcome::exempted: {
      const auto& ex = r.exceptions[static_cast<std::size_t>(n.exception)];
      std::string where = ex.cite.empty() ? "" : ", " + ex.cite;
      return ja_ ? "適用除外 (unless #" + std::to_string(n.exception + 1) + where + ")"
                 : "exempt (unless #" + std::to_string(n.exception + 1) + where + ")";
    }
    default: break;
  }
  bool held = n.outcome == RuleOutcome::holds;
  auto points = std::to_string(r.points);
  switch (r.kind) {
    case dsl::RuleKind::requirement: return held ? (ja_ ? "充足" : "met") : (ja_ ? "未充足" : "NOT MET");
    case dsl::RuleKind::exclusion: return held ? (ja_ ? "該当 (除外)" : "HIT: excluded") : (ja_ ? "非該当" : "not hit");
    case dsl::RuleKind::limit: return held ? (ja_ ? "範囲内" : "within limit") : (ja_ ? "範囲外 (交付不可)" : "NOT FUNDABLE");
    case dsl::RuleKind::bonus: return held ? "+" + points + (ja_ ? "点" : " point(s)") : (ja_ ? "なし" : "not awarded");
    case dsl::RuleKind::penalty: return held ? "-" + points + (ja_ ? "点" : " point(s)") : (ja_ ? "なし" : "not applied");
  }
  return "";
}

void Renderer::header() {
  const auto& f = rs_.frames[x_.frame];
  std::string frame = ja_ ? (f.label.empty() ? f.name : f.label + " (" + f.name + ")") : f.name + (f.label.empty() ? "" : " (" + f.label + ")");
  out_ += std::string(w_.applicant) + " " + x_.id + " — " + w_.frame + " " + frame + "\n";
  out_ += std::string(w_.ruleset) + " " + rs_.programme + " " + std::to_string(rs_.fiscal_year) + ", " + w_.version + " " +
          dsl::format_date(x_.version) + ", " + w_.as_of + " " + dsl::format_date(x_.as_of) + "\n\n";
}

void Renderer::outcome() {
  const auto& e = x_.evaluation;
  if (e.eligible) {
    out_ += std::string(w_.eligible) + " — " + yen_text(e.amount) + w_.yen;
    if (e.has_rate) out_ += std::string(", ") + w_.at_rate + " " + rate_text(e.rate);
  } else {
    out_ += std::string(w_.not_eligible) + " — ";
    out_ += ja_ ? "理由 " + std::to_string(e.failed.size()) + " 件; " + w_.not_paid + " (" + yen_text(e.amount) + w_.yen + ")"
                : std::to_string(e.failed.size()) + (e.failed.size() == 1 ? " reason; " : " reasons; ") + w_.not_paid + " (" +
                      yen_text(e.amount) + w_.yen + ")";
  }
  out_ += std::string("\n") + w_.score + ": " + std::to_string(e.score()) + " (" + w_.bonus + " " +
          std::to_string(e.bonus_points) + ", " + w_.penalty + " " + std::to_string(e.penalty_points) + ")\n";
}

void Renderer::failures() {
  if (x_.evaluation.failed.empty()) return;
  out_ += std::string("\n") + w_.why_not + "\n";
  for (auto index : x_.evaluation.failed) {
    const auto& r = rs_.rules[index];
    out_ += "  " + r.cite + "  " + kind(r) + " " + title(r) + "\n";
    for (auto& n : x_.rules)
      if (n.rule == index) judged(n, 2), reasons(n.reasons, 2);
  }
}

void Renderer::amount() {
  const auto& f = rs_.frames[x_.frame];
  if (f.amount == UINT32_MAX) return;
  const auto& def = rs_.defs[f.amount];
  out_ += std::string("\n") + w_.amount + (def.cite.empty() ? "" : " (" + def.cite + ")") + ":\n";
  for (auto& s : x_.amount) {
    std::string line = indent(s.depth + 1);
    if (!s.name.empty() && !s.expr.empty()) line += s.name + " = " + s.expr + " = " + s.value;
    else if (!s.name.empty()) line += s.name + " = " + s.value;
    else if (!s.value.empty()) line += s.expr + " = " + s.value;
    else line += s.expr;
    if (!s.note.empty()) line += "  — " + s.note;
    if (ja_ && !s.label.empty()) line += "  [" + s.label + (s.cite.empty() ? "" : ", " + s.cite) + "]";
    else if (!s.cite.empty() && !s.name.empty()) line += "  [" + s.cite + "]";
    out_ += line + "\n";
  }
  if (!x_.evaluation.eligible)
    out_ += "  " + std::string(ja_ ? "→ 交付対象外のため交付額は 0円" : "→ not eligible: 0 yen is paid") + "\n";
}

void Renderer::points() {
  out_ += std::string("\n") + w_.points + "\n";
  bool any = false;
  for (auto& n : x_.rules) {
    const auto& r = rs_.rules[n.rule];
    bool scored = (r.kind == dsl::RuleKind::bonus || r.kind == dsl::RuleKind::penalty) && n.outcome == RuleOutcome::holds;
    if (!scored) continue;
    any = true;
    out_ += "  " + pad(verdict(r, n), 12) + r.cite + "  " + title(r) + "\n";
    judged(n, 3);
    reasons(n.reasons, 3);
  }
  if (!any) out_ += std::string(w_.no_points) + "\n";
}

void Renderer::every_rule() {
  out_ += std::string("\n") + w_.rules + "\n";
  std::string not_in_force;
  for (auto& n : x_.rules) {
    const auto& r = rs_.rules[n.rule];
    if (n.outcome == RuleOutcome::not_in_force) {
      not_in_force += (not_in_force.empty() ? "" : ", ") + r.id;
      // A version not in force on the date it is judged on, which is not the as-of date.
      if (n.judged_on) not_in_force += " (" + std::string(w_.judged_on) + " " + dsl::format_date(*n.judged_on) + ")";
      continue;
    }
    out_ += "  " + pad(kind(r), 12) + pad(r.id, 34) + pad(r.cite, 16) + verdict(r, n) + "\n";
    if (ja_ && !r.label.empty()) out_ += "      " + r.label + "\n";
    judged(n, 3);
    if (n.reads.empty()) continue;
    std::string reads;
    for (auto& [name, value] : n.reads) reads += (reads.empty() ? "" : ", ") + name + " = " + value;
    out_ += std::string("      ") + w_.read + ": " + reads + "\n";
  }
  if (!not_in_force.empty()) out_ += std::string("  ") + w_.not_in_force_on + " " + dsl::format_date(x_.as_of) + ": " + not_in_force + "\n";
}

}  // namespace

std::string explain_text(const Engine& engine, const Explanation& x) { return Renderer(engine, x).run(); }

std::string english_name(const std::string& id) {
  std::string out;
  for (char c : id) out += c == '_' ? ' ' : c;
  // Acronyms the programme's ids use, written as people write them.
  for (const char* word : {"sme", "it", "pdf", "gbizid"}) {
    std::string w(word);
    for (std::size_t at = 0; (at = out.find(w, at)) != std::string::npos; at += w.size()) {
      bool starts = at == 0 || out[at - 1] == ' ';
      bool ends = at + w.size() == out.size() || out[at + w.size()] == ' ';
      if (!starts || !ends) continue;
      for (std::size_t i = 0; i < w.size(); ++i) out[at + i] = static_cast<char>(out[at + i] - 'a' + 'A');
    }
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace kijun::runtime
