#include "cli/diff_report.hpp"

namespace kijun::cli {

const char* change_word(runtime::StructuralChange::Kind k) {
  switch (k) {
    case runtime::StructuralChange::Kind::added: return "added";
    case runtime::StructuralChange::Kind::removed: return "removed";
    case runtime::StructuralChange::Kind::changed: return "changed";
  }
  return "";
}

const char* kind_words(runtime::ChangeKind k) {
  using K = runtime::ChangeKind;
  switch (k) {
    case K::became_ineligible: return "became ineligible";
    case K::became_eligible: return "became eligible";
    case K::amount_up: return "amount rose";
    case K::amount_down: return "amount fell";
    case K::score: return "score changed";
    case K::became_undecidable: return "no longer decided";
    case K::became_decidable: return "now decided";
  }
  return "";
}

std::string outcome_words(const runtime::Outcome& o) {
  if (!o.decided) return "not decided (" + o.error + ")";
  std::string s = o.eligible ? "eligible, " + runtime::grouped(o.amount_yen) + " yen" : "ineligible";
  return s + ", score " + std::to_string(o.score);
}

}  // namespace kijun::cli
