#!/usr/bin/env python3
"""Runs the bad-input corpus that make-corpus.py generated: every case's command with the quantbench binary
(env QUANTBENCH, default .build/release/quantbench), stdin closed, a 30 s timeout (the whole process group is
killed), in its own scratch folder. A case passes with exit 0 when it is valid, or with a clear message and
a non-zero exit below 128 when it is not. Failures: a signal, a hang, an unclear message (a trap, a
backtrace, a traceback, a raw NSError or Codable dump, a usage line after a runtime error, a missing name),
an exit 0 where an error was expected, a valid input refused, or files left behind by a failure.
Prints one block per failure, then a tally; exits 1 if any case failed.

Usage: run-corpus.py CORPUS_DIR [-k PATTERN ...] [-j WORKERS] [--timeout S] [--verbose]
"""
import argparse
import concurrent.futures as futures
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

UNCLEAR = [
    (re.compile(r"Fatal error"), "a Swift trap"),
    (re.compile(r"Stack dump|💣|Program crashed|Backtrace|Thread \d+ crashed|\bat /.*\.swift:\d+"), "a backtrace"),
    (re.compile(r"Traceback \(most recent call last\)"), "a Python traceback"),
    (re.compile(r"NSCocoaErrorDomain|Error Domain=|NSPOSIXErrorDomain|NSUnderlyingError|UserInfo="), "a raw NSError dump"),
    (re.compile(r"\b(DecodingError|EncodingError)\.|\bkeyNotFound\(|\btypeMismatch\(|\bvalueNotFound\(|\bdataCorrupted\(|CodingKeys\("), "a Codable error dump"),
    (re.compile(r"The operation could not be completed|The operation couldn.t be completed"), "Foundation's opaque message"),
    (re.compile(r"\b[A-Z][A-Za-z]+Error\(|\b[A-Z][A-Za-z]+Error\.[a-z][A-Za-z]*\("), "a Swift error value dump"),
]
# numbers a completed command must not report: NaN, Inf, or a relative error beyond 1e6
GARBAGE = re.compile(r"(rel_err|median rel_err|worst|perplexity|cosine)\"?[: ]+\"?(-?nan|-?inf|[0-9.]+e\+0?([6-9]|[1-9][0-9]+))\b", re.I)
USAGE = re.compile(r"^(Usage: |  See '.*--help' for more information)", re.M)
LEFTOVER = re.compile(r"\.partial$|\.nosync|\.tmp$")


def substitute(s, corpus, scratch):
    return s.replace("{c}", str(corpus)).replace("{s}", str(scratch))


def prepare(action, corpus, scratch):
    """The setup a case's action asks for, before its command starts."""
    if not action:
        return
    if "copy_run" in action:
        src = Path(substitute(action["copy_run"], corpus, scratch))
        run = scratch / "run"
        shutil.copytree(src, run, symlinks=True)
        lock = run / "run.lock"
        if lock.exists():
            lock.unlink()
        m = action.get("mutate") or []
        kind = m[0] if m else None
        layers = sorted((run / "layers").glob("*.safetensors")) if (run / "layers").is_dir() else []
        if kind == "truncate":
            p = run / m[1]
            p.write_bytes(p.read_bytes()[: m[2]])
        elif kind == "write":
            (run / m[1]).write_text(m[2])
        elif kind == "remove":
            (run / m[1]).unlink()
        elif kind == "truncate-first-layer" and layers:
            layers[0].write_bytes(layers[0].read_bytes()[: m[1]])
        elif kind == "write-first-layer" and layers:
            layers[0].write_text(m[1])
        elif kind == "replace-dir":
            shutil.rmtree(run / m[1])
            (run / m[1]).write_text("not a folder")
        elif kind == "corrupt-layer-metadata" and layers:
            b = bytearray(layers[0].read_bytes())
            n = int.from_bytes(b[:8], "little")
            header = json.loads(b[8:8 + n])
            meta = header.get("__metadata__", {})
            for k in list(meta)[:3]:
                meta[k] = "{\"broken\": [" if meta[k].lstrip().startswith(("{", "[")) else "not a number"
            raw = json.dumps(header, separators=(",", ":")).encode()
            raw += b" " * ((8 - len(raw) % 8) % 8)
            layers[0].write_bytes(len(raw).to_bytes(8, "little") + raw + bytes(b[8 + n:]))
    if "copy_model" in action:
        shutil.copytree(action["copy_model"], scratch / "model")


def inject(action, proc, scratch, stop):
    """Faults while the command runs: a signal, or a truncated checkpoint."""
    if not action or ("signal" not in action and "truncate" not in action):
        return
    if stop.wait(action.get("after", 1.0)):
        return
    if "signal" in action:
        try:
            os.killpg(proc.pid, action["signal"])
        except ProcessLookupError:
            pass
    elif "truncate" in action:
        with open(scratch / "model" / action["truncate"], "r+b") as f:
            f.truncate(action.get("size", 0))


def run_case(case, corpus, binary, timeout, keep):
    root = Path(tempfile.mkdtemp(prefix="case-", dir=os.environ.get("TMPDIR", "/tmp")))
    scratch = root / "d1" / "d2" / "d3" / "work"
    scratch.mkdir(parents=True)
    try:
        prepare(case.get("action"), corpus, scratch)
        args = [binary] + [substitute(a, corpus, scratch) for a in case["args"]]
        env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
        start = time.monotonic()
        proc = subprocess.Popen(args, cwd=scratch, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True, env=env)
        stop = threading.Event()
        injector = threading.Thread(target=inject, args=(case.get("action"), proc, scratch, stop), daemon=True)
        injector.start()
        hang = False
        try:
            out, _ = proc.communicate(timeout=case.get("timeout") or timeout)
        except subprocess.TimeoutExpired:
            hang = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, _ = proc.communicate()
        stop.set()
        # children left in the group (none expected) go too
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        elapsed = time.monotonic() - start
        text = out.decode("utf-8", "replace")
        verdict, why = classify(case, proc.returncode, hang, text, scratch, corpus)
        if verdict in ("ok", "clear"):
            escaped = [str(p.relative_to(root)) for p in root.rglob("*") if not str(p).startswith(str(scratch)) and p.name not in ("d1", "d2", "d3", "work")]
            if escaped:
                verdict, why = "leftover", "wrote outside its working folder: " + ", ".join(escaped[:3])
        return dict(case=case, verdict=verdict, why=why, code=proc.returncode, output=text, seconds=elapsed, args=args)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def classify(case, code, hang, text, scratch, corpus):
    """ok | clear | signal | hang | unclear | accepted-bad | refused-valid | leftover, with a reason."""
    if hang:
        return "hang", "no exit within the timeout"
    action = case.get("action") or {}
    sent = action.get("signal")
    if code < 0 or code >= 128:
        sig = -code if code < 0 else code - 128
        if sent and sig == sent:
            return "clear", f"stopped by the signal it was sent ({sig})"
        if sent and code == 130:
            return "clear", "stopped (exit 130)"
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return "signal", f"killed by {name} (exit {code})"
    for pattern, what in UNCLEAR:
        m = pattern.search(text)
        if m:
            if code == 0 and case["expect"] != "error":
                return "unclear", f"exit 0 but the output holds {what}: {m.group(0)!r}"
            if code != 0:
                return "unclear", f"{what}: {m.group(0)!r}"
    if code == 0:
        m = GARBAGE.search(text)
        if m:
            return "accepted-bad", f"exit 0 with a garbage result: {m.group(0)!r}"
        if sent:
            return "accepted-bad", f"signal {sent} sent, exit 0"
        if case["expect"] == "error":
            return "accepted-bad", "exit 0 where an error was expected"
        return "ok", ""
    # non-zero, below 128
    if case["expect"] == "ok":
        return "refused-valid", f"exit {code} on a valid input"
    if not text.strip():
        return "unclear", f"exit {code} with no message"
    if not case.get("usage_ok") and USAGE.search(text):
        return "unclear", "a usage line after a runtime error"
    lowered = text.lower()
    def named(n):
        return any(substitute(x, corpus, scratch).lower() in lowered for x in (n if isinstance(n, list) else [n]))
    missing = [" or ".join(n) if isinstance(n, list) else n for n in case.get("names", []) if not named(n)]
    if missing:
        return "unclear", "the message does not name " + ", ".join(repr(m) for m in missing)
    left = [str(p.relative_to(scratch)) for p in scratch.rglob("*") if LEFTOVER.search(p.name)]
    left += [substitute(a, corpus, scratch) for a in case.get("absent", []) if os.path.lexists(substitute(a, corpus, scratch))]
    if left:
        return "leftover", "a failure left files behind: " + ", ".join(left[:4])
    return "clear", ""


def main():
    ap = argparse.ArgumentParser(description="Runs the bad-input corpus.")
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-k", "--pattern", action="append", default=[], help="run only cases whose name matches (glob or substring); repeatable")
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("CORPUS_JOBS", "2")))
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders")
    ap.add_argument("--json", type=Path, help="write every result to this file")
    a = ap.parse_args()

    corpus = a.corpus.resolve()
    binary = os.environ.get("QUANTBENCH", ".build/release/quantbench")
    binary = str(Path(binary).resolve()) if os.sep in binary else shutil.which(binary) or binary
    if not os.access(binary, os.X_OK):
        print(f"run-corpus: no quantbench binary at {binary} (set QUANTBENCH)", file=sys.stderr)
        return 2
    cases = json.loads((corpus / "cases.json").read_text())["cases"]
    if a.pattern:
        def match(n):
            return any(fnmatch.fnmatch(n, p) or p in n for p in a.pattern)
        wanted = [c for c in cases if match(c["name"])]
        needed = {c["action"]["copy_run"] for c in wanted if c.get("action") and "copy_run" in c["action"]}
        cases = [c for c in cases if c in wanted or (c.get("first") and needed)]
    first = [c for c in cases if c.get("first")]
    rest = [c for c in cases if not c.get("first")]
    results = []
    lock = threading.Lock()
    t0 = time.monotonic()

    def done(r):
        with lock:
            results.append(r)
            if a.verbose:
                print(f"{r['verdict']:>13}  {r['seconds']:5.1f}s  {r['case']['name']}" + (f"  ({r['why']})" if r["why"] else ""), flush=True)

    for c in first:
        done(run_case(c, corpus, binary, a.timeout, a.keep))
    with futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        for f in futures.as_completed([pool.submit(run_case, c, corpus, binary, a.timeout, a.keep) for c in rest]):
            done(f.result())

    order = {c["name"]: i for i, c in enumerate(cases)}
    results.sort(key=lambda r: order[r["case"]["name"]])
    failures = [r for r in results if r["verdict"] not in ("ok", "clear")]
    for r in failures:
        cmd = " ".join(shlex_quote(x) for x in ["quantbench"] + r["args"][1:])
        lines = [ln for ln in r["output"].strip().splitlines() if ln.strip()]
        crash = [ln for ln in lines if "Program crashed" in ln or "Fatal error" in ln] + [ln.strip() for ln in lines if " in quantbench at " in ln][:3]
        tail = ([ln for ln in lines if not ln.startswith(("*** ", "Thread", "Platform", "Images", "Backtrace", "  ", "0x"))][-3:] + crash) if crash else lines[-6:]
        print(f"FAIL {r['verdict']}: {r['case']['name']} — {r['why']} ({r['seconds']:.1f}s)")
        print(f"  $ {cmd[:400]}")
        for ln in tail:
            print(f"  | {ln[:300]}")
    count = {v: sum(1 for r in results if r["verdict"] == v) for v in
             ("ok", "clear", "signal", "hang", "unclear", "accepted-bad", "refused-valid", "leftover")}
    print(f"{len(results)} cases: {count['ok']} ok, {count['clear']} clear errors, {len(failures)} failures "
          f"(signals {count['signal']}, hangs {count['hang']}, unclear {count['unclear']}, accepted-bad {count['accepted-bad']}, "
          f"refused-valid {count['refused-valid']}, leftovers {count['leftover']}) in {time.monotonic() - t0:.0f} s")
    if a.json:
        a.json.write_text(json.dumps([{k: v for k, v in r.items() if k != "case"} | {"name": r["case"]["name"], "category": r["case"]["category"]}
                                      for r in results], indent=1))
    return 1 if failures else 0


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


if __name__ == "__main__":
    sys.exit(main())
