// Lowering the tests written beside the rules: each test, once per frame it names, becomes
// an ir::Test — its applicant as one value per input slot (the applicant it starts from,
// then its own fields) and its expectations with their values and what they read resolved.
#include <algorithm>
#include <map>
#include <set>

#include "compiler/lower.hpp"

namespace kijun::ir {

namespace {

static_assert(static_cast<int>(dsl::ExpectKind::value) == static_cast<int>(Expect::value) &&
                  static_cast<int>(dsl::ExpectKind::eligible) == static_cast<int>(Expect::eligible),
              "ir::Expect lists dsl::ExpectKind's members in its order");

class TestLowerer {
public:
  TestLowerer(const dsl::Program& p, const Ruleset& rs) : p_(p), rs_(rs) {
    for (auto& f : p.ast.files)
      for (auto& a : f.applicants) applicants_[a.name.name] = &a;
  }

  Test lower(const dsl::TestDecl& t, std::uint32_t frame) {
    Test out;
    out.name = t.name.value;
    out.span = t.span;
    out.frame = frame;
    out.as_of = t.as_of;
    out.applicant.assign(rs_.inputs.size(), Value::absent());
    if (auto id = rs_.input_index("id"); id >= 0) out.applicant[static_cast<std::size_t>(id)] = Value::of(0);
    std::set<std::string> seen;
    if (t.base && !apply_base(t.base->name, out.applicant, seen))
      out.problem = "applicant `" + t.base->name + "` is unknown or its bases form a cycle";
    apply(t.fields, out.applicant);
    for (auto& x : t.expectations) out.expectations.push_back(expectation(x, frame));
    return out;
  }

private:
  void apply(const std::vector<dsl::FieldValue>& fields, std::vector<Value>& values) {
    for (auto& f : fields) {
      auto slot = rs_.input_index(f.field.name);
      if (slot < 0 || f.field.name == "id") continue;
      if (f.list) {
        elements(f, static_cast<std::size_t>(slot), values);
        continue;
      }
      values[static_cast<std::size_t>(slot)] = f.value == dsl::no_expr ? Value::absent() : lower_constant(p_, f.value);
    }
  }

  // A list's value: its elements after the applicant's values (ir.hpp Record), each
  // repeated as written; a field not given is absent (text is 0, as the readers hold it).
  void elements(const dsl::FieldValue& f, std::size_t slot, std::vector<Value>& values) {
    const auto& record = rs_.records[rs_.inputs[slot].type.enum_id];
    const auto first = values.size();
    std::int64_t count = 0;
    for (auto& e : f.elements) {
      std::vector<Value> one(record.fields.size(), Value::absent());
      for (std::size_t k = 0; k < record.fields.size(); ++k)
        if (record.fields[k].type.kind == dsl::Kind::text) one[k] = Value::of(0);
      for (auto& given : e.fields)
        for (std::size_t k = 0; k < record.fields.size(); ++k)
          if (record.fields[k].name == given.field.name)
            one[k] = given.value == dsl::no_expr ? Value::absent() : record.fields[k].type.kind == dsl::Kind::text ? Value::of(0) : lower_constant(p_, given.value);
      for (std::int64_t r = 0; r < e.repeat; ++r) values.insert(values.end(), one.begin(), one.end());
      count += e.repeat;
    }
    values[slot] = {count, static_cast<std::int64_t>(first)};
  }

  bool apply_base(const std::string& name, std::vector<Value>& values, std::set<std::string>& seen) {
    auto it = applicants_.find(name);
    if (it == applicants_.end() || !seen.insert(name).second) return false;
    if (it->second->base && !apply_base(it->second->base->name, values, seen)) return false;
    apply(it->second->fields, values);
    return true;
  }

  TestExpectation expectation(const dsl::Expectation& x, std::uint32_t frame) {
    TestExpectation out;
    out.kind = static_cast<Expect>(x.kind);
    for (auto& id : x.ids) out.ids.push_back(id.name);
    std::sort(out.ids.begin(), out.ids.end());
    out.name = x.name.name;
    if (x.value != dsl::no_expr) out.value = lower_constant(p_, x.value);
    if (out.kind != Expect::value) return out;
    // What `expect NAME = v` reads: the frame's own definition of that name before a
    // shared one, `table.output` likewise, else an input.
    if (auto dot = out.name.find('.'); dot != std::string::npos) {
      auto table = out.name.substr(0, dot), output = out.name.substr(dot + 1);
      for (std::size_t i = 0; i < p_.tables.size(); ++i)
        if (p_.tables[i].name == table && (p_.tables[i].frame == frame || (out.table < 0 && p_.tables[i].frame == dsl::no_index)))
          out.table = static_cast<std::int32_t>(i);
      if (out.table >= 0) {
        const auto& outputs = rs_.tables[static_cast<std::size_t>(out.table)].outputs;
        auto col = std::find(outputs.begin(), outputs.end(), output);
        if (col != outputs.end()) out.column = static_cast<std::int32_t>(col - outputs.begin());
        else out.table = -1;
      }
      return out;
    }
    for (std::size_t i = 0; i < p_.defs.size(); ++i)
      if (p_.defs[i].name == out.name && (p_.defs[i].frame == frame || (out.def < 0 && p_.defs[i].frame == dsl::no_index)))
        out.def = static_cast<std::int32_t>(i);
    if (out.def < 0) out.input = rs_.input_index(out.name);
    return out;
  }

  const dsl::Program& p_;
  const Ruleset& rs_;
  std::map<std::string, const dsl::ApplicantDecl*> applicants_;
};

}  // namespace

std::vector<Test> lower_tests(const dsl::Program& p, const Ruleset& rs) {
  TestLowerer lw(p, rs);
  std::vector<Test> out;
  for (auto& f : p.ast.files)
    for (auto& t : f.tests)
      for (auto& frame : t.frames)
        if (auto index = rs.frame_index(frame.name); index >= 0) out.push_back(lw.lower(t, static_cast<std::uint32_t>(index)));
  return out;
}

}  // namespace kijun::ir
