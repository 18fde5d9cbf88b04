#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/Seeds/<target>/) from the test fixtures and the shipped
recipes: small valid inputs the fuzzer starts mutating from. Tokenizer files are cut down to 64 tokens."""
import json, pathlib, shutil, struct

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "Tests/ModelKitTests/Fixtures"
seeds = root / "Fuzz/Seeds"
shutil.rmtree(seeds, ignore_errors=True)

def put(target, name, data):
    path = seeds / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())

for f in ["safetensors/reference.safetensors", "safetensors/tiny-llama-sharded/model-00001-of-00002.safetensors",
          "safetensors/tiny-llama-sharded/model-00002-of-00002.safetensors"]:
    put("FuzzSafetensors", pathlib.Path(f).name, (fixtures / f).read_bytes())
header = b'{"__metadata__":{"format":"pt"},"a":{"dtype":"F16","shape":[2,0],"data_offsets":[0,0]},' \
         b'"b":{"dtype":"I8","shape":[3],"data_offsets":[0,3]}}'
put("FuzzSafetensors", "metadata-and-empty.safetensors", len(header).to_bytes(8, "little") + header + b"\x01\x02\x03")

for f in ["gguf/blocks.gguf", "gguf/blocks-v2.gguf"]:
    put("FuzzGGUF", pathlib.Path(f).name, (fixtures / f).read_bytes())

def gguf(entries, tensors=(("token_embd.weight", (4, 2)),)):
    """A GGUF v3 file: key/values (key, type id, payload bytes), F32 tensor infos and zeroed data."""
    def string(text): return struct.pack("<Q", len(text.encode())) + text.encode()
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(entries))
    for key, tag, payload in entries: out += string(key) + struct.pack("<I", tag) + payload
    offset = 0
    for name, dims in tensors:
        out += string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", 0, offset)
        offset += 4 * dims[0] * dims[1]
    return out + bytes(-len(out) % 32) + bytes(offset)

def array(tag, items, fmt=None):
    body = b"".join(struct.pack("<Q", len(i.encode())) + i.encode() if fmt is None else struct.pack(fmt, i) for i in items)
    return struct.pack("<IQ", tag, len(items)) + body

STRING, ARRAY, UINT32, INT32, FLOAT32, BOOL = 8, 9, 4, 5, 6, 7
def text(value): return struct.pack("<Q", len(value.encode())) + value.encode()
bpe_tokens = ["<|endoftext|>"] + list("abcdehilnorstw") + ["\u0120", "\u0120t", "th", "\u0120the", "he", "ll", "llo"]
put("FuzzGGUF", "tiny-gpt2-tokenizer.gguf", gguf([
    ("general.architecture", STRING, text("llama")),
    ("tokenizer.ggml.model", STRING, text("gpt2")),
    ("tokenizer.ggml.pre", STRING, text("smollm")),
    ("tokenizer.ggml.tokens", ARRAY, array(STRING, bpe_tokens)),
    ("tokenizer.ggml.token_type", ARRAY, array(INT32, [3] + [1] * (len(bpe_tokens) - 1), "<i")),
    ("tokenizer.ggml.merges", ARRAY, array(STRING, ["\u0120 t", "t h", "\u0120t he", "h e", "l l", "ll o"])),
    ("tokenizer.ggml.bos_token_id", UINT32, struct.pack("<I", 0)),
    ("tokenizer.ggml.eos_token_id", UINT32, struct.pack("<I", 0)),
]))
sp_tokens = ["<unk>", "<s>", "</s>", "<0x0A>", "<0x41>", "\u2581", "\u2581t", "he", "\u2581the", "a", "e", "h", "t"]
put("FuzzGGUF", "tiny-llama-tokenizer.gguf", gguf([
    ("general.alignment", UINT32, struct.pack("<I", 32)),
    ("tokenizer.ggml.model", STRING, text("llama")),
    ("tokenizer.ggml.tokens", ARRAY, array(STRING, sp_tokens)),
    ("tokenizer.ggml.scores", ARRAY, array(FLOAT32, [0.0, 0, 0, 0, 0, -1, -2, -3, -4, -5, -6, -7, -8], "<f")),
    ("tokenizer.ggml.token_type", ARRAY, array(INT32, [2, 3, 3, 6, 6] + [1] * 8, "<i")),
    ("tokenizer.ggml.add_bos_token", BOOL, b"\x01"),
    ("tokenizer.ggml.unknown_token_id", UINT32, struct.pack("<I", 0)),
]))

def shrink(config, keep=64):
    """The same tokenizer with its first `keep` tokens and the merges among them."""
    model = config["model"]
    if isinstance(model.get("vocab"), dict):
        vocab = dict(sorted(model["vocab"].items(), key=lambda kv: kv[1])[:keep])
        model["vocab"] = vocab
        if "merges" in model:
            def parts(m): return m.split(" ", 1) if isinstance(m, str) else m
            model["merges"] = [m for m in model["merges"]
                               if all(p in vocab for p in parts(m)) and "".join(parts(m)) in vocab][:keep]
    config["added_tokens"] = config.get("added_tokens", [])[:8]
    return json.dumps(config, ensure_ascii=False, indent=1)

for folder in sorted((fixtures / "tokenizers").iterdir()):
    if (folder / "tokenizer.json").exists():
        put("FuzzTokenizerJSON", folder.name + ".json", shrink(json.loads((folder / "tokenizer.json").read_text())))

texts = json.loads((fixtures / "tokenizers/strings.json").read_text())
for i, text in enumerate(texts[:24]):
    put("FuzzTokenizerEncode", f"text-{i:02d}", bytes([i % 12]) + text.encode())

for recipe in sorted((root / "Experiments").glob("*.yaml")):
    put("FuzzRecipe", recipe.name, recipe.read_bytes())
