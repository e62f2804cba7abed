// Applicant readers: JSON Lines (simdjson) and CSV with a header. A record that cannot be
// read still comes out, with its line, its id if known, and the reason; the batch goes on.
// A record never lies: a field given twice is an error, never "the last one wins", and a
// field no input knows is reported (runtime/known_fields.hpp). Only a CSV header, which
// speaks for every record, can refuse the whole input.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/known_fields.hpp"

namespace kijun::runtime {

struct Record {
  std::size_t line = 0;
  std::string id;
  bool has_id = false;
  std::vector<ir::Value> values;  // one per ruleset input, absent unless read; then lists' elements (ir.hpp Record)
  // Per list input slot read: each element's name, its record's first text field (`member_id`),
  // for messages and explanations; empty where the element has none.
  std::vector<std::vector<std::string>> element_ids;
  std::string error;              // "<field>: <what is wrong>"; empty when the record is good
};

class RecordReader {
public:
  virtual ~RecordReader() = default;
  // Reads the next record; false at the end of input, or when the input cannot be read.
  virtual bool next(Record& record) = 0;
  // Why the input as a whole cannot be read (a CSV header naming a column twice), once
  // next() has returned false; empty at the end of a readable input.
  const std::string& input_error() const { return input_error_; }
  // Lines that held only whitespace, passed over: they are not records, and a run says how
  // many there were so that records in = lines out can still be checked against the file.
  std::size_t blank_lines() const { return blank_lines_; }

protected:
  std::string input_error_;
  std::size_t blank_lines_ = 0;
};

// `slots` are the inputs to read (a frame's); other fields `known` knows are passed over,
// and any other is reported as `known` says. `known` must know `rs` and outlive the reader.
std::unique_ptr<RecordReader> make_jsonl_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots,
                                                KnownFields& known);
std::unique_ptr<RecordReader> make_csv_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots,
                                              KnownFields& known);

}  // namespace kijun::runtime
