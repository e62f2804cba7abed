// Applicant readers: JSON Lines (simdjson) and CSV with a header. A record that cannot be
// read still comes out, with its line, its id if known, and the reason; the batch goes on.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir.hpp"

namespace kijun::runtime {

struct Record {
  std::size_t line = 0;
  std::string id;
  bool has_id = false;
  std::vector<ir::Value> values;  // one per ruleset input; absent unless read
  std::string error;              // "<field>: <what is wrong>"; empty when the record is good
};

class RecordReader {
public:
  virtual ~RecordReader() = default;
  // Reads the next record; false at the end of input.
  virtual bool next(Record& record) = 0;
};

// `slots` are the inputs to read (a frame's); every other field is ignored.
std::unique_ptr<RecordReader> make_jsonl_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots);
std::unique_ptr<RecordReader> make_csv_reader(std::istream& in, const ir::Ruleset& rs, std::vector<std::uint32_t> slots);

}  // namespace kijun::runtime
