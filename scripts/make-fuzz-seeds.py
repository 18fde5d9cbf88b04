#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/Seeds/<target>/) from the test fixtures and the shipped
recipes: small valid inputs the fuzzer starts mutating from. Tokenizer files are cut down to 64 tokens."""
import json, pathlib, shutil

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

for f in ["gguf/blocks.gguf", "gguf/blocks-v2.gguf", "gguf-tokenizers/botchan-bpe.gguf"]:
    put("FuzzGGUF", pathlib.Path(f).name, (fixtures / f).read_bytes())

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
