#include "dsl/support/types.hpp"

namespace kijun::dsl {

const char* rule_kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::requirement: return "requirement";
    case RuleKind::exclusion: return "exclusion";
    case RuleKind::bonus: return "bonus";
    case RuleKind::penalty: return "penalty";
    case RuleKind::limit: return "limit";
  }
  return "rule";
}

}  // namespace kijun::dsl
