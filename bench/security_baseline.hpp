// The セキュリティ対策推進枠 of 2026 written by hand in C++ over the same columnar batch
// the compiled frame reads: what a careful programmer would write without kijun. It is
// the yardstick of `kijun bench`; it computes the same outputs (eligibility, amount,
// rate, points, and the bit of every rule) and faults on the same rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/batch.hpp"
#include "compiler/ir/ir.hpp"

namespace kijun::bench {

class SecurityBaseline {
public:
  // Finds the inputs and rule positions by name; false with `why` when the ruleset differs.
  bool bind(const ir::Ruleset& rs, std::uint32_t frame, std::string& why);
  void run(const kijun_batch_in& in, kijun_batch_out& out, std::int64_t begin, std::int64_t end) const;

private:
  struct Slots;
  std::vector<std::int32_t> slot_;  // by Input enum below
  std::vector<std::int32_t> rule_;  // by Rule enum below
  std::uint32_t words_ = 1;
  std::int64_t navi_pdf_from_ = 0;  // day the 加点8) amendment takes effect
  std::int64_t small_exempt_until_ = 0;
  std::int64_t applications_open_ = 0;
  std::vector<std::int64_t> deadlines_;  // of the frame's rounds, in order
  std::vector<std::int64_t> industry_;   // enum value index → industry code used below
  std::vector<std::int64_t> legal_form_;
  std::vector<std::int64_t> action_;
};

}  // namespace kijun::bench
