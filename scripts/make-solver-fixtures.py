#!/usr/bin/env python3
"""Writes the QuantCore parity fixtures: layer problems and the answers of the numpy reference ports
(Reference/quant_algos_ref.py) for GPTQ, QuantEase, outlier-aware QuantEase and RTN.

Layout: Tests/QuantCoreTests/Fixtures/solvers/manifest.json names every array (dtype, shape, byte offset)
in data.bin (little-endian). Quantized results are stored as float16: enough to recover every integer
code (|error| < 0.004 of a grid step), half the size of float32.

Run from the repository root: python3 scripts/make-solver-fixtures.py
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Reference"))
import quant_algos_ref as ref  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synthetic_problem import correlated_problem  # noqa: E402

OUT = os.path.join("Tests", "QuantCoreTests", "Fixtures", "solvers")


def main():
    os.makedirs(OUT, exist_ok=True)
    arrays, cases = [], []
    blob = bytearray()

    def put(name, a, dtype):
        a = np.ascontiguousarray(a, dtype=dtype)
        arrays.append({"name": name, "dtype": np.dtype(dtype).name, "shape": list(a.shape), "offset": len(blob)})
        blob.extend(a.tobytes())

    for label, (q, p, seed) in {"A": (40, 144, 1), "B": (48, 320, 2)}.items():
        W, S = correlated_problem(q, p, tokens=4 * p, seed=seed, outlier_channels=3, dead_columns=[p // 3])
        S = S.astype(np.float32).astype(np.float64)        # stored as float32; the ports see the same values
        put(f"{label}/W", W, np.float32)
        put(f"{label}/S", S, np.float32)
        W64 = W.astype(np.float64)

        def record(kind, params, Q, extra=None):
            name = f"{label}/{kind}/" + ",".join(f"{k}={v}" for k, v in params.items())
            put(name, Q, np.float16)
            case = {"problem": label, "method": kind, "params": params, "result": name,
                    "rel_err": float(ref.rel_err(W64, Q, S))}
            if extra:
                case.update(extra)
            cases.append(case)

        for bits in (3, 4):
            record("rtn", {"bits": bits}, ref.rtn(W64, bits))
            for gs in (-1, 32, 128):
                for act in (False, True):
                    Q = ref.gptq(W64, S, bits, groupsize=gs, actorder=act)
                    record("gptq", {"bits": bits, "groupsize": gs, "actorder": act}, Q)
            for gs in (-1, 128):
                Q = ref.quantease(W64, S, bits, num_iter=30, groupsize=gs)
                record("quantease", {"bits": bits, "groupsize": gs, "actorder": False}, Q)
        perm = np.argsort(-np.diag(S), kind="stable")
        Qp = ref.quantease(W64[:, perm], S[perm][:, perm], 4, num_iter=30)
        record("quantease", {"bits": 4, "groupsize": -1, "actorder": True}, Qp[:, np.argsort(perm)])
        Q = ref.gptq(W64, S, 4, groupsize=32, actorder=True, static_groups=True)
        record("gptq", {"bits": 4, "groupsize": 32, "actorder": True, "static": True}, Q)
        Wh, H = ref.quantease_outlier(W64, S, 3, frac=0.01, num_iter=30)
        put(f"{label}/outlier/H", H, np.float32)
        record("outlier", {"bits": 3, "fraction": 0.01}, Wh,
               {"outliers": f"{label}/outlier/H", "nnz": int(np.count_nonzero(H)),
                "rel_err_deployed": float(ref.rel_err(W64, Wh + H, S))})

    with open(os.path.join(OUT, "data.bin"), "wb") as f:
        f.write(blob)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "scripts/make-solver-fixtures.py", "arrays": arrays, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} cases, {len(blob)} bytes to {OUT}")


if __name__ == "__main__":
    main()
