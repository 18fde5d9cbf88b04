#!/usr/bin/env python3
"""Builds the forward-pass fixtures for Tests/ModelKitTests.

tiny   Tiny random checkpoints (fixed seeds) saved with save_pretrained into
       Fixtures/models/NAME/ (config.json + model.safetensors), and next to each a
       reference.safetensors with, for two fixed token sequences (lengths 7 and 33):
         tokens.S  I64 [T]         the token ids
         logits.S  F32 [T, V]      transformers' logits (encoders: last hidden state)
       and for sequence 0 the hidden states entering block 0 (hidden.embed) and
       leaving each block i (hidden.block.i), so a failing test names the block.
minilm The sentences of Fixtures/minilm/sentences.json embedded by sentence-transformers
       with the real all-MiniLM-L6-v2 from the demo model folder (not copied into the
       repository); writes Fixtures/minilm/expected.safetensors with tokens.I (I64) and
       embeddings (F32 [N, 384]).
loss   transformers' own language-modelling loss (mean next-token NLL) of each tiny causal model on both
       sequences, from the committed checkpoints, into Fixtures/models/NAME/loss.json: the perplexity
       protocol is checked against it.
bench  Tokens per second of the MiniLM forward (the transformer module only) over
       128-token sequences on torch CPU with 2 threads; prints JSON, writes nothing.

Usage (CPU torch first so pip keeps it):
    pip install torch==2.13.0+cpu && pip install transformers safetensors sentence-transformers numpy
    HF_HUB_OFFLINE=1 python3 scripts/make-tiny-models.py [tiny] [loss] [minilm] [bench] [--minilm DIR]

Every reference runs in fp32, model.eval(), torch.no_grad() and attn_implementation="eager".
"""

import argparse
import json
import os
import pathlib
import shutil
import time

import torch
from safetensors.torch import save_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ModelKitTests" / "Fixtures"
SEQUENCE_LENGTHS = (7, 33)


def default_minilm_dir():
    """The demo model folder, by the same rule as DemoModel.defaultDirectory."""
    if os.environ.get("QUANTBENCH_HOME"):
        return pathlib.Path(os.environ["QUANTBENCH_HOME"]) / "models" / "all-MiniLM-L6-v2"
    cache = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache")
    return cache / "quantbench" / "models" / "all-MiniLM-L6-v2"


def tiny_specs():
    """name -> (model class, config); small enough that all of them stay well under 2 MB."""
    from transformers import (BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel, LlamaConfig,
                              LlamaForCausalLM, OPTConfig, OPTForCausalLM, Qwen2Config, Qwen2ForCausalLM)

    return {
        "tiny-llama": (LlamaForCausalLM, LlamaConfig(
            vocab_size=256, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
            rms_norm_eps=1e-5, tie_word_embeddings=True,
            rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                             "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                             "original_max_position_embeddings": 32})),
        "tiny-qwen2": (Qwen2ForCausalLM, Qwen2Config(
            vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
            rms_norm_eps=1e-6, tie_word_embeddings=False,
            rope_parameters={"rope_type": "linear", "rope_theta": 1000.0, "factor": 2.0})),
        "tiny-opt": (OPTForCausalLM, OPTConfig(
            vocab_size=256, hidden_size=32, ffn_dim=64, num_hidden_layers=2, num_attention_heads=4,
            max_position_embeddings=128, word_embed_proj_dim=32, do_layer_norm_before=True)),
        "tiny-opt-postln": (OPTForCausalLM, OPTConfig(
            vocab_size=256, hidden_size=48, ffn_dim=64, num_hidden_layers=2, num_attention_heads=4,
            max_position_embeddings=128, word_embed_proj_dim=32, do_layer_norm_before=False)),
        "tiny-gpt2": (GPT2LMHeadModel, GPT2Config(
            vocab_size=256, n_embd=32, n_layer=2, n_head=4, n_positions=128, bos_token_id=0, eos_token_id=0)),
        "tiny-bert": (BertForMaskedLM, BertConfig(
            vocab_size=256, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
            intermediate_size=64, max_position_embeddings=128)),
    }


def randomize(model, seed):
    """Replaces the tiny default init (std 0.02, which makes attention nearly uniform) with
    weights that exercise every operation: 1/sqrt(fan-in) matrices, unit embeddings, noisy norms."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator)
            if parameter.dim() == 1:
                is_scale = name.endswith("weight") and ("norm" in name.lower() or ".ln_" in name)
                parameter.copy_(1 + 0.2 * noise if is_scale else 0.2 * noise)
            elif "embed" in name or "wte" in name or "wpe" in name:
                parameter.copy_(noise)
            else:
                parameter.copy_(noise / parameter.shape[1] ** 0.5)


def block_modules(model):
    """The transformer blocks, in order, for hooks."""
    base = getattr(model, model.base_model_prefix)
    for path in ("layers", "decoder.layers", "h", "encoder.layer"):
        node = base
        try:
            for part in path.split("."):
                node = getattr(node, part)
            return list(node)
        except AttributeError:
            continue
    raise SystemExit(f"no block list found in {type(model).__name__}")


def reference_outputs(model, tokens, is_encoder):
    """Logits (encoders: last hidden state) plus the hidden states around every block."""
    captured = {}

    def save_input(_, args, kwargs):
        captured.setdefault("hidden.embed", (args[0] if args else kwargs["hidden_states"])[0].clone())

    def save_output(index):
        def hook(_, __, output):
            captured[f"hidden.block.{index}"] = (output[0] if isinstance(output, tuple) else output)[0].clone()
        return hook

    blocks = block_modules(model)
    handles = [blocks[0].register_forward_pre_hook(save_input, with_kwargs=True)]
    handles += [block.register_forward_hook(save_output(i)) for i, block in enumerate(blocks)]
    with torch.no_grad():
        ids = torch.tensor([tokens])
        if is_encoder:
            output = model.base_model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0]
        else:
            output = model(input_ids=ids).logits[0]
    for handle in handles:
        handle.remove()
    return output.clone(), captured


def make_tiny():
    root = FIXTURES / "models"
    for seed, (name, (cls, config)) in enumerate(tiny_specs().items()):
        torch.manual_seed(seed)
        config._attn_implementation = "eager"
        model = cls(config).eval()
        randomize(model, 1000 + seed)
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)
        model.save_pretrained(folder, safe_serialization=True)
        for extra in folder.iterdir():
            if extra.name not in ("config.json", "model.safetensors"):
                extra.unlink()

        reloaded = cls.from_pretrained(folder, attn_implementation="eager", dtype=torch.float32).eval()
        is_encoder = name == "tiny-bert"
        generator = torch.Generator().manual_seed(2000 + seed)
        tensors = {}
        for index, length in enumerate(SEQUENCE_LENGTHS):
            tokens = torch.randint(0, config.vocab_size, (length,), generator=generator).tolist()
            logits, hidden = reference_outputs(reloaded, tokens, is_encoder)
            tensors[f"tokens.{index}"] = torch.tensor(tokens, dtype=torch.int64)
            tensors[f"logits.{index}"] = logits.float().contiguous()
            if index == 0:
                tensors.update({key: value.float().contiguous() for key, value in hidden.items()})
        save_file(tensors, folder / "reference.safetensors")
        size = sum(f.stat().st_size for f in folder.iterdir())
        print(f"{name}: {size} bytes, logits {tuple(tensors['logits.1'].shape)}")


def make_losses():
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    for folder in sorted((FIXTURES / "models").iterdir()):
        if not (folder / "reference.safetensors").exists() or folder.name == "tiny-bert":
            continue
        model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
        ref = load_file(folder / "reference.safetensors")
        losses = {}
        with torch.no_grad():
            for s in range(len(SEQUENCE_LENGTHS)):
                ids = ref[f"tokens.{s}"].unsqueeze(0)
                losses[f"tokens.{s}"] = float(model(input_ids=ids, labels=ids).loss)
        (folder / "loss.json").write_text(json.dumps(losses, indent=1) + "\n")
        print(folder.name, losses)


def load_minilm(directory):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    if not (directory / "model.safetensors").exists():
        raise SystemExit(f"demo model not found in {directory}: run scripts/fetch-demo-model.sh")
    return SentenceTransformer(str(directory), device="cpu")


def make_minilm(directory):
    folder = FIXTURES / "minilm"
    sentences = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
    model = load_minilm(directory)
    model.eval()
    tensors = {}
    for index, sentence in enumerate(sentences):
        tensors[f"tokens.{index}"] = torch.tensor(model.tokenizer(sentence)["input_ids"], dtype=torch.int64)
    with torch.no_grad():
        embeddings = model.encode(sentences, convert_to_tensor=True, normalize_embeddings=False, batch_size=1)
    tensors["embeddings"] = embeddings.float().contiguous()
    save_file(tensors, folder / "expected.safetensors")
    print(f"minilm: {len(sentences)} sentences, embeddings {tuple(embeddings.shape)}")


def bench_minilm(directory, sequences=16, length=128):
    torch.set_num_threads(2)
    transformer = load_minilm(directory)[0].auto_model.eval()
    generator = torch.Generator().manual_seed(7)
    batch = [torch.cat([torch.tensor([101]), torch.randint(1000, 30000, (length - 2,), generator=generator),
                        torch.tensor([102])]).unsqueeze(0) for _ in range(sequences)]
    with torch.no_grad():
        transformer(input_ids=batch[0], attention_mask=torch.ones_like(batch[0]))
        start = time.perf_counter()
        for ids in batch:
            transformer(input_ids=ids, attention_mask=torch.ones_like(ids))
        elapsed = time.perf_counter() - start
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "sequences": sequences,
                      "length": length, "tokens_per_second": round(sequences * length / elapsed, 1)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", choices=("tiny", "loss", "minilm", "bench"), default=["tiny", "loss", "minilm"])
    parser.add_argument("--minilm", type=pathlib.Path, default=default_minilm_dir(), help="the demo model folder")
    args = parser.parse_args()
    if "tiny" in args.parts:
        make_tiny()
    if "loss" in args.parts:
        make_losses()
    if "minilm" in args.parts:
        make_minilm(args.minilm)
    if "bench" in args.parts:
        bench_minilm(args.minilm)


if __name__ == "__main__":
    main()
