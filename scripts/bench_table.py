#!/usr/bin/env python3
"""Turns `quantbench bench` JSON into the README's Markdown tables."""
import json
import sys


def fmt_s(x):
    return "–" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def main():
    report = json.load(open(sys.argv[1]))
    m = report["machine"]
    print(f"Measured on {m['cpu']}, {m['cores']} cores, {m['blas']}, {m['build']} build, seed {report['seed']}.\n")
    print("| shape (out×in) | bits | method | quantbench s | numpy s | speed-up | rel_err | numpy rel_err |")
    print("|---|---|---|---|---|---|---|---|")
    for r in report["speed"]:
        ref_s = r.get("reference_seconds")
        note = r.get("reference_note")
        speed = f"{r['speedup']:.1f}×" if r.get("speedup") else "–"
        if note and "extrapolated" in note:
            speed += "ᵉ"
        ref_err = r.get("reference_rel_err")
        bits = f"{r['bits_per_weight']:.3f}" if "aqlm" in r["method"] else r["bits"]
        print(f"| {r['shape'][0]}×{r['shape'][1]} | {bits} | {r['method']} | {fmt_s(r['seconds'])} | "
              f"{fmt_s(ref_s)} | {speed} | {r['rel_err']:.5f} | {'–' if ref_err is None else f'{ref_err:.5f}'} |")
    if report["quality"]:
        bits = sorted({r['bits'] for r in report['quality']})
        print("\n| method | " + " | ".join(f"{b}-bit rel_err" for b in bits) + " |")
        print("|---|" + "---|" * len(bits))
        methods = []
        for r in report["quality"]:
            if r["method"] not in methods:
                methods.append(r["method"])
        for meth in methods:
            rows = {r["bits"]: r for r in report["quality"] if r["method"] == meth}

            def cell(b):
                if b not in rows:
                    return "–"
                r = rows[b]
                extra = f" ({r['bits_per_weight']:.2f} b/w)" if "aqlm" in meth else ""
                return f"{r['rel_err']:.4f}{extra}"
            print(f"| {meth} | " + " | ".join(cell(b) for b in bits) + " |")


if __name__ == "__main__":
    main()
