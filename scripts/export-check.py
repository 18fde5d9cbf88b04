"""Round trips of `quantbench export` through the real loaders.

Quantizes the tiny Llama fixture several ways with quantbench, exports each run in the formats that hold it, and
loads every export with transformers and the format's own package (GPTQModel through optimum, compressed-tensors,
aqlm). For each export it checks
  - every linear's weight as the loader dequantizes it against the run's Ŵ (the `dequantized` tensor of its layer
    file): within the rounding of fp16 scales (|Δ| ≤ 2^-10·|Ŵ| + 2^-24), exactly for dense and AQLM in F32;
  - the loader's logits against those of the dense export (Ŵ itself, loaded by transformers): relative L2 ≤ 1e-2;
  - `quantbench eval` of the export (quantbench reads the format back) against `quantbench eval --quantized RUN`;
SmolLM2 (a GGUF source) goes out three ways: GGUF Q4_0/Q4_1 (read by the gguf package), and, with every layer GPTQ
4-bit, Hugging Face gptq and dense folders whose config and tokenizer come from the GGUF metadata (the tokenizer
against transformers' own reading of the GGUF; perplexity in transformers on the windows `quantbench eval` scores).
And a negative control: a gptq_v2 export relabelled as v1 must fail the weight check. Exits 1 on any failure.

  python scripts/export-check.py --quantbench .build/release/quantbench
"""
import argparse
import contextlib
import io
import json
import os
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

# GPTQModel's torch kernels run eagerly: compiling them per shape prints recompilation warnings and gains nothing here.
os.environ.setdefault("TORCHDYNAMO_DISABLE", "1")
import torch
from safetensors.numpy import load_file

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "Tests/ModelKitTests/Fixtures/models/tiny-llama"
# The demo LM's GGUF in the model cache (scripts/model-cache.sh's rule).
SMOLLM2 = (Path(os.environ["QUANTBENCH_HOME"]) if os.environ.get("QUANTBENCH_HOME")
           else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "quantbench") \
    / "models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
FP16_REL = 2.0 ** -10
LOGIT_REL = 1e-2
PPL_REL = 1e-2

# The runs: name, quantize flags, and the formats each must export to.
RUNS = [
    ("gptq4-g32", ["--method", "gptq", "--bits", "4", "--group-size", "32"], ["gptq", "compressed-tensors", "dense"]),
    ("rtn4-sym", ["--method", "rtn", "--bits", "4", "--group-size", "32", "--sym"], ["gptq", "compressed-tensors"]),
    ("gptq3-actorder", ["--method", "gptq", "--bits", "3", "--group-size", "32", "--act-order"], ["gptq"]),
    ("gptq8-row", ["--method", "gptq", "--bits", "8", "--sym"], ["gptq", "compressed-tensors"]),
    ("aqlm-2x4g8", ["--method", "aqlm", "--num-codebooks", "2", "--nbits-per-codebook", "4", "--in-group-size", "8",
                    "--max-epochs", "2"], ["aqlm"]),
    ("outlier4", ["--method", "quantease-outlier", "--bits", "4"], ["compressed-tensors --outliers dense-layers"]),
    # Block fine-tuning moves the scales and the RMSNorm weights: every export must carry the tuned norms.
    ("gptq4-tuned", ["--recipe", "method: {name: gptq, bits: 4, group_size: 32}\nfinetune: {epochs: 3}"],
     ["gptq", "compressed-tensors", "dense"]),
]


def byte_tokenizer():
    """A byte-level BPE with the 256 byte tokens and no merges (the fixture's vocabulary has 256 ids)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    vocab = {chr(c): b for b, c in zip(bs, cs)}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "post_processor": None, "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": None,
                      "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab, "merges": []}}


def run(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.stdout + p.stderr


def perplexity(text):
    """The quantized perplexity of `quantbench eval` output (the FP32 one when no run was applied)."""
    m = re.search(r"^perplexity ([0-9.e+]+)", text, re.M) or re.search(r"reference perplexity ([0-9.e+]+)", text)
    return float(m.group(1))


def load(folder, fmt):
    """The export as transformers loads it; the loaders' banners and progress lines are kept out of the output."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return load_quietly(folder, fmt)


def load_quietly(folder, fmt):
    from transformers import AutoModelForCausalLM
    kw = {"device_map": "cpu", "dtype": torch.float32}
    if fmt == "gptq":
        from transformers import GPTQConfig
        q = json.loads((folder / "config.json").read_text())["quantization_config"]
        keep = ("bits", "group_size", "desc_act", "sym", "checkpoint_format", "dynamic")
        # The torch backend: CPU kernels such as torch_fused take only some group sizes; the layout is the same.
        kw["quantization_config"] = GPTQConfig(**{k: v for k, v in q.items() if k in keep}, backend="torch")
    elif fmt == "gguf":
        return AutoModelForCausalLM.from_pretrained(folder.parent, gguf_file=folder.name, **kw).eval()
    elif fmt == "compressed-tensors":
        from transformers import CompressedTensorsConfig
        kw["quantization_config"] = CompressedTensorsConfig(dequantize=True)
    return AutoModelForCausalLM.from_pretrained(folder, **kw).eval()


def module(model, name):
    block, rest = name.split(".", 1)
    m = model.model.layers[int(block)]
    for part in rest.split("."):
        m = getattr(m, part)
    return m


def loaded_weight(m):
    """[out, in] float32 as the module's own code dequantizes it."""
    if hasattr(m, "dequantize_weight"):  # GPTQModel: [in, out]
        return m.dequantize_weight().T.float().numpy()
    if hasattr(m, "codebooks"):  # aqlm
        from aqlm.utils import _dequantize_weight, unpack_int_data
        return _dequantize_weight(unpack_int_data(m.codes.data, m.nbits_per_codebook), m.codebooks.data, m.scales.data).float().numpy()
    return m.weight.detach().float().numpy()


def tuned_norms(export, checkpoint):
    """How many norm weights of an export differ from the checkpoint's (fine-tuning moved them)."""
    ours, theirs = load_file(str(export / "model.safetensors")), load_file(str(checkpoint / "model.safetensors"))
    return sum(1 for k, v in ours.items() if "norm" in k and k in theirs and not np.array_equal(v, theirs[k]))


def norms_match(model, dense):
    """The loaded model's norm weights against the dense export's (the tuned ones), within fp16 rounding."""
    want = {k: v for k, v in load_file(str(dense / "model.safetensors")).items() if "norm" in k}
    have = {k: v.detach().float().numpy() for k, v in model.state_dict().items() if k in want}
    if len(have) != len(want):
        return False, f"{len(want) - len(have)} norm weights missing"
    worst = max(float(np.max(np.abs(have[k] - want[k]) / (np.abs(want[k]) + 1e-6))) for k in want)
    return worst <= FP16_REL, f"tuned norms relative Δ {worst:.2g}"


def weight_check(model, run_dir, exact):
    worst = 0.0
    for f in sorted((run_dir / "layers").glob("*.safetensors")):
        name = f.stem
        ref = load_file(f)["dequantized"]
        w = loaded_weight(module(model, name))
        if w.shape != ref.shape:
            return False, f"{name}: shape {w.shape} against {ref.shape}"
        bound = 0 if exact else FP16_REL * np.abs(ref) + 2.0 ** -24
        excess = np.abs(w - ref) - bound
        if (excess > 0).any():
            return False, f"{name}: |Δ| up to {np.abs(w - ref).max():.3g} beyond the fp16 bound"
        worst = max(worst, float((np.abs(w - ref) / (np.abs(ref) + 1e-30)).max()))
    return True, f"max relative Δ {worst:.2g}"


# SmolLM2 (the GGUF demo LM) exported as GGUF: name, quantize flags, the block type each layer must get.
GGUF_RUNS = [
    ("smollm2-q4_0", ["--method", "rtn", "--bits", "4", "--group-size", "32", "--sym"], "Q4_0"),
    ("smollm2-q4_1", ["--method", "gptq", "--bits", "4", "--group-size", "32"], "Q4_1"),
]
GGUF_KINDS = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
              "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}


def gguf_check(path, run_dir, expected_type):
    """Every exported layer as the gguf package dequantizes it against Ŵ in llama.cpp's row order (q/k reordered)."""
    import gguf
    reader = gguf.GGUFReader(str(path))
    tensors = {t.name: t for t in reader.tensors}
    head_dim = int(reader.fields["llama.embedding_length"].parts[-1][0]) // int(reader.fields["llama.attention.head_count"].parts[-1][0])
    worst = 0.0
    for f in sorted((run_dir / "layers").glob("*.safetensors")):
        block, kind = f.stem.split(".", 1)
        t = tensors[f"blk.{block}.{GGUF_KINDS[kind]}.weight"]
        if t.tensor_type.name != expected_type:
            return False, f"{f.stem}: {t.tensor_type.name}, not {expected_type}"
        w = gguf.quants.dequantize(t.data, t.tensor_type).reshape([int(d) for d in reversed(t.shape)])
        ref = load_file(f)["dequantized"]
        if kind in ("self_attn.q_proj", "self_attn.k_proj"):
            rows = np.arange(ref.shape[0])
            head, within, half = rows // head_dim, rows % head_dim, head_dim // 2
            stored = np.empty_like(ref)
            stored[head * head_dim + 2 * (within % half) + within // half] = ref
            ref = stored
        # fp16 rounding of d, and for the offset types (Q4_1, Q5_1) of m = −d·zero too: |Δ| ≤ 2^-11·(|d·q| + |m|).
        offset = np.zeros_like(ref)
        if t.tensor_type.name in ("Q4_1", "Q5_1"):
            size = {"Q4_1": 20, "Q5_1": 24}[t.tensor_type.name]
            blocks = np.asarray(t.data, dtype=np.uint8).reshape(ref.shape[0], -1, size)
            m = blocks[:, :, 2:4].copy().view(np.float16).astype(np.float32)[:, :, 0]
            offset = np.repeat(m, 32, axis=1)
        bound = 2.0 ** -11 * (1 + 2.0 ** -10) * (np.abs(ref - offset) + np.abs(offset)) + 2.0 ** -24
        if (np.abs(w - ref) > bound).any():
            return False, f"{f.stem}: |Δ| up to {np.abs(w - ref).max():.3g} beyond the fp16 bound"
        worst = max(worst, float((np.abs(w - ref) / bound).max()))
    return True, f"|Δ| ≤ {worst:.2g} of the fp16 bound"


def logits(model, ids=None):
    ids = torch.tensor([ids]) if ids is not None else (torch.arange(96).reshape(1, 96) * 37 % 256)
    with torch.no_grad():
        return model(ids).logits.float().numpy()


def hf_perplexity(model, windows):
    """quantbench's perplexity (exp of the mean over windows of the per-window mean NLL, log-softmax in fp64) in transformers."""
    means = []
    for w in windows:
        lp = torch.log_softmax(torch.from_numpy(logits(model, w)[0]).double(), dim=-1)
        means.append(float(-lp[torch.arange(len(w) - 1), torch.tensor(w[1:])].mean()))
    return math.exp(sum(means) / len(means))


# Text for the tokenizer comparison: digits, non-Latin script, runs of spaces and tabs, and chat-template tokens.
TOKENIZER_TEXT = ("Quantization at 4.25 bits/weight: 1234567 Ŵ ≈ W · числа 漢字 🙂\n\n\tindented    spaces\n"
                  "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n")


def smollm2_hf(qb, work, rows, failures):
    """SmolLM2, a GGUF source, as Hugging Face folders (config and tokenizer from the GGUF metadata): every layer
    GPTQ 4-bit g32, exported as gptq and dense, loaded by transformers; tokenizer against transformers' own reading
    of the GGUF, weights, logits against the dense export, and perplexity in transformers on quantbench's windows."""
    from transformers import AutoTokenizer
    run_dir = work / "runs" / "smollm2-gptq4"
    q = subprocess.run([str(qb), "quantize", "smollm2", "--method", "gptq", "--bits", "4", "--group-size", "32", "--samples", "8",
                        "--seqlen", "64", "--output", str(run_dir), "--no-eval", "--restart"], capture_output=True, text=True)
    if q.returncode != 0 and "smollm2" in q.stderr.lower() and "not" in q.stderr.lower():
        print("skipping the SmolLM2 Hugging Face exports: the SmolLM2 GGUF is not installed (make demo-lm)")
        return
    if q.returncode != 0:
        raise RuntimeError(f"quantize smollm2-gptq4 failed:\n{q.stderr}")
    windows_file = work / "smollm2-windows.json"
    ppl_run = perplexity(run([qb, "eval", "smollm2", "--quantized", run_dir, "--samples", "8", "--save-windows", windows_file]))
    windows = json.loads(windows_file.read_text())["windows"]
    exports = {fmt: work / "exports" / f"smollm2-gptq4-{fmt}" for fmt in ("dense", "gptq")}
    for fmt, out in exports.items():
        run([qb, "export", run_dir, "--format", fmt, "--out", out, "--replace"])
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        ours = AutoTokenizer.from_pretrained(exports["gptq"])
        theirs = AutoTokenizer.from_pretrained(SMOLLM2.parent, gguf_file=SMOLLM2.name)
    same = ours(TOKENIZER_TEXT)["input_ids"] == theirs(TOKENIZER_TEXT)["input_ids"] and ours.eos_token == theirs.eos_token
    rows.append(("smollm2-gptq4", "tokenizer.json", "ok" if same else "FAIL", "ids as transformers reads the GGUF", "", ""))
    if not same:
        failures.append("smollm2 tokenizer.json: its ids differ from transformers' reading of the GGUF tokenizer")
    ref = logits(load(exports["dense"], "dense"), windows[0])
    for fmt, out in exports.items():
        model = load(out, fmt)
        ok, detail = weight_check(model, run_dir, exact=fmt == "dense")
        rel = float(np.linalg.norm(logits(model, windows[0]) - ref) / np.linalg.norm(ref))
        ppl = hf_perplexity(model, windows)
        ppl_rel = abs(ppl - ppl_run) / ppl_run
        good = ok and rel <= LOGIT_REL and ppl_rel <= PPL_REL
        rows.append(("smollm2-gptq4", f"{fmt} (transformers)", "ok" if good else "FAIL", detail, f"{rel:.2g}", f"{ppl_rel:.2g} ({ppl:.3f})"))
        if not good:
            failures.append(f"smollm2-gptq4 {fmt}: {detail}; logits rel {rel:.3g}; perplexity {ppl:.4f} against {ppl_run:.4f}")


def main():
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # aqlm's CPU kernels race with more threads (AQLM #86)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quantbench", default=str(ROOT / ".build/release/quantbench"))
    ap.add_argument("--keep", help="keep the runs and exports in this folder")
    a = ap.parse_args()
    qb = Path(a.quantbench).resolve()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="export-check-"))
    work.mkdir(parents=True, exist_ok=True)
    model_dir = work / "tiny-llama"
    shutil.rmtree(model_dir, ignore_errors=True)
    shutil.copytree(TINY, model_dir)
    (model_dir / "tokenizer.json").write_text(json.dumps(byte_tokenizer()))
    failures, rows = [], []
    try:
        for name, flags, formats in RUNS:
            run_dir = work / "runs" / name
            if flags[0] == "--recipe":  # what `quantize` has no flags for: a recipe on the same calibration
                recipe = work / f"{name}.yaml"
                recipe.write_text(f"name: {name}\nmodel: {model_dir}\ncalibration: {{samples: 8, sequence_length: 32}}\n{flags[1]}\n")
                run([qb, "run", recipe, "--output", run_dir, "--restart"])
            else:
                run([qb, "quantize", model_dir, *flags, "--samples", "8", "--seqlen", "32", "--output", run_dir, "--no-eval", "--restart"])
            ppl_run = perplexity(run([qb, "eval", model_dir, "--quantized", run_dir, "--samples", "8"]))
            dense = work / "exports" / f"{name}-dense"
            run([qb, "export", run_dir, "--format", "dense", "--out", dense, "--replace"])
            ref_logits = logits(load(dense, "dense"))
            if name.endswith("-tuned"):
                tuned = tuned_norms(dense, model_dir)
                rows.append((name, "tuned norms in the dense export", "ok" if tuned else "FAIL", f"{tuned} norm weights changed", "", ""))
                if not tuned:
                    failures.append(f"{name}: no norm weight of the dense export differs from the checkpoint's: the tuned norms were not written")
            for spec in formats:
                fmt, *extra = spec.split()
                out = work / "exports" / f"{name}-{fmt}"
                if extra:  # a run with outliers: refused without a choice, written with it
                    p = subprocess.run([str(qb), "export", str(run_dir), "--format", fmt, "--out", str(out) + "-refused"],
                                       capture_output=True, text=True)
                    if p.returncode == 0 or "--outliers dense-layers" not in p.stderr:
                        failures.append(f"{name} {fmt}: an export with outliers was not refused with the options ({p.stderr.strip()})")
                run([qb, "export", run_dir, "--format", fmt, "--out", out, "--replace", *extra])
                model = load(out, fmt)
                ok, detail = weight_check(model, run_dir, exact=fmt in ("dense", "aqlm"))
                if name.endswith("-tuned"):
                    same, what = norms_match(model, dense)
                    ok, detail = ok and same, detail + "; " + what
                rel = float(np.linalg.norm(logits(model) - ref_logits) / np.linalg.norm(ref_logits))
                ppl = perplexity(run([qb, "eval", out, "--samples", "8"]))
                ppl_rel = abs(ppl - ppl_run) / ppl_run
                good = ok and rel <= LOGIT_REL and ppl_rel <= PPL_REL
                rows.append((name, spec, "ok" if good else "FAIL", detail, f"{rel:.2g}", f"{ppl_rel:.2g}"))
                if not good:
                    failures.append(f"{name} {spec}: {detail}; logits rel {rel:.3g}; perplexity rel {ppl_rel:.3g}")
        for name, flags, block_type in GGUF_RUNS:
            run_dir = work / "runs" / name
            q = subprocess.run([str(qb), "quantize", "smollm2", *flags, "--blocks", "0", "--samples", "8", "--seqlen", "64",
                                "--output", str(run_dir), "--no-eval", "--restart"], capture_output=True, text=True)
            if q.returncode != 0 and "smollm2" in q.stderr.lower() and "not" in q.stderr.lower():
                print(f"skipping {name}: the SmolLM2 GGUF is not installed (make demo-lm)")
                continue
            if q.returncode != 0:
                raise RuntimeError(f"quantize {name} failed:\n{q.stderr}")
            out = work / "exports" / f"{name}.gguf"
            run([qb, "export", run_dir, "--format", "gguf", "--out", out, "--replace"])
            ok, detail = gguf_check(out, run_dir, block_type)
            windows_file = work / f"{name}-windows.json"
            ppl_run = perplexity(run([qb, "eval", "smollm2", "--quantized", run_dir, "--samples", "4", "--save-windows", windows_file]))
            windows = json.loads(windows_file.read_text())["windows"]
            ppl = perplexity(run([qb, "eval", out, "--samples", "4"]))
            ppl_rel = abs(ppl - ppl_run) / ppl_run
            good = ok and ppl_rel <= PPL_REL
            rows.append((name, f"gguf {block_type}", "ok" if good else "FAIL", detail, "", f"{ppl_rel:.2g} ({ppl:.3f})"))
            if not good:
                failures.append(f"{name} gguf: {detail}; perplexity {ppl:.4f} against {ppl_run:.4f}")
            # The same file in transformers (which dequantizes GGUF blocks itself), against the run's dense export.
            dense = work / "exports" / f"{name}-dense"
            run([qb, "export", run_dir, "--format", "dense", "--out", dense, "--replace"])
            ref = logits(load(dense, "dense"), windows[0])
            model = load(out, "gguf")
            rel = float(np.linalg.norm(logits(model, windows[0]) - ref) / np.linalg.norm(ref))
            ppl_hf = hf_perplexity(model, windows)
            hf_rel = abs(ppl_hf - ppl_run) / ppl_run
            good = rel <= LOGIT_REL and hf_rel <= PPL_REL
            rows.append((name, f"gguf {block_type} (transformers)", "ok" if good else "FAIL", "", f"{rel:.2g}", f"{hf_rel:.2g} ({ppl_hf:.3f})"))
            if not good:
                failures.append(f"{name} gguf in transformers: logits rel {rel:.3g}; perplexity {ppl_hf:.4f} against {ppl_run:.4f}")
        smollm2_hf(qb, work, rows, failures)
        # Negative control: true zeros (v2) read as zero − 1 (v1) must fail the weight check.
        v2 = work / "exports" / "gptq4-g32-gptq"
        v1 = work / "exports" / "negative-v2-as-v1"
        shutil.rmtree(v1, ignore_errors=True)
        shutil.copytree(v2, v1)
        config = json.loads((v1 / "config.json").read_text())
        config["quantization_config"]["checkpoint_format"] = "gptq"
        (v1 / "config.json").write_text(json.dumps(config, indent=2))
        ok, detail = weight_check(load(v1, "gptq"), work / "runs" / "gptq4-g32", exact=False)
        rows.append(("negative control", "v2 zeros as v1", "ok" if not ok else "FAIL", detail, "", ""))
        if ok:
            failures.append("the negative control (v2 zeros read as v1) passed the weight check: the check cannot fail")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    width = [max(len(str(r[i])) for r in rows + [("run", "format", "", "weights", "logits Δ", "ppl Δ")]) for i in range(6)]
    for r in [("run", "format", "", "weights", "logits Δ", "ppl Δ")] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, width)))
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"export-check: {len(rows)} checks, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
