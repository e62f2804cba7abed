# The two set-up commands of the README: `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
KIJUN = $(BUILD)/cli/kijun

.PHONY: deps configure build run test sanitize clean

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
sanitize: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DKIJUN_SANITIZE=ON -DKIJUN_WERROR=ON >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan
