#include "runtime/authoring/test_runner.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "compiler/ir/exact.hpp"
#include "compiler/lower.hpp"
#include "compiler/pipeline.hpp"
#include "dsl/support/calendar.hpp"
#include "runtime/output.hpp"

namespace kijun::runtime {

namespace {

using dsl::ExpectKind;

struct Observed {
  bool held = false, failed = false;
  std::vector<bool> exceptions;
};

class Runner {
public:
  explicit Runner(const Engine& e) : engine_(e), c_(*e.owner_as<compiler::Compilation>()), rs_(e.ruleset()), interp_(e.interpreter()) {
    for (auto& f : c_.program.ast.files)
      for (auto& a : f.applicants) applicants_[a.name.name] = &a;
  }

  TestReport run();
  // The test's applicant, or false when it lacks a required input of its frame.
  bool applicant(const dsl::TestDecl& t, std::uint32_t frame, Record& r);

private:
  void apply(const std::vector<dsl::FieldValue>& fields, Record& r);
  bool apply_base(const std::string& name, Record& r, std::set<std::string>& seen);
  TestCaseResult run_one(const dsl::TestDecl& t, const std::string& frame);
  void expect(const dsl::Expectation& x, const Decision& d, std::uint32_t frame, const Record& r, TestCaseResult& out);
  std::string ids(const std::vector<std::uint32_t>& rules) const;
  bool table_output(const std::string& name, std::size_t dot, std::uint32_t frame, const Record& r, std::int64_t as_of,
                    ir::Value& out);

  const Engine& engine_;
  const compiler::Compilation& c_;
  const ir::Ruleset& rs_;
  ir::Interpreter interp_;
  std::map<std::string, const dsl::ApplicantDecl*> applicants_;
  std::map<std::uint32_t, std::vector<Observed>> observed_;  // frame → per frame rule
};

void Runner::apply(const std::vector<dsl::FieldValue>& fields, Record& r) {
  for (auto& f : fields) {
    if (f.field.name == "id") {
      if (auto* t = f.value == dsl::no_expr ? nullptr : std::get_if<dsl::TextLit>(&c_.program.ast.at(f.value).node)) {
        r.id = t->value;
        r.has_id = true;
      }
    }
    auto slot = rs_.input_index(f.field.name);
    if (slot < 0) continue;
    r.values[slot] = f.value == dsl::no_expr ? ir::Value::absent() : ir::lower_constant(c_.program, f.value);
  }
}

bool Runner::apply_base(const std::string& name, Record& r, std::set<std::string>& seen) {
  auto it = applicants_.find(name);
  if (it == applicants_.end() || !seen.insert(name).second) return false;
  if (it->second->base && !apply_base(it->second->base->name, r, seen)) return false;
  apply(it->second->fields, r);
  return true;
}

std::string Runner::ids(const std::vector<std::uint32_t>& rules) const {
  std::vector<std::string> names;
  for (auto r : rules) names.push_back(rs_.rules[r].id);
  std::sort(names.begin(), names.end());
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

void Runner::expect(const dsl::Expectation& x, const Decision& d, std::uint32_t frame, const Record& r, TestCaseResult& out) {
  const ir::Evaluation& e = d.evaluation;
  auto problem = [&](std::string s) { out.problems.push_back(std::move(s)); };
  auto list = [&](const std::vector<std::uint32_t>& got, const char* what) {
    std::vector<std::uint32_t> want;
    std::string want_text;
    std::vector<std::string> names;
    for (auto& id : x.ids) names.push_back(id.name);
    std::sort(names.begin(), names.end());
    want_text = "[";
    for (std::size_t i = 0; i < names.size(); ++i) want_text += (i ? ", " : "") + names[i];
    want_text += "]";
    if (want_text != ids(got)) problem(std::string("expected ") + what + " " + want_text + ", got " + ids(got));
  };
  auto number = [&](std::int64_t got, const char* what) {
    std::int64_t want = ir::lower_constant(c_.program, x.value).num;
    if (got != want) problem(std::string("expected ") + what + " " + std::to_string(want) + ", got " + std::to_string(got));
  };
  switch (x.kind) {
    case ExpectKind::eligible:
      if (!e.eligible) problem("expected eligible, got not eligible (failed " + ids(e.failed) + ")");
      break;
    case ExpectKind::not_eligible:
      if (e.eligible) problem("expected not eligible, got eligible");
      break;
    case ExpectKind::failed: list(e.failed, "failed"); break;
    case ExpectKind::bonus: list(e.bonus, "bonus"); break;
    case ExpectKind::penalty: list(e.penalty, "penalty"); break;
    case ExpectKind::amount: {
      std::int64_t want = ir::lower_constant(c_.program, x.value).num;
      if (e.amount_yen() != want)
        problem("expected amount " + yen_text(want) + " yen, got " + yen_text(e.amount_yen()) + " yen" +
                (e.eligible ? "" : " (not eligible; computed " + yen_text(e.amount) + " yen)"));
      break;
    }
    case ExpectKind::rate: {
      ir::Value want = ir::lower_constant(c_.program, x.value);
      if (!e.has_rate || ir::exact::compare(want, e.rate) != 0)
        problem("expected rate " + rate_text(want) + ", got " + (e.has_rate ? rate_text(e.rate) : "none"));
      break;
    }
    case ExpectKind::score: number(e.score(), "score"); break;
    case ExpectKind::bonus_points: number(e.bonus_points, "bonus_points"); break;
    case ExpectKind::penalty_points: number(e.penalty_points, "penalty_points"); break;
    case ExpectKind::error: break;  // handled before evaluation results are read
    case ExpectKind::value: {
      ir::Value want = ir::lower_constant(c_.program, x.value);
      std::int32_t def = -1;
      for (std::size_t i = 0; i < c_.program.defs.size(); ++i) {
        auto& di = c_.program.defs[i];
        if (di.name != x.name.name) continue;
        if (di.frame == frame || (def < 0 && di.frame == dsl::no_index)) def = static_cast<std::int32_t>(i);
      }
      ir::Value got;
      if (auto dot = x.name.name.find('.'); dot != std::string::npos) {
        if (!table_output(x.name.name, dot, frame, r, d.as_of, got)) {
          problem("`" + x.name.name + "` could not be evaluated: no row matches");
          break;
        }
      } else if (def >= 0) {
        ir::EvalError err;
        got = interp_.definition(static_cast<std::uint32_t>(def), frame, r.values.data(), d.as_of, err);
        if (err != ir::EvalError::none) {
          problem("`" + x.name.name + "` could not be evaluated: " + ir::error_name(err));
          break;
        }
      } else if (auto slot = rs_.input_index(x.name.name); slot >= 0) {
        got = r.values[slot];
      }
      if (!(got == want)) problem("expected " + x.name.name + " = " + rate_text(want) + ", got " + (got.present() ? rate_text(got) : "absent"));
      break;
    }
  }
}

// `expect table.output = v`: the table of that name the frame sees, and the matching row.
bool Runner::table_output(const std::string& name, std::size_t dot, std::uint32_t frame, const Record& r,
                          std::int64_t as_of, ir::Value& out) {
  std::string table = name.substr(0, dot), output = name.substr(dot + 1);
  std::int32_t index = -1;
  for (std::size_t i = 0; i < c_.program.tables.size(); ++i) {
    auto& ti = c_.program.tables[i];
    if (ti.name == table && (ti.frame == frame || (index < 0 && ti.frame == dsl::no_index))) index = static_cast<std::int32_t>(i);
  }
  if (index < 0) return false;
  const auto& t = rs_.tables[static_cast<std::size_t>(index)];
  auto col = std::find(t.outputs.begin(), t.outputs.end(), output);
  if (col == t.outputs.end()) return false;
  interp_.begin(frame, r.values.data(), as_of);
  ir::EvalError err;
  auto row = interp_.matched_row(static_cast<std::uint32_t>(index), err);
  if (row < 0 || err != ir::EvalError::none) return false;
  out = t.rows[static_cast<std::size_t>(row)].outputs[static_cast<std::size_t>(col - t.outputs.begin())];
  return true;
}

TestCaseResult Runner::run_one(const dsl::TestDecl& t, const std::string& frame_name) {
  TestCaseResult out;
  out.name = t.name.value;
  out.location = c_.sources.location(t.span);
  out.frame = frame_name;
  auto frame_index = engine_.frame(out.frame);
  if (!frame_index) {
    out.problems.push_back("unknown frame `" + out.frame + "`");
    return out;
  }
  std::uint32_t frame = *frame_index;
  Record r;
  r.values.assign(rs_.inputs.size(), ir::Value::absent());
  r.id = t.name.value;
  if (auto id_slot = rs_.input_index("id"); id_slot >= 0) r.values[id_slot] = ir::Value::of(0);
  if (t.base) {
    std::set<std::string> seen;
    if (!apply_base(t.base->name, r, seen)) out.problems.push_back("applicant `" + t.base->name + "` is unknown or its bases form a cycle");
  }
  apply(t.fields, r);
  for (auto slot : rs_.frames[frame].inputs) {
    const auto& in = rs_.inputs[slot];
    ir::Value v = r.values[slot];
    if (!v.present() && !in.type.optional) out.problems.push_back("the applicant has no `" + in.name + "`, which this frame requires");
    if (v.present() && ((in.min && v.num < *in.min) || (in.max && v.num > *in.max)))
      out.problems.push_back("`" + in.name + "` = " + std::to_string(v.num) + " is outside the input's range");
  }
  if (!out.problems.empty()) return out;
  Decision d = engine_.decide(interp_, frame, r.values, t.as_of, true);
  auto error_expected = std::find_if(t.expectations.begin(), t.expectations.end(), [](auto& x) { return x.kind == ExpectKind::error; });
  if (d.evaluation.error != ir::EvalError::none || !d.ok) {
    std::string got = d.evaluation.error != ir::EvalError::none ? ir::error_name(d.evaluation.error) : d.error;
    if (error_expected == t.expectations.end()) out.problems.push_back("evaluation failed: " + d.error);
    else if (got != error_expected->name.name) out.problems.push_back("expected error " + error_expected->name.name + ", got " + got);
    out.passed = out.problems.empty();
    return out;
  }
  if (error_expected != t.expectations.end()) out.problems.push_back("expected error " + error_expected->name.name + ", but the evaluation succeeded");
  for (auto& x : t.expectations) expect(x, d, frame, r, out);
  // Coverage: what each rule of the frame did for this applicant.
  auto& seen = observed_[frame];
  const auto& f = rs_.frames[frame];
  if (seen.empty()) {
    seen.resize(f.rules.size());
    for (std::size_t i = 0; i < f.rules.size(); ++i) seen[i].exceptions.assign(rs_.rules[f.rules[i]].exceptions.size(), false);
  }
  for (std::size_t i = 0; i < d.evaluation.trace.size(); ++i) {
    const auto& tr = d.evaluation.trace[i];
    if (tr.outcome == ir::RuleOutcome::holds) seen[i].held = true;
    if (tr.outcome == ir::RuleOutcome::fails) seen[i].failed = true;
    if (tr.exception >= 0) seen[i].exceptions[static_cast<std::size_t>(tr.exception)] = true;
  }
  out.passed = out.problems.empty();
  return out;
}

TestReport Runner::run() {
  TestReport report;
  for (auto& f : c_.program.ast.files)
    for (auto& t : f.tests)
      for (auto& frame : t.frames) {
        auto result = run_one(t, frame.name);
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

bool Runner::applicant(const dsl::TestDecl& t, std::uint32_t frame, Record& r) {
  r = Record{};
  r.values.assign(rs_.inputs.size(), ir::Value::absent());
  if (auto id_slot = rs_.input_index("id"); id_slot >= 0) r.values[id_slot] = ir::Value::of(0);
  std::set<std::string> seen;
  if (t.base && !apply_base(t.base->name, r, seen)) return false;
  apply(t.fields, r);
  for (auto slot : rs_.frames[frame].inputs)
    if (!r.values[slot].present() && !rs_.inputs[slot].type.optional) return false;
  return true;
}

TestReport run_tests(const Engine& engine) {
  if (!engine.owner_as<compiler::Compilation>()) return {};  // a plugin carries no tests
  return Runner(engine).run();
}

std::vector<std::vector<ir::Value>> test_applicants(const Engine& engine, std::uint32_t frame) {
  const auto* c = engine.owner_as<compiler::Compilation>();
  if (!c) return {};  // a plugin carries no tests
  Runner runner(engine);
  std::vector<std::vector<ir::Value>> out;
  const auto& name = engine.ruleset().frames[frame].name;
  Record r;
  for (auto& f : c->program.ast.files)
    for (auto& t : f.tests)
      for (auto& f2 : t.frames)
        if (f2.name == name && runner.applicant(t, frame, r)) out.push_back(r.values);
  return out;
}

}  // namespace kijun::runtime
