#include "runtime/audit/test_runner.hpp"

#include <algorithm>
#include <map>

#include "compiler/ir/exact.hpp"
#include "dsl/support/calendar.hpp"
#include "runtime/columns.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

namespace {

using ir::Expect;

struct Observed {
  bool held = false, failed = false;
  std::vector<bool> exceptions;
};

// Runs the ruleset's tests (ir::Test, made by lowering; a plugin carries them) with the
// interpreter, traced, and gathers what each rule did.
class Runner {
public:
  Runner(const Engine& e, EngineKind kind) : engine_(e), kind_(kind), rs_(e.ruleset()), interp_(e.interpreter()) {}

  TestReport run();

private:
  TestCaseResult run_one(const ir::Test& t);
  void expect(const ir::TestExpectation& x, const Decision& d, const ir::Test& t, TestCaseResult& out);
  std::string ids(const std::vector<std::uint32_t>& rules) const;
  void observe(std::uint32_t frame, const ir::Evaluation& e);

  Decision native(const ir::Test& t) const;

  const Engine& engine_;
  EngineKind kind_;
  const ir::Ruleset& rs_;
  ir::Interpreter interp_;
  std::map<std::uint32_t, std::vector<Observed>> observed_;  // frame → per frame rule
};

std::string sorted_list(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

std::string Runner::ids(const std::vector<std::uint32_t>& rules) const {
  std::vector<std::string> names;
  for (auto r : rules) names.push_back(rs_.rules[r].id);
  return sorted_list(std::move(names));
}

void Runner::expect(const ir::TestExpectation& x, const Decision& d, const ir::Test& t, TestCaseResult& out) {
  const ir::Evaluation& e = d.evaluation;
  auto problem = [&](std::string s) { out.problems.push_back(std::move(s)); };
  auto list = [&](const std::vector<std::uint32_t>& got, const char* what) {
    auto want = sorted_list(x.ids);
    if (want != ids(got)) problem(std::string("expected ") + what + " " + want + ", got " + ids(got));
  };
  auto number = [&](std::int64_t got, const char* what) {
    if (got != x.value.num) problem(std::string("expected ") + what + " " + std::to_string(x.value.num) + ", got " + std::to_string(got));
  };
  switch (x.kind) {
    case Expect::eligible:
      if (!e.eligible) problem("expected eligible, got not eligible (failed " + ids(e.failed) + ")");
      break;
    case Expect::not_eligible:
      if (e.eligible) problem("expected not eligible, got eligible");
      break;
    case Expect::failed: list(e.failed, "failed"); break;
    case Expect::bonus: list(e.bonus, "bonus"); break;
    case Expect::penalty: list(e.penalty, "penalty"); break;
    case Expect::amount:
      if (e.amount_yen() != x.value.num)
        problem("expected amount " + yen_text(x.value.num) + " yen, got " + yen_text(e.amount_yen()) + " yen" +
                (e.eligible ? "" : " (not eligible; computed " + yen_text(e.amount) + " yen)"));
      break;
    case Expect::rate:
      if (!e.has_rate || ir::exact::compare(x.value, e.rate) != 0)
        problem("expected rate " + rate_text(x.value) + ", got " + (e.has_rate ? rate_text(e.rate) : "none"));
      break;
    case Expect::score: number(e.score(), "score"); break;
    case Expect::bonus_points: number(e.bonus_points, "bonus_points"); break;
    case Expect::penalty_points: number(e.penalty_points, "penalty_points"); break;
    case Expect::error: break;  // handled before evaluation results are read
    case Expect::value: {
      ir::Value got;
      if (x.table >= 0) {
        interp_.begin(t.frame, t.applicant.data(), d.as_of);
        ir::EvalError err;
        auto row = interp_.matched_row(static_cast<std::uint32_t>(x.table), err);
        if (row < 0 || err != ir::EvalError::none) {
          problem("`" + x.name + "` could not be evaluated: no row matches");
          break;
        }
        got = rs_.tables[static_cast<std::size_t>(x.table)].rows[static_cast<std::size_t>(row)].outputs[static_cast<std::size_t>(x.column)];
      } else if (x.def >= 0) {
        ir::EvalError err;
        got = interp_.definition(static_cast<std::uint32_t>(x.def), t.frame, t.applicant.data(), d.as_of, err);
        if (err != ir::EvalError::none) {
          problem("`" + x.name + "` could not be evaluated: " + ir::error_name(err));
          break;
        }
      } else if (x.input >= 0) {
        got = t.applicant[static_cast<std::size_t>(x.input)];
      }
      if (!(got == x.value))
        problem("expected " + x.name + " = " + rate_text(x.value) + ", got " + (got.present() ? rate_text(got) : "absent"));
      break;
    }
  }
}

void Runner::observe(std::uint32_t frame, const ir::Evaluation& e) {
  auto& seen = observed_[frame];
  const auto& f = rs_.frames[frame];
  if (seen.empty()) {
    seen.resize(f.rules.size());
    for (std::size_t i = 0; i < f.rules.size(); ++i) seen[i].exceptions.assign(rs_.rules[f.rules[i]].exceptions.size(), false);
  }
  for (std::size_t i = 0; i < e.trace.size(); ++i) {
    const auto& tr = e.trace[i];
    if (tr.outcome == ir::RuleOutcome::holds) seen[i].held = true;
    if (tr.outcome == ir::RuleOutcome::fails) seen[i].failed = true;
    if (tr.exception >= 0) seen[i].exceptions[static_cast<std::size_t>(tr.exception)] = true;
  }
}

// The test's decision by the engine's native code, one row.
Decision Runner::native(const ir::Test& t) const {
  Decision d;
  if (!engine_.resolve_as_of(t.applicant, t.as_of, d.as_of, d.version, d.error)) return d;
  ColumnBatch batch(rs_, t.frame);
  batch.push(t.applicant.data(), d.as_of);
  BatchResults out(rs_, t.frame);
  engine_.native_frame(t.frame)(&batch.view(), &out.view(1), 0, 1);
  out.evaluation(0, d.evaluation);
  if (d.evaluation.error != ir::EvalError::none) {
    d.error = engine_.describe_error(d.evaluation);
    return d;
  }
  d.ok = true;
  return d;
}

TestCaseResult Runner::run_one(const ir::Test& t) {
  TestCaseResult out;
  out.name = t.name;
  out.location = engine_.sources().location(t.span);
  out.frame = rs_.frames[t.frame].name;
  if (!t.problem.empty()) out.problems.push_back(t.problem);
  for (auto slot : rs_.frames[t.frame].inputs) {
    const auto& in = rs_.inputs[slot];
    ir::Value v = t.applicant[slot];
    if (!v.present() && !in.type.optional) out.problems.push_back("the applicant has no `" + in.name + "`, which this frame requires");
    if (v.present() && ((in.min && v.num < *in.min) || (in.max && v.num > *in.max)))
      out.problems.push_back("`" + in.name + "` = " + std::to_string(v.num) + " is outside the input's range");
  }
  if (!out.problems.empty()) return out;
  Decision traced = engine_.decide(interp_, t.frame, t.applicant, t.as_of, true);
  Decision d = kind_ == EngineKind::jit ? native(t) : traced;
  auto error_expected = std::find_if(t.expectations.begin(), t.expectations.end(), [](auto& x) { return x.kind == Expect::error; });
  if (d.evaluation.error != ir::EvalError::none || !d.ok) {
    std::string got = d.evaluation.error != ir::EvalError::none ? ir::error_name(d.evaluation.error) : d.error;
    if (error_expected == t.expectations.end()) out.problems.push_back("evaluation failed: " + d.error);
    else if (got != error_expected->name) out.problems.push_back("expected error " + error_expected->name + ", got " + got);
    out.passed = out.problems.empty();
    return out;
  }
  if (error_expected != t.expectations.end()) out.problems.push_back("expected error " + error_expected->name + ", but the evaluation succeeded");
  for (auto& x : t.expectations) expect(x, d, t, out);
  observe(t.frame, traced.evaluation);
  out.passed = out.problems.empty();
  return out;
}

TestReport Runner::run() {
  TestReport report;
  for (auto& t : rs_.tests) {
    auto result = run_one(t);
    (result.passed ? report.passed : report.failed)++;
    report.cases.push_back(std::move(result));
  }
  for (auto& [frame, seen] : observed_) {
    FrameCoverage cov;
    const auto& f = rs_.frames[frame];
    cov.frame = f.name;
    for (std::size_t i = 0; i < f.rules.size(); ++i) {
      const auto& r = rs_.rules[f.rules[i]];
      std::string who = r.id + (r.cite.empty() ? "" : " (" + r.cite + ")");
      if (r.period.from || r.period.until) {
        who += " [";
        if (r.period.from) who += "from " + dsl::format_date(*r.period.from);
        if (r.period.until) who += std::string(r.period.from ? " " : "") + "until " + dsl::format_date(*r.period.until);
        who += "]";
      }
      cov.total += 2 + r.exceptions.size();
      cov.covered += (seen[i].held ? 1 : 0) + (seen[i].failed ? 1 : 0);
      if (!seen[i].held) cov.gaps.push_back(who + ": never true");
      if (!seen[i].failed) cov.gaps.push_back(who + ": never false");
      for (std::size_t x = 0; x < r.exceptions.size(); ++x) {
        if (seen[i].exceptions[x]) ++cov.covered;
        else cov.gaps.push_back(who + ": exception " + std::to_string(x + 1) + " (unless …" +
                                (r.exceptions[x].cite.empty() ? "" : " " + r.exceptions[x].cite) + ") never held");
      }
    }
    report.coverage.push_back(std::move(cov));
  }
  return report;
}

}  // namespace

TestReport run_tests(const Engine& engine, EngineKind kind) {
  TestReport report;
  if (!engine.read_tests_and_description(report.error)) return report;
  return Runner(engine, kind).run();
}

std::vector<std::vector<ir::Value>> test_applicants(const Engine& engine, std::uint32_t frame) {
  if (std::string error; !engine.read_tests_and_description(error)) return {};
  const auto& rs = engine.ruleset();
  std::vector<std::vector<ir::Value>> out;
  for (auto& t : rs.tests) {
    if (t.frame != frame || !t.problem.empty()) continue;
    bool complete = true;
    for (auto slot : rs.frames[frame].inputs) complete = complete && (t.applicant[slot].present() || rs.inputs[slot].type.optional);
    if (complete) out.push_back(t.applicant);
  }
  return out;
}

}  // namespace kijun::runtime
