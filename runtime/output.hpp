// The evaluation output of PRODUCT.md: one JSON object per applicant and frame, or an
// error object for a record that could not be read or evaluated.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/ir/interpreter.hpp"
#include "compiler/ir/ir.hpp"

namespace kijun::runtime {

struct ResultContext {
  const ir::Ruleset& rs;
  std::uint32_t frame;
  const std::string& content_hash;
  const std::string& id;
  std::int64_t as_of;
  std::int64_t version;
};

std::string result_json(const ResultContext& ctx, const ir::Evaluation& e);
std::string error_json(const std::string& id, bool has_id, std::size_t line, const std::string& error);
std::string rate_text(ir::Value v);
std::string yen_text(std::int64_t yen);  // 1,500,000
const char* failure_kind(dsl::RuleKind k);

}  // namespace kijun::runtime
