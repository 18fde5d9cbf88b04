#!/usr/bin/env bash
# End-to-end checks on the real demo model with a release build: inspect it, quantize every linear with
# QuantEase and evaluate, run a shipped recipe to a run folder, re-export its reports, and check the files.
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
echo "smoke: all checks passed"
