#!/usr/bin/env python3
"""Builds the golden tokenizer fixtures for Tests/ModelKitTests.

1. Trains small tokenizers with the Hugging Face `tokenizers` library on the
   documentation topics that ship with python3 (`pydoc_data.topics`, read at
   run time) and saves their tokenizer.json files (plus vocab.json/merges.txt
   for the OPT-style one).
2. Encodes every string of strings.json with each trained tokenizer and with
   the real all-MiniLM-L6-v2 tokenizer.json from the demo model folder (which
   is not copied into the repository), with and without special tokens,
   truncated, and decoded, and writes expected.json.

Usage: pip install tokenizers && python3 scripts/make-tokenizer-fixtures.py [--minilm PATH]

The BPE trainers are deterministic; the WordPiece trainer breaks ties in hash order, so a rerun may
change bert-wp's vocabulary. Its tokenizer.json and expected.json are always written together.
"""

import argparse
import json
import os
import pathlib
import shutil

import pydoc_data.topics
import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
from tokenizers import pre_tokenizers, processors, trainers

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ModelKitTests" / "Fixtures" / "tokenizers"
TRUNCATION = 12

GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_PATTERN = LLAMA3_PATTERN.replace(r"\p{N}{1,3}", r"\p{N}")


def corpus():
    """Paragraphs of the python documentation topics, in a fixed order."""
    topics = pydoc_data.topics.topics
    for key in sorted(topics):
        for paragraph in topics[key].split("\n\n"):
            if paragraph.strip():
                yield paragraph


def train(tokenizer, trainer):
    tokenizer.train_from_iterator(corpus(), trainer=trainer)
    return tokenizer


def gpt2_style():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = trainers.BpeTrainer(
        vocab_size=2000,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    train(tok, trainer)
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_tokens([AddedToken("<tool>", single_word=True, normalized=False)])
    tok.add_special_tokens([AddedToken("[[mask]]", lstrip=True, rstrip=True)])
    return tok, {"bos": "<|endoftext|>", "eos": "<|endoftext|>"}


def llama3_style():
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    trainer = trainers.BpeTrainer(
        vocab_size=2000,
        special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    train(tok, trainer)
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A",
            pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
            special_tokens=[("<|begin_of_text|>", bos)],
        ),
    ])
    tok.decoder = decoders.ByteLevel()
    return tok, {"bos": "<|begin_of_text|>", "eos": "<|end_of_text|>"}


def opt_style():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=1500,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    train(tok, trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="</s> $A", pair="</s> $A </s> $B", special_tokens=[("</s>", tok.token_to_id("</s>"))]
    )
    tok.decoder = decoders.ByteLevel()
    return tok, {"bos": "</s>", "eos": "</s>", "pad": "<pad>", "unk": "<unk>"}


def sentencepiece_vocab(tok):
    """Llama-2 layout: <unk> <s> </s>, then the 256 byte tokens, then the learned pieces."""
    data = json.loads(tok.to_str())
    learned = sorted(data["model"]["vocab"].items(), key=lambda item: item[1])
    specials = [piece for piece, _ in learned[:3]]
    assert specials == ["<unk>", "<s>", "</s>"], specials
    pieces = specials + [f"<0x{b:02X}>" for b in range(256)]
    pieces += [piece for piece, _ in learned[3:] if piece not in pieces]
    data["model"]["vocab"] = {piece: i for i, piece in enumerate(pieces)}
    return Tokenizer.from_str(json.dumps(data))


def sentencepiece_trained(vocab_size, byte_fallback):
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=byte_fallback))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<unk>", "<s>", "</s>"],
        limit_alphabet=120,
        show_progress=False,
    )
    return train(tok, trainer)


def llama2_style():
    tok = sentencepiece_vocab(sentencepiece_trained(1200, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = None
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 1)]
    )
    tok.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0),
    ])
    return tok, {"bos": "<s>", "eos": "</s>", "unk": "<unk>"}


def metaspace_style():
    tok = sentencepiece_trained(800, byte_fallback=False)
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))],
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    return tok, {"bos": "<s>", "eos": "</s>", "unk": "<unk>"}


def bert_style():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=False
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=1500,
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        limit_alphabet=150,
        show_progress=False,
    )
    train(tok, trainer)
    tok.post_processor = processors.BertProcessing(
        ("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]"))
    )
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.add_tokens([AddedToken("Ångström-unit", normalized=True)])
    return tok, {"cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]"}


def splits(strings):
    """The pieces each pre-tokenization regex cuts every string into."""
    patterns = {"gpt2": GPT2_PATTERN, "llama3": LLAMA3_PATTERN, "qwen2": QWEN2_PATTERN}
    result = {}
    for name, pattern in patterns.items():
        splitter = pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False)
        result[name] = {"pattern": pattern,
                        "pieces": [[piece for piece, _ in splitter.pre_tokenize_str(text)] for text in strings]}
    return result


def misc_wordpiece(bert):
    """bert-wp's vocabulary behind other normalizers, pre-tokenizers and a RoBERTa-style post-processor."""
    tok = Tokenizer.from_str(bert.to_str())
    tok.normalizer = normalizers.Sequence([
        normalizers.NFKD(), normalizers.StripAccents(), normalizers.Replace(Regex(r"[0-9]{4,}"), "#"),
        normalizers.Lowercase(), normalizers.Strip(left=True, right=True),
    ])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Punctuation(behavior="contiguous"),
    ])
    tok.post_processor = processors.RobertaProcessing(
        ("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]"))
    )
    return tok, {"cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]"}


def word_level(bert):
    """A WordLevel model over bert-wp's whole words, with no decoder and no post-processor."""
    words = [token for token in json.loads(bert.to_str())["model"]["vocab"] if not token.startswith("##")]
    tok = Tokenizer(models.WordLevel({word: i for i, word in enumerate(words)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace("’", "'")])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Split("'", behavior="merged_with_next"),
        pre_tokenizers.Split(Regex(r"[^\w']+"), behavior="isolated"),
        pre_tokenizers.Digits(individual_digits=False),
    ])
    return tok, {"unk": "[UNK]"}


def demo_model_dir():
    if os.environ.get("QUANTBENCH_HOME"):
        base = pathlib.Path(os.environ["QUANTBENCH_HOME"])
    elif os.environ.get("XDG_CACHE_HOME"):
        base = pathlib.Path(os.environ["XDG_CACHE_HOME"]) / "quantbench"
    else:
        base = pathlib.Path.home() / ".cache" / "quantbench"
    return base / "models" / "all-MiniLM-L6-v2"


def golden(tok, roles, strings):
    tok.no_padding()
    tok.no_truncation()
    cases = []
    for text in strings:
        ids = tok.encode(text).ids
        plain = tok.encode(text, add_special_tokens=False).ids
        tok.enable_truncation(max_length=TRUNCATION)
        truncated = tok.encode(text).ids
        tok.no_truncation()
        cases.append({
            "text": text,
            "ids": ids,
            "ids_plain": plain,
            "ids_truncated": truncated,
            "decoded": tok.decode(ids, skip_special_tokens=True),
        })
    return {
        "vocab_size": tok.get_vocab_size(with_added_tokens=True),
        "special_ids": {role: tok.token_to_id(token) for role, token in roles.items()},
        "cases": cases,
    }


def dump(expected):
    """JSON with one line per golden case, so a regenerated file diffs by string."""
    def line(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{", f' "generator": {line(expected["generator"])},', f' "truncation": {expected["truncation"]},',
           ' "splits": {']
    for n, (name, entry) in enumerate(expected["splits"].items()):
        out.append(f"  {line(name)}: {{")
        out.append(f'   "pattern": {line(entry["pattern"])},')
        out.append('   "pieces": [')
        out.append(",\n".join(f"    {line(pieces)}" for pieces in entry["pieces"]))
        out.append("   ]")
        out.append("  }" + ("," if n + 1 < len(expected["splits"]) else ""))
    out.append(" },")
    out.append(' "tokenizers": {')
    names = list(expected["tokenizers"])
    for n, name in enumerate(names):
        entry = expected["tokenizers"][name]
        out.append(f"  {line(name)}: {{")
        out.append(f'   "vocab_size": {entry["vocab_size"]},')
        out.append(f'   "special_ids": {line(entry["special_ids"])},')
        out.append('   "cases": [')
        cases = [f"    {line(case)}" for case in entry["cases"]]
        out.append(",\n".join(cases))
        out.append("   ]")
        out.append("  }" + ("," if n + 1 < len(names) else ""))
    out.append(" }")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minilm", type=pathlib.Path, default=demo_model_dir() / "tokenizer.json",
                        help="the all-MiniLM-L6-v2 tokenizer.json (default: the demo model folder)")
    args = parser.parse_args()

    strings = json.loads((FIXTURES / "strings.json").read_text(encoding="utf-8"))
    builders = {
        "gpt2-bpe": gpt2_style,
        "llama3-bpe": llama3_style,
        "opt-bpe": opt_style,
        "llama2-sp": llama2_style,
        "metaspace-bpe": metaspace_style,
        "bert-wp": bert_style,
    }
    expected = {"generator": f"tokenizers {tokenizers.__version__}", "truncation": TRUNCATION, "tokenizers": {},
                "splits": splits(strings)}
    built = {}
    derived = {"misc-wp": misc_wordpiece, "word-level": word_level}
    for name, build in list(builders.items()) + list(derived.items()):
        tok, roles = build() if name in builders else build(built["bert-wp"])
        built[name] = tok
        folder = FIXTURES / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        tok.save(str(folder / "tokenizer.json"), pretty=False)
        if name == "opt-bpe":
            tok.model.save(str(folder))
        expected["tokenizers"][name] = golden(Tokenizer.from_file(str(folder / "tokenizer.json")), roles, strings)
        print(f"{name}: vocab {tok.get_vocab_size()}")

    minilm = Tokenizer.from_file(str(args.minilm))
    expected["tokenizers"]["all-MiniLM-L6-v2"] = golden(
        minilm, {"cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]"}, strings
    )
    (FIXTURES / "expected.json").write_text(dump(expected), encoding="utf-8")


if __name__ == "__main__":
    main()
