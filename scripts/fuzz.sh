#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, fuzzer + address sanitizers) and runs each for FUZZ_SECONDS
# (default 60), one after the other, from its committed seeds in Fuzz/Seeds/<target> plus the corpus earlier
# runs grew in .build-fuzz/corpus/<target>. A crash, a trap, a sanitizer report, a timeout or running out of
# memory leaves the input in fuzz-findings/ and makes the script fail after the last target has run.
# FUZZ_TARGETS picks targets (default all five).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-FuzzSafetensors FuzzGGUF FuzzTokenizerJSON FuzzTokenizerEncode FuzzRecipe}
build=.build-fuzz
findings=fuzz-findings

# Longest input per target: a little over the largest seed.
declare -A max_len=([FuzzSafetensors]=4096 [FuzzGGUF]=16384 [FuzzTokenizerJSON]=16384 [FuzzTokenizerEncode]=1024 [FuzzRecipe]=4096)
declare -A dict=([FuzzSafetensors]=safetensors [FuzzGGUF]=gguf [FuzzTokenizerJSON]=tokenizer-json
                 [FuzzTokenizerEncode]=tokenizer-encode [FuzzRecipe]=recipe)

# One `-sanitize=fuzzer,address`: SwiftPM's `--sanitize fuzzer --sanitize address` hands swiftc two `-sanitize=`
# flags in no fixed order and the last one wins, so half the builds had no coverage counters. `--sanitize fuzzer`
# stays for the C code (libyaml) and for the link (libFuzzer's `main`).
${SWIFT:-swift} build -c release --package-path Fuzz --build-path "$build" --sanitize fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address -Xswiftc -parse-as-library || exit 1

# libFuzzer and ASan report a fault themselves; Swift's backtracer would only slow each crash down. Leak checks
# are off: LeakSanitizer cannot follow the pointers Swift keeps in enum payloads (spare bits hold the case), so
# it reports the tokenizers loaded once per process as leaked.
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
mkdir -p "$findings"
failed=()
summary=()
for target in $targets; do
    corpus="$build/corpus/$target"
    log="$build/logs/$target.log"
    mkdir -p "$corpus" "$(dirname "$log")"
    echo "fuzz: $target for ${seconds}s (log in $log)"
    start=$(date +%s)
    "$build/release/$target" "$corpus" "Fuzz/Seeds/$target" -dict="Fuzz/Dictionaries/${dict[$target]}.dict" \
        -max_len="${max_len[$target]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="$findings/$target-" -print_final_stats=1 > "$log" 2>&1
    status=$?
    elapsed=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    if [ "$status" -eq 0 ]; then result="no findings"; else result="FINDING (exit $status)"; failed+=("$target"); fi
    summary+=("$(printf '%-20s %4ss  %10s runs  %-9s corpus %5s  %s' "$target" "$elapsed" "${runs:-?}" "${cov:-cov: ?}" "$files" "$result")")
    [ "$status" -eq 0 ] || grep -E 'ERROR|Fatal error|Test unit written|SUMMARY' "$log" | head -8
done
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then echo "fuzz: findings in ${failed[*]} (inputs in $findings/)"; exit 1; fi
