// The kijun C++ API: load a ruleset once (from sources, compiled to native code, or from
// an ahead-of-time plugin), then decide applicants one at a time, as the text of a JSON
// Lines or CSV file, or in columnar batches bound to the caller's memory. A Ruleset is
// immutable once loaded and may be used from any number of threads; a Batch belongs to
// one thread at a time.
//
// Nothing here throws: factories return Result<T>, operations a Status.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kijun/log.hpp"

// The library is built with hidden symbols; these declarations are what it exports.
#pragma GCC visibility push(default)

// The Arrow C Data Interface's structs (kijun/arrow.h).
struct ArrowSchema;
struct ArrowArray;

namespace kijun {

// What kind of failure a Status reports, for a caller that acts on it (C: KIJUN_ERROR_*).
enum class ErrorKind {
  none,
  usage,           // the call itself is wrong: an unknown frame or input, a bad argument
  data,            // an applicant's record or a text of records cannot be read
  ruleset,         // the ruleset's sources have errors
  plugin_refused,  // a plugin is corrupt, foreign, tampered with, untrusted or for another machine
  not_found,       // no such file, or no plugin of that programme and year on the search path
  internal,        // a fault in kijun itself; please report it
};

class Status {
public:
  Status() = default;
  static Status failure(std::string message, ErrorKind kind = ErrorKind::usage) {
    return Status(std::move(message), kind);
  }
  bool ok() const { return kind_ == ErrorKind::none; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

private:
  Status(std::string m, ErrorKind kind)
      : message_(m.empty() ? "failed" : std::move(m)), kind_(kind == ErrorKind::none ? ErrorKind::internal : kind) {}
  std::string message_;
  ErrorKind kind_ = ErrorKind::none;
};

template <typename T>
class Result {
public:
  Result(T value) : value_(std::move(value)) {}
  Result(Status failure) : status_(std::move(failure)) {}
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }

private:
  Status status_;
  std::optional<T> value_;
};

enum class InputType { boolean, integer, yen, rate, date, enumeration, text, list };

struct InputInfo {
  std::string name;
  InputType type;
  bool optional = false;
  std::vector<std::string> values;  // an enum's values, in code order (a value's code is its index)
  std::string label;
  std::vector<std::string> value_labels;  // an enum's values as the ruleset labels them
  std::optional<std::int64_t> min, max;   // the declared range of an int or yen input; a list's length
  std::vector<InputInfo> fields;          // a list's: the fields of its elements, bound as "list.field"
};

struct FrameInfo {
  std::string name, label, cite;
};

enum class RuleKind { requirement, exclusion, bonus, penalty, limit };

// A rule of a frame, at its bit position in the batch's rule bitsets (Batch::failed_rules).
// A rule amended by date has one entry per dated form, under the same id.
struct RuleInfo {
  std::string id, cite, label;
  RuleKind kind = RuleKind::requirement;
  std::int64_t points = 0;                  // a bonus's or a penalty's
  std::optional<std::int64_t> from, until;  // the days the form is in force (inclusive); none: always
};

struct LoadOptions {
  bool native = true;        // compile to native code (a plugin always is); false: the interpreter
  std::string cache_dir;     // JIT object cache; empty: the default (~/.cache/kijun)
  bool cache = true;         // false: compile afresh, reading and writing no cache
  // Directories (colon-separated) searched when `path` is PROGRAMME:YEAR ("it-hojo:2026");
  // empty: $KIJUN_PLUGIN_PATH.
  std::string plugin_path;
  // The library writes nothing to stderr itself. A record field that is not an input of the
  // ruleset is a warning here (LogLevel::warn), once per field name for the life of the
  // Ruleset: "`capital_yn` is not an input of it-hojo 2026; did you mean `capital_yen`?"
  LogFn log;
  // Such a field makes its record an error instead ("capital_yn: not an input of it-hojo
  // 2026; did you mean `capital_yen`?"), and such a CSV column refuses the whole text.
  bool strict_fields = false;
  // Public key files (.pub, written by `kijun keygen`) whose signatures are trusted; one that
  // cannot be read fails the load. Giving any requires a signature of a plugin: one that is
  // unsigned, signed by another key, or whose signature does not verify is refused before
  // any of its code is loaded, with a message naming the file and the key id ("…: not a
  // trusted plugin: untrusted key: it is signed by key 1a2b…"). A source directory is
  // compiled here and carries no signature: it is not affected.
  std::vector<std::string> trusted_keys;
  // Require a signature by one of trusted_keys even when the list is empty (then every
  // plugin is refused): set it where an empty list must not mean "trust any plugin".
  bool require_signature = false;
};

// The text given to Ruleset::evaluate_records.
enum class RecordFormat { jsonl, csv };

// A rule a decision names: its id and the guideline section it cites.
struct RuleRef {
  std::string id, cite;
  friend bool operator==(const RuleRef& a, const RuleRef& b) { return a.id == b.id && a.cite == b.cite; }
};

// One decision, as the columns of a batch hold it.
struct Decision {
  bool eligible = false;
  std::int64_t amount_yen = 0;  // paid: 0 unless eligible
  std::int64_t computed_amount_yen = 0;
  std::int64_t rate_num = 0, rate_den = 1;
  std::int64_t bonus_points = 0, penalty_points = 0;
  std::vector<RuleRef> failed, bonus, penalty;
  std::string error;  // non-empty: the row could not be decided, and why
};

class Batch;

// How an explanation is written: Japanese (the ruleset's labels) or English (rule ids as
// words), as text for a person or as one JSON object for a program.
struct ExplainStyle {
  std::string lang = "ja";  // "ja" or "en"
  bool json = false;
};

class Ruleset {
public:
  // `path`: a plugin file built by `kijun build`, PROGRAMME:YEAR found on the plugin search
  // path, or (with libkijun; the runtime library refuses it) a ruleset source directory or
  // .kj file, whose warnings go to the log callback.
  static Result<Ruleset> load(const std::string& path, const LoadOptions& options = {});

  Ruleset(Ruleset&&) noexcept;
  Ruleset& operator=(Ruleset&&) noexcept;
  ~Ruleset();

  std::string programme() const;
  std::int64_t fiscal_year() const;
  std::string content_hash() const;
  std::vector<std::string> frames() const;
  std::vector<FrameInfo> frame_infos() const;
  // The inputs a frame reads: the columns a batch can bind, by name.
  Result<std::vector<InputInfo>> inputs(const std::string& frame) const;
  // A frame's rules in evaluation order: entry k is bit k of a batch's rule bitsets.
  Result<std::vector<RuleInfo>> rules(const std::string& frame) const;

  // One applicant given as a JSON object; the output line of the product format (a result
  // or an error object). `as_of` is YYYY-MM-DD, or empty for the application date.
  // A field given twice makes the record an error line ("employees: the field is given twice").
  Result<std::string> evaluate_json(const std::string& frame, std::string_view record, const std::string& as_of = "") const;
  // Applicants as the text of a JSON Lines or CSV file: the output lines in input order, one
  // per record (results and error lines alike), each ending in a newline; blank lines are
  // skipped (docs/records.md). A CSV header that names a column twice, lacks a column every
  // record needs, or (with strict_fields) names a column that is not an input refuses the
  // whole text with an error: "the CSV header names `employees` twice (columns 3 and 7)".
  Result<std::string> evaluate_records(const std::string& frame, std::string_view text,
                                       RecordFormat format = RecordFormat::jsonl, const std::string& as_of = "") const;
  // An explanation of one applicant (a JSON object) and its decision: the outcome, the
  // failing rules with their values, the amount step by step, the points, every rule.
  Result<std::string> explain(const std::string& frame, std::string_view record, const std::string& as_of = "",
                              const ExplainStyle& style = {}) const;

  Result<Batch> batch(const std::string& frame) const;

private:
  friend class Batch;
  struct Impl;
  explicit Ruleset(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Columns bound from caller memory (never copied when every row is valid), evaluated by
// the frame's native code. Layout of each column: include/kijun/batch.h.
// The most rows one Batch::run decides (the columns of a run are sized by it).
inline constexpr std::int64_t max_batch_rows = std::int64_t{1} << 30;

class Batch {
public:
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;
  ~Batch();

  // bool: uint8_t per row; int, yen, date (days since 1970-01-01), enum (value index):
  // int64_t per row; rate: numerators and denominators. `validity`: a bitmap (bit i of byte
  // i/8, LSB first) for an optional input, or null when every row has a value. Every required
  // input of the frame must be bound; an optional input left unbound is absent in every row.
  Status bind_bool(const std::string& input, const std::uint8_t* values, const std::uint8_t* validity = nullptr);
  Status bind_int64(const std::string& input, const std::int64_t* values, const std::uint8_t* validity = nullptr);
  Status bind_rate(const std::string& input, const std::int64_t* num, const std::int64_t* den,
                   const std::uint8_t* validity = nullptr);
  // The children of an Arrow struct array (a record batch) bound to the frame's inputs by
  // name, read in place where their layout is the batch's (kijun/arrow.h lists the types);
  // its length, the rows to run. The arrays stay the caller's: keep them until the run.
  Result<std::int64_t> bind_arrow(const ArrowSchema& schema, const ArrowArray& array);
  // The outputs of the last run as an Arrow struct array (kijun/arrow.h) the caller owns.
  Status export_arrow(ArrowSchema* schema, ArrowArray* array) const;
  // A list input (Arrow's large-list layout, kijun/batch.h): rows + 1 offsets, row i's
  // elements being offsets[i] .. offsets[i + 1] - 1 of its fields' columns, which are bound
  // by the calls above as "list.field" ("members.employees"), one entry per element.
  Status bind_list(const std::string& input, const std::int64_t* offsets);
  // The as-of date of each row (days), or one date for all; default: the application date input.
  void set_as_of(const std::int64_t* per_row);
  void set_as_of(std::int64_t day);

  // Decides rows [0, rows), 0 ≤ rows ≤ max_batch_rows. A row whose bound values are invalid
  // (a missing required value, a zero denominator, an enum code out of range, a value outside
  // its declared range, an as-of day outside 0001-01-01..9999-12-31) gets an error and the
  // others are decided. The columns are checked as the run reads them, block by block; a run
  // of valid rows allocates nothing per row.
  Status run(std::int64_t rows);
  // Decides bound rows [first, last) on `threads` threads (0: one per core): output entry i
  // is bound row first + i, and rows() is last - first. Outputs and errors are the same
  // whatever the number of threads.
  Status run(std::int64_t first, std::int64_t last, int threads = 1);
  // The entries of the last run; the calls below take an entry (0 ≤ entry < rows()).
  std::int64_t rows() const;
  Decision decision(std::int64_t entry) const;
  // Output line of the product format for a decided entry, with the caller's id.
  std::string json(std::int64_t entry, const std::string& id) const;
  // An explanation of one entry's decision, re-evaluated by the interpreter with a trace
  // from the bound columns, which must still hold the values the run read.
  Result<std::string> explain(std::int64_t entry, const std::string& id, const ExplainStyle& style = {}) const;
  // Direct access to the output columns of the last run (valid until the next run), one
  // value per entry.
  const std::uint8_t* eligible() const;
  const std::int64_t* amount() const;       // as computed; 0 is paid unless eligible
  const std::int64_t* paid_amount() const;  // what is paid: the computed amount when eligible, else 0
  const std::int64_t* rate_num() const;
  const std::int64_t* rate_den() const;
  const std::int64_t* bonus_points() const;
  const std::int64_t* penalty_points() const;
  const std::uint8_t* error() const;        // 0: decided
  // The rules each entry failed (a requirement not met, an exclusion hit, a limit exceeded)
  // and scored (a bonus or penalty awarded): rule_words() words per entry, bit k (word k / 64,
  // least significant first) for the frame's k-th rule of Ruleset::rules. Read them only for
  // an entry decided (error() 0).
  const std::uint64_t* failed_rules() const;
  const std::uint64_t* scored_rules() const;
  std::size_t rule_words() const;

private:
  friend class Ruleset;
  struct Impl;
  explicit Batch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "YYYY-MM-DD" as the day number columns use; nullopt if it is not a date.
std::optional<std::int64_t> parse_day(std::string_view date);
// The library version, e.g. "0.2.0" (KIJUN_VERSION_STRING of kijun/version.h).
const char* version();
// True in libkijun, which compiles ruleset sources; false in libkijun_runtime (plugins only).
bool can_compile();

}  // namespace kijun

#pragma GCC visibility pop
