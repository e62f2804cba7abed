// Counting a behaviour comparison: classifying one applicant's change and tallying chunks
// (runtime/audit/behaviour_tally.hpp).
#include "runtime/audit/behaviour_tally.hpp"

#include <algorithm>

namespace kijun::runtime::behaviour_detail {

namespace {

RuleRef rule_ref(const ir::Ruleset& rs, std::uint32_t rule, char change = 0) {
  const auto& r = rs.rules[rule];
  return {dsl::rule_kind_name(r.kind), r.id, r.cite, r.label, change};
}

std::vector<RuleRef> rule_refs(const ir::Ruleset& rs, const std::vector<std::uint32_t>& rules) {
  std::vector<RuleRef> out;
  for (auto r : rules) out.push_back(rule_ref(rs, r));
  return out;
}

// Awarded bonus and penalty rules on one side that the other side did not award (by id).
void score_rules(const ir::Ruleset& rs, const ir::Evaluation& e, const ir::Evaluation& other, const ir::Ruleset& other_rs,
                 char change, std::vector<RuleRef>& out) {
  auto awarded = [](const ir::Ruleset& r, const ir::Evaluation& ev, const std::string& id) {
    for (const auto* list : {&ev.bonus, &ev.penalty})
      for (auto i : *list)
        if (r.rules[i].id == id) return true;
    return false;
  };
  for (const auto* list : {&e.bonus, &e.penalty})
    for (auto i : *list)
      if (!awarded(other_rs, other, rs.rules[i].id)) out.push_back(rule_ref(rs, i, change));
}

}  // namespace

std::vector<ChangeGroup> classify(const std::array<Side, 2>& sides, const std::array<Outcome, 2>& o,
                                  const std::array<const ir::Evaluation*, 2>& e) {
  std::vector<ChangeGroup> out;
  if (o[0].decided != o[1].decided) {
    ChangeGroup g;
    g.kind = o[0].decided ? ChangeKind::became_undecidable : ChangeKind::became_decidable;
    g.detail = o[0].decided ? o[1].error : o[0].error;
    out.push_back(std::move(g));
    return out;
  }
  if (!o[0].decided) return out;
  if (o[0].eligible != o[1].eligible) {
    int failing = o[0].eligible ? 1 : 0;
    ChangeGroup g;
    g.kind = o[0].eligible ? ChangeKind::became_ineligible : ChangeKind::became_eligible;
    g.rules = rule_refs(sides[failing].rs(), e[failing]->failed);
    out.push_back(std::move(g));
  } else if (o[0].eligible && o[0].amount_yen != o[1].amount_yen) {
    ChangeGroup g;
    g.kind = o[1].amount_yen > o[0].amount_yen ? ChangeKind::amount_up : ChangeKind::amount_down;
    out.push_back(std::move(g));
  }
  if (o[0].score != o[1].score) {
    ChangeGroup g;
    g.kind = ChangeKind::score;
    score_rules(sides[1].rs(), *e[1], *e[0], sides[0].rs(), '+', g.rules);
    score_rules(sides[0].rs(), *e[0], *e[1], sides[1].rs(), '-', g.rules);
    out.push_back(std::move(g));
  }
  return out;
}

std::string group_key(const ChangeGroup& g) {
  std::string key = change_kind_name(g.kind);
  for (auto& r : g.rules) key += std::string("|") + (r.change ? r.change : ' ') + r.id;
  return key + "|" + g.detail;
}

namespace {

std::vector<DeltaBucket> delta_buckets() {
  constexpr std::int64_t lo = INT64_MIN, hi = INT64_MAX;
  return {{"−1,000,000 or less", lo, -1'000'000, 0}, {"−999,999 to −100,000", -999'999, -100'000, 0},
          {"−99,999 to −10,000", -99'999, -10'000, 0},  {"−9,999 to −1", -9'999, -1, 0},
          {"+1 to +9,999", 1, 9'999, 0},                {"+10,000 to +99,999", 10'000, 99'999, 0},
          {"+100,000 to +999,999", 100'000, 999'999, 0}, {"+1,000,000 or more", 1'000'000, hi, 0}};
}

}  // namespace

Tally::Tally() { counts.amount_deltas = delta_buckets(); }

void Tally::add(const std::array<Outcome, 2>& o, const std::vector<ChangeGroup>& groups, const std::string& id,
                const ApplicantPair& pair, std::size_t keep) {
  auto& c = counts;
  ++c.applicants;
  if (!o[0].decided && !o[1].decided) ++c.undecided_both;
  if (o[0].decided && o[1].decided) {
    ++c.decided_both;
    c.eligible_before += o[0].eligible;
    c.eligible_after += o[1].eligible;
    c.total_before += o[0].amount_yen;
    c.total_after += o[1].amount_yen;
    // A delta beyond int64 (amounts of opposite extremes) falls in the outermost bucket.
    wide full = static_cast<wide>(o[1].amount_yen) - o[0].amount_yen;
    auto delta = static_cast<std::int64_t>(std::clamp<wide>(full, INT64_MIN, INT64_MAX));
    for (auto& b : c.amount_deltas)
      if (delta != 0 && delta >= b.lo && delta <= b.hi) ++b.count;
    if (o[0].score != o[1].score) ++c.score_deltas[o[1].score - o[0].score];
  }
  for (auto& g : groups) {
    switch (g.kind) {
      case ChangeKind::became_ineligible: ++c.became_ineligible; break;
      case ChangeKind::became_eligible: ++c.became_eligible; break;
      case ChangeKind::amount_up:
      case ChangeKind::amount_down: ++c.amount_changed; break;
      case ChangeKind::score: ++c.score_changed; break;
      case ChangeKind::became_undecidable: ++c.became_undecidable; break;
      case ChangeKind::became_decidable: ++c.became_decidable; break;
    }
    auto at = slot(g);
    ++c.groups[at].count;
    if (candidates[at].size() < keep) candidates[at].emplace_back(id, pair);
  }
}

std::size_t Tally::slot(const ChangeGroup& g) {
  auto [it, fresh] = index.emplace(group_key(g), counts.groups.size());
  if (fresh) {
    counts.groups.push_back(g);
    counts.groups.back().count = 0;
    candidates.emplace_back();
  }
  return it->second;
}

void Tally::merge(Tally&& t, std::size_t keep) {
  auto& c = counts;
  const auto& d = t.counts;
  c.applicants += d.applicants, c.decided_both += d.decided_both, c.undecided_both += d.undecided_both;
  c.eligible_before += d.eligible_before, c.eligible_after += d.eligible_after;
  c.became_ineligible += d.became_ineligible, c.became_eligible += d.became_eligible;
  c.amount_changed += d.amount_changed, c.score_changed += d.score_changed;
  c.became_undecidable += d.became_undecidable, c.became_decidable += d.became_decidable;
  c.total_before += d.total_before, c.total_after += d.total_after;
  for (std::size_t b = 0; b < c.amount_deltas.size(); ++b) c.amount_deltas[b].count += d.amount_deltas[b].count;
  for (auto& [delta, n] : d.score_deltas) c.score_deltas[delta] += n;
  for (std::size_t g = 0; g < t.counts.groups.size(); ++g) {
    auto at = slot(t.counts.groups[g]);
    c.groups[at].count += t.counts.groups[g].count;
    for (auto& cand : t.candidates[g])
      if (candidates[at].size() < keep) candidates[at].push_back(std::move(cand));
  }
}

}  // namespace kijun::runtime::behaviour_detail
