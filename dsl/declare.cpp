// First pass of the checker: every module, frame, input, enum, def, table and rule gets
// its symbol, so later passes can resolve names in any order.
#include "dsl/checker_impl.hpp"

namespace kijun::dsl {

namespace {
bool declares_module(const ModuleFile& f) { return f.explicit_module || !f.items.empty() || !f.frames.empty(); }
}  // namespace

void Checker::add_symbol(Scope& scope, const Ident& name, SymbolRef ref) {
  auto [it, inserted] = scope.own.emplace(name.name, ref);
  if (!inserted) diags_.report(Diag::duplicate_declaration, name.span, {name.name});
}

Type Checker::resolve_type(const TypeRef& t) {
  static const std::map<std::string, Kind> builtin = {{"bool", Kind::bool_}, {"int", Kind::int_}, {"yen", Kind::yen},
                                                      {"rate", Kind::rate}, {"date", Kind::date}, {"text", Kind::text}};
  Type out;
  if (auto b = builtin.find(t.name.name); b != builtin.end()) {
    out = Type::of(b->second);
  } else if (auto e = enum_by_name_.find(t.name.name); e != enum_by_name_.end()) {
    out = Type::enumeration(e->second);
  } else {
    std::vector<std::string> names;
    for (auto& [n, k] : builtin) names.push_back(n);
    for (auto& [n, k] : enum_by_name_) names.push_back(n);
    auto& d = diags_.report(Diag::unknown_type, t.name.span, {t.name.name});
    if (auto near = nearest(t.name.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
    return {};
  }
  out.optional = t.optional;
  return out;
}

// `list of NAME`: NAME must be a record.
Type Checker::resolve_list(const ListType& l) {
  if (auto r = record_by_name_.find(l.record.name); r != record_by_name_.end()) return Type::list_of(r->second);
  std::vector<std::string> names;
  for (auto& [n, i] : record_by_name_) names.push_back(n);
  auto& d = diags_.report(Diag::unknown_record, l.record.span, {l.record.name});
  if (auto near = nearest(l.record.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
  else if (enum_by_name_.count(l.record.name)) d.with_hint("`" + l.record.name + "` is an enum; a list holds records");
  else d.with_hint("declare it: `record " + l.record.name + " { field: type … }`");
  return {};
}

void Checker::declare_item(const Item& it, Scope& scope, std::uint32_t module, std::uint32_t frame) {
  if (auto* in = std::get_if<InputDecl>(&it)) {
    auto index = static_cast<std::uint32_t>(p_.inputs.size());
    p_.inputs.push_back({in, in->name.name, {}, {}, {}, frame});
    SymbolRef ref{SymbolRef::Kind::input, index};
    if (frame == no_index) {
      auto [pos, inserted] = globals_.emplace(in->name.name, ref);
      if (!inserted) diags_.report(Diag::duplicate_declaration, in->name.span, {in->name.name});
    } else {
      add_symbol(scope, in->name, ref);
    }
  } else if (auto* d = std::get_if<DefDecl>(&it)) {
    auto index = static_cast<std::uint32_t>(p_.defs.size());
    p_.defs.push_back({d, d->name.name, d->kind, {}, module, frame});
    add_symbol(scope, d->name, {SymbolRef::Kind::def, index});
    if (frame != no_index && d->kind == DefKind::rate) p_.frames[frame].rate = index;
    if (frame != no_index && d->kind == DefKind::amount) p_.frames[frame].amount = index;
    if (frame == no_index && (d->kind == DefKind::rate || d->kind == DefKind::amount))
      diags_.report(Diag::syntax_expected, d->name.span, {std::string("`") + d->name.name + "` inside a frame"});
  } else if (auto* t = std::get_if<TableDecl>(&it)) {
    auto index = static_cast<std::uint32_t>(p_.tables.size());
    p_.tables.push_back({t, t->name.name, {}, {}, module, frame});
    add_symbol(scope, t->name, {SymbolRef::Kind::table, index});
  } else if (auto* r = std::get_if<RuleDecl>(&it)) {
    auto index = static_cast<std::uint32_t>(p_.rules.size());
    p_.rules.push_back({r, module, frame});
    if (frame == no_index) p_.modules[module].rules.push_back(index);
  } else if (auto* ext = std::get_if<ExtensionDecl>(&it)) {
    if (frame != no_index) diags_.report(Diag::syntax_expected, ext->span, {"`extension` at the top of a module"});
    for (auto& fn : ext->functions) {
      auto index = static_cast<std::uint32_t>(p_.functions.size());
      p_.functions.push_back({ext, &fn, {}, {}});
      add_symbol(scope, fn.name, {SymbolRef::Kind::function, index});
    }
  } else if (auto* inc = std::get_if<IncludeDecl>(&it)) {
    if (frame == no_index) diags_.report(Diag::syntax_expected, inc->span, {"`include` inside a frame"});
  }
}

void Checker::declare_frame(const FrameDecl& f, std::uint32_t module) {
  auto index = static_cast<std::uint32_t>(p_.frames.size());
  for (auto& other : p_.frames)
    if (other.name == f.name.name) diags_.report(Diag::duplicate_declaration, f.name.span, {f.name.name});
  FrameInfo info{&f, f.name.name, module, {}, {}, {}, no_index, no_index};
  info.scope.module = module;
  info.scope.frame = index;
  p_.frames.push_back(std::move(info));
}

void Checker::declare_modules() {
  auto& files = p_.ast.files;
  // Modules and enums first: every later declaration may name them.
  for (auto& f : files) {
    if (f.header) {
      if (p_.header) diags_.report(Diag::duplicate_header, f.header->span);
      else p_.header = &*f.header;
    }
    if (!declares_module(f)) continue;
    if (module_by_name_.count(f.module.name)) {
      diags_.report(Diag::duplicate_module, f.module.span, {f.module.name});
      continue;
    }
    auto index = static_cast<std::uint32_t>(p_.modules.size());
    module_by_name_[f.module.name] = index;
    ModuleInfo m{&f, f.module.name, {}, {}};
    m.scope.module = index;
    p_.modules.push_back(std::move(m));
  }
  auto declare_enum = [&](const EnumDecl& e) {
    if (enum_by_name_.count(e.name.name)) {
      diags_.report(Diag::duplicate_declaration, e.name.span, {e.name.name});
      return;
    }
    EnumInfo info{&e, e.name.name, {}, {}};
    for (auto& v : e.values) {
      for (auto& seen : info.values)
        if (seen == v.name.name) diags_.report(Diag::duplicate_declaration, v.name.span, {v.name.name});
      info.values.push_back(v.name.name);
      info.labels.push_back(v.label.value);
    }
    enum_by_name_[e.name.name] = static_cast<std::uint16_t>(p_.enums.size());
    p_.enums.push_back(std::move(info));
  };
  // Records, like enums, are named across the ruleset: an input of any module may list them.
  auto declare_record = [&](const RecordDecl& r) {
    if (record_by_name_.count(r.name.name) || enum_by_name_.count(r.name.name)) {
      diags_.report(Diag::duplicate_declaration, r.name.span, {r.name.name});
      return;
    }
    RecordInfo info{&r, r.name.name, {}};
    for (auto& field : r.fields) {
      for (auto& seen : info.fields)
        if (seen.name == field.name.name) diags_.report(Diag::duplicate_declaration, field.name.span, {field.name.name});
      info.fields.push_back({&field, field.name.name, {}, {}, {}, no_index});
    }
    record_by_name_[r.name.name] = static_cast<std::uint16_t>(p_.records.size());
    p_.records.push_back(std::move(info));
  };
  for (auto& f : files) {
    for (auto& it : f.items)
      if (auto* e = std::get_if<EnumDecl>(&it)) declare_enum(*e);
      else if (auto* r = std::get_if<RecordDecl>(&it)) declare_record(*r);
    for (auto& fr : f.frames)
      for (auto& it : fr.items)
        if (auto* e = std::get_if<EnumDecl>(&it)) declare_enum(*e);
        else if (auto* r = std::get_if<RecordDecl>(&it)) declare_record(*r);
  }
  for (auto& f : files) {
    auto found = module_by_name_.find(f.module.name);
    if (!declares_module(f) || found == module_by_name_.end() || p_.modules[found->second].file != &f) continue;
    std::uint32_t module = found->second;
    for (auto& imp : f.imports) {
      auto m = module_by_name_.find(imp.name);
      if (m == module_by_name_.end()) {
        std::vector<std::string> names;
        for (auto& [n, i] : module_by_name_) names.push_back(n);
        auto& d = diags_.report(Diag::unknown_module, imp.span, {imp.name});
        if (auto near = nearest(imp.name, names); !near.empty()) d.with_hint("did you mean `" + near + "`?");
      } else {
        p_.modules[module].scope.imports.push_back(m->second);
      }
    }
    for (auto& it : f.items) declare_item(it, p_.modules[module].scope, module, no_index);
    for (auto& fr : f.frames) {
      declare_frame(fr, module);
      auto frame = static_cast<std::uint32_t>(p_.frames.size() - 1);
      for (auto& it : fr.items) declare_item(it, p_.frames[frame].scope, module, frame);
    }
  }
  declare_frame_enum();
  // Input types need every enum and record; resolve them now so lookups see the final types.
  for (auto& r : p_.records)
    for (auto& field : r.fields) field.type = resolve_type(field.decl->type);
  for (auto& in : p_.inputs) in.type = in.decl->list ? resolve_list(*in.decl->list) : resolve_type(in.decl->type);
  // Extension signatures carry only values a C function can take as int64.
  auto native = [&](const TypeRef& t) {
    Type type = resolve_type(t);
    bool ok = !type.optional && (type.kind == Kind::bool_ || type.kind == Kind::int_ || type.kind == Kind::yen ||
                                 type.kind == Kind::date);
    if (!type.is_error() && !ok) diags_.report(Diag::extension_type, t.span, {type_name(p_, type)});
    return ok ? type : Type{};
  };
  for (auto& fn : p_.functions) {
    if (fn.sig->params.size() > 16)
      diags_.report(Diag::argument_count, fn.sig->name.span, {fn.sig->name.name, "at most 16 parameters", std::to_string(fn.sig->params.size())});
    for (auto& param : fn.sig->params) fn.params.push_back(native(param.type));
    fn.result = native(fn.sig->result);
  }
}

}  // namespace kijun::dsl
