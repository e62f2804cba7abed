// The typed rule IR: what the interpreter walks and what the LLVM back end lowers. One
// flat node array per ruleset; every node keeps its source span so a run-time error or
// an explanation can point at the rule and its citation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/value.hpp"
#include "dsl/support/calendar.hpp"
#include "dsl/support/source.hpp"
#include "dsl/support/types.hpp"

namespace kijun::ir {

using NodeId = std::uint32_t;
inline constexpr NodeId no_node = UINT32_MAX;

// The operations and what each is: compiler/ir/ops.def.
enum class Op : std::uint8_t {
#define KIJUN_OP(name, text, fewest, most, faults) name,
#include "compiler/ir/ops.def"
#undef KIJUN_OP
};

inline constexpr std::size_t op_count = 0
#define KIJUN_OP(name, text, fewest, most, faults) +1
#include "compiler/ir/ops.def"
#undef KIJUN_OP
    ;

// What ops.def says of an operation. `many` stands for any number of children.
inline constexpr std::uint32_t many = UINT32_MAX;
struct OpInfo {
  const char* text;  // its name in IR dumps
  std::uint32_t fewest, most;  // children
  bool faults;  // may fault by itself
};
inline constexpr OpInfo op_infos[] = {
#define KIJUN_OP(name, text, fewest, most, faults) {text, fewest, most, faults},
#include "compiler/ir/ops.def"
#undef KIJUN_OP
};
inline const OpInfo& op_info(Op op) { return op_infos[static_cast<std::size_t>(op)]; }
// count, sum, all, any, min and max over a list (consecutive in ops.def).
inline bool is_list_op(Op op) { return op >= Op::list_count && op <= Op::list_max; }
static_assert(static_cast<int>(Op::list_max) - static_cast<int>(Op::list_count) == 5);

struct Node {
  Op op{};
  dsl::Kind kind{};        // the result's kind
  std::uint32_t first = 0;  // children: ruleset.children[first .. first + count)
  std::uint32_t count = 0;
  std::uint32_t a = 0, b = 0;
  Value imm{};
  dsl::Span span;
};

struct Period {
  std::optional<std::int64_t> from, until;  // inclusive days
  bool contains(std::int64_t day) const { return (!from || day >= *from) && (!until || day <= *until); }
  // Both bounds, where given, are calendar days (what the verifier requires of an image).
  bool on_calendar() const { return (!from || dsl::is_calendar_day(*from)) && (!until || dsl::is_calendar_day(*until)); }
};

struct Input {
  std::string name;
  dsl::Type type;
  std::optional<std::int64_t> min, max;
  std::string label;
  std::int32_t frame = -1;  // -1: every frame
  std::int64_t min_length = 0, max_length = 0;  // a list input's (type.enum_id: its record)
};

// The fields of a list's elements (docs/design/lists.md). An applicant's values are one
// per input slot followed by its lists' elements: a list slot holds {num: the element
// count, den: the index of its first element}, and an element is its record's fields in
// order, so one flat array of values still holds the whole applicant.
struct Record {
  std::string name, label;
  std::vector<Input> fields;
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
  std::vector<std::string> labels;
};

struct DefAlt {
  NodeId root = no_node;
  Period period;
};

struct Def {
  std::string name;
  dsl::Kind kind{};
  std::vector<DefAlt> alts;
  std::string cite, label;
  dsl::Span span;
  // An element definition: the definition `of` applied to an element of record `record`,
  // its input reads made field reads (level 0); -1 for an applicant's definition.
  std::int32_t record = -1;
  std::uint32_t of = 0;
};

struct TableCell {
  enum class Kind : std::uint8_t { any, values, range } kind = Kind::any;
  std::vector<std::int64_t> values;
  std::int64_t lo = INT64_MIN, hi = INT64_MAX;  // inclusive
};

struct TableRow {
  std::vector<TableCell> keys;
  std::vector<Value> outputs;
  std::string cite;
};

struct Table {
  std::string name;
  std::vector<NodeId> keys;
  std::vector<std::string> outputs;
  std::vector<TableRow> rows;
  std::string cite;
  dsl::Span span;
  std::int32_t record = -1;  // an element table (as Def::record); keys read the element
  std::uint32_t of = 0;
};

struct Exception {
  NodeId condition = no_node;
  Period period;
  std::string cite;
  dsl::Span span;
};

struct Rule {
  dsl::RuleKind kind{};
  std::string id;
  std::int64_t points = 0;
  std::string cite, label;
  Period period;
  NodeId applies = no_node;
  std::vector<Exception> exceptions;
  NodeId body = no_node;
  dsl::Span span;
  NodeId as_of = no_node;  // `as_of D`: the date its versions and exceptions are chosen by
};

struct Frame {
  std::string name, label, cite;
  std::vector<std::uint32_t> rules;   // indices into Ruleset::rules, in evaluation order
  std::vector<std::uint32_t> inputs;  // input slots the frame reads
  std::uint32_t rate = UINT32_MAX;    // def index, or none
  std::uint32_t amount = UINT32_MAX;  // def index
};

// A function of a native extension (include/kijun/extension.h), called through a table
// of function pointers the runtime fills when it loads the extension's library.
struct Function {
  std::string extension;
  std::string name;
  std::vector<dsl::Kind> params;
  dsl::Kind result{};
};

struct Version {
  std::int64_t date;
  std::string note;
};

// The tests written beside the rules, lowered: each decides one applicant in one frame and
// says what the decision must show. Lowering makes them and plugins carry them, so a
// plugin's tests run where it runs, without its sources or a compiler.
enum class Expect : std::uint8_t {
  eligible, not_eligible, failed, bonus, penalty, amount, rate, score, bonus_points, penalty_points, error, value
};
inline constexpr std::uint8_t expect_count = 12;

struct TestExpectation {
  Expect kind{};
  std::vector<std::string> ids;  // failed, bonus, penalty: the rule ids, sorted
  std::string name;              // error: its code; value: what is read, as written
  Value value;                   // amount, rate, score, points and value: what is expected
  std::int32_t def = -1;         // value: the definition read, or -1
  std::int32_t table = -1;       // value: the table read (`table.output`), or -1
  std::int32_t column = -1;      //   and its output column
  std::int32_t input = -1;       // value: the input read, or -1
};

struct Test {
  std::string name;
  dsl::Span span;
  std::uint32_t frame = 0;
  std::optional<std::int64_t> as_of;
  std::vector<Value> applicant;  // one per input slot; absent where the test gives nothing
  std::string problem;           // why it cannot run (its applicant's base is unknown), or empty
  std::vector<TestExpectation> expectations;
};

// The ruleset as an auditor compares it (runtime/audit/structure.hpp): each rule,
// definition, table, input, enum and frame with its parts in canonical text (the layout of
// `kijun fmt`), every dated form kept, so the parts in force on any day can be chosen
// without the sources. compiler/describe.cpp makes it from the checked program.
struct DescribedPart {
  std::string name, text;
  std::optional<Period> exception;  // an exception's own period: the part is dated by it too
};

struct DescribedForm {  // one dated declaration of an entry; an undated entry has one, always in force
  std::string kind;  // when the form says its kind itself (a rule's forms may differ); else the entry's
  Period period;
  bool judged = false;  // a rule judged as of another date: every form counts on any day
  std::string cite, label;
  std::vector<DescribedPart> parts;
};

struct Described {
  std::string group, kind, name;
  std::vector<DescribedPart> before;  // parts ahead of the forms' (a definition's type)
  std::vector<DescribedForm> forms;   // an entry with none in force on a day is not in that day's structure
  std::vector<DescribedPart> after;   // parts after them (the frames a rule is in)
};

struct Ruleset {
  std::string programme;
  std::int64_t fiscal_year = 0;
  std::string title, source;
  std::uint32_t as_of_input = UINT32_MAX;  // input slot of the default as-of date
  std::vector<Version> versions;
  std::vector<Input> inputs;
  std::vector<Record> records;
  std::vector<Enum> enums;
  std::vector<Node> nodes;
  std::vector<NodeId> children;
  std::vector<Def> defs;
  std::vector<Table> tables;
  std::vector<Rule> rules;
  std::vector<Frame> frames;
  std::vector<Function> functions;
  std::vector<Test> tests;  // in source order, one per test and frame
  std::vector<Described> description;

  const Node& node(NodeId n) const { return nodes[n]; }
  NodeId child(const Node& n, std::uint32_t i) const { return children[n.first + i]; }
  std::int32_t frame_index(const std::string& name) const;
  std::int32_t input_index(const std::string& name) const;
  // The latest version date on or before `day`; nullopt when `day` precedes the first.
  std::optional<std::int64_t> version_on(std::int64_t day) const;
};

// Canonical text of the IR, for `kijun check --dump=ir` and golden tests.
std::string dump(const Ruleset& rs);
// The operation's name in that text ("add", "if", "call"…).
const char* op_name(Op op);

}  // namespace kijun::ir
