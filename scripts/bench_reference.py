#!/usr/bin/env python3
"""Times the numpy reference ports (Reference/quant_algos_ref.py) on layer problems written by
`quantbench bench` (W.npy float32 [out, in], S.npy float64 [in, in] per problem folder).

Reads a JSON list of jobs on stdin: {"problem": DIR, "kind": rtn|gptq|quantease|outlier, "bits": B,
"sweeps": N, "actorder": bool, "from_gptq": bool, "fraction": f, "extrapolate": bool}; prints one JSON
object per job on stdout, in order. With "extrapolate" (for problems where N sweeps of the port take too
long) the port runs 1 and 2 sweeps and the time is t1 + (N − 1)·(t2 − t1): set-up counted once, sweeps
scaled linearly; no rel_err is reported then.
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Reference"))
import quant_algos_ref as ref  # noqa: E402


def run(job, W, S):
    kind, bits, sweeps = job["kind"], job["bits"], job.get("sweeps", 30)
    if kind == "rtn":
        return ref.rtn(W, bits)
    if kind == "gptq":
        return ref.gptq(W, S, bits, actorder=job.get("actorder", False))
    if kind == "quantease":
        if job.get("from_gptq"):
            return ref.quantease(W, S, bits, num_iter=sweeps, init=ref.gptq(W, S, bits), relaxed_sweeps=False)
        return ref.quantease(W, S, bits, num_iter=sweeps)
    if kind == "outlier":
        Wh, H = ref.quantease_outlier(W, S, bits, frac=job.get("fraction", 0.01), num_iter=sweeps)
        return Wh + H
    raise ValueError(f"unknown kind {kind}")


def timed(job, W, S):
    t0 = time.perf_counter()
    Q = run(job, W, S)
    return time.perf_counter() - t0, Q


def main():
    jobs = json.load(sys.stdin)
    cache = {}
    for job in jobs:
        d = job["problem"]
        if d not in cache:
            cache.clear()
            cache[d] = (np.load(os.path.join(d, "W.npy")).astype(np.float64), np.load(os.path.join(d, "S.npy")))
        W, S = cache[d]
        if job.get("extrapolate"):
            t1 = timed(dict(job, sweeps=1), W, S)[0]
            t2 = timed(dict(job, sweeps=2), W, S)[0]
            full = job.get("sweeps", 30)
            out = {"seconds": t1 + (full - 1) * (t2 - t1), "extrapolated_from_sweeps": [1, 2], "rel_err": None}
        else:
            seconds, Q = timed(job, W, S)
            out = {"seconds": seconds, "rel_err": float(ref.rel_err(W, Q, S))}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
