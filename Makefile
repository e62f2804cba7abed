# The two set-up commands of the README: `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
KIJUN = $(BUILD)/cli/kijun

.PHONY: deps configure build run test sanitize fuzz clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIJUN_WERROR=ON >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

FRAMES = security normal invoice e_transaction multi_party

# Every frame of the 2026 ruleset on its example applicants (examples/it-hojo-2026/).
run: build
	@set -e; for frame in $(FRAMES); do \
	  echo "# $$frame: examples/it-hojo-2026/$$frame.jsonl"; \
	  $(KIJUN) eval rulesets/it-hojo/2026 --frame $$frame --input examples/it-hojo-2026/$$frame.jsonl; \
	done

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer (CI runs it).
# Optimised (-O2 -g): the sanitizers check optimised code as well, and the suite — the
# resource tests above all — runs about six times faster than at -O0.
sanitize: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIJUN_SANITIZE=ON -DKIJUN_WERROR=ON >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS)

# Coverage-guided fuzzing with libFuzzer under ASan+UBSan: each target of tests/fuzz runs
# for SECONDS over a scratch copy of its corpus (the checked-in seeds copied afresh, so a
# seed remade for a new image format replaces the old one). A crash leaves its input in
# $(BUILD)-fuzz/crashes/<target>/: add it to tests/fuzz/corpus/<target>/ with the fix.
SECONDS ?= 60
FUZZ_TARGETS = front_end formatter image seal jsonl csv
fuzz:
	@bash scripts/install-deps.sh fuzz
	@CC=clang-19 CXX=clang++-19 cmake -S . -B $(BUILD)-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIJUN_FUZZ=ON -DKIJUN_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD)-fuzz/corpus/$$t $(BUILD)-fuzz/crashes/$$t; \
	  cp -f tests/fuzz/corpus/$$t/* $(BUILD)-fuzz/corpus/$$t/ 2>/dev/null || true; \
	  echo "# fuzz_$$t: $(SECONDS) s"; \
	  $(BUILD)-fuzz/tests/fuzz_$$t -max_total_time=$(SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)-fuzz/crashes/$$t/ $(BUILD)-fuzz/corpus/$$t 2>&1 | grep -E '^(#|stat::number_of_executed_units|==|SUMMARY)' | tail -3; \
	done

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
