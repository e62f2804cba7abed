// Dates in generated code: days since 1970-01-01 to and from civil dates, and adding
// months clamped to the month's end, computed exactly as dsl/support/calendar.cpp computes them.
#include "compiler/backend/codegen_emitter.hpp"
#include "dsl/support/calendar.hpp"

namespace kijun::jit::detail {

using llvm::Value;

// Calendar arithmetic in integers (Howard Hinnant's algorithms, as dsl/support/calendar.cpp).
void FrameEmitter::civil_from_days(Value* z, Value*& y, Value*& m, Value*& d) {
  z = b_.CreateAdd(z, c64(719468));
  Value* era = b_.CreateSDiv(b_.CreateSelect(b_.CreateICmpSGE(z, c64(0)), z, b_.CreateSub(z, c64(146096))), c64(146097));
  Value* doe = b_.CreateSub(z, b_.CreateMul(era, c64(146097)));
  Value* yoe = b_.CreateSDiv(
      b_.CreateSub(b_.CreateAdd(b_.CreateSub(doe, b_.CreateSDiv(doe, c64(1460))), b_.CreateSDiv(doe, c64(36524))),
                   b_.CreateSDiv(doe, c64(146096))),
      c64(365));
  Value* yy = b_.CreateAdd(yoe, b_.CreateMul(era, c64(400)));
  Value* doy = b_.CreateSub(doe, b_.CreateSub(b_.CreateAdd(b_.CreateMul(c64(365), yoe), b_.CreateSDiv(yoe, c64(4))),
                                              b_.CreateSDiv(yoe, c64(100))));
  Value* mp = b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(5), doy), c64(2)), c64(153));
  d = b_.CreateAdd(b_.CreateSub(doy, b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(153), mp), c64(2)), c64(5))), c64(1));
  m = b_.CreateSelect(b_.CreateICmpSLT(mp, c64(10)), b_.CreateAdd(mp, c64(3)), b_.CreateSub(mp, c64(9)));
  y = b_.CreateAdd(yy, b_.CreateZExt(b_.CreateICmpSLE(m, c64(2)), i64()));
}

Value* FrameEmitter::days_from_civil(Value* y, Value* m, Value* d) {
  y = b_.CreateSub(y, b_.CreateZExt(b_.CreateICmpSLE(m, c64(2)), i64()));
  Value* era = b_.CreateSDiv(b_.CreateSelect(b_.CreateICmpSGE(y, c64(0)), y, b_.CreateSub(y, c64(399))), c64(400));
  Value* yoe = b_.CreateSub(y, b_.CreateMul(era, c64(400)));
  Value* mp = b_.CreateSRem(b_.CreateAdd(m, c64(9)), c64(12));
  Value* doy = b_.CreateAdd(b_.CreateSDiv(b_.CreateAdd(b_.CreateMul(c64(153), mp), c64(2)), c64(5)), b_.CreateSub(d, c64(1)));
  Value* doe = b_.CreateAdd(b_.CreateSub(b_.CreateAdd(b_.CreateMul(yoe, c64(365)), b_.CreateSDiv(yoe, c64(4))),
                                         b_.CreateSDiv(yoe, c64(100))),
                            doy);
  return b_.CreateSub(b_.CreateAdd(b_.CreateMul(era, c64(146097)), doe), c64(719468));
}

CV FrameEmitter::add_months(Value* day, std::int64_t months, std::uint32_t site) {
  // As dsl::add_months: out-of-range inputs and results are faults.
  fail_if(b_.CreateOr(b_.CreateICmpSLT(day, c64(dsl::min_day)), b_.CreateICmpSGT(day, c64(dsl::max_day))),
          ir::EvalError::date_out_of_range, site);
  if (months < -120000 || months > 120000) {
    fail_if(b_.getTrue(), ir::EvalError::date_out_of_range, site);
    return integer(c64(0));
  }
  Value *y, *m, *d;
  civil_from_days(day, y, m, d);
  Value* index = b_.CreateAdd(b_.CreateAdd(b_.CreateMul(y, c64(12)), b_.CreateSub(m, c64(1))), c64(months));
  // index ≥ 0 here: years stay ≥ 1 - 10000 months.
  Value* ny = b_.CreateSelect(b_.CreateICmpSGE(index, c64(0)), b_.CreateSDiv(index, c64(12)),
                              b_.CreateNeg(b_.CreateSDiv(b_.CreateAdd(b_.CreateNeg(index), c64(11)), c64(12))));
  Value* nm = b_.CreateAdd(b_.CreateSub(index, b_.CreateMul(ny, c64(12))), c64(1));
  fail_if(b_.CreateOr(b_.CreateICmpSLT(ny, c64(1)), b_.CreateICmpSGT(ny, c64(9999))), ir::EvalError::date_out_of_range, site);
  Value* leap = b_.CreateOr(b_.CreateAnd(b_.CreateICmpEQ(b_.CreateSRem(ny, c64(4)), c64(0)),
                                         b_.CreateICmpNE(b_.CreateSRem(ny, c64(100)), c64(0))),
                            b_.CreateICmpEQ(b_.CreateSRem(ny, c64(400)), c64(0)));
  // Days in month nm: 31 except Apr, Jun, Sep, Nov (30) and Feb (28/29).
  Value* thirty = b_.CreateOr(b_.CreateOr(b_.CreateICmpEQ(nm, c64(4)), b_.CreateICmpEQ(nm, c64(6))),
                              b_.CreateOr(b_.CreateICmpEQ(nm, c64(9)), b_.CreateICmpEQ(nm, c64(11))));
  Value* last = b_.CreateSelect(b_.CreateICmpEQ(nm, c64(2)), b_.CreateSelect(leap, c64(29), c64(28)),
                                b_.CreateSelect(thirty, c64(30), c64(31)));
  Value* nd = b_.CreateSelect(b_.CreateICmpSGT(d, last), last, d);
  return integer(days_from_civil(ny, nm, nd));
}


}  // namespace kijun::jit::detail
