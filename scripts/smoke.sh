#!/usr/bin/env bash
# End-to-end checks on the real demo models with a release build: inspect MiniLM, quantize every linear with
# QuantEase and evaluate, run a shipped recipe to a run folder, re-export its reports, and check the files;
# the faults a run must survive; then SmolLM2 (GGUF): inspect, a cut-down run, perplexity and a sample.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product quantbench
qb=.build/release/quantbench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

$qb inspect | tee "$out/inspect.txt"
grep -q "36 quantizable linears" "$out/inspect.txt"

$qb quantize --method quantease --bits 4 --init gptq --sweeps 10 --schedule always-round --samples 64 --output "$out/quantize" | tee "$out/quantize.txt"
grep -q "embedding cosine" "$out/quantize.txt"
python3 - "$out/quantize" <<'PY'
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
ev = json.load(open(sys.argv[1] + "/evaluation.json"))
assert run["status"] == "completed" and len(run["layers"]) == 36, run["status"]
assert run["summary"]["worstRelErr"] < 0.05, run["summary"]
assert ev["meanCosine"] > 0.95, ev
print(f"smoke: 36 layers, worst rel_err {run['summary']['worstRelErr']:.5f}, embedding cosine {ev['meanCosine']:.5f}")
PY

sed "s|^name: .*|name: smoke|" Experiments/minilm-quantease-3bit.yaml > "$out/recipe.yaml"
$qb run "$out/recipe.yaml" --formats md,html,json,csv > "$out/run.txt"
folder=$(sed -n 's/^run folder: //p' "$out/run.txt" | sed 's/ (incomplete.*//')
for f in run.json layers.csv sweeps.csv report.md report.html recipe.yaml; do test -s "$folder/$f"; done
test "$(ls "$folder/layers" | wc -l)" -eq 36
rm "$folder/report.md" "$folder/layers.csv"
$qb report "$folder" --format md,csv > /dev/null
test -s "$folder/report.md" && test -s "$folder/layers.csv"
rm -rf "$folder"

# Faults: a run is what it says. A small recipe (block 0: six linears, compared with RTN).
cat > "$out/small.yaml" <<'YAML'
name: small
calibration: {samples: 16, sequence_length: 64}
layers: {blocks: 0-0}
method: {name: quantease, bits: 4, init: gptq, sweeps: 100}
compare: [rtn]
YAML
status() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]+"/run.json")); print(r["status"], r["incomplete"])' "$1"; }
expect_fail() { if "$@" > "$out/fail.txt" 2>&1; then echo "smoke: expected a failure: $*"; cat "$out/fail.txt"; exit 1; fi; }

# A layer file that cannot be written fails the run, says so, and the report says incomplete.
mkdir -p "$out/nolayers" && touch "$out/nolayers/layers"
expect_fail $qb run "$out/small.yaml" --output "$out/nolayers" --formats json
grep -q "could not save the layer" "$out/fail.txt"
test "$(status "$out/nolayers")" = "failed True"

# Ctrl-C: the layer being solved is not kept as finished; --resume solves it again and keeps the comparisons.
# The interrupt goes out once the first layer is done (job control, so the background run keeps SIGINT).
set -m; $qb run "$out/small.yaml" --output "$out/cut" --formats json > /dev/null 2>"$out/cut.txt" & pid=$!; set +m
for _ in $(seq 1200); do grep -q '^\[1/6\]' "$out/cut.txt" && break; sleep 0.1; done
set +e; kill -INT "$pid"; wait "$pid"; code=$?; set -e
test "$code" -eq 130 || { echo "smoke: Ctrl-C gave exit $code"; cat "$out/cut.txt"; exit 1; }
test "$(status "$out/cut")" = "cancelled True"
grep -q "not saved" "$out/cut.txt"
before=$(ls "$out/cut/layers" 2>/dev/null | wc -l)
test "$before" -lt 6
$qb run --resume "$out/cut" --formats json > /dev/null 2>&1
test "$(ls "$out/cut/layers" | wc -l)" -eq 6
python3 - "$out/cut" <<'PY'
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
assert run["status"] == "completed" and not run["incomplete"], run["status"]
assert len(run["comparisons"]) == 6, sorted(run["comparisons"])
PY

# Two runs on one folder: the second is refused, naming the first one's pid.
$qb run "$out/small.yaml" --output "$out/shared" --formats json > /dev/null 2>&1 &
first=$!
for _ in $(seq 100); do test -s "$out/shared/run.lock" && break; sleep 0.1; done
expect_fail $qb run "$out/small.yaml" --output "$out/shared" --formats json
grep -q "in use by another run (pid $first)" "$out/fail.txt"
wait "$first"

# An edited recipe (bits 4 -> 3) is refused by the folder the first made, unless --restart.
sed 's/bits: 4/bits: 3/; s/sweeps: 100/sweeps: 5/' "$out/small.yaml" > "$out/edited.yaml"
expect_fail $qb run "$out/edited.yaml" --output "$out/shared" --formats json
grep -q "made by another recipe" "$out/fail.txt"
$qb run "$out/edited.yaml" --output "$out/shared" --restart --formats json > /dev/null 2>&1
python3 - "$out/shared" <<'PY'
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
assert run["status"] == "completed" and {l["bits"] for l in run["layers"]} == {3}, run["layers"]
methods = json.load(open(sys.argv[1] + "/layer-methods.json"))
assert len(methods) == 6, methods
PY
$qb eval --quantized "$out/shared" --samples 32 | grep -q "embedding cosine"

# The demo causal LM (SmolLM2-135M-Instruct, GGUF): inspect, a two-block 3-bit run, its perplexity against the
# GGUF reference, and a greedy sample of both models.
$qb inspect smollm2 > "$out/lm-inspect.txt"
grep -q "210 quantizable linears" "$out/lm-inspect.txt" && grep -q "0.self_attn.q_proj .* Q4_1" "$out/lm-inspect.txt"
$qb run Experiments/smollm2-smoke.yaml --output "$out/lm" --formats json > /dev/null 2>&1
$qb eval --quantized "$out/lm" --samples 8 2>/dev/null | tee "$out/lm-eval.txt"
python3 - "$out/lm-eval.txt" <<'PY'
import re, sys
line = open(sys.argv[1]).read()
m = re.search(r"perplexity ([0-9.]+), GGUF Q4_1 reference ([0-9.]+) over 8 held-out windows of 128 tokens \(1024 tokens\)", line)
assert m, line
quantized, reference = map(float, m.groups())
assert 1 < reference < 100 and reference * 0.98 < quantized < reference * 1.5, (quantized, reference)
PY
$qb generate --quantized "$out/lm" --prompt "The capital of France is" --tokens 4 2>/dev/null | tee "$out/lm-sample.txt"
grep -q "GGUF Q4_1 reference" "$out/lm-sample.txt" && grep -q "Paris" "$out/lm-sample.txt"
echo "smoke: all checks passed"
