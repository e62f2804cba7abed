// The checked program: the AST plus what name resolution and type checking learned,
// kept in side tables keyed by ExprId (the tree itself is never modified). The compiler
// lowers this to the typed IR.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/support/types.hpp"

namespace kijun::dsl {

inline constexpr std::uint32_t no_index = UINT32_MAX;

struct SymbolRef {
  // element: a list operation's element (index: its record); field: a field of one (index:
  // the record, extra: the field).
  enum class Kind : std::uint8_t { none, input, def, table, module, enum_value, table_output, function, element, field } kind = Kind::none;
  std::uint32_t index = no_index;  // into Program::inputs/defs/tables/modules/enums/records
  std::uint32_t extra = 0;         // enum value index, table output index, or field index
  bool narrowed = false;           // an optional known to be present here
};

struct EnumInfo {
  const EnumDecl* decl;
  std::string name;
  std::vector<std::string> values;
  std::vector<std::string> labels;
};

struct InputInfo {
  const InputDecl* decl;
  std::string name;
  Type type;
  std::optional<std::int64_t> min, max;
  std::uint32_t frame = no_index;  // no_index: read by every frame
  std::int64_t min_length = 0, max_length = 0;  // a list input's
};

// A record type: the fields of a list's elements, each checked as an input is.
struct RecordInfo {
  const RecordDecl* decl;
  std::string name;
  std::vector<InputInfo> fields;
};

struct DefInfo {
  const DefDecl* decl;
  std::string name;
  DefKind kind;
  Type type;  // resolved result type
  std::uint32_t module;
  std::uint32_t frame = no_index;
  enum class State : std::uint8_t { unchecked, checking, done } state = State::unchecked;
};

struct TableInfo {
  const TableDecl* decl;
  std::string name;
  std::vector<Type> key_types;
  std::vector<Type> output_types;
  std::uint32_t module;
  std::uint32_t frame = no_index;
};

// A function of a native extension: its library is found by the extension's name.
struct FunctionInfo {
  const ExtensionDecl* extension;
  const FunctionSig* sig;
  std::vector<Type> params;
  Type result;
};

struct RuleInfo {
  const RuleDecl* decl;
  std::uint32_t module;
  std::uint32_t frame = no_index;
};

// Names a module or frame declares itself, and the modules whose names it can see.
struct Scope {
  std::map<std::string, SymbolRef> own;
  std::vector<std::uint32_t> imports;  // module indices
  std::uint32_t module = no_index;
  std::uint32_t frame = no_index;
};

struct ModuleInfo {
  const ModuleFile* file;
  std::string name;
  Scope scope;
  std::vector<std::uint32_t> rules;  // top-level rules in declaration order
};

struct FrameInfo {
  const FrameDecl* decl;
  std::string name;
  std::uint32_t module;
  Scope scope;
  std::vector<std::uint32_t> rules;   // every rule that reaches the frame, in order
  std::vector<std::uint32_t> inputs;  // global inputs then the frame's own
  std::uint32_t rate = no_index;      // def index
  std::uint32_t amount = no_index;    // def index
};

struct Program {
  Ast ast;
  const HeaderDecl* header = nullptr;
  std::vector<EnumInfo> enums;
  std::vector<RecordInfo> records;
  std::vector<InputInfo> inputs;
  std::vector<DefInfo> defs;
  std::vector<TableInfo> tables;
  std::vector<RuleInfo> rules;
  std::vector<FunctionInfo> functions;
  std::vector<ModuleInfo> modules;
  std::vector<FrameInfo> frames;
  std::vector<Type> types;      // by ExprId
  std::vector<SymbolRef> refs;  // by ExprId, for NameRef and Member

  std::uint32_t frame_index(const std::string& name) const;
  std::uint32_t input_index(const std::string& name) const;
};

}  // namespace kijun::dsl
