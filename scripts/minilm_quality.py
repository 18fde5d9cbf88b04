#!/usr/bin/env python3
"""Quantizes all-MiniLM-L6-v2 with RTN, GPTQ, QuantEase (from GPTQ) and outlier-aware QuantEase (1%) at 3 and 4
bits (per-row grids, default calibration) with a release build of quantbench, and prints the README's table:
median and worst per-layer rel_err, mean bits per weight and the embedding cosine on held-out sentences.

Run from the repository root after `swift build -c release`: python3 scripts/minilm_quality.py [OUT_DIR]
"""
import json
import os
import subprocess
import sys

METHODS = [
    ("RTN", ["--method", "rtn"]),
    ("GPTQ", ["--method", "gptq"]),
    ("QuantEase (from GPTQ, 30 sweeps)", ["--method", "quantease", "--init", "gptq", "--sweeps", "30", "--schedule", "always-round"]),
    ("QuantEase + 1% outliers (30 sweeps)", ["--method", "quantease-outlier", "--outlier-fraction", "0.01", "--sweeps", "30"]),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "runs/minilm-quality"
    rows = []
    for bits in (3, 4):
        for label, flags in METHODS:
            folder = os.path.join(out, f"{flags[1]}-{bits}bit")
            cmd = [".build/release/quantbench", "quantize", "--bits", str(bits), *flags, "--true-sequential", "--output", folder]
            print("$", " ".join(cmd), file=sys.stderr, flush=True)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            run = json.load(open(os.path.join(folder, "run.json")))
            ev = json.load(open(os.path.join(folder, "evaluation.json")))
            s = run["summary"]
            rows.append((bits, label, s["medianRelErr"], s["worstRelErr"], s["meanBitsPerWeight"], ev["meanCosine"], ev["neighbourAgreement"], ev["samples"]))
    print("| bits | method | median rel_err | worst rel_err | bits/weight | embedding cosine | top-1 neighbour agreement |")
    print("|---|---|---|---|---|---|---|")
    for bits, label, med, worst, bpw, cos, nn, n in rows:
        print(f"| {bits} | {label} | {med:.5f} | {worst:.5f} | {bpw:.3f} | {cos:.5f} | {100 * nn:.1f}% |")
    print(f"\n({rows[0][7]} held-out sentences)")


if __name__ == "__main__":
    main()
