"""The GGUF exports run in llama.cpp (through llama-cpp-python), on the same tokens quantbench scores.

For each SmolLM2 run of export-check's GGUF list (RTN 4-bit as Q4_0, GPTQ 4-bit as Q4_1) it quantizes with
quantbench, exports the run as GGUF, and takes the perplexity of the exported file over the held-out windows
`quantbench eval --save-windows` writes, twice: in llama.cpp and in quantbench. The untouched SmolLM2 GGUF is
scored the same way first, as the baseline of how far the two engines differ on one file (llama.cpp's CPU dot
products round activations to 8 bits). Each export must agree within `--tolerance` (relative); exits 1 otherwise.

  python scripts/verify-llamacpp.py --quantbench .build/release/quantbench [--blocks 0-29] [--samples 32]
"""
import argparse
import importlib.util
import json
import math
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("export_check", HERE / "export-check.py")
export_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_check)
run, perplexity = export_check.run, export_check.perplexity


def llama_perplexity(path, windows, threads):
    """exp(mean over windows of the per-window mean NLL), as quantbench's PerplexityAccumulator takes it, in llama.cpp."""
    from llama_cpp import Llama
    llm = Llama(model_path=str(path), n_ctx=max(len(w) for w in windows), n_batch=512, logits_all=True,
                n_threads=threads, verbose=False)
    means = []
    for window in windows:
        llm.reset()
        llm.eval(window)
        logits = np.asarray(llm.scores[:len(window)], dtype=np.float64)
        peak = logits.max(axis=1, keepdims=True)
        log_z = (peak + np.log(np.exp(logits - peak).sum(axis=1, keepdims=True)))[:, 0]
        targets = np.asarray(window[1:])
        means.append(float(np.mean(log_z[:-1] - logits[np.arange(len(window) - 1), targets])))
    return math.exp(sum(means) / len(means))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quantbench", required=True)
    ap.add_argument("--blocks", default="0", help="blocks to quantize (quantbench's --blocks; e.g. 0-29 for all of SmolLM2)")
    ap.add_argument("--samples", type=int, default=16, help="held-out windows")
    ap.add_argument("--tolerance", type=float, default=0.02)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    qb = Path(args.quantbench).resolve()
    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="verify-llamacpp-") as tmp:
        work = Path(tmp)

        def both(gguf, label):
            windows_file = work / f"{label}-windows.json"
            qb_ppl = perplexity(run([qb, "eval", gguf, "--samples", args.samples, "--save-windows", windows_file]))
            windows = json.loads(windows_file.read_text())["windows"]
            ll_ppl = llama_perplexity(gguf, windows, args.threads)
            rel = abs(ll_ppl - qb_ppl) / qb_ppl
            rows.append((label, f"{qb_ppl:.3f}", f"{ll_ppl:.3f}", f"{rel:.2%}"))
            return rel, len(windows)

        if not export_check.SMOLLM2.exists():
            print("the SmolLM2 GGUF is not installed (make demo-lm)")
            return 1
        base_rel, count = both(export_check.SMOLLM2, "SmolLM2 (unquantized GGUF)")
        for name, flags, block_type in export_check.GGUF_RUNS:
            run_dir = work / "runs" / name
            run([qb, "quantize", "smollm2", *flags, "--blocks", args.blocks, "--samples", "8", "--seqlen", "64",
                 "--output", run_dir, "--no-eval", "--restart"])
            out = work / f"{name}.gguf"
            run([qb, "export", run_dir, "--format", "gguf", "--out", out])
            rel, _ = both(out, f"{name} ({block_type}, blocks {args.blocks})")
            if rel > args.tolerance:
                failures.append(f"{name}: llama.cpp and quantbench differ by {rel:.2%} (the unquantized file: {base_rel:.2%})")
    import llama_cpp
    print(f"llama.cpp (llama-cpp-python {llama_cpp.__version__}) against quantbench, {count} windows of held-out text:")
    print(f"  {'file':44} {'quantbench':>10} {'llama.cpp':>10} {'Δ':>7}")
    for r in rows:
        print(f"  {r[0]:44} {r[1]:>10} {r[2]:>10} {r[3]:>7}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
