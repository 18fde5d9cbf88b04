#!/usr/bin/env python3
"""Reference outputs of SmolLM2-135M-Instruct (the GGUF demo LM) from transformers, for the parity tests.

reference  Loads the GGUF with transformers (gguf_file=..., fp32, eager attention, model.eval(), no_grad) and
           writes Tests/ModelKitTests/Fixtures/smollm2/reference.safetensors with, for each prompt P:
             tokens.P   I64 [T]        transformers' token ids of the prompt (its tokenizer from the same GGUF)
             columns.P  I64 [T, K]     per position: the top-16 logit columns, then 48 fixed sampled columns
             logits.P   F32 [T, K]     the logits at those columns
             maxabs.P   F32 [T]        max |logit| over the whole vocabulary at each position
           plus greedy.P I64 [N], the greedy continuation (8 tokens) of each prompt, and nll.P F32 [1], the
           mean next-token negative log-likelihood of the prompt (transformers' own loss).
bench      Tokens per second of transformers' forward of the GGUF model on torch CPU (2 threads) over
           --windows windows of --length tokens (seeded random ids); prints JSON, writes nothing. `quantbench
           bench forward` runs it beside its own calibration forward.

Usage (CPU torch first so pip keeps it):
    pip install torch==2.13.0+cpu && pip install transformers gguf safetensors numpy
    python3 scripts/make-smollm2-reference.py [reference] [bench] [--model PATH.gguf] [--windows N] [--length T]
"""

import argparse
import json
import os
import pathlib
import time

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/ModelKitTests/Fixtures/smollm2/reference.safetensors"
FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPTS = [
    "The capital of France is",
    "<|im_start|>user\nWhat is 12 times 7?<|im_end|>\n<|im_start|>assistant\n",
    "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n    if n < 2:\n        return n\n",
    "Quantization maps each weight of a trained network to one of a few levels, trading accuracy for memory.",
]


def default_model():
    base = os.environ.get("QUANTBENCH_HOME")
    root = pathlib.Path(base) / "models" if base else \
        pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "quantbench/models"
    return root / "SmolLM2-135M-Instruct" / FILE


def load(path):
    tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32,
                                                 attn_implementation="eager").eval()
    return tok, model


def make_reference(path):
    tok, model = load(path)
    vocab = model.config.vocab_size
    sampled = torch.from_numpy(np.random.default_rng(0).choice(vocab, size=48, replace=False))
    tensors = {}
    with torch.no_grad():
        for p, text in enumerate(PROMPTS):
            ids = torch.tensor(tok(text)["input_ids"], dtype=torch.int64)
            logits = model(ids[None]).logits[0].float()
            top = logits.topk(16, dim=-1).indices
            columns = torch.cat([top, sampled[None].expand(len(ids), -1)], dim=1)
            tensors[f"tokens.{p}"] = ids
            tensors[f"columns.{p}"] = columns.contiguous()
            tensors[f"logits.{p}"] = torch.gather(logits, 1, columns).contiguous()
            tensors[f"maxabs.{p}"] = logits.abs().max(dim=-1).values.contiguous()
            out = model.generate(ids[None], max_new_tokens=8, do_sample=False)
            tensors[f"greedy.{p}"] = out[0, len(ids):].contiguous()
            loss = model(ids[None], labels=ids[None]).loss
            tensors[f"nll.{p}"] = loss.reshape(1).float()
            print(f"prompt {p}: {len(ids)} tokens, greedy {tok.decode(tensors[f'greedy.{p}'])!r}, nll {loss.item():.4f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, OUT, metadata={"model": FILE, "transformers": __import__("transformers").__version__,
                                      "torch": torch.__version__})
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


def bench(path, windows=8, length=128):
    torch.set_num_threads(2)
    _, model = load(path)
    ids = torch.from_numpy(np.random.default_rng(0).integers(0, model.config.vocab_size, size=(windows, length)))
    with torch.no_grad():
        model(ids[:1])
        start = time.perf_counter()
        for w in range(windows):
            model(ids[w:w + 1])
        seconds = time.perf_counter() - start
    print(json.dumps({"tokens": windows * length, "seconds": seconds, "tokens_per_second": windows * length / seconds,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="*", default=["reference"], choices=["reference", "bench"])
    parser.add_argument("--model", type=pathlib.Path, default=default_model())
    parser.add_argument("--windows", type=int, default=8)
    parser.add_argument("--length", type=int, default=128)
    args = parser.parse_args()
    if "reference" in args.what:
        make_reference(args.model)
    if "bench" in args.what:
        bench(args.model, args.windows, args.length)


if __name__ == "__main__":
    main()
