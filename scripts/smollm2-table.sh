#!/usr/bin/env bash
# The SmolLM2-135M-Instruct quality table of the README: every method quantizes the 210 linears
# (block-sequential, 32 calibration windows of 256 tokens of the demo corpus), then its perplexity is measured
# on held-out windows against the GGUF Q4_1 reference; QDEC sweeps k_chunk on the 3-bit RTN and GPTQ runs.
# (The shipped recipes also quantize true-sequentially, with 64 windows: about 3x the calibration time.)
# Release build; writes run folders under runs/smollm2/ and a JSON line per run to runs/smollm2/table.jsonl,
# then prints the markdown table.
#
#   scripts/smollm2-table.sh [NAME...]      # all runs, or only the named ones
set -euo pipefail
cd "$(dirname "$0")/.."
qb=.build/release/quantbench
[ -x "$qb" ] || swift build -c release --product quantbench
out=runs/smollm2
mkdir -p "$out"
eval_samples=${EVAL_SAMPLES:-64}
common=(smollm2 --samples 32 --seqlen 256 --no-eval --restart)

declare -A runs=(
  [rtn-4]="--method rtn --bits 4"
  [gptq-4]="--method gptq --bits 4"
  [gptq-g128-4]="--method gptq --bits 4 --act-order --group-size 128"
  [quantease-4]="--method quantease --bits 4 --init gptq --sweeps 30 --schedule always-round"
  [quantease-outliers-4]="--method quantease-outlier --bits 4 --outlier-fraction 0.01 --sweeps 30"
  [rtn-3]="--method rtn --bits 3"
  [gptq-3]="--method gptq --bits 3"
  [gptq-g128-3]="--method gptq --bits 3 --act-order --group-size 128"
  [quantease-3]="--method quantease --bits 3 --init gptq --sweeps 30 --schedule always-round"
  [quantease-outliers-3]="--method quantease-outlier --bits 3 --outlier-fraction 0.01 --sweeps 30"
  [gptq-g128-2]="--method gptq --bits 2 --group-size 128"
  [aqlm-2x8g8]="--method aqlm --num-codebooks 2 --nbits-per-codebook 8 --in-group-size 8 --max-epochs 8 --steps-per-epoch 20 --relative-tolerance 0.01 --init-max-iter 50"
)
order=(rtn-4 gptq-4 gptq-g128-4 quantease-4 quantease-outliers-4 rtn-3 gptq-3 gptq-g128-3 quantease-3 quantease-outliers-3 gptq-g128-2 aqlm-2x8g8)
[ $# -gt 0 ] && order=("$@")

for name in "${order[@]}"; do
  [ -n "${runs[$name]:-}" ] || continue
  folder="$out/$name"
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  $qb quantize "${common[@]}" ${runs[$name]} --output "$folder" > "$folder.log" 2>&1 || { echo "$name: quantize failed, see $folder.log"; continue; }
  quantized=$(date +%s.%N)
  $qb eval --quantized "$folder" --samples "$eval_samples" > "$folder.eval" 2>>"$folder.log" || { echo "$name: eval failed, see $folder.log"; continue; }
  python3 - "$name" "$folder" "$start" "$quantized" "$(date +%s.%N)" >> "$out/table.jsonl" <<'PY'
import json, re, sys
name, folder, start, quantized, done = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
run = json.load(open(folder + "/run.json"))
line = open(folder + ".eval").read()
m = re.search(r"perplexity ([0-9.]+), (.+?) reference ([0-9.]+) over (\d+) held-out windows of (\d+) tokens \((\d+) tokens\)", line)
print(json.dumps({"name": name, "perplexity": float(m[1]), "reference": float(m[3]), "windows": int(m[4]), "window": int(m[5]),
                  "tokens": int(m[6]), "bits": run["summary"]["meanBitsPerWeight"], "median_rel_err": run["summary"]["medianRelErr"],
                  "run_seconds": quantized - start, "solver_seconds": run["timings"]["solverSeconds"], "eval_seconds": done - quantized}))
PY
  tail -1 "$out/table.jsonl"
done

for base in rtn-3 gptq-3; do
  [ -d "$out/$base" ] || continue
  [ $# -gt 0 ] && [[ ! " $* " == *" $base-qdec "* ]] && continue
  $qb eval --quantized "$out/$base" --samples "$eval_samples" --qdec-k 0,4,8,16,32 --qdec-select bucket > "$out/$base-qdec.txt" 2>/dev/null
  cat "$out/$base-qdec.txt"
done

python3 - "$out/table.jsonl" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["name"]] = r
print("| run | bits/w | perplexity | gap to reference | median rel_err | run time | of which solvers |")
print("|---|---|---|---|---|---|---|")
for r in rows.values():
    gap = r["perplexity"] - r["reference"]
    print(f"| {r['name']} | {r['bits']:.2f} | {r['perplexity']:.3f} | {gap:+.3f} ({100 * gap / r['reference']:+.1f}%) | "
          f"{r['median_rel_err']:.4g} | {r['run_seconds']:.0f} s | {r['solver_seconds']:.0f} s |")
PY
