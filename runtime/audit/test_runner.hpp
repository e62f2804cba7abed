// Runs the test cases written beside the rules and measures rule coverage: every rule of a
// frame should be seen both true and false, and every `unless` exception seen to hold.
#pragma once

#include <string>
#include <vector>

#include "runtime/engine.hpp"

namespace kijun::runtime {

struct TestCaseResult {
  std::string name;
  std::string location;  // file:line:col of the test
  std::string frame;
  bool passed = false;
  std::vector<std::string> problems;
};

struct FrameCoverage {
  std::string frame;
  std::size_t covered = 0;
  std::size_t total = 0;
  std::vector<std::string> gaps;  // "wage_floor (2-1-1(2)(イ)): never false"
};

struct TestReport {
  std::vector<TestCaseResult> cases;
  std::vector<FrameCoverage> coverage;  // frames that have tests
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::string error;  // a plugin whose tests are corrupt: none ran
};

// `kind` decides each test: the interpreter, or the engine's native code (which must be
// there: a plugin's, or the JIT's after Engine::compile). Coverage is traced by the
// interpreter either way.
TestReport run_tests(const Engine& engine, EngineKind kind = EngineKind::interp);

// The applicants of the ruleset's tests for a frame (one Value per input), complete for
// the frame: seeds for generated populations. None when a plugin's tests are corrupt
// (Engine::read_tests_and_description says why).
std::vector<std::vector<ir::Value>> test_applicants(const Engine& engine, std::uint32_t frame);

}  // namespace kijun::runtime
