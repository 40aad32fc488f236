# A thin front door over CMake. `make test` and `make demo` install what they
# need (scripts/bootstrap), build, and run.
BUILD    ?= build
ASAN     ?= build-asan
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=

FUZZ     ?= build-fuzz
FUZZ_SECONDS ?= 20
FUZZ_TIMEOUT ?= 20
FUZZ_SEED ?= 1

.PHONY: fuzz all bootstrap configure build test test-unit test-cli sanitize demo bench format lint clean update-golden

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: bootstrap $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test-cli: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L cli

# Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: bootstrap
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DMIMAMORI_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS) -L unit

# Rewrite the expected output of golden cases from what the tools print now;
# review the result with `git diff tests/cli`.
update-golden: build
	python3 tests/cli/run_case.py --update --bin $(BUILD)/bin tests/cli

# libFuzzer targets (clang), each run for FUZZ_SECONDS; crashes land in build-fuzz/crashes/
# and fail the target (the others still run).
# An input that takes over FUZZ_TIMEOUT seconds is a failure too (a hang).
# Each run starts from FUZZ_SEED, so that a failure in CI (an empty corpus,
# 15 s) comes back by hand with the same seed and a longer FUZZ_SECONDS;
# FUZZ_SEED=0 draws a new seed each run, for exploring.
fuzz: bootstrap
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIMAMORI_FUZZ=ON -DMIMAMORI_WERROR=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ) -j $(JOBS) --target $$(cd tests/fuzz && ls *_fuzz.cpp | sed 's/\.cpp$$//' | tr '\n' ' ')
	@mkdir -p $(FUZZ)/crashes
	@status=0; for t in $(FUZZ)/fuzz/*_fuzz; do \
	  name=$$(basename $$t); \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  mkdir -p $(FUZZ)/corpus/$$name; \
	  if $$t -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -seed=$(FUZZ_SEED) -print_final_stats=0 -artifact_prefix=$(FUZZ)/crashes/ \
	      $(FUZZ)/corpus/$$name >$(FUZZ)/$$name.log 2>&1; then \
	    tail -n 2 $(FUZZ)/$$name.log; \
	  else \
	    tail -n 30 $(FUZZ)/$$name.log; \
	    echo "fuzz: $$name FAILED (its input is in $(FUZZ)/crashes/)"; status=1; \
	  fi; \
	done; exit $$status

demo: build
	@scripts/demo $(BUILD)/bin

bench: bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DMIMAMORI_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	@tests/bench/run $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

lint: build
	git ls-files 'lib/*.cpp' 'tools/*.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD) $(ASAN)
