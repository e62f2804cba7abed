// Checks of the tests beside the rules: applicants and their bases, the frames a test runs
// in, the rule ids and values it expects.
#include <algorithm>
#include <set>

#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

void Checker::check_tests() {
  std::map<std::string, const ApplicantDecl*> applicants;
  std::set<std::string> test_names;
  for (auto& f : p_.ast.files)
    for (auto& a : f.applicants)
      if (!applicants.emplace(a.name.name, &a).second) diags_.report(Diag::duplicate_declaration, a.name.span, {a.name.name});
  std::vector<std::string> applicant_names;
  for (auto& [n, a] : applicants) applicant_names.push_back(n);
  auto check_base = [&](const Ident& base) {
    if (applicants.count(base.name)) return;
    auto& d = diags_.report(Diag::unknown_fixture, base.span, {base.name});
    if (auto near = nearest(base.name, applicant_names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
  };
  // Field values are constants typed by the input they set; a whole number may stand
  // for yen in a fixture, as it does in the applicant's JSON. `frames`: the test's frames
  // (a field must be an input of one of them), or empty for a fixture (of any frame).
  auto check_fields = [&](const std::vector<FieldValue>& fields, const std::vector<std::uint32_t>& frames) {
    Scope empty;
    Context ctx{&empty, {}, true, {}};
    std::set<std::string> seen;
    for (auto& fv : fields) {
      if (!seen.insert(fv.field.name).second) diags_.report(Diag::duplicate_declaration, fv.field.span, {fv.field.name});
      if (fv.field.name == "id") {
        if (fv.value != no_expr) check(fv.value, ctx);
        continue;
      }
      std::optional<std::uint32_t> input;
      std::vector<std::string> names;
      for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) {
        bool visible = frames.empty() || p_.inputs[i].frame == no_index ||
                       std::find(frames.begin(), frames.end(), p_.inputs[i].frame) != frames.end();
        if (!visible) continue;
        names.push_back(p_.inputs[i].name);
        if (p_.inputs[i].name == fv.field.name) input = i;
      }
      // A field of an input the amendments removed is ignored, as evaluation ignores unknown
      // fields: inherited fixtures stay valid without restating them.
      if (!input && p_.ast.removed.count(fv.field.name) && p_.ast.removed.at(fv.field.name).kind == "input") continue;
      if (!input) {
        std::string where = frames.empty() ? "any frame" : p_.frames[frames[0]].name;
        for (std::size_t k = 1; k < frames.size(); ++k) where += ", " + p_.frames[frames[k]].name;
        auto& d = diags_.report(Diag::unknown_input, fv.field.span, {fv.field.name, where});
        if (auto near = nearest(fv.field.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
        continue;
      }
      Type want = p_.inputs[*input].type;
      if (fv.list || want.kind == Kind::list) {
        check_list_value(fv, *input);
        continue;
      }
      if (fv.value == no_expr) {
        if (!want.optional) diags_.report(Diag::fixture_value, fv.span, {fv.field.name, type_name(p_, want), "null"});
        continue;
      }
      Type got = check(fv.value, ctx, want.required());
      if (got.is_error() || want.is_error()) continue;
      bool ok = fits(want.required(), got) || (want.kind == Kind::yen && got.kind == Kind::int_);
      if (!ok) diags_.report(Diag::fixture_value, p_.ast.at(fv.value).span, {fv.field.name, type_name(p_, want.required()), type_name(p_, got)});
    }
  };
  // What a test expects must exist in each frame it runs in.
  auto check_expectations = [&](const TestDecl& t, std::uint32_t frame) {
    auto& fr = p_.frames[frame];
    Scope empty;
    Context constant{&empty, {}, true, {}};
    for (auto& ex : t.expectations) {
      auto want_value = [&](Type want, const char* what) {
        Type got = check(ex.value, constant, want);
        if (got.is_error()) return;
        bool ok = fits(want, got) || (want.kind == Kind::yen && got.kind == Kind::int_);
        if (!ok) diags_.report(Diag::expect_value_type, p_.ast.at(ex.value).span, {what, type_name(p_, want)});
      };
      switch (ex.kind) {
        case ExpectKind::amount: want_value(Type::of(Kind::yen), "amount"); break;
        case ExpectKind::rate: want_value(Type::of(Kind::rate), "rate"); break;
        case ExpectKind::score: case ExpectKind::bonus_points: case ExpectKind::penalty_points:
          want_value(Type::of(Kind::int_), "points");
          break;
        case ExpectKind::value: {
          // `table.output = value`: the output of the row the applicant matches.
          if (auto dot = ex.name.name.find('.'); dot != std::string::npos) {
            std::string table = ex.name.name.substr(0, dot), output = ex.name.name.substr(dot + 1);
            auto ref = lookup(table, fr.scope, ex.name.span, true);
            if (!ref) break;
            if (ref->kind != SymbolRef::Kind::table) {
              diags_.report(Diag::unknown_member, ex.name.span, {table, output});
              break;
            }
            auto& info = p_.tables[ref->index];
            auto& cols = info.decl->outputs;
            auto col = std::find_if(cols.begin(), cols.end(), [&](const TableColumn& c) { return c.name.name == output; });
            if (col == cols.end() || info.output_types.size() != cols.size()) {
              diags_.report(Diag::unknown_member, ex.name.span, {table, output});
              break;
            }
            Type want = info.output_types[static_cast<std::size_t>(col - cols.begin())];
            if (!want.is_error()) want_value(want.required(), ex.name.name.c_str());
            break;
          }
          auto ref = lookup(ex.name.name, fr.scope, ex.name.span, true);
          if (!ref) break;
          if (ref->kind != SymbolRef::Kind::def && ref->kind != SymbolRef::Kind::input) {
            diags_.report(Diag::not_a_value, ex.name.span, {ex.name.name, "module or table"});
            break;
          }
          Type want = ref->kind == SymbolRef::Kind::def ? p_.defs[ref->index].type : p_.inputs[ref->index].type;
          if (!want.is_error()) want_value(want.required(), ex.name.name.c_str());
          break;
        }
        default: break;
      }
    }
  };
  // Each rule id a test names must reach every frame it runs in; one error lists the others.
  auto check_rule_ids = [&](const TestDecl& t, const std::vector<std::uint32_t>& frames) {
    for (auto& ex : t.expectations) {
      for (auto& id : ex.ids) {
        std::vector<std::string> missing, rule_ids;
        for (auto frame : frames) {
          bool found = false;
          for (auto r : p_.frames[frame].rules) {
            found |= p_.rules[r].decl->id.name == id.name;
            rule_ids.push_back(p_.rules[r].decl->id.name);
          }
          if (!found) missing.push_back("`" + p_.frames[frame].name + "`");
        }
        if (missing.empty()) continue;
        std::string where = missing.size() == 1 ? "frame " : "frames ";
        for (std::size_t i = 0; i < missing.size(); ++i) where += (i ? ", " : "") + missing[i];
        auto& d = diags_.report(Diag::unknown_rule, id.span, {id.name, where});
        if (auto gone = p_.ast.removed.find(id.name); gone != p_.ast.removed.end())
          d.note(gone->second.at, "removed here").with_hint("leave this test out of the amended ruleset with `remove test \"" + t.name.value + "\"`, or write one for it");
        else if (auto near = nearest(id.name, rule_ids); !near.empty()) d.with_hint("did you mean `" + near + "`?");
      }
    }
  };
  for (auto& [n, a] : applicants) {
    if (a->base) check_base(*a->base);
    check_fields(a->fields, {});
  }
  for (auto& f : p_.ast.files) {
    for (auto& t : f.tests) {
      if (!test_names.insert(t.name.value).second) diags_.report(Diag::duplicate_test, t.name.span, {t.name.value});
      if (t.frames.empty()) diags_.report(Diag::syntax_expected, t.name.span, {"`frame NAME` in the test"});
      std::vector<std::uint32_t> frames;
      for (auto& name : t.frames) {
        auto frame = p_.frame_index(name.name);
        if (frame != no_index) {
          frames.push_back(frame);
          continue;
        }
        std::vector<std::string> names;
        for (auto& fr : p_.frames) names.push_back(fr.name);
        auto& d = diags_.report(Diag::unknown_frame, name.span, {name.name});
        if (auto near = nearest(name.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
      }
      if (t.base) check_base(*t.base);
      if (frames.size() != t.frames.size()) continue;
      check_fields(t.fields, frames);
      check_rule_ids(t, frames);
      for (auto frame : frames) check_expectations(t, frame);
    }
  }
}

}  // namespace kijun::dsl
