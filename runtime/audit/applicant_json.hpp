// An applicant's input values written back as the JSON a reader accepts: for generated
// populations and for the example applicants of a behavioural diff, so that any of them
// can be given to `kijun eval` or `kijun explain` as it stands.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

// The value as a JSON value: true, 120000, "2026-06-01", "corporation", "0.02" or "1/3".
// A rate is a decimal when it terminates and "num/den" when it does not.
std::string input_value_json(const ir::Ruleset& rs, const ir::Input& in, ir::Value v);
// The value as a person reads it: the same, without quotes; "(absent)" for no value.
std::string input_value_text(const ir::Ruleset& rs, const ir::Input& in, ir::Value v);
// A list input's elements in `values` (ir.hpp Record) as a JSON array of objects; text
// fields, which evaluation holds as 0, are left out.
std::string list_value_json(const ir::Ruleset& rs, std::uint32_t slot, const std::vector<ir::Value>& values);

}  // namespace kijun::runtime
