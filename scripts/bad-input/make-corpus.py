#!/usr/bin/env python3
"""Generates the bad-input corpus into a folder: broken checkpoints (safetensors, sharded, GGUF), configs,
tokenizers, recipes, layer problems for `quantbench solve`, calibration texts and option values, each a
mutation of a small valid input, with a cases.json manifest that scripts/bad-input/run-corpus.py runs.

Deterministic (fixed seed); needs only the Python standard library and numpy. Usage:
    make-corpus.py OUT_DIR [--seed N]
"""
import argparse
import json
import os
import random
import shutil
import stat
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "ModelKitTests" / "Fixtures"
TINY = ["tiny-llama", "tiny-opt", "tiny-gpt2", "tiny-bert", "tiny-qwen2", "tiny-opt-postln"]


def model_cache():
    env = os.environ
    if env.get("QUANTBENCH_HOME"):
        return Path(env["QUANTBENCH_HOME"]) / "models"
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "quantbench" / "models"
    return Path.home() / ".cache" / "quantbench" / "models"


class Corpus:
    """Collects files and cases. Case arguments may hold `{c}` (the corpus folder) and `{s}` (the case's
    scratch folder, also its working directory)."""

    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.cases = []
        self.names = set()

    def path(self, rel):
        p = self.out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, rel, data):
        p = self.path(rel)
        if p.is_symlink() or p.exists():
            p.unlink()
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
        return p

    def case(self, name, category, args, expect="error", names=(), usage_ok=False, absent=(), timeout=None, action=None, note="", first=False):
        """expect: ok (exit 0), error (a clear message and a non-zero exit), any (either).
        names: strings the message must contain. absent: paths that must not exist after a failure.
        action: a fault the runner injects while the command runs (see run-corpus.py)."""
        assert name not in self.names, name
        self.names.add(name)
        self.cases.append(dict(name=name, category=category, args=[str(a) for a in args], expect=expect,
                               names=list(names), usage_ok=usage_ok, absent=list(absent), timeout=timeout,
                               action=action, note=note, first=first))


# ---------------------------------------------------------------- safetensors

def st_read(path):
    b = Path(path).read_bytes()
    n = struct.unpack("<Q", b[:8])[0]
    return json.loads(b[8:8 + n]), b[8 + n:]


def st_bytes(header, data, raw_header=None):
    h = raw_header if raw_header is not None else json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


def st_tensors(tensors, metadata=None):
    """tensors: name -> (dtype, shape, bytes)."""
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    return st_bytes(header, data)


def st_arrays(arrays, metadata=None):
    kinds = {np.float32: "F32", np.float64: "F64", np.float16: "F16", np.int8: "I8", np.uint8: "U8",
             np.int32: "I32", np.int64: "I64", np.bool_: "BOOL", np.int16: "I16"}
    return st_tensors({k: (kinds[v.dtype.type], v.shape, np.ascontiguousarray(v).tobytes()) for k, v in arrays.items()}, metadata)


def st_load_arrays(path):
    header, data = st_read(path)
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        assert v["dtype"] == "F32"
        out[k] = np.frombuffer(data[a:b], dtype=np.float32).reshape(v["shape"]).copy()
    return out


# ---------------------------------------------------------------- tokenizers

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def byte_bpe_tokenizer():
    """A byte-level BPE with the 256 byte tokens and no merges: every id fits a 256-token vocabulary."""
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: b for b in range(256)}
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": []},
    }


def wordpiece_tokenizer(size=256):
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list("abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'\"()-_/")
    words = ["the", "of", "and", "to", "in", "is", "a", "that", "for", "it", "as", "with", "be", "on", "not", "this",
             "are", "or", "by", "an", "from", "at", "which", "can", "if", "function", "object", "value", "module", "return"]
    vocab = special + chars + ["##" + c for c in chars if c.isalnum()] + words
    filler = 0
    while len(vocab) < size:
        vocab.append(f"##w{filler}")
        filler += 1
    vocab = vocab[:size]
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
             for i, t in enumerate(special)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                  "vocab": {t: i for i, t in enumerate(vocab)}},
    }


# ---------------------------------------------------------------- GGUF

GT = dict(u8=0, i8=1, u16=2, i16=3, u32=4, i32=5, f32=6, bool=7, str=8, arr=9, u64=10, i64=11, f64=12)
PACK = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


def g_str(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def g_value(t, v):
    if t == GT["str"]:
        return g_str(v)
    if t == GT["arr"]:
        et, items = v
        return struct.pack("<IQ", et, len(items)) + b"".join(g_value(et, x) for x in items)
    return struct.pack(PACK[t], v)


def gguf_bytes(kvs, tensors, version=3, alignment=32, n_tensors=None, n_kv=None, magic=b"GGUF"):
    """kvs: list of (key, type, value); tensors: list of (name, numpy shape, ggml type, raw bytes)."""
    out = magic + struct.pack("<I", version)
    cnt = "<QQ" if version >= 2 else "<II"
    out += struct.pack(cnt, len(tensors) if n_tensors is None else n_tensors, len(kvs) if n_kv is None else n_kv)
    for k, t, v in kvs:
        out += g_str(k) + struct.pack("<I", t) + g_value(t, v)
    offset, blobs = 0, []
    for name, shape, gtype, raw in tensors:
        dims = list(reversed(shape))
        out += g_str(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", gtype, offset)
        pad = (-len(raw)) % alignment
        blobs.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    out += b"\0" * ((-len(out)) % alignment)
    return out + b"".join(blobs)


def tiny_llama_gguf_parts(dtype="F32"):
    cfg = json.loads((FIXTURES / "models/tiny-llama/config.json").read_text())
    arrays = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]

    def permute(w, n):
        return w.reshape(n, 2, w.shape[0] // n // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)

    names = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
             "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
             "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    tensors = []
    for hf, w in sorted(arrays.items()):
        if hf == "model.embed_tokens.weight":
            g = "token_embd.weight"
        elif hf == "model.norm.weight":
            g = "output_norm.weight"
        else:
            parts = hf.split(".")
            block, rest = parts[2], ".".join(parts[3:-1])
            g = f"blk.{block}.{names[rest]}.weight"
            if rest == "self_attn.q_proj":
                w = permute(w, heads)
            elif rest == "self_attn.k_proj":
                w = permute(w, kv_heads)
        if dtype == "F16" and w.ndim == 2:
            tensors.append((g, w.shape, 1, w.astype(np.float16).tobytes()))
        else:
            tensors.append((g, w.shape, 0, w.astype(np.float32).tobytes()))
    b2u = bytes_to_unicode()
    kvs = [
        ("general.architecture", GT["str"], "llama"),
        ("general.name", GT["str"], "tiny-llama"),
        ("llama.block_count", GT["u32"], cfg["num_hidden_layers"]),
        ("llama.context_length", GT["u32"], cfg["max_position_embeddings"]),
        ("llama.embedding_length", GT["u32"], cfg["hidden_size"]),
        ("llama.feed_forward_length", GT["u32"], cfg["intermediate_size"]),
        ("llama.attention.head_count", GT["u32"], heads),
        ("llama.attention.head_count_kv", GT["u32"], kv_heads),
        ("llama.attention.layer_norm_rms_epsilon", GT["f32"], cfg["rms_norm_eps"]),
        ("llama.rope.freq_base", GT["f32"], 10000.0),
        ("tokenizer.ggml.model", GT["str"], "gpt2"),
        ("tokenizer.ggml.tokens", GT["arr"], (GT["str"], [b2u[b] for b in range(256)])),
        ("tokenizer.ggml.token_type", GT["arr"], (GT["i32"], [1] * 256)),
        ("tokenizer.ggml.merges", GT["arr"], (GT["str"], [])),
        ("tokenizer.ggml.bos_token_id", GT["u32"], 1),
        ("tokenizer.ggml.eos_token_id", GT["u32"], 2),
    ]
    return kvs, tensors


# ---------------------------------------------------------------- text

WORDS = ("the quantization of a linear layer keeps its weights on a grid of few levels and measures the error "
         "against the inputs it sees during calibration while every block is solved in turn and the output "
         "of one block becomes the input of the next one so that errors do not add up as quickly as they "
         "would if each layer saw the inputs of the full precision model").split()


def prose(rng, sentences):
    out = []
    for _ in range(sentences):
        n = rng.randint(6, 18)
        s = " ".join(rng.choice(WORDS) for _ in range(n))
        out.append(s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"]))
    return " ".join(out)


def documents(rng, count, sentences=8):
    return [prose(rng, sentences) for _ in range(count)]


# ---------------------------------------------------------------- the corpus

def build(out, seed):
    if out.exists():
        for p in sorted(out.rglob("*"), key=lambda p: -len(p.parts)):
            if p.is_symlink() or p.is_file() or stat.S_ISFIFO(os.lstat(p).st_mode):
                p.unlink()
            elif p.is_dir():
                p.rmdir()
    out.mkdir(parents=True, exist_ok=True)
    cp = Corpus(out, seed)
    rng = cp.rng

    # --- calibration texts
    docs = documents(rng, 40)
    cp.write("text/valid.jsonl", "".join(json.dumps({"text": d}) + "\n" for d in docs))
    cp.write("text/valid.txt", "\n\n".join(docs) + "\n")
    calib = ["--calibration", "{c}/text/valid.jsonl"]

    # --- valid tiny models (with a tokenizer that fits their 256-token vocabulary)
    def tiny_model(rel, base, tokenizer=None, config=None, weights=None):
        d = cp.path(rel)
        d.mkdir(parents=True, exist_ok=True)
        src = FIXTURES / "models" / base
        (d / "config.json").write_text(config if config is not None else (src / "config.json").read_text())
        if weights is None:
            shutil.copyfile(src / "model.safetensors", d / "model.safetensors")
        elif weights is not False:
            (d / "model.safetensors").write_bytes(weights)
        tok = tokenizer if tokenizer is not None else (wordpiece_tokenizer() if base == "tiny-bert" else byte_bpe_tokenizer())
        if tok is not False:
            (d / "tokenizer.json").write_text(tok if isinstance(tok, str) else json.dumps(tok))
        return d

    def q(model, *extra, method=("rtn", "4"), eval_=False, samples="4", seqlen="32"):
        args = ["quantize", model, "--method", method[0], "--bits", method[1], *calib, "--samples", samples,
                "--seqlen", seqlen, "--output", "{s}/run"]
        if not eval_:
            args.append("--no-eval")
        return args + list(extra)

    for m in TINY:
        tiny_model(f"models/{m}", m)
        cp.case(f"valid/inspect-{m}", "valid", ["inspect", f"{{c}}/models/{m}"], expect="ok")
        cp.case(f"valid/quantize-rtn-{m}", "valid", q(f"{{c}}/models/{m}"), expect="ok")
    for meth in [("gptq", "3"), ("quantease", "4"), ("quantease-outlier", "3"), ("aqlm", "")]:
        extra = ["--num-codebooks", "1", "--nbits-per-codebook", "4", "--in-group-size", "8", "--max-epochs", "2"] if meth[0] == "aqlm" else []
        base = ["quantize", "{c}/models/tiny-llama", "--method", meth[0]] + (["--bits", meth[1]] if meth[1] else [])
        cp.case(f"valid/quantize-{meth[0]}-tiny-llama", "valid", base + calib + ["--samples", "4", "--seqlen", "32", "--output", "{s}/run", "--no-eval", "--blocks", "0"] + extra, expect="ok")
    cp.case("valid/quantize-eval-tiny-llama", "valid", q("{c}/models/tiny-llama", eval_=True), expect="ok")
    cp.case("valid/quantize-eval-tiny-bert", "valid", q("{c}/models/tiny-bert", eval_=True), expect="ok")
    cp.case("valid/quantize-txt-calibration", "valid", ["quantize", "{c}/models/tiny-llama", "--method", "rtn", "--bits", "4",
            "--calibration", "{c}/text/valid.txt", "--samples", "4", "--seqlen", "32", "--output", "{s}/run", "--no-eval"], expect="ok",
            note="plain text is an advertised calibration input")
    cp.case("valid/eval-after-quantize", "valid", ["eval", "{c}/models/tiny-llama", "--quantized", "{c}/runs/tiny-llama-rtn"], expect="ok")
    cp.case("valid/generate-tiny-llama", "valid", ["generate", "{c}/models/tiny-llama", "--prompt", "the layer", "--tokens", "4"], expect="ok")

    # --- sharded tiny llama
    arrays = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
    keys = sorted(arrays)
    half = len(keys) // 2
    shards = {"model-00001-of-00002.safetensors": keys[:half], "model-00002-of-00002.safetensors": keys[half:]}

    def sharded(rel, weight_map=None, index_text=None, extra=None):
        d = tiny_model(rel, "tiny-llama", weights=False)
        for fname, ks in shards.items():
            (d / fname).write_bytes(st_arrays({k: arrays[k] for k in ks}))
        wm = {k: f for f, ks in shards.items() for k in ks}
        if weight_map is not None:
            wm = weight_map(wm)
        idx = index_text if index_text is not None else json.dumps({"metadata": {"total_size": 0}, "weight_map": wm})
        (d / "model.safetensors.index.json").write_text(idx)
        if extra:
            extra(d)
        return d

    sharded("models/sharded")
    cp.case("valid/inspect-sharded", "valid", ["inspect", "{c}/models/sharded"], expect="ok")
    cp.case("valid/quantize-sharded", "valid", q("{c}/models/sharded"), expect="ok")
    first = keys[0]

    def dotdot(wm):
        wm[first] = "../outside.safetensors"
        return wm
    sharded("shards/dotdot", dotdot, extra=lambda d: (d.parent / "outside.safetensors").write_bytes(st_arrays({first: arrays[first]})))
    cp.case("shard/dotdot-entry", "shard", ["inspect", "{c}/shards/dotdot"], names=["outside.safetensors"], note="an index entry leaving the model folder")

    def absolute(wm):
        wm[first] = str(out / "shards" / "outside.safetensors")
        return wm
    sharded("shards/absolute", absolute)
    cp.case("shard/absolute-entry", "shard", ["inspect", "{c}/shards/absolute"], names=["outside.safetensors"])
    shard_muts = {
        "missing-shard": lambda wm: {**wm, first: "model-00009-of-00009.safetensors"},
        "empty-map": lambda wm: {},
        "entry-is-index": lambda wm: {**wm, first: "model.safetensors.index.json"},
        "entry-is-dir": lambda wm: {**wm, first: "."},
        "entry-empty-name": lambda wm: {**wm, first: ""},
        "entry-wrong-shard": lambda wm: {**wm, first: "model-00002-of-00002.safetensors"},
        "entry-unknown-tensor": lambda wm: {**wm, "model.layers.9.mlp.up_proj.weight": "model-00001-of-00002.safetensors"},
        "entry-nul": lambda wm: {**wm, first: "model-00001-of-00002.safetensors\u0000x"},
        "entry-missing-linear": lambda wm: {k: v for k, v in wm.items() if "q_proj" not in k},
    }
    for n, f in shard_muts.items():
        sharded(f"shards/{n}", f)
        cp.case(f"shard/{n}", "shard", ["inspect", f"{{c}}/shards/{n}"], expect="any" if n == "entry-unknown-tensor" else "error")
        cp.case(f"shard/{n}-quantize", "shard", q(f"{{c}}/shards/{n}"), expect="any" if n == "entry-unknown-tensor" else "error")
    for n, text in {"index-not-json": "{weight_map", "index-array": "[]", "index-map-array": '{"weight_map": []}',
                    "index-map-numbers": '{"weight_map": {"a": 1}}', "index-empty": "", "index-deep": "[" * 100000 + "]" * 100000,
                    "index-huge-number": '{"metadata": {"total_size": 1e999}, "weight_map": {}}'}.items():
        sharded(f"shards/{n}", index_text=text)
        cp.case(f"shard/{n}", "shard", ["inspect", f"{{c}}/shards/{n}"], names=[["model.safetensors.index.json", f"{{c}}/shards/{n}"]])

    # --- safetensors mutations of tiny-llama (inspect and a quantize)
    base_st = (FIXTURES / "models/tiny-llama/model.safetensors").read_bytes()
    hlen = struct.unpack("<Q", base_st[:8])[0]
    header, data = st_read(FIXTURES / "models/tiny-llama/model.safetensors")
    lin = "model.layers.0.self_attn.q_proj.weight"
    norm = "model.layers.0.input_layernorm.weight"

    def st_case(n, blob, expect="error", quantize=True, names=None, inspect=True, inspect_expect=None):
        tiny_model(f"st/{n}", "tiny-llama", weights=blob)
        names = [["model.safetensors", f"{{c}}/st/{n}"]] if names is None else names
        if inspect:
            ie = inspect_expect or expect
            cp.case(f"safetensors/{n}", "safetensors", ["inspect", f"{{c}}/st/{n}"], expect=ie, names=names if ie == "error" else ())
        if quantize:
            cp.case(f"safetensors/{n}-quantize", "safetensors", q(f"{{c}}/st/{n}"), expect=expect, names=names if expect == "error" else (),
                    absent=["{s}/run/layers"] if expect == "error" else ())

    offsets = sorted(set([0, 1, 4, 7, 8, 9, 16, 100, hlen // 2, hlen + 7, hlen + 8, hlen + 9, hlen + 8 + 4, hlen + 8 + 1000,
                          len(base_st) // 2, len(base_st) - 4, len(base_st) - 1] + [rng.randrange(8, len(base_st)) for _ in range(6)]))
    for off in offsets:
        st_case(f"truncated-at-{off}", base_st[:off], quantize=off in (hlen + 8 + 1000, len(base_st) - 1))
    # byte flips in the header (JSON) and its length
    for i in range(24):
        pos = rng.randrange(8, 8 + hlen)
        b = bytearray(base_st)
        b[pos] ^= 1 << rng.randrange(8)
        st_case(f"header-flip-{i:02d}-at-{pos}", bytes(b), expect="any", quantize=i < 8)
    for i, pos in enumerate(range(0, 8)):
        b = bytearray(base_st)
        b[pos] ^= 0x80
        st_case(f"length-flip-byte{pos}", bytes(b), quantize=False)
    for n, v in {"length-zero": 0, "length-huge": 2**63 - 1, "length-max": 2**64 - 1, "length-minus-8": hlen - 8, "length-plus-8": hlen + 8,
                 "length-file": len(base_st) - 8}.items():
        st_case(n, struct.pack("<Q", v) + base_st[8:], quantize=False)

    def hdr(mut, raw=None, extra_data=b""):
        h = json.loads(json.dumps(header))
        mut(h)
        return st_bytes(h, data + extra_data, raw)

    def set_(name, key, val):
        def f(h):
            h[name][key] = val
        return f

    nel = 64 * 64
    for dt in ["I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "I16", "U16", "I32", "U32", "I64", "U64", "C64", "F4", "F6_E2M3", "F8_E8M0"]:
        size = {"I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1, "I16": 2, "U16": 2, "I32": 4, "U32": 4,
                "I64": 8, "U64": 8, "C64": 8, "F4": 0.5, "F6_E2M3": 0.75}[dt]
        nbytes = int(nel * size)
        raw = (np.arange(nbytes) % 7).astype(np.uint8).tobytes()
        h = json.loads(json.dumps(header))
        a, _ = h[lin]["data_offsets"]
        blob_data = data[:a] + raw + data[a + nel * 4:]
        shift = nbytes - nel * 4
        for k, v in h.items():
            if k != "__metadata__" and v["data_offsets"][0] > a:
                v["data_offsets"] = [v["data_offsets"][0] + shift, v["data_offsets"][1] + shift]
        h[lin].update(dtype=dt, data_offsets=[a, a + nbytes])
        st_case(f"linear-dtype-{dt}", st_bytes(h, blob_data), names=[lin] if dt in ("I8", "U8", "BOOL") else None,
                expect="error", inspect_expect="any")
        cp.case(f"safetensors/linear-dtype-{dt}-eval", "safetensors", ["eval", f"{{c}}/st/linear-dtype-{dt}", "--samples", "4"], names=[])
    # F16/BF16/F64 linear weights are valid
    for dt, conv in {"F16": lambda a: a.astype(np.float16).tobytes(), "F64": lambda a: a.astype(np.float64).tobytes(),
                     "BF16": lambda a: (a.view(np.uint32) >> 16).astype(np.uint16).tobytes()}.items():
        arrs = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
        t = {k: ("F32", v.shape, v.tobytes()) for k, v in arrs.items()}
        t[lin] = (dt, arrs[lin].shape, conv(arrs[lin]))
        st_case(f"linear-dtype-{dt}-valid", st_tensors(t), expect="ok")
    muts = {
        "dtype-unknown": set_(lin, "dtype", "F12"),
        "dtype-lowercase": set_(lin, "dtype", "f32"),
        "dtype-number": set_(lin, "dtype", 7),
        "dtype-missing": lambda h: h[lin].pop("dtype"),
        "shape-negative": set_(lin, "shape", [-64, -64]),
        "shape-transposed-mismatch": set_(lin, "shape", [32, 128]),
        "shape-wrong": set_(lin, "shape", [64, 32]),
        "shape-1d": set_(lin, "shape", [4096]),
        "shape-3d": set_(lin, "shape", [64, 8, 8]),
        "shape-overflow": set_(lin, "shape", [2**32, 2**32]),
        "shape-overflow-2": set_(lin, "shape", [2**62, 4]),
        "shape-zero": set_(lin, "shape", [0, 64]),
        "shape-float": set_(lin, "shape", [64.5, 64]),
        "shape-string": set_(lin, "shape", "64x64"),
        "shape-huge-rank": set_(lin, "shape", [1] * 100000 + [64, 64]),
        "offsets-reversed": lambda h: h[lin].update(data_offsets=h[lin]["data_offsets"][::-1]),
        "offsets-past-end": lambda h: h[lin].update(data_offsets=[len(data) - 100, len(data) - 100 + nel * 4]),
        "offsets-negative": lambda h: h[lin].update(data_offsets=[-16384, 0]),
        "offsets-huge": lambda h: h[lin].update(data_offsets=[2**63, 2**63 + nel * 4]),
        "offsets-overlap": lambda h: h[lin].update(data_offsets=h[norm]["data_offsets"][:1] + [h[norm]["data_offsets"][0] + nel * 4]),
        "offsets-one": lambda h: h[lin].update(data_offsets=[0]),
        "offsets-missing": lambda h: h[lin].pop("data_offsets"),
        "offsets-float": lambda h: h[lin].update(data_offsets=[0.5, 16384.5]),
        "missing-linear": lambda h: h.pop(lin),
        "missing-embedding": lambda h: h.pop("model.embed_tokens.weight"),
        "missing-norm": lambda h: h.pop(norm),
        "renamed-linear": lambda h: h.update({lin.replace("q_proj", "q_prox"): h.pop(lin)}),
        "metadata-not-strings": lambda h: h.update(__metadata__={"format": 1, "x": {"y": [1]}}),
        "metadata-array": lambda h: h.update(__metadata__=[1, 2]),
        "entry-not-object": lambda h: h.update({norm: [1, 2, 3]}),
        "norm-dtype-I8": lambda h: h[norm].update(dtype="I8", data_offsets=[h[norm]["data_offsets"][0], h[norm]["data_offsets"][0] + 64], shape=[64]),
        "norm-shape-wrong": set_(norm, "shape", [32]),
        "embedding-shape-wrong": set_("model.embed_tokens.weight", "shape", [128, 128]),
        "extra-tensor-unknown": lambda h: h.update({"model.layers.7.mlp.up_proj.weight": dict(h[norm])}),
    }
    for n, f in muts.items():
        expect = "any" if n in ("metadata-not-strings", "extra-tensor-unknown", "offsets-overlap") else "error"
        st_case(n, hdr(f), expect=expect, inspect_expect="any" if n in ("embedding-shape-wrong", "norm-shape-wrong") else None, quantize=n in ("shape-wrong", "missing-linear", "offsets-overlap", "norm-shape-wrong",
                                                           "embedding-shape-wrong", "shape-zero", "norm-dtype-I8", "offsets-past-end"))
    raw_headers = {
        "header-not-json": b"{not json",
        "header-array": b"[]",
        "header-nul-bytes": b"\0" * 64,
        "header-empty-object": b"{}",
        "header-deep-nesting": b'{"a":' * 50000 + b"1" + b"}" * 50000,
        "header-invalid-utf8": b'{"\xff\xfe": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}',
        "header-duplicate-key": json.dumps(header).encode()[:-1] + b', "' + lin.encode() + b'": ' + json.dumps(header[norm]).encode() + b"}",
        "header-trailing-garbage": json.dumps(header).encode() + b"xyz",
        "header-nan-literal": json.dumps(header).encode().replace(b'"F32"', b'NaN', 1),
        "header-huge-number": json.dumps(header).encode().replace(b'"data_offsets": [0', b'"data_offsets": [1e400', 1),
    }
    for n, raw in raw_headers.items():
        st_case(n, hdr(lambda h: None, raw=raw), quantize=n == "header-duplicate-key", expect="any" if n == "header-trailing-garbage" else "error")
    # weights: NaN, Inf, huge, zero
    for n, fill in {"nan": np.nan, "inf": np.inf, "huge-5e18": 5e18, "huge-3e38": 3e38, "zero": 0.0, "denormal": 1e-44}.items():
        arrs = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
        w = arrs[lin]
        w[3, 5] = fill if n not in ("zero", "denormal", "huge-5e18", "huge-3e38") else w[3, 5]
        if n in ("zero", "denormal"):
            w[:] = fill
        elif n.startswith("huge"):
            w[:] = (w.astype(np.float64) / np.abs(w).max() * fill).astype(np.float32)
        st_case(f"weights-{n}", st_arrays(arrs, {"format": "pt"}), expect="ok" if n in ("zero", "denormal") else "any" if n.startswith("huge") else "error",
                names=[lin] if n in ("nan", "inf") else (), quantize=True, inspect=False)
        for meth in ["gptq", "quantease", "aqlm"] if n.startswith("huge") else []:
            extra = ["--num-codebooks", "1", "--nbits-per-codebook", "4", "--in-group-size", "8", "--max-epochs", "2"] if meth == "aqlm" else ["--bits", "3"]
            cp.case(f"safetensors/weights-{n}-{meth}", "safetensors", ["quantize", f"{{c}}/st/weights-{n}", "--method", meth, *extra, *calib,
                    "--samples", "4", "--seqlen", "32", "--output", "{s}/run", "--no-eval", "--blocks", "0"], expect="any")
    arrs = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
    arrs["model.embed_tokens.weight"][[32, 101, 116], 0] = np.nan
    st_case("embedding-nan", st_arrays(arrs), names=["embed_tokens"], inspect=False)
    arrs = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
    arrs[norm][:] = 0
    st_case("norm-zero", st_arrays(arrs), expect="any", inspect=False)

    # --- file kinds in place of model files
    def kinds(rel_dir, victim, base="tiny-llama"):
        results = {}
        for kind in ["fifo", "dir", "symlink-loop", "symlink-dangling", "symlink-dev-zero", "empty", "symlink-dev-null"]:
            d = tiny_model(f"kinds/{rel_dir}-{kind}", base)
            p = d / victim
            if p.exists() or p.is_symlink():
                p.unlink()
            if kind == "fifo":
                os.mkfifo(p)
            elif kind == "dir":
                p.mkdir()
            elif kind == "symlink-loop":
                os.symlink(victim + ".b", p)
                os.symlink(victim, d / (victim + ".b"))
            elif kind == "symlink-dangling":
                os.symlink("nowhere/" + victim, p)
            elif kind == "symlink-dev-zero":
                os.symlink("/dev/zero", p)
            elif kind == "symlink-dev-null":
                os.symlink("/dev/null", p)
            elif kind == "empty":
                p.write_bytes(b"")
            results[kind] = f"{{c}}/kinds/{rel_dir}-{kind}"
        return results

    for victim, short in [("model.safetensors", "weights"), ("config.json", "config"), ("tokenizer.json", "tokenizer")]:
        for kind, d in kinds(short, victim).items():
            if victim != "tokenizer.json":
                cp.case(f"kinds/{short}-{kind}-inspect", "file-kinds", ["inspect", d], names=[victim])
            cp.case(f"kinds/{short}-{kind}-quantize", "file-kinds", q(d), names=[victim])
            if kind in ("fifo", "symlink-dev-zero"):
                cp.case(f"kinds/{short}-{kind}-tui", "file-kinds", ["tui", d], names=[victim])
    d = cp.path("kinds/model-dir-is-file")
    d.write_text("not a folder")
    cp.case("kinds/model-is-file", "file-kinds", ["inspect", "{c}/kinds/model-dir-is-file"], names=["model-dir-is-file"])
    d = cp.path("kinds/empty-folder")
    d.mkdir(exist_ok=True)
    cp.case("kinds/model-empty-folder", "file-kinds", ["inspect", "{c}/kinds/empty-folder"], names=["empty-folder"])
    cp.case("kinds/model-nonexistent", "file-kinds", ["inspect", "{c}/kinds/nonexistent"], names=["nonexistent"])
    cp.case("kinds/tui-nonexistent", "file-kinds", ["tui", "{c}/kinds/nonexistent"], names=["nonexistent"])
    cp.case("kinds/model-dev-null", "file-kinds", ["inspect", "/dev/null"])
    cp.case("kinds/model-proc", "file-kinds", ["inspect", "/proc/self"])
    loop = cp.path("kinds/dir-loop")
    if not loop.is_symlink():
        os.symlink("dir-loop", loop)
    cp.case("kinds/model-dir-symlink-loop", "file-kinds", ["inspect", "{c}/kinds/dir-loop"], names=["dir-loop"])

    # --- config.json mutations
    cfg = json.loads((FIXTURES / "models/tiny-llama/config.json").read_text())
    bcfg = json.loads((FIXTURES / "models/tiny-bert/config.json").read_text())

    def cfg_case(n, text, base="tiny-llama", expect="error", quantize=False):
        tiny_model(f"config/{n}", base, config=text)
        cp.case(f"config/{n}", "config", ["inspect", f"{{c}}/config/{n}"] if not quantize else q(f"{{c}}/config/{n}"), expect=expect,
                names=[["config.json", f"{{c}}/config/{n}:"]] if expect == "error" else ())

    def with_(base, **kv):
        c = dict(base)
        for k, v in kv.items():
            if v is KeyError:
                c.pop(k, None)
            else:
                c[k] = v
        return json.dumps(c)

    cfg_muts = {
        "layers-zero": dict(num_hidden_layers=0), "layers-negative": dict(num_hidden_layers=-1), "layers-huge": dict(num_hidden_layers=10**9),
        "layers-more-than-weights": dict(num_hidden_layers=3), "layers-string": dict(num_hidden_layers="2"), "layers-float": dict(num_hidden_layers=2.5),
        "hidden-zero": dict(hidden_size=0), "hidden-negative": dict(hidden_size=-64), "hidden-mismatch": dict(hidden_size=128),
        "heads-zero": dict(num_attention_heads=0), "heads-not-divisor": dict(num_attention_heads=3, head_dim=KeyError),
        "kv-heads-zero": dict(num_key_value_heads=0), "kv-heads-not-divisor": dict(num_key_value_heads=3), "head-dim-zero": dict(head_dim=0),
        "head-dim-odd": dict(head_dim=15), "vocab-zero": dict(vocab_size=0), "vocab-mismatch": dict(vocab_size=512), "vocab-negative": dict(vocab_size=-1),
        "positions-zero": dict(max_position_embeddings=0), "positions-negative": dict(max_position_embeddings=-5),
        "eps-negative": dict(rms_norm_eps=-1e-5), "eps-zero": dict(rms_norm_eps=0), "eps-nan-string": dict(rms_norm_eps="NaN"),
        "eps-huge": dict(rms_norm_eps=1e308), "intermediate-zero": dict(intermediate_size=0), "intermediate-mismatch": dict(intermediate_size=97),
        "rope-theta-zero": dict(rope_theta=0, rope_parameters=KeyError), "rope-theta-negative": dict(rope_theta=-10000.0, rope_parameters=KeyError),
        "rope-unknown-type": dict(rope_parameters={"rope_type": "yarn-v9", "rope_theta": 10000.0}),
        "rope-factor-zero": dict(rope_parameters={**cfg["rope_parameters"], "factor": 0}),
        "rope-factor-negative": dict(rope_parameters={**cfg["rope_parameters"], "factor": -8}),
        "rope-params-string": dict(rope_parameters="llama3"),
        "model-type-unknown": dict(model_type="mamba9"), "model-type-missing": dict(model_type=KeyError),
        "model-type-number": dict(model_type=7), "hidden-act-unknown": dict(hidden_act="swish9"),
        "tie-string": dict(tie_word_embeddings="yes"), "architectures-empty": dict(architectures=[]),
        "bos-out-of-range": dict(bos_token_id=100000), "eos-negative": dict(eos_token_id=-3),
    }
    for n, kv in cfg_muts.items():
        expect = "any" if n in ("architectures-empty", "hidden-act-unknown", "bos-out-of-range", "eos-negative", "tie-string",
                                "rope-unknown-type", "eps-zero") else "error"
        cfg_case(n, with_(cfg, **kv), expect=expect, quantize=n in ("eps-negative", "eps-zero", "eps-huge", "rope-theta-zero",
                                                                  "rope-factor-zero", "bos-out-of-range", "layers-more-than-weights"))
        if n in ("vocab-mismatch", "rope-factor-negative"):
            cp.case(f"config/{n}-quantize", "config", q(f"{{c}}/config/{n}"), names=[["config.json", f"{{c}}/config/{n}:"]])
    for n, kv in {"bert-eps-negative": dict(layer_norm_eps=-1e-12), "bert-type-vocab-zero": dict(type_vocab_size=0),
                  "bert-positions-small": dict(max_position_embeddings=4), "bert-pad-out-of-range": dict(pad_token_id=4096),
                  "bert-heads-not-divisor": dict(num_attention_heads=5)}.items():
        cfg_case(n, with_(bcfg, **kv), base="tiny-bert", quantize=True, expect="any" if n == "bert-pad-out-of-range" else "error")
    for n, text in {"not-json": "{model_type: llama", "empty": "", "array": "[1,2]", "null": "null", "deep": "[" * 100000 + "]" * 100000,
                    "bom": "\ufeff" + json.dumps(cfg), "nan-literal": json.dumps(cfg).replace('"rms_norm_eps": 1e-05', '"rms_norm_eps": NaN'),
                    "huge-number": json.dumps(cfg).replace('"hidden_size": 64', '"hidden_size": 1e400'),
                    "int-overflow": json.dumps(cfg).replace('"hidden_size": 64', '"hidden_size": 99999999999999999999999'),
                    "duplicate-key": json.dumps(cfg)[:-1] + ', "hidden_size": 128}', "invalid-utf8": None, "utf16": None}.items():
        if n == "invalid-utf8":
            text = json.dumps(cfg).replace('"llama"', '"ll\udcffama"').encode("utf-8", "surrogateescape").decode("latin-1")
            tiny_model(f"config/{n}", "tiny-llama", config="")
            (out / f"config/{n}/config.json").write_bytes(json.dumps(cfg).encode().replace(b'"llama"', b'"ll\xffama"'))
            cp.case(f"config/{n}", "config", ["inspect", f"{{c}}/config/{n}"], names=["config.json"])
            continue
        if n == "utf16":
            tiny_model(f"config/{n}", "tiny-llama", config="")
            (out / f"config/{n}/config.json").write_bytes(json.dumps(cfg).encode("utf-16"))
            cp.case(f"config/{n}", "config", ["inspect", f"{{c}}/config/{n}"], expect="any")
            continue
        cfg_case(n, text, expect="any" if n in ("bom", "duplicate-key") else "error")

    # --- tokenizer.json mutations (a quantize needs the tokenizer)
    tok = byte_bpe_tokenizer()

    def tok_case(n, t, expect="error", base="tiny-llama", names=("tokenizer.json",)):
        tiny_model(f"tokenizer/{n}", base, tokenizer=t if isinstance(t, str) else json.dumps(t))
        cp.case(f"tokenizer/{n}", "tokenizer", q(f"{{c}}/tokenizer/{n}"), expect=expect, names=names if expect == "error" else ())

    def tmut(f, base=tok):
        t = json.loads(json.dumps(base))
        f(t)
        return t
    b2u = bytes_to_unicode()
    tok_muts = {
        "vocab-empty": lambda t: t["model"].update(vocab={}),
        "vocab-ids-too-big": lambda t: t["model"].update(vocab={k: v + 1000 for k, v in t["model"]["vocab"].items()}),
        "vocab-ids-negative": lambda t: t["model"].update(vocab={k: -v - 1 for k, v in t["model"]["vocab"].items()}),
        "vocab-ids-duplicate": lambda t: t["model"].update(vocab={k: 5 for k in t["model"]["vocab"]}),
        "vocab-id-float": lambda t: t["model"]["vocab"].update({b2u[65]: 65.5}),
        "vocab-missing-bytes": lambda t: t["model"].update(vocab={k: v for k, v in t["model"]["vocab"].items() if v < 100}),
        "merges-unknown": lambda t: t["model"].update(merges=["x y", "Ġ q"]),
        "merges-malformed": lambda t: t["model"].update(merges=["abc"]),
        "merges-numbers": lambda t: t["model"].update(merges=[1, 2]),
        "model-type-unknown": lambda t: t["model"].update(type="Unigram9"),
        "model-missing": lambda t: t.pop("model"),
        "pre-unknown": lambda t: t.update(pre_tokenizer={"type": "Whirl"}),
        "split-bad-regex": lambda t: t.update(pre_tokenizer={"type": "Split", "pattern": {"Regex": "([a-"}, "behavior": "Isolated", "invert": False}),
        "split-backtracking-regex": lambda t: t.update(pre_tokenizer={"type": "Split", "pattern": {"Regex": "(a|aa)+$"}, "behavior": "Isolated", "invert": False}),
        "added-token-id-huge": lambda t: t.update(added_tokens=[{"id": 10**6, "content": "<x>", "special": True, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False}]),
        "added-token-empty": lambda t: t.update(added_tokens=[{"id": 3, "content": "", "special": True, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False}]),
        "added-tokens-not-list": lambda t: t.update(added_tokens={"a": 1}),
        "post-processor-bad-id": lambda t: t.update(post_processor={"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                                                                   "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [99999], "tokens": ["<s>"]}}}),
        "normalizer-unknown": lambda t: t.update(normalizer={"type": "Zalgo"}),
    }
    for n, f in tok_muts.items():
        expect = "any" if n in ("vocab-missing-bytes", "merges-unknown", "added-token-empty", "split-backtracking-regex", "vocab-ids-duplicate",
                                "added-token-id-huge") else "error"
        tok_case(n, tmut(f), expect=expect)
    wp = wordpiece_tokenizer()
    for n, f in {"wp-unk-missing": lambda t: t["model"].update(unk_token="[NOPE]"),
                 "wp-cls-out-of-range": lambda t: t.update(post_processor={"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 9999]}),
                 "wp-big-vocab": lambda t: t["model"].update(vocab={**t["model"]["vocab"], **{f"w{i}": 256 + i for i in range(2000)}, "the": 2100}),
                 "wp-max-chars-zero": lambda t: t["model"].update(max_input_chars_per_word=0)}.items():
        tok_case(n, tmut(f, wp), base="tiny-bert", expect="any" if n == "wp-max-chars-zero" else "error",
                 names=() if n == "wp-big-vocab" else ("tokenizer.json",))
    for n, text in {"not-json": "{", "empty": "", "deep": "[" * 100000 + "]" * 100000, "array": "[]"}.items():
        tok_case(n, text)
    # the real MiniLM tokenizer on tiny-bert: ids up to 30521 into a 256-row embedding
    cache = model_cache()
    minilm = cache / "all-MiniLM-L6-v2"
    if (minilm / "tokenizer.json").exists():
        tok_case("minilm-tokenizer-on-tiny-bert", (minilm / "tokenizer.json").read_text(), base="tiny-bert", names=("256",),
                 expect="error")

    # --- GGUF
    kvs, tensors = tiny_llama_gguf_parts()
    good = gguf_bytes(kvs, tensors)
    cp.write("gguf/valid.gguf", good)
    cp.write("gguf/valid-f16.gguf", gguf_bytes(*tiny_llama_gguf_parts("F16")))
    cp.write("gguf/valid-v2.gguf", gguf_bytes(kvs, tensors, version=2))
    cp.case("valid/gguf-inspect", "valid", ["inspect", "{c}/gguf/valid.gguf"], expect="ok")
    cp.case("valid/gguf-inspect-f16", "valid", ["inspect", "{c}/gguf/valid-f16.gguf"], expect="ok")
    cp.case("valid/gguf-inspect-v2", "valid", ["inspect", "{c}/gguf/valid-v2.gguf"], expect="ok")
    cp.case("valid/gguf-quantize", "valid", q("{c}/gguf/valid.gguf"), expect="ok")
    cp.case("valid/gguf-quantize-eval", "valid", q("{c}/gguf/valid-f16.gguf", eval_=True), expect="ok")
    for f in ["blocks.gguf", "blocks-v2.gguf"]:
        cp.case(f"gguf/fixture-{f}-not-a-model", "gguf", ["inspect", str(FIXTURES / "gguf" / f)], names=[f])
    for f in ["gpt2-bpe.gguf", "botchan-unigram.gguf"]:
        cp.case(f"gguf/fixture-{f}-no-weights", "gguf", ["inspect", str(FIXTURES / "gguf-tokenizers" / f)], expect="any")

    def gg_case(n, blob, expect="error", quantize=False, names=None):
        cp.write(f"gguf/{n}.gguf", blob)
        nm = [f"{n}.gguf"] if names is None else names
        ie = "any" if n.startswith("tokenizer-") or n in ("tensor-output-wrong-shape", "tensor-nan") else expect
        quantize = quantize or n.startswith("tokenizer-")
        cp.case(f"gguf/{n}", "gguf", ["inspect", f"{{c}}/gguf/{n}.gguf"], expect=ie, names=nm if ie == "error" else ())
        if quantize:
            cp.case(f"gguf/{n}-quantize", "gguf", q(f"{{c}}/gguf/{n}.gguf"), expect=expect, names=nm if expect == "error" else ())

    hdr_end = len(gguf_bytes(kvs, tensors)) - sum(len(t[3]) for t in tensors)
    for off in sorted(set([0, 3, 4, 7, 8, 15, 16, 23, 24, 30, 100, 1000, hdr_end // 2, hdr_end - 1, hdr_end, hdr_end + 10,
                           len(good) // 2, len(good) - 1] + [rng.randrange(24, len(good)) for _ in range(6)])):
        gg_case(f"truncated-at-{off}", good[:off], quantize=off in (len(good) - 1, hdr_end + 10))
    for i in range(20):
        pos = rng.randrange(0, hdr_end)
        b = bytearray(good)
        b[pos] ^= 1 << rng.randrange(8)
        gg_case(f"flip-{i:02d}-at-{pos}", bytes(b), expect="any", quantize=i < 6)
    gg_case("magic-wrong", b"GGUG" + good[4:])
    gg_case("magic-ggml", b"lmgg" + good[4:])
    for v in [0, 1, 4, 99, 2**32 - 1]:
        gg_case(f"version-{v}", gguf_bytes(kvs, tensors, version=v) if v != 1 else good[:4] + struct.pack("<I", 1) + good[8:])
    gg_case("tensor-count-huge", gguf_bytes(kvs, tensors, n_tensors=2**63))
    gg_case("tensor-count-plus-one", gguf_bytes(kvs, tensors, n_tensors=len(tensors) + 1))
    gg_case("kv-count-huge", gguf_bytes(kvs, tensors, n_kv=2**62))
    gg_case("kv-count-plus-one", gguf_bytes(kvs, tensors, n_kv=len(kvs) + 1))
    gg_case("kv-count-minus-one", gguf_bytes(kvs, tensors, n_kv=len(kvs) - 1))

    def kv_set(key, t, v):
        return [(k, tt, vv) if k != key else (key, t, v) for k, tt, vv in kvs] + ([] if any(k == key for k, _, _ in kvs) else [(key, t, v)])

    def kv_drop(key):
        return [x for x in kvs if x[0] != key]

    gkv = {
        "arch-missing": kv_drop("general.architecture"), "arch-gpt2": kv_set("general.architecture", GT["str"], "gpt2"),
        "arch-number": kv_set("general.architecture", GT["u32"], 7), "arch-empty": kv_set("general.architecture", GT["str"], ""),
        "block-count-zero": kv_set("llama.block_count", GT["u32"], 0), "block-count-huge": kv_set("llama.block_count", GT["u32"], 2**32 - 1),
        "block-count-more": kv_set("llama.block_count", GT["u32"], 3), "block-count-negative": kv_set("llama.block_count", GT["i32"], -2),
        "block-count-string": kv_set("llama.block_count", GT["str"], "2"), "block-count-missing": kv_drop("llama.block_count"),
        "heads-zero": kv_set("llama.attention.head_count", GT["u32"], 0), "heads-kv-zero": kv_set("llama.attention.head_count_kv", GT["u32"], 0),
        "heads-kv-three": kv_set("llama.attention.head_count_kv", GT["u32"], 3), "embedding-mismatch": kv_set("llama.embedding_length", GT["u32"], 128),
        "embedding-zero": kv_set("llama.embedding_length", GT["u32"], 0), "ffn-mismatch": kv_set("llama.feed_forward_length", GT["u32"], 95),
        "context-zero": kv_set("llama.context_length", GT["u32"], 0), "eps-negative": kv_set("llama.attention.layer_norm_rms_epsilon", GT["f32"], -1e-5),
        "eps-nan": kv_set("llama.attention.layer_norm_rms_epsilon", GT["f32"], float("nan")),
        "rope-base-zero": kv_set("llama.rope.freq_base", GT["f32"], 0.0), "rope-base-inf": kv_set("llama.rope.freq_base", GT["f32"], float("inf")),
        "rope-partial": kv_set("llama.rope.dimension_count", GT["u32"], 8), "key-length-odd": kv_set("llama.attention.key_length", GT["u32"], 15),
        "tokenizer-model-unknown": kv_set("tokenizer.ggml.model", GT["str"], "rwkv9"), "tokenizer-tokens-missing": kv_drop("tokenizer.ggml.tokens"),
        "tokenizer-tokens-numbers": kv_set("tokenizer.ggml.tokens", GT["arr"], (GT["u32"], list(range(256)))),
        "tokenizer-tokens-empty": kv_set("tokenizer.ggml.tokens", GT["arr"], (GT["str"], [])),
        "tokenizer-merges-malformed": kv_set("tokenizer.ggml.merges", GT["arr"], (GT["str"], ["abc", "d e"])),
        "tokenizer-token-type-short": kv_set("tokenizer.ggml.token_type", GT["arr"], (GT["i32"], [1] * 10)),
        "tokenizer-bos-out-of-range": kv_set("tokenizer.ggml.bos_token_id", GT["u32"], 99999),
        "tokenizer-duplicate-tokens": kv_set("tokenizer.ggml.tokens", GT["arr"], (GT["str"], ["a"] * 256)),
        "tokenizer-llama-no-scores": kv_set("tokenizer.ggml.model", GT["str"], "llama"),
        "vocab-size-mismatch": kv_set("llama.vocab_size", GT["u32"], 1000),
        "alignment-zero": kv_set("general.alignment", GT["u32"], 0), "alignment-3": kv_set("general.alignment", GT["u32"], 3),
        "alignment-huge": kv_set("general.alignment", GT["u32"], 2**31), "alignment-string": kv_set("general.alignment", GT["str"], "32"),
        "duplicate-key": kvs + [kvs[0]],
        "nested-array": kvs + [("x.nested", GT["arr"], (GT["arr"], [(GT["arr"], [(GT["u8"], [1])])] * 3))],
        "bool-value-2": kvs + [("x.bool", GT["bool"], True)],
    }
    for n, kvx in gkv.items():
        expect = "any" if n in ("tokenizer-duplicate-tokens", "nested-array", "bool-value-2", "context-zero", "key-length-odd",
                                "tokenizer-bos-out-of-range", "tokenizer-token-type-short", "duplicate-key", "vocab-size-mismatch",
                                "tokenizer-llama-no-scores") else "error"
        align = 32
        if n == "alignment-huge":
            align = 32  # data stays at 32: the declared alignment does not match
        gg_case(n, gguf_bytes(kvx, tensors, alignment=align), expect=expect,
                quantize=n in ("eps-negative", "eps-nan", "rope-base-zero", "rope-base-inf", "tokenizer-bos-out-of-range", "tokenizer-duplicate-tokens",
                               "context-zero", "tokenizer-merges-malformed", "block-count-more", "key-length-odd"))
    gg_case("alignment-64-honoured", gguf_bytes(kv_set("general.alignment", GT["u32"], 64), tensors, alignment=64), expect="ok")

    def raw_kv(key_bytes, t, payload):
        """kvs plus one key written by hand: key_bytes is the whole key field (length + bytes)."""
        body = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs) + 1)
        for k, tt, v in kvs:
            body += g_str(k) + struct.pack("<I", tt) + g_value(tt, v)
        body += key_bytes + struct.pack("<I", t) + payload
        rest = gguf_bytes([], tensors)[24:]
        pad = (-(len(body))) % 32
        return body + rest  # tensor infos follow; their data is misaligned on purpose for some cases

    gg_case("key-length-huge", raw_kv(struct.pack("<Q", 2**62) + b"abc", GT["u8"], b"\1"))
    gg_case("string-length-huge", raw_kv(g_str("x.s"), GT["str"], struct.pack("<Q", 2**60) + b"abc"))
    gg_case("array-length-huge", raw_kv(g_str("x.a"), GT["arr"], struct.pack("<IQ", GT["u8"], 2**62)))
    gg_case("array-of-strings-huge", raw_kv(g_str("x.a"), GT["arr"], struct.pack("<IQ", GT["str"], 2**40)))
    gg_case("value-type-unknown", raw_kv(g_str("x.t"), 99, b"\0" * 8))
    gg_case("array-type-unknown", raw_kv(g_str("x.t"), GT["arr"], struct.pack("<IQ", 77, 1) + b"\0" * 8))
    gg_case("key-invalid-utf8", raw_kv(struct.pack("<Q", 3) + b"\xff\xfe\xfd", GT["u8"], b"\1"), expect="any")
    deep = b""
    for _ in range(20000):
        deep += struct.pack("<IQ", GT["arr"], 1)
    gg_case("array-nesting-deep", raw_kv(g_str("x.deep"), GT["arr"], deep[8 + 4:] + struct.pack("<IQ", GT["u8"], 0)))

    def tmod(f):
        t = [list(x) for x in tensors]
        f(t)
        return [tuple(x) for x in t]
    gt = {
        "tensor-type-unknown": lambda t: t[3].__setitem__(2, 99),
        "tensor-type-q4_0-size-wrong": lambda t: t[3].__setitem__(2, 2),
        "tensor-type-iq2": lambda t: t[3].__setitem__(2, 16),
        "tensor-dims-zero": lambda t: t[3].__setitem__(1, (0, 64)),
        "tensor-dims-many": lambda t: t[3].__setitem__(1, (1, 1, 1, 1, 1, 64, 64)),
        "tensor-dims-huge": lambda t: t[3].__setitem__(1, (2**40, 2**40)),
        "tensor-duplicate-name": lambda t: t.append(t[3]),
        "tensor-name-empty": lambda t: t[3].__setitem__(0, ""),
        "tensor-missing-linear": lambda t: t.pop(3),
        "tensor-shape-mismatch": lambda t: t[3].__setitem__(1, (32, 128)),
        "tensor-output-wrong-shape": lambda t: t.append(("output.weight", (10, 64), 0, np.zeros((10, 64), np.float32).tobytes())),
        "tensor-nan": lambda t: t[3].__setitem__(3, np.full(len(t[3][3]) // 4, np.nan, np.float32).tobytes()),
        "tensor-rope-freqs": lambda t: t.append(("rope_freqs.weight", (8,), 0, np.ones(8, np.float32).tobytes())),
    }
    for n, f in gt.items():
        gg_case(n, gguf_bytes(kvs, tmod(f)), quantize=n in ("tensor-nan", "tensor-output-wrong-shape", "tensor-shape-mismatch"),
                expect="any" if n in ("tensor-duplicate-name", "tensor-type-q4_0-size-wrong") else "error")
    # tensor offsets by hand: misaligned, past the end, overlapping
    for n, delta in {"offset-misaligned": 4, "offset-past-end": 10**7, "offset-huge": 2**63}.items():
        b = bytearray(good)
        name = tensors[3][0].encode()
        i = b.find(struct.pack("<Q", len(name)) + name)
        j = i + 8 + len(name) + 4 + 8 * len(tensors[3][1]) + 4
        off = struct.unpack("<Q", b[j:j + 8])[0]
        b[j:j + 8] = struct.pack("<Q", (off + delta) % 2**64)
        gg_case(n, bytes(b))
    folder = cp.path("gguf/folder-two")
    folder.mkdir(exist_ok=True)
    (folder / "a.gguf").write_bytes(good)
    (folder / "b.gguf").write_bytes(good)
    cp.case("gguf/folder-with-two-ggufs", "gguf", ["inspect", "{c}/gguf/folder-two"], expect="any")
    os.mkfifo(cp.path("gguf/fifo.gguf"))
    cp.case("gguf/fifo", "gguf", ["inspect", "{c}/gguf/fifo.gguf"], names=["fifo.gguf"])
    os.symlink("/dev/zero", cp.path("gguf/dev-zero.gguf"))
    cp.case("gguf/dev-zero", "gguf", ["inspect", "{c}/gguf/dev-zero.gguf"], names=["dev-zero.gguf"])
    cp.case("gguf/random-bytes", "gguf", ["inspect", str(cp.write("gguf/random-bytes.gguf", cp.np.integers(0, 256, 4096, dtype=np.uint8).tobytes()))],
            names=["random-bytes.gguf"])

    # --- layer problems for `solve`
    rs = np.random.default_rng(seed + 1)
    out_f, in_f = 16, 32
    X = rs.standard_normal((128, in_f)).astype(np.float64)
    X[:, 3] *= 10
    S = X.T @ X
    W = (rs.standard_normal((out_f, in_f)) * 0.05).astype(np.float32)
    cp.write("solve/W.safetensors", st_arrays({"weight": W}))
    cp.write("solve/S.safetensors", st_arrays({"hessian": S.astype(np.float32)}))
    cp.write("solve/S64.safetensors", st_arrays({"hessian": S}))

    def solve(wf="W", sf="S", *extra, method=("gptq", "4")):
        args = ["solve", f"{{c}}/solve/{wf}.safetensors", "--hessian", f"{{c}}/solve/{sf}.safetensors", "--method", method[0]]
        if method[1]:
            args += ["--bits", method[1]]
        return args + ["--out", "{s}/out.safetensors"] + list(extra)

    aq = ["--num-codebooks", "1", "--nbits-per-codebook", "4", "--in-group-size", "8", "--max-epochs", "3"]
    for m in ["rtn", "gptq", "quantease", "quantease-outlier"]:
        cp.case(f"valid/solve-{m}", "valid", solve(method=(m, "3")), expect="ok")
    cp.case("valid/solve-aqlm", "valid", solve("W", "S", *aq, method=("aqlm", "")), expect="ok")
    cp.case("valid/solve-fp64-S64", "valid", solve("W", "S64", "--fp64"), expect="ok")
    bad_solve = ["{s}/out.safetensors"]

    def sv(n, Wm=None, Sm=None, extra=(), method=("gptq", "4"), expect="error", names=(), usage_ok=False):
        wf, sf = "W", "S"
        if Wm is not None:
            wf = f"W-{n}"
            cp.write(f"solve/{wf}.safetensors", Wm if isinstance(Wm, bytes) else st_arrays({"weight": Wm}))
        if Sm is not None:
            sf = f"S-{n}"
            cp.write(f"solve/{sf}.safetensors", Sm if isinstance(Sm, bytes) else st_arrays({"hessian": Sm}))
        cp.case(f"solve/{n}", "solve", solve(wf, sf, *extra, method=method), expect=expect, names=names,
                absent=bad_solve if expect == "error" else (), usage_ok=usage_ok)

    Sf = S.astype(np.float32)
    nonsym = Sf.copy()
    nonsym[0, 5] += 50.0
    indefinite = Sf.copy()
    indefinite -= np.eye(in_f, dtype=np.float32) * (np.linalg.eigvalsh(S).max() * 0.5)
    neg_diag = Sf.copy()
    neg_diag[4, 4] = -1
    sig_cases = {
        "sigma-nonsymmetric": nonsym, "sigma-indefinite": indefinite, "sigma-zero": np.zeros_like(Sf), "sigma-negative-diagonal": neg_diag,
        "sigma-nan": np.where(np.arange(in_f * in_f).reshape(in_f, in_f) == 37, np.nan, Sf).astype(np.float32),
        "sigma-inf": np.where(np.arange(in_f * in_f).reshape(in_f, in_f) == 0, np.inf, Sf).astype(np.float32),
        "sigma-huge": (Sf * 1e33).astype(np.float32), "sigma-tiny": (Sf * 1e-40).astype(np.float32),
        "sigma-wrong-size": Sf[:16, :16].copy(), "sigma-not-square": Sf[:, :16].copy(), "sigma-1d": Sf.reshape(-1).copy(),
        "sigma-3d": Sf.reshape(1, in_f, in_f).copy(), "sigma-rank-one": np.outer(np.ones(in_f), np.ones(in_f)).astype(np.float32),
        "sigma-f16": Sf.astype(np.float16), "sigma-i32": S.astype(np.int32), "sigma-empty": np.zeros((0, 0), np.float32),
    }
    for n, Sm in sig_cases.items():
        expect = "any" if n in ("sigma-rank-one", "sigma-tiny", "sigma-f16", "sigma-huge") else "error"
        for m in (["gptq", "quantease", "rtn"] if n in ("sigma-nonsymmetric", "sigma-indefinite", "sigma-zero", "sigma-nan") else ["gptq"]):
            sv(f"{n}-{m}" if m != "gptq" else n, Sm=Sm if m == "gptq" else None, method=(m, "4"), expect=expect) if m == "gptq" else None
        for m in (["quantease", "rtn", "quantease-outlier"] if n in ("sigma-nonsymmetric", "sigma-indefinite", "sigma-zero", "sigma-nan") else []):
            cp.case(f"solve/{n}-{m}", "solve", solve("W", f"S-{n}", method=(m, "4")), expect="any" if (m == "rtn" and n != "sigma-nan") else "error",
                    absent=bad_solve)
    for n, Wm in {"w-nan": np.where(np.arange(out_f * in_f).reshape(out_f, in_f) == 5, np.nan, W).astype(np.float32),
                  "w-inf": np.where(np.arange(out_f * in_f).reshape(out_f, in_f) == 5, -np.inf, W).astype(np.float32),
                  "w-huge-5e18": (W * 1e20).astype(np.float32), "w-huge-3e38": (W / np.abs(W).max() * 3e38).astype(np.float32), "w-zero": np.zeros_like(W),
                  "w-wrong-in": W[:, :16].copy(), "w-1d": W.reshape(-1).copy(), "w-3d": W.reshape(2, 8, in_f).copy(),
                  "w-empty": np.zeros((0, in_f), np.float32), "w-i8": (W * 100).astype(np.int8), "w-u8": (W * 100).astype(np.uint8),
                  "w-bool": W > 0, "w-f64": W.astype(np.float64), "w-denormal": np.full_like(W, 1e-44), "w-tiny-1e-30": np.full_like(W, 1e-30),
                  "w-one-denormal": np.where(np.arange(out_f * in_f).reshape(out_f, in_f) == 5, 1e-44, 0).astype(np.float32)}.items():
        expect = "ok" if n in ("w-zero", "w-f64") else "any" if n in ("w-denormal", "w-tiny-1e-30", "w-one-denormal", "w-huge-5e18", "w-huge-3e38") else "error"
        sv(n, Wm=Wm, expect=expect)
        if n in ("w-denormal", "w-one-denormal"):
            for m in ["rtn", "quantease", "quantease-outlier"]:
                cp.case(f"solve/{n}-{m}", "solve", solve(f"W-{n}", "S", method=(m, "3")), expect="any")
        if n.startswith("w-huge"):
            for m in ["rtn", "quantease", "quantease-outlier"]:
                cp.case(f"solve/{n}-{m}", "solve", solve(f"W-{n}", "S", method=(m, "3")), expect="any", absent=bad_solve)
            cp.case(f"solve/{n}-aqlm", "solve", solve(f"W-{n}", "S", *aq, method=("aqlm", "")), expect="any", absent=bad_solve,
                    note="AQLM on huge weights wrote an all-NaN layer")
        if n == "w-nan":
            for m in ["rtn", "quantease", "aqlm"]:
                cp.case(f"solve/{n}-{m}", "solve", solve(f"W-{n}", "S", *(aq if m == "aqlm" else []), method=(m, "" if m == "aqlm" else "3")), absent=bad_solve)
    # files for solve: names, kinds
    cp.write("solve/two-tensors.safetensors", st_arrays({"a": W, "b": W}))
    cp.case("solve/weight-name-ambiguous", "solve", ["solve", "{c}/solve/two-tensors.safetensors", "--hessian", "{c}/solve/S.safetensors",
            "--method", "rtn", "--bits", "4", "--out", "{s}/out.safetensors"], names=["two-tensors.safetensors"])
    cp.case("solve/weight-name-missing", "solve", solve("W", "S", "--weight-name", "nope"), names=["nope"])
    cp.case("solve/hessian-name-missing", "solve", solve("W", "S", "--hessian-name", "nope"), names=["nope"])
    cp.case("solve/weights-missing-file", "solve", solve("nope", "S"), names=["nope.safetensors"])
    cp.case("solve/hessian-missing-file", "solve", solve("W", "nope"), names=["nope.safetensors"])
    os.mkfifo(cp.path("solve/fifo.safetensors"))
    cp.case("solve/weights-fifo", "solve", solve("fifo", "S"), names=["fifo.safetensors"])
    cp.case("solve/hessian-fifo", "solve", solve("W", "fifo"), names=["fifo.safetensors"])
    os.symlink("/dev/zero", cp.path("solve/zero.safetensors"))
    cp.case("solve/weights-dev-zero", "solve", solve("zero", "S"), names=["zero.safetensors"])
    cp.path("solve/dir.safetensors").mkdir(exist_ok=True)
    cp.case("solve/weights-directory", "solve", solve("dir", "S"), names=["dir.safetensors"])
    cp.case("solve/out-is-directory", "solve", ["solve", "{c}/solve/W.safetensors", "--hessian", "{c}/solve/S.safetensors", "--method", "rtn",
            "--bits", "4", "--out", "{c}/solve/dir.safetensors"], names=["dir.safetensors"])
    cp.write("solve/a-file", "x")
    for n, o in {"out-parent-is-file": "{c}/solve/a-file/out.safetensors", "out-parent-missing": "{s}/no/such/dir/out.safetensors",
                 "out-name-too-long": "{s}/" + "x" * 300 + ".safetensors", "out-in-sysfs": "/sys/quantbench-out.safetensors",
                 "out-in-proc": "/proc/self/quantbench-out.safetensors", "out-empty": ""}.items():
        cp.case(f"solve/{n}", "solve", ["solve", "{c}/solve/W.safetensors", "--hessian", "{c}/solve/S.safetensors", "--method", "rtn",
                "--bits", "4", "--out", o], expect="any" if n == "out-parent-missing" else "error", usage_ok=n == "out-empty")
    cp.case("solve/out-is-weights", "solve", ["solve", "{c}/solve/W-w-zero.safetensors", "--hessian", "{c}/solve/S.safetensors", "--method", "rtn",
            "--bits", "4", "--out", "{c}/solve/W-w-zero.safetensors"], expect="any", note="writes over its own input (atomic rename)")
    # W flips / truncations
    wb = (out / "solve/W.safetensors").read_bytes()
    for off in [0, 5, 8, 20, len(wb) - 10]:
        sv(f"w-truncated-at-{off}", Wm=wb[:off], names=[f"W-w-truncated-at-{off}.safetensors"])
    sb = (out / "solve/S.safetensors").read_bytes()
    for off in [8, 40, len(sb) // 2, len(sb) - 1]:
        sv(f"s-truncated-at-{off}", Sm=sb[:off], names=[f"S-s-truncated-at-{off}.safetensors"])

    # --- extreme option values (solve: cheap)
    opts = [
        ("damping-1e100", "gptq", ["--damping", "1e100"]), ("damping-zero", "gptq", ["--damping", "0"]),
        ("damping-negative", "gptq", ["--damping", "-1"]), ("damping-nan", "gptq", ["--damping", "nan"]),
        ("damping-inf", "gptq", ["--damping", "inf"]), ("damping-quantease-1e100", "quantease", ["--damping", "1e100"]),
        ("alpha-1e4", "quantease-outlier", ["--alpha", "1e4"]), ("alpha-30", "quantease-outlier", ["--alpha", "30"]),
        ("alpha-20", "quantease-outlier", ["--alpha", "20"]), ("alpha-2", "quantease-outlier", ["--alpha", "2"]),
        ("alpha-zero", "quantease-outlier", ["--alpha", "0"]), ("alpha-negative", "quantease-outlier", ["--alpha", "-1"]),
        ("alpha-nan", "quantease-outlier", ["--alpha", "nan"]), ("alpha-inf", "quantease-outlier", ["--alpha", "inf"]),
        ("bits-0", "gptq", ["--bits", "0"]), ("bits-1", "gptq", ["--bits", "1"]), ("bits-9", "gptq", ["--bits", "9"]),
        ("bits-99", "rtn", ["--bits", "99"]), ("bits-negative", "rtn", ["--bits", "-3"]), ("bits-nan", "rtn", ["--bits", "nan"]),
        ("bits-float", "rtn", ["--bits", "3.5"]), ("bits-huge", "rtn", ["--bits", "99999999999999999999"]),
        ("group-size-zero", "gptq", ["--group-size", "0"]), ("group-size-negative-2", "gptq", ["--group-size", "-2"]),
        ("group-size-larger-than-in", "gptq", ["--group-size", "64"]), ("group-size-not-divisor", "gptq", ["--group-size", "5"]),
        ("group-size-huge", "rtn", ["--group-size", "9223372036854775807"]),
        ("block-size-zero", "gptq", ["--block-size", "0"]), ("block-size-negative", "gptq", ["--block-size", "-1"]),
        ("block-size-huge", "gptq", ["--block-size", "9223372036854775807"]),
        ("sweeps-zero", "quantease", ["--sweeps", "0"]), ("sweeps-negative", "quantease", ["--sweeps", "-5"]),
        ("sweeps-huge", "quantease", ["--sweeps", "1000000000"]),
        ("outlier-fraction-negative", "quantease-outlier", ["--outlier-fraction", "-0.1"]),
        ("outlier-fraction-one", "quantease-outlier", ["--outlier-fraction", "1"]),
        ("outlier-fraction-nan", "quantease-outlier", ["--outlier-fraction", "nan"]),
        ("outlier-fraction-half", "quantease-outlier", ["--outlier-fraction", "0.5"]),
        ("schedule-unknown", "quantease", ["--schedule", "sometimes"]), ("init-unknown", "quantease", ["--init", "x"]),
        ("implementation-unknown", "quantease", ["--implementation", "gpu"]),
        ("sweeps-on-rtn", "rtn", ["--sweeps", "5"]), ("damping-on-rtn", "rtn", ["--damping", "0.1"]),
        ("alpha-on-gptq", "gptq", ["--alpha", "1"]), ("act-order-value", "gptq", ["--act-order", "maybe"]),
        ("bits-twice", "rtn", ["--bits", "3"]), ("unknown-flag", "rtn", ["--frobnicate", "1"]),
        ("method-unknown", "lloyd", []), ("method-empty", "", []),
    ]
    for n, m, extra in opts:
        valid = n in ("alpha-2", "damping-zero", "outlier-fraction-half", "group-size-larger-than-in", "bits-twice", "group-size-not-divisor")
        expect = "any" if valid or n in ("sweeps-huge",) else "error"
        timeout = None
        if n == "sweeps-huge":
            timeout = 30
        cp.case(f"options/solve-{n}", "options", ["solve", "{c}/solve/W.safetensors", "--hessian", "{c}/solve/S.safetensors", "--method", m]
                + (["--bits", "4"] if m in ("rtn", "gptq", "quantease", "quantease-outlier") and not n.startswith("bits-") else [])
                + extra + ["--out", "{s}/out.safetensors"], expect=expect, usage_ok=True, absent=bad_solve if expect == "error" else (), timeout=timeout)
    aqlm_opts = [("num-codebooks-zero", ["--num-codebooks", "0"]), ("num-codebooks-huge", ["--num-codebooks", "100000"]),
                 ("nbits-zero", ["--nbits-per-codebook", "0"]), ("nbits-64", ["--nbits-per-codebook", "64"]),
                 ("nbits-30", ["--nbits-per-codebook", "30"]), ("in-group-zero", ["--in-group-size", "0"]),
                 ("in-group-not-divisor", ["--in-group-size", "7"]), ("in-group-larger", ["--in-group-size", "64"]),
                 ("beam-zero", ["--beam-size", "0"]), ("epochs-zero", ["--max-epochs", "0"]), ("lr-nan", ["--lr", "nan"]),
                 ("lr-negative", ["--lr", "-1"]), ("lr-huge", ["--lr", "1e30"]), ("tolerance-negative", ["--relative-tolerance", "-1"]),
                 ("steps-zero", ["--steps-per-epoch", "0"]), ("codebook-update-unknown", ["--codebook-update", "sgd"]),
                 ("seed-negative", ["--aqlm-seed", "-1"]), ("bits-on-aqlm", ["--bits", "4"])]
    for n, extra in aqlm_opts:
        base = {"--num-codebooks": "1", "--nbits-per-codebook": "4", "--in-group-size": "8", "--max-epochs": "2"}
        for k, v in zip(extra[::2], extra[1::2]):
            base[k] = v
        args = [x for kv in base.items() for x in kv] + ([] if extra[0] in base else extra)
        cp.case(f"options/solve-aqlm-{n}", "options", ["solve", "{c}/solve/W.safetensors", "--hessian", "{c}/solve/S.safetensors", "--method", "aqlm"]
                + args + ["--out", "{s}/out.safetensors"], expect="any" if n in ("epochs-zero", "lr-huge", "steps-zero") else "error", usage_ok=True,
                absent=bad_solve)

    # quantize / eval / generate options on the tiny model
    qopts = [
        ("samples-zero", ["--samples", "0"]), ("samples-negative", ["--samples", "-4"]), ("seqlen-zero", ["--seqlen", "0"]),
        ("seqlen-1", ["--seqlen", "1"]), ("seqlen-past-positions", ["--seqlen", "200"]), ("seqlen-huge", ["--seqlen", "999999999"]),
        ("samples-huge", ["--samples", "99999999"]), ("seed-negative", ["--seed", "-1"]),
        ("pipeline-unknown", ["--pipeline", "sideways"]), ("blocks-negative", ["--blocks", "-1"]), ("blocks-double-dash", ["--blocks", "--1--"]),
        ("blocks-out-of-range", ["--blocks", "5-9"]), ("blocks-reversed", ["--blocks", "1-0"]), ("blocks-garbage", ["--blocks", "a-b"]),
        ("layers-match-nothing", ["--layers", "*.nothing"]), ("layers-empty", ["--layers", ""]), ("layers-bracket", ["--layers", "[*"]),
        ("qdec-k-negative", ["--qdec-k", "-4"]), ("qdec-k-huge", ["--qdec-k", "99999"]), ("qdec-k-garbage", ["--qdec-k", "a,b"]),
        ("qdec-select-unknown", ["--qdec-k", "4", "--qdec-select", "psychic"]), ("qdec-positions-zero", ["--qdec-k", "4", "--qdec-positions", "0"]),
        ("calibration-missing", ["--calibration", "{c}/text/nope.jsonl"]), ("output-is-file", ["--output", "{c}/solve/a-file"]),
        ("output-parent-is-file", ["--output", "{c}/solve/a-file/run"]), ("output-in-sysfs", ["--output", "/sys/quantbench-run"]),
        ("output-name-too-long", ["--output", "{s}/" + "r" * 300]), ("output-empty", ["--output", ""]),
    ]
    for n, extra in qopts:
        expect = "any" if n in ("seed-negative", "blocks-reversed", "qdec-k-huge", "samples-huge", "output-empty", "layers-empty", "seqlen-past-positions") else "error"
        args = q("{c}/models/tiny-llama")
        # later flags win in ArgumentParser for repeated options; drop the default ones that the case overrides
        for flag in set(extra[::2]) & {"--samples", "--seqlen", "--output", "--calibration"}:
            i = args.index(flag)
            del args[i:i + 2]
        names = {"seqlen-past-positions": ["128"], "calibration-missing": ["nope.jsonl"], "blocks-out-of-range": ["5"]}.get(n, [])
        cp.case(f"options/quantize-{n}", "options", args + extra, expect=expect, names=names,
                usage_ok=n.split("-")[0] in ("samples", "seqlen", "seed", "pipeline", "blocks", "layers", "qdec"),
                timeout=30 if n in ("samples-huge", "seqlen-huge") else None)
    for m in ["tiny-gpt2", "tiny-bert", "tiny-opt"]:
        cp.case(f"options/quantize-seqlen-past-positions-{m}", "options", ["quantize", f"{{c}}/models/{m}", "--method", "rtn", "--bits", "4", *calib,
                "--samples", "2", "--seqlen", "200", "--output", "{s}/run", "--no-eval"], names=["128"], note="learned positions stop at 128")
    if minilm.exists():
        cp.case("options/minilm-seqlen-2000", "options", ["quantize", "minilm", "--method", "rtn", "--bits", "4", "--samples", "2", "--seqlen", "2000",
                "--blocks", "0", "--output", "{s}/run", "--no-eval"], names=["512"], note="positions past max_position_embeddings")
        cp.case("options/minilm-eval-samples-zero", "options", ["eval", "minilm", "--samples", "0"], usage_ok=True)
    for n, extra in {"eval-samples-negative": ["--samples", "-1"], "eval-quantized-missing": ["--quantized", "{c}/runs/nope"],
                     "eval-quantized-not-run": ["--quantized", "{c}/text"], "eval-qdec-bad": ["--qdec-k", "x"]}.items():
        cp.case(f"options/{n}", "options", ["eval", "{c}/models/tiny-llama", *extra], usage_ok=n.endswith(("negative", "bad")))
    for n, extra in {"generate-tokens-zero": ["--tokens", "0"], "generate-tokens-huge": ["--tokens", "100000"],
                     "generate-prompt-empty": ["--prompt", ""], "generate-prompt-binary": ["--prompt", "\x01\x02\x7f"],
                     "generate-width-zero": ["--width", "0", "--tokens", "2"], "generate-width-negative": ["--width", "-5", "--tokens", "2"],
                     "generate-on-encoder": []}.items():
        model = "{c}/models/tiny-bert" if n == "generate-on-encoder" else "{c}/models/tiny-llama"
        expect = "any" if n in ("generate-prompt-empty", "generate-prompt-binary", "generate-tokens-huge", "generate-width-zero") else "error"
        cp.case(f"options/{n}", "options", ["generate", model, *extra], expect=expect, usage_ok=n.startswith(("generate-tokens", "generate-width")))

    # --- calibration texts
    texts = {
        "empty.txt": b"", "one-byte.txt": b"a", "whitespace.txt": b" \n\n\t\n   \n" * 50, "short.txt": b"Hello there.",
        "unpunctuated.txt": (" ".join(rng.choice(WORDS) for _ in range(3000))).encode(),
        "one-long-word.txt": b"a" * 2_000_000, "binary.txt": bytes(cp.np.integers(0, 256, 20000, dtype=np.uint8)),
        "invalid-utf8.txt": ("\n\n".join(docs[:10])).encode() + b"\xff\xfe\xc3\x28\xa0\xa1" + ("\n\n".join(docs[10:20])).encode(),
        "nul-bytes.txt": ("\0".join(docs)).encode(), "utf16.txt": ("\n\n".join(docs)).encode("utf-16"),
        "crlf.txt": ("\r\n\r\n".join(docs)).encode(), "no-blank-lines.txt": ("\n".join(docs)).encode(),
        "control-chars.txt": ("\x1b[31m" + "\x08".join(docs)).encode(), "emoji.txt": ("🦙 " * 5000).encode(),
        "combining.txt": ("e" + "\u0301" * 5000 + " ") .encode() * 20, "rtl-bidi.txt": ("\u202e" + " ".join(docs)).encode(),
        "empty.jsonl": b"", "blank-lines.jsonl": b"\n\n\n", "not-json.jsonl": b"{text: nope}\n" * 10,
        "text-number.jsonl": b'{"text": 5}\n' * 10, "text-missing.jsonl": b'{"body": "x"}\n' * 10, "array-lines.jsonl": b"[1,2]\n" * 10,
        "text-null.jsonl": b'{"text": null}\n' * 10, "mixed-bad-line.jsonl": ("".join(json.dumps({"text": d}) + "\n" for d in docs[:20]) + "{broken\n").encode(),
        "deep.jsonl": b"[" * 100000 + b"]" * 100000 + b"\n", "huge-line.jsonl": (json.dumps({"text": "word " * 400000}) + "\n").encode(),
        "text-empty-strings.jsonl": b'{"text": ""}\n' * 50, "invalid-utf8.jsonl": b'{"text": "\xff\xfe abc"}\n' * 10,
        "escaped-nul.jsonl": ("".join(json.dumps({"text": d.replace(" ", "\u0000", 3)}) + "\n" for d in docs)).encode(),
        "lone-surrogate.jsonl": ('{"text": "abc \\ud800 def. ' + docs[0] + '"}\n').encode() * 20,
        "bom.jsonl": b"\xef\xbb\xbf" + ("".join(json.dumps({"text": d}) + "\n" for d in docs)).encode(),
        "no-extension": ("\n\n".join(docs)).encode(), "wrong-ext.csv": ("\n\n".join(docs)).encode(),
    }
    ok_texts = {"crlf.txt", "no-blank-lines.txt", "bom.jsonl", "emoji.txt", "escaped-nul.jsonl", "rtl-bidi.txt"}
    any_texts = {"unpunctuated.txt", "one-long-word.txt", "binary.txt", "invalid-utf8.txt", "nul-bytes.txt", "utf16.txt", "control-chars.txt",
                 "combining.txt", "huge-line.jsonl", "mixed-bad-line.jsonl", "lone-surrogate.jsonl", "no-extension", "wrong-ext.csv", "invalid-utf8.jsonl"}
    for fname, blob in texts.items():
        cp.write(f"text/{fname}", blob)
        expect = "ok" if fname in ok_texts else "any" if fname in any_texts else "error"
        for model in (["tiny-llama", "tiny-bert"] if fname in ("one-long-word.txt", "binary.txt", "emoji.txt", "combining.txt", "huge-line.jsonl") else ["tiny-llama"]):
            args = ["quantize", f"{{c}}/models/{model}", "--method", "rtn", "--bits", "4", "--calibration", f"{{c}}/text/{fname}", "--samples", "4",
                    "--seqlen", "32", "--output", "{s}/run", "--no-eval"]
            cp.case(f"calibration/{fname}-{model}", "calibration", args, expect=expect,
                    names=[fname] if expect == "error" else (), timeout=30)
    for fname in ["short.txt", "unpunctuated.txt"]:
        cp.case(f"calibration/{fname}-with-eval", "calibration", ["quantize", "{c}/models/tiny-llama", "--method", "rtn", "--bits", "4",
                "--calibration", f"{{c}}/text/{fname}", "--samples", "4", "--seqlen", "32", "--output", "{s}/run"],
                expect="any" if fname == "unpunctuated.txt" else "error", names=[fname] if fname == "short.txt" else ())
    os.mkfifo(cp.path("text/fifo.jsonl"))
    os.symlink("/dev/zero", cp.path("text/dev-zero.txt"))
    os.symlink("/dev/urandom", cp.path("text/dev-urandom.jsonl"))
    cp.path("text/dir.jsonl").mkdir(exist_ok=True)
    os.symlink("loop-b.txt", cp.path("text/loop-a.txt"))
    os.symlink("loop-a.txt", cp.path("text/loop-b.txt"))
    for fname in ["fifo.jsonl", "dev-zero.txt", "dev-urandom.jsonl", "dir.jsonl", "loop-a.txt"]:
        cp.case(f"calibration/kind-{fname}", "calibration", ["quantize", "{c}/models/tiny-llama", "--method", "rtn", "--bits", "4",
                "--calibration", f"{{c}}/text/{fname}", "--samples", "4", "--seqlen", "32", "--output", "{s}/run", "--no-eval"], names=[fname])

    # --- recipes
    model_line = f"model: {out / 'models' / 'tiny-llama'}"
    cal_line = f"calibration: {{source: {out / 'text' / 'valid.jsonl'}, samples: 4, sequence_length: 32, seed: 0}}"
    base_recipe = "\n".join(["name: corpus", model_line, cal_line, "layers: {blocks: 0-0}", "method: {name: rtn, bits: 4}", "output: run"]) + "\n"

    def recipe(n, text, expect="error", names=None, extra=(), usage_ok=False, raw=False):
        p = cp.write(f"recipes/{n}.yaml", text)
        cp.case(f"recipe/{n}", "recipe", ["run", f"{{c}}/recipes/{n}.yaml", "--formats", "json", *extra], expect=expect,
                names=([f"{n}.yaml"] if names is None else names) if expect == "error" else (), usage_ok=usage_ok)

    recipe("valid", base_recipe, expect="ok")
    recipe("valid-compare", base_recipe.replace("method: {name: rtn, bits: 4}", "method: {name: gptq, bits: 3}\ncompare: [rtn, {name: quantease, sweeps: 2}]"), expect="ok")
    recipe("valid-qdec", base_recipe + "qdec: {k_chunk: [0, 8], selection: [bucket, topk], positions: 64}\n", expect="ok")
    recipe("valid-gguf", base_recipe.replace(model_line, f"model: {out / 'gguf' / 'valid.gguf'}"), expect="ok")
    rmuts = {
        "blocks-minus-one": ("layers: {blocks: 0-0}", "layers: {blocks: -1}"),
        "blocks-dashes": ("layers: {blocks: 0-0}", 'layers: {blocks: "--1--"}'),
        "blocks-5-9": ("layers: {blocks: 0-0}", "layers: {blocks: 5-9}"),
        "blocks-huge": ("layers: {blocks: 0-0}", "layers: {blocks: 99999999999999999999}"),
        "blocks-list": ("layers: {blocks: 0-0}", "layers: {blocks: [0, 1]}"),
        "blocks-float": ("layers: {blocks: 0-0}", "layers: {blocks: 0.5}"),
        "include-nothing": ("layers: {blocks: 0-0}", 'layers: {include: ["*.nothing"]}'),
        "include-not-list": ("layers: {blocks: 0-0}", "layers: {include: {a: 1}}"),
        "output-empty": ("output: run", 'output: ""'),
        "name-traversal": ("name: corpus", 'name: "../../../x"'),
        "name-slash": ("name: corpus", 'name: "a/b"'),
        "name-empty": ("name: corpus", 'name: ""'),
        "name-nul": ("name: corpus", 'name: "a\\0b"'),
        "name-long": ("name: corpus", "name: " + "n" * 400),
        "rtn-with-sweeps": ("method: {name: rtn, bits: 4}", "method: {name: rtn, bits: 4, sweeps: 5}"),
        "gptq-with-alpha": ("method: {name: rtn, bits: 4}", "method: {name: gptq, bits: 4, alpha: 1}"),
        "method-unknown": ("method: {name: rtn, bits: 4}", "method: {name: lloyd, bits: 4}"),
        "method-missing": ("method: {name: rtn, bits: 4}\n", ""),
        "method-no-name": ("method: {name: rtn, bits: 4}", "method: {bits: 4}"),
        "method-list": ("method: {name: rtn, bits: 4}", "method: [rtn]"),
        "bits-0": ("bits: 4", "bits: 0"), "bits-99": ("bits: 4", "bits: 99"), "bits-string": ("bits: 4", "bits: four"),
        "bits-float": ("bits: 4", "bits: 4.5"), "bits-negative": ("bits: 4", "bits: -4"), "bits-null": ("bits: 4", "bits: null"),
        "bits-huge": ("bits: 4", "bits: 1e400"),
        "damping-1e100": ("method: {name: rtn, bits: 4}", "method: {name: gptq, bits: 4, damping: 1e100}"),
        "alpha-1e4": ("method: {name: rtn, bits: 4}", "method: {name: quantease-outlier, bits: 3, alpha: 1e4}"),
        "alpha-20": ("method: {name: rtn, bits: 4}", "method: {name: quantease-outlier, bits: 3, alpha: 20}"),
        "damping-nan": ("method: {name: rtn, bits: 4}", "method: {name: gptq, bits: 4, damping: .nan}"),
        "sweeps-inf": ("method: {name: rtn, bits: 4}", "method: {name: quantease, bits: 4, sweeps: .inf}"),
        "samples-zero": ("samples: 4", "samples: 0"), "samples-negative": ("samples: 4", "samples: -1"),
        "seqlen-zero": ("sequence_length: 32", "sequence_length: 0"), "seqlen-past-positions": ("sequence_length: 32", "sequence_length: 129"),
        "seed-negative": ("seed: 0", "seed: -1"), "seed-huge": ("seed: 0", "seed: 18446744073709551616"),
        "source-missing": ("valid.jsonl", "nope.jsonl"), "source-empty": (f"source: {out / 'text' / 'valid.jsonl'}", 'source: ""'),
        "source-dir": (f"source: {out / 'text' / 'valid.jsonl'}", f"source: {out / 'text' / 'dir.jsonl'}"),
        "source-fifo": (f"source: {out / 'text' / 'valid.jsonl'}", f"source: {out / 'text' / 'fifo.jsonl'}"),
        "model-missing-folder": (model_line, "model: /nonexistent/model"),
        "model-unknown-name": (model_line, "model: gpt5"),
        "model-fifo-weights": (model_line, f"model: {out / 'kinds' / 'weights-fifo'}"),
        "model-i8-linear": (model_line, f"model: {out / 'st' / 'linear-dtype-I8'}"),
        "unknown-top-key": ("name: corpus", "name: corpus\nfrobnicate: 1"),
        "unknown-method-key": ("bits: 4}", "bits: 4, frobnicate: 1}"),
        "pipeline-unknown": ("layers:", "pipeline: {mode: sideways}\nlayers:"),
        "pipeline-bool-string": ("layers:", "pipeline: {true_sequential: maybe}\nlayers:"),
        "compare-unknown": ("output:", "compare: [lloyd]\noutput:"),
        "compare-not-list": ("output:", "compare: rtn\noutput:"),
        "compare-bad-setting": ("output:", "compare: [{name: rtn, sweeps: 3}]\noutput:"),
        "compare-self-nested": ("output:", "compare: [[rtn]]\noutput:"),
        "qdec-k-negative": ("output:", "qdec: {k_chunk: [-8]}\noutput:"),
        "qdec-positions-zero": ("output:", "qdec: {k_chunk: [8], positions: 0}\noutput:"),
        "qdec-selection-unknown": ("output:", "qdec: {k_chunk: [8], selection: [psychic]}\noutput:"),
        "duplicate-key": ("name: corpus", "name: corpus\nname: other"),
        "output-parent-is-file": ("output: run", f"output: {out / 'solve' / 'a-file' / 'run'}"),
        "output-sysfs": ("output: run", "output: /sys/quantbench-run"),
    }
    for n, (a, b) in rmuts.items():
        assert a in base_recipe, n
        expect = "any" if n in ("seed-negative", "name-long", "include-nothing", "duplicate-key", "seqlen-past-positions") else "error"
        text = base_recipe.replace(a, b, 1)
        if n.startswith("name-"):
            text = text.replace("output: run\n", "")  # the run folder comes from the name: runs/<name>-<time>
        recipe(n, text, expect=expect, names=None if n not in ("source-missing", "model-missing-folder", "model-i8-linear", "model-fifo-weights",
               "source-fifo", "source-dir", "output-parent-is-file", "output-sysfs", "model-unknown-name", "blocks-5-9") else [])
    raw_recipes = {
        "empty": b"", "only-comment": b"# nothing\n", "not-a-mapping": b"- a\n- b\n", "scalar": b"42\n", "tabs": base_recipe.replace("name:", "\tname:").encode(),
        "binary": bytes(cp.np.integers(0, 256, 2000, dtype=np.uint8)), "invalid-utf8": base_recipe.encode().replace(b"corpus", b"c\xffrpus", 1),
        "bom": b"\xef\xbb\xbf" + base_recipe.encode(), "crlf": base_recipe.replace("\n", "\r\n").encode(),
        "unclosed-flow": b"name: x\nmethod: {name: rtn, bits: 4\n", "unclosed-quote": b'name: "x\nmethod: {name: rtn}\n',
        "deep-flow": b"name: x\nmethod: " + b"[" * 100000 + b"]" * 100000 + b"\n", "deep-block": b"".join(b"  " * i + b"a:\n" for i in range(3000)),
        "alias-bomb": (b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n".encode() for i in range(9))
                       + b"name: corpus\nmethod: {name: rtn, bits: 4}\n"),
        "alias-bomb-compare": (base_recipe.replace("output: run", "compare: [&a [rtn, rtn, rtn, rtn, rtn, rtn, rtn, rtn, rtn], "
                               + ", ".join(f"&{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)) + "]\noutput: run")).encode(),
        "alias-method": base_recipe.replace("method: {name: rtn, bits: 4}", "m: &m {name: rtn, bits: 4}\nmethod: *m").encode(),
        "alias-undefined": base_recipe.replace("method: {name: rtn, bits: 4}", "method: *nope").encode(),
        "merge-key": base_recipe.replace("method: {name: rtn, bits: 4}", "base: &b {name: rtn}\nmethod: {<<: *b, bits: 4}").encode(),
        "tag-python": base_recipe.replace("name: corpus", "name: !!python/object:os.system ls").encode(),
        "multi-document": (base_recipe + "---\n" + base_recipe).encode(), "document-end": (base_recipe + "...\ngarbage: [\n").encode(),
        "huge-file": base_recipe.encode() + b"# " + b"x" * 20_000_000 + b"\n", "long-line": ("name: " + "y" * 2_000_000 + "\n").encode() + base_recipe.encode()[13:],
        "null-bytes": base_recipe.encode().replace(b"\n", b"\0\n", 2), "key-only": b"name\n", "colon-only": b":\n",
    }
    for n, blob in raw_recipes.items():
        expect = "any" if n in ("bom", "crlf", "alias-method", "merge-key", "only-comment", "huge-file", "tag-python", "long-line") else "error"
        recipe(n, blob, expect=expect, names=None if n not in ("alias-bomb", "alias-bomb-compare", "deep-flow", "deep-block") else [])
    cp.case("recipe/missing-file", "recipe", ["run", "{c}/recipes/nope.yaml"], names=["nope.yaml"])
    cp.case("recipe/directory", "recipe", ["run", "{c}/recipes"], names=["recipes"])
    os.mkfifo(cp.path("recipes/fifo.yaml"))
    cp.case("recipe/fifo", "recipe", ["run", "{c}/recipes/fifo.yaml"], names=["fifo.yaml"])
    os.symlink("/dev/zero", cp.path("recipes/dev-zero.yaml"))
    cp.case("recipe/dev-zero", "recipe", ["run", "{c}/recipes/dev-zero.yaml"], names=["dev-zero.yaml"])
    for shipped in sorted((ROOT / "Experiments").glob("*.yaml")):
        text = shipped.read_text()
        # the shipped recipes, cut down: their method sections on the tiny model, one block, few windows
        lines = [ln for ln in text.splitlines() if not ln.startswith(("model:", "calibration:", "layers:", "name:", "output:", "  ")) or ln.startswith("  ") and not any(
            ln.lstrip().startswith(k) for k in ("source:", "samples:", "sequence_length:", "seed:", "include:", "blocks:", "mode:", "true_sequential:", "bounded_memory:"))]
        body = "\n".join(ln for ln in lines if not ln.startswith(("calibration", "layers", "pipeline")))
        recipe(f"shipped-{shipped.stem}", "\n".join([f"name: {shipped.stem}", model_line, cal_line, "layers: {blocks: 0-0}", "output: run", body]) + "\n", expect="any")

    # run folders: resume/report/eval on broken folders, built from a valid run the runner makes first
    cp.case("valid/make-run-folder", "valid", ["quantize", "{c}/models/tiny-llama", "--method", "rtn", "--bits", "4", *calib, "--samples", "4",
            "--seqlen", "32", "--output", "{c}/runs/tiny-llama-rtn", "--no-eval", "--restart"], expect="ok", note="runs first; later cases read its folder",
            first=True)
    for n, action in {"run-json-truncated": ["truncate", "run.json", 40], "run-json-garbage": ["write", "run.json", "{\"status\": 7"],
                      "run-json-missing": ["remove", "run.json"], "layer-file-truncated": ["truncate-first-layer", 100],
                      "layer-file-garbage": ["write-first-layer", "garbage"], "layers-dir-is-file": ["replace-dir", "layers"],
                      "provenance-garbage": ["write", "provenance.json", "[]"], "recipe-garbage": ["write", "recipe.yaml", "::: [\n"],
                      "layer-methods-garbage": ["write", "layer-methods.json", "{\"a\": 1}"], "lock-stale": ["write", "run.lock", "999999"],
                      "lock-garbage": ["write", "run.lock", "not a pid"], "layer-metadata-corrupt": ["corrupt-layer-metadata"]}.items():
        for cmd in ["report", "eval", "resume"]:
            args = {"report": ["report", "{s}/run", "--format", "md,json"], "eval": ["eval", "{c}/models/tiny-llama", "--quantized", "{s}/run", "--samples", "4"],
                    "resume": ["run", "--resume", "{s}/run", "--formats", "json"]}[cmd]
            expect = "any" if n in ("lock-stale", "run-json-missing", "layer-methods-garbage") or (cmd == "report" and n.startswith(("layer", "provenance", "recipe", "lock"))) \
                or (cmd == "eval" and n.startswith(("run-json", "provenance", "recipe-garbage", "lock", "layer-methods"))) or (cmd == "resume" and n.startswith(("layer-file", "run-json", "lock"))) else "error"
            cp.case(f"runfolder/{n}-{cmd}", "run-folder", args, expect=expect,
                    action={"copy_run": "{c}/runs/tiny-llama-rtn", "mutate": action})
    cp.case("runfolder/eval-other-checkpoint", "run-folder", ["eval", "{c}/models/tiny-llama-retrained", "--quantized", "{c}/runs/tiny-llama-rtn", "--samples", "4"],
            note="a run made on another checkpoint with the same shapes")
    arrs = st_load_arrays(FIXTURES / "models/tiny-llama/model.safetensors")
    for k in arrs:
        arrs[k] = (arrs[k] * -1.0).astype(np.float32) if "proj" in k else arrs[k]
    tiny_model("models/tiny-llama-retrained", "tiny-llama", weights=st_arrays(arrs, {"format": "pt"}))

    # faults while running: SIGTERM, truncation of the checkpoint while a run reads it
    if minilm.exists():
        d = cp.path("faults/minilm-copy")
        d.mkdir(parents=True, exist_ok=True)
        for f in minilm.iterdir():
            if f.is_file() and f.name != "model.safetensors":
                shutil.copyfile(f, d / f.name)
        cp.case("faults/sigterm-during-quantize", "faults", ["quantize", "minilm", "--method", "quantease", "--bits", "3", "--samples", "16",
                "--output", "{s}/run", "--no-eval"], action={"signal": 15, "after": 4.0}, note="SIGTERM must not exit 0")
        cp.case("faults/sighup-during-quantize", "faults", ["quantize", "minilm", "--method", "quantease", "--bits", "3", "--samples", "16",
                "--output", "{s}/run", "--no-eval"], action={"signal": 1, "after": 4.0})
        cp.case("faults/truncate-checkpoint-while-reading", "faults", ["quantize", "{s}/model", "--method", "gptq", "--bits", "3", "--samples", "16",
                "--output", "{s}/run", "--no-eval"], action={"copy_model": str(minilm), "truncate": "model.safetensors", "after": 3.0, "size": 4096},
                names=["model.safetensors"], note="mmap + truncation: SIGBUS")
        shutil.rmtree(d)

    (out / "cases.json").write_text(json.dumps({"seed": seed, "cases": cp.cases}, indent=1))
    return cp.cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=14)
    a = ap.parse_args()
    cases = build(a.out.resolve(), a.seed)
    by = {}
    for c in cases:
        by[c["category"]] = by.get(c["category"], 0) + 1
    print(f"{len(cases)} cases in {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))


if __name__ == "__main__":
    sys.exit(main())
