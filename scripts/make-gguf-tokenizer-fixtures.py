#!/usr/bin/env python3
"""Builds the GGUF tokenizer fixtures for Tests/ModelKitTests.

The reference is transformers' tokenizer loaded from a GGUF file
(`AutoTokenizer.from_pretrained(folder, gguf_file=name)`), which rebuilds a Hugging Face tokenizer
from the `tokenizer.ggml.*` metadata.

1. Writes small vocabulary-only GGUF files with gguf's GGUFWriter, laid out as llama.cpp's
   converter lays them out:
   - botchan-bpe, botchan-unigram: `tokenizer.ggml.model = llama` from the two SentencePiece models
     that ship in the sentencepiece source distribution (downloaded with pip, never installed);
   - botchan-bytes: `llama`, from a SentencePiece BPE model trained here on the same package's
     botchan.txt with byte fallback, a user-defined `<tool>` and control `<|im_start|>`/`<|im_end|>`;
   - gpt2-bpe: `tokenizer.ggml.model = gpt2` from the trained byte-level BPE in
     Fixtures/tokenizers/gpt2-bpe/tokenizer.json.
2. Encodes every string of Fixtures/tokenizers/strings.json, plus the GGUF-specific strings below, with
   each of them, with some metadata overridden (other `tokenizer.ggml.pre` values, BOS/EOS flags), and
   with the real SmolLM2-135M-Instruct GGUF from the model cache (not copied into the repository),
   with and without special tokens, and decoded; adds the pieces each split regex transformers
   picks by `tokenizer.ggml.pre` cuts the strings into; writes expected.json.

Usage: scripts/fetch-demo-lm.sh, then, in a Python with transformers, gguf and sentencepiece:
       python3 scripts/make-gguf-tokenizer-fixtures.py [--smollm2 PATH]
"""

import argparse
import importlib.metadata
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile

import gguf
import sentencepiece
import transformers
from tokenizers import Regex, pre_tokenizers
from transformers import AutoTokenizer
from transformers.integrations.gguf.gguf_tokenizer_mapping import GGUF_PRE_TOKENIZER_SPLITS

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ModelKitTests" / "Fixtures"
OUT = FIXTURES / "gguf-tokenizers"
SENTENCEPIECE_SDIST = "sentencepiece==0.2.3"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

EXTRA_STRINGS = [
    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|><|im_end|><|endoftext|>",
    " <|im_start|> spaced <|im_end|> ",
    "<repo_name>quantbench<file_sep>main.swift<filename>x",
    "Pi is 3.14, e is 2.71828, and 1234567 is a number; 0.5% of 1,234.",
    "code: `x = [i**2 for i in range(10)]`\n\treturn {'a': 1}\n",
    "Hello world, 1234567 and 3.14 héllo",
    "<s> bos <unk> x</s><|im_start|>hi<tool>x",
    "  two  spaces",
    "Ünïcödé naïveté — “quotes” ‘single’ … 日本語 😀🎉",
    "don't won't shouldn't y'all it's 'quoted'",
]

# The byte-level fixture read with other pre-tokenizer names whose ids differ from its own on the strings.
GPT2_PRE_VARIANTS = ["llama-bpe", "qwen2"]


def model_cache():
    if os.environ.get("QUANTBENCH_HOME"):
        return pathlib.Path(os.environ["QUANTBENCH_HOME"]) / "models"
    if os.environ.get("XDG_CACHE_HOME"):
        return pathlib.Path(os.environ["XDG_CACHE_HOME"]) / "quantbench" / "models"
    return pathlib.Path.home() / ".cache" / "quantbench" / "models"


def sentencepiece_test_data(work):
    """The test/ folder of the sentencepiece source distribution."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", "sentencepiece",
                    "--no-build-isolation", SENTENCEPIECE_SDIST, "-d", str(work)], check=True)
    sdist = next(work.glob("sentencepiece-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if "/test/" in m.name and m.isfile()]
        archive.extractall(work, members=members, filter="data")
    return next(work.glob("sentencepiece-*/test"))


def write_gguf(path, model, pre, tokens, types, scores=None, merges=None, bos=None, eos=None, unk=None, pad=None,
               add_bos=None, add_eos=None):
    """A vocabulary-only GGUF; the few llama.* keys are there because transformers reads a config too."""
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_context_length(64)
    writer.add_embedding_length(8)
    writer.add_feed_forward_length(16)
    writer.add_head_count(1)
    writer.add_tokenizer_model(model)
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    if scores is not None:
        writer.add_token_scores(scores)
    if merges is not None:
        writer.add_token_merges(merges)
    for value, add in ((bos, writer.add_bos_token_id), (eos, writer.add_eos_token_id),
                       (unk, writer.add_unk_token_id), (pad, writer.add_pad_token_id)):
        if value is not None:
            add(value)
    if add_bos is not None:
        writer.add_add_bos_token(add_bos)
    if add_eos is not None:
        writer.add_add_eos_token(add_eos)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()


def sentencepiece_gguf(model_file, user_defined=()):
    """The `llama` vocabulary llama.cpp's converter writes for a SentencePiece model."""
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
    tokens, scores, types = [], [], []
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        kind = gguf.TokenType.NORMAL
        if sp.is_unknown(i):
            kind = gguf.TokenType.UNKNOWN
        elif sp.is_control(i):
            kind = gguf.TokenType.CONTROL
        elif sp.is_unused(i):
            kind = gguf.TokenType.UNUSED
        elif sp.is_byte(i):
            kind = gguf.TokenType.BYTE
        elif piece in user_defined:
            kind = gguf.TokenType.USER_DEFINED
        tokens.append(piece)
        scores.append(sp.get_score(i))
        types.append(kind)
    pad = sp.pad_id() if sp.pad_id() >= 0 else None
    return dict(model="llama", pre="default", tokens=tokens, types=types, scores=scores,
                bos=sp.bos_id(), eos=sp.eos_id(), unk=sp.unk_id(), pad=pad, add_bos=True, add_eos=False)


def byte_level_gguf(tokenizer_json):
    """The `gpt2` vocabulary of a byte-level tokenizer.json: added special tokens become control tokens,
    the others user-defined."""
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    vocab = dict(data["model"]["vocab"])
    kinds = {}
    for added in data["added_tokens"]:
        vocab[added["content"]] = added["id"]
        kinds[added["content"]] = gguf.TokenType.CONTROL if added["special"] else gguf.TokenType.USER_DEFINED
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    assert [vocab[t] for t in tokens] == list(range(len(tokens)))
    merges = [m if isinstance(m, str) else " ".join(m) for m in data["model"]["merges"]]
    eot = vocab["<|endoftext|>"]
    return dict(model="gpt2", pre="gpt-2", tokens=tokens, types=[kinds.get(t, gguf.TokenType.NORMAL) for t in tokens],
                merges=merges, bos=eot, eos=eot, unk=None, pad=None, add_bos=None, add_eos=None)


def golden(folder, name, strings):
    """The reference encodings of `strings`, one case per string in the same order."""
    tok = AutoTokenizer.from_pretrained(str(folder), gguf_file=name)
    cases = []
    for text in strings:
        ids = tok(text)["input_ids"]
        cases.append({
            "ids": ids,
            "ids_plain": tok(text, add_special_tokens=False)["input_ids"],
            "decoded": tok.decode(ids, skip_special_tokens=True),
            "decoded_all": tok.decode(ids, skip_special_tokens=False),
        })
    roles = {"bos": tok.bos_token_id, "eos": tok.eos_token_id, "unk": tok.unk_token_id, "pad": tok.pad_token_id}
    return {"vocab_size": len(tok), "special_ids": roles, "cases": cases}


def splits(strings):
    """transformers' split regex of each `tokenizer.ggml.pre`, grouped by regex, with the pieces that
    regex cuts every string into."""
    groups = {}
    for name, pattern in GGUF_PRE_TOKENIZER_SPLITS.items():
        groups.setdefault(pattern, []).append(name)
    result = []
    for pattern, names in groups.items():
        splitter = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
        result.append({"pattern": pattern, "names": names,
                       "pieces": [[piece for piece, _ in splitter.pre_tokenize_str(text)] for text in strings]})
    return result


def dump(expected):
    """JSON with one line per case, so a regenerated file diffs by string."""
    def line(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{", f' "generator": {line(expected["generator"])},', ' "strings": [']
    out.append(",\n".join(f"  {line(text)}" for text in expected["strings"]))
    out += [" ],", ' "tokenizers": {']
    names = list(expected["tokenizers"])
    for n, name in enumerate(names):
        entry = expected["tokenizers"][name]
        out.append(f"  {line(name)}: {{")
        for key in ("file", "vocab_size", "special_ids"):
            out.append(f"   {line(key)}: {line(entry[key])},")
        out.append('   "cases": [')
        out.append(",\n".join(f"    {line(case)}" for case in entry["cases"]))
        out.append("   ]")
        out.append("  }" + ("," if n + 1 < len(names) else ""))
    out += [" },", ' "variants": [']
    variants = expected["variants"]
    for n, variant in enumerate(variants):
        out.append(f'  {{"base": {line(variant["base"])}, "overrides": {line(variant["overrides"])}, "ids": [')
        out.append(",\n".join(f"    {line(ids)}" for ids in variant["ids"]))
        out.append("  ]}" + ("," if n + 1 < len(variants) else ""))
    out += [" ],", ' "splits": [']
    groups = expected["splits"]
    for n, group in enumerate(groups):
        out.append(f'  {{"pattern": {line(group["pattern"])}, "names": {line(group["names"])}, "pieces": [')
        out.append(",\n".join(f"    {line(pieces)}" for pieces in group["pieces"]))
        out.append("  ]}" + ("," if n + 1 < len(groups) else ""))
    out += [" ]", "}"]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smollm2", type=pathlib.Path,
                        default=model_cache() / "SmolLM2-135M-Instruct" / SMOLLM2_FILE,
                        help="the SmolLM2-135M-Instruct GGUF (default: the model cache)")
    args = parser.parse_args()

    strings = json.loads((FIXTURES / "tokenizers" / "strings.json").read_text(encoding="utf-8")) + EXTRA_STRINGS
    generator = f"transformers {transformers.__version__}, gguf {importlib.metadata.version('gguf')}"
    expected = {"generator": generator, "strings": strings, "tokenizers": {}, "variants": [],
                "splits": splits(strings)}
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = pathlib.Path(scratch)
        test_data = sentencepiece_test_data(work)
        sentencepiece.SentencePieceTrainer.train(
            input=str(test_data / "botchan.txt"), model_prefix=str(work / "bytes"), vocab_size=1000,
            model_type="bpe", byte_fallback=True, user_defined_symbols=["<tool>"],
            control_symbols=["<|im_start|>", "<|im_end|>"], num_threads=1, minloglevel=2)
        files = {
            "botchan-bpe": sentencepiece_gguf(test_data / "botchan_en_bpe_1000.model"),
            "botchan-unigram": sentencepiece_gguf(test_data / "botchan_en_unigram_1000.model"),
            "botchan-bytes": sentencepiece_gguf(work / "bytes.model", user_defined=("<tool>",)),
            "gpt2-bpe": byte_level_gguf(FIXTURES / "tokenizers" / "gpt2-bpe" / "tokenizer.json"),
        }
        for name, fields in files.items():
            write_gguf(OUT / f"{name}.gguf", **fields)
            entry = {"file": f"{name}.gguf"}
            entry.update(golden(OUT, f"{name}.gguf", strings))
            expected["tokenizers"][name] = entry
            print(f"{name}: vocab {entry['vocab_size']}")

        # The same files with some metadata overridden, encoded with special tokens only.
        variants = [("botchan-bytes", {"tokenizer.ggml.add_bos_token": False, "tokenizer.ggml.add_eos_token": True})]
        variants += [("gpt2-bpe", {"tokenizer.ggml.pre": pre}) for pre in GPT2_PRE_VARIANTS]
        fields_of_key = {"tokenizer.ggml.pre": "pre", "tokenizer.ggml.add_bos_token": "add_bos",
                         "tokenizer.ggml.add_eos_token": "add_eos"}
        for name, overrides in variants:
            fields = dict(files[name])
            fields.update({fields_of_key[key]: value for key, value in overrides.items()})
            write_gguf(work / "variant.gguf", **fields)
            tok = AutoTokenizer.from_pretrained(str(work), gguf_file="variant.gguf")
            expected["variants"].append({"base": name, "overrides": overrides,
                                         "ids": [tok(text)["input_ids"] for text in strings]})

    smollm2 = {"file": None}
    smollm2.update(golden(args.smollm2.parent, args.smollm2.name, strings))
    expected["tokenizers"]["SmolLM2-135M-Instruct"] = smollm2
    (OUT / "expected.json").write_text(dump(expected), encoding="utf-8")


if __name__ == "__main__":
    main()
