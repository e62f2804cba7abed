// The C ABI's handles and the helpers its entry points share (c_api.cpp, c_api_batch.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kijun/kijun.h"
#include "kijun/kijun.hpp"

struct kijun_error {
  std::string message;
  int kind = KIJUN_ERROR_USAGE;
};

// A frame's inputs as C sees them: the C++ InputInfo holds the strings, the C structs and
// pointer arrays point into it. Built once at load; immutable after (threads share it).
struct CInputs {
  std::vector<kijun::InputInfo> info;
  std::vector<std::vector<const char*>> values, labels;
  std::vector<kijun_input> c;
  std::vector<CInputs> fields;  // per input: a list's fields
};

// A frame's rules as C sees them, pointing into the C++ RuleInfo.
struct CRules {
  std::vector<kijun::RuleInfo> info;
  std::vector<kijun_rule_info> c;
};

struct kijun_ruleset {
  kijun::Ruleset ruleset;
  std::string programme, hash;
  std::vector<kijun::FrameInfo> frames;
  std::map<std::string, CInputs, std::less<>> inputs;  // by frame name
  std::map<std::string, CRules, std::less<>> rules;    // by frame name
};

struct kijun_batch {
  kijun::Batch batch;
  const CRules* rules;       // its frame's, owned by the ruleset
  std::string error;         // the last kijun_batch_decision's, when it was not decided
  std::vector<kijun_rule_ref> failed, bonus, penalty;  // the last kijun_batch_decision's
};

namespace kijun_c {

// A new error the caller owns (or the static out-of-memory one).
kijun_error* fail(std::string message, int kind = KIJUN_ERROR_USAGE);
kijun_error* internal(const char* function);
kijun_error* from(const kijun::Status& s);
// A malloc'd copy the caller frees with kijun_string_free, or null.
char* copy(const std::string& s);
kijun_error* string_result(const kijun::Result<std::string>& r, char** out);

}  // namespace kijun_c
