#!/usr/bin/env python3
"""The HTML run report, checked as a browser lays it out.

Makes real run folders with the quantbench binary on the demo model (a run compared with other methods, a
QDEC sweep from `quantbench quantize`, a run stopped with Ctrl-C and resumed, a fine-tuned run under a bit budget), opens each report.html in
headless chromium (through the local chromedriver) at 1400x900 and 800x900, and asserts from the laid-out
page that no text sticks out of its card, its SVG or the window, that the entries of each chart's legend are
distinct, and that at 1400 px the cards use the width. Full-page screenshots go to the output folder.

    python scripts/report-browser-check.py --quantbench .build/release/quantbench --out .build/report-check
    python scripts/report-browser-check.py --reports some/report.html ...   # check existing reports only
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

WINDOWS = [(1400, 900), (800, 900)]
# At a 1400 px window the widest card must be wider than this (the old fixed page was about 820 px).
MIN_WIDE_CARD = 820
# Rounding of the layout: a text box may pass its container's edge by this much.
SLACK = 0.75

COMPARE_RECIPE = """name: check-compare
calibration: {samples: 16, sequence_length: 64}
layers: {blocks: 0-1}
method: {name: quantease, bits: 3, init: gptq, sweeps: 8}
compare: [gptq, rtn, {name: quantease, bits: 4, sweeps: 4}]
"""

RESUME_RECIPE = """name: check-resume
calibration: {samples: 16, sequence_length: 64}
layers: {blocks: 0-0}
method: {name: quantease-outlier, bits: 3, outlier_fraction: 0.01, sweeps: 12}
compare: [gptq]
"""

BUDGET_RECIPE = """name: check-budget
calibration: {samples: 16, sequence_length: 64}
layers: {blocks: 0-1}
method: {name: gptq, bits: 3, act_order: true}
allocate: {budget: 3.25, sensitivity_windows: 2}
finetune: {epochs: 2}
"""

# Run in the page: every text box (SVG <text>, and the text of HTML elements) against the card it sits in,
# its SVG and the window; the legend entries of every chart; the widths of the cards.
MEASURE = r"""
const slack = arguments[0];
const view = document.documentElement.clientWidth;
const problems = [];
const uncarded = [];
const where = el => {
  const svg = el.closest('svg');
  const card = el.closest('.card');
  return (card && card.dataset.card ? card.dataset.card : card ? card.className : 'page')
    + (svg ? ' svg.' + (svg.getAttribute('class') || '') + (svg.dataset.layer ? '[' + svg.dataset.layer + ']' : '') : '');
};
const outside = (r, box) => r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack;
const check = (el, r, text) => {
  if (r.width === 0 && r.height === 0) return;
  const card = el.closest('.card');
  const svg = el.closest('svg');
  const show = JSON.stringify(text.slice(0, 80));
  const fmt = (r) => `${r.left.toFixed(0)}..${r.right.toFixed(0)} x ${r.top.toFixed(0)}..${r.bottom.toFixed(0)}`;
  if (!card && !['H1', 'H2'].includes(el.tagName)) uncarded.push(show);
  if (card && outside(r, card.getBoundingClientRect())) problems.push(`${where(el)}: ${show} (${fmt(r)}) overflows its card (${fmt(card.getBoundingClientRect())})`);
  if (svg && outside(r, svg.getBoundingClientRect())) problems.push(`${where(el)}: ${show} (${fmt(r)}) overflows its SVG (${fmt(svg.getBoundingClientRect())})`);
  if (r.left < -slack || r.right > view + slack) problems.push(`${where(el)}: ${show} leaves the window (${fmt(r)}, window 0..${view})`);
};
let texts = 0;
for (const t of document.querySelectorAll('svg text')) {
  if (!t.textContent.trim()) continue;
  texts++;
  check(t, t.getBoundingClientRect(), t.textContent);
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!n.textContent.trim() || el.closest('svg') || el.closest('details:not([open])') || el.closest('title')) continue;
  const range = document.createRange();
  range.selectNodeContents(n);
  texts++;
  for (const r of range.getClientRects()) check(el, r, n.textContent.trim());
}
const legends = [];
for (const svg of document.querySelectorAll('svg')) {
  for (const legend of svg.querySelectorAll('.legend')) {
    const entries = [...legend.querySelectorAll('.legend-entry')].map(e => e.textContent.trim());
    const seen = new Set();
    for (const e of entries) {
      if (seen.has(e)) problems.push(`${where(svg)}: legend entry ${JSON.stringify(e)} appears twice`);
      seen.add(e);
    }
    legends.push(entries);
  }
}
if (uncarded.length) problems.push(`${uncarded.length} text boxes are in no card, e.g. ${uncarded.slice(0, 3).join(', ')}`);
const cards = [...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect().width);
return {problems, texts, legends, cards, charts: document.querySelectorAll('svg').length,
        scrollWidth: document.documentElement.scrollWidth, view};
"""


def run(cmd, log):
    """Runs a quantbench command, its progress into `log` (shown when it fails)."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    with open(log, "w") as err:
        if subprocess.run(cmd, stdout=err, stderr=err).returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, cmd))}\n{Path(log).read_text()}")


def make_reports(qb, work):
    """The four run folders; returns their report.html files and what is wrong in them."""
    work.mkdir(parents=True, exist_ok=True)
    qdec = work / "qdec"
    run([qb, "quantize", "--method", "gptq", "--bits", "3", "--blocks", "0-1", "--samples", "16", "--seqlen", "64",
         "--qdec-k", "0,8,16,64", "--qdec-select", "bucket,topk-chunk", "--qdec-positions", "512",
         "--no-eval", "--restart", "--output", qdec], work / "qdec.txt")

    compare = work / "compare"
    (work / "compare.yaml").write_text(COMPARE_RECIPE)
    run([qb, "run", work / "compare.yaml", "--output", compare, "--restart"], work / "compare.txt")

    resumed = work / "resumed"
    (work / "resume.yaml").write_text(RESUME_RECIPE)
    log = work / "resume-part1.txt"
    with open(log, "w") as err:
        cmd = [qb, "run", work / "resume.yaml", "--output", resumed, "--restart"]
        print("+", " ".join(map(str, cmd)), "(Ctrl-C after the first layer)", flush=True)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            if "[1/6]" in log.read_text():
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
    if code != 130:
        sys.exit(f"the first part of the resumed run ended with {code}, not 130 (Ctrl-C):\n{log.read_text()}")
    time.sleep(1.5)   # a gap between the parts, which the total wall time must leave out
    run([qb, "run", "--resume", resumed], work / "resume-part2.txt")

    budget = work / "budget"
    (work / "budget.yaml").write_text(BUDGET_RECIPE)
    run([qb, "run", work / "budget.yaml", "--output", budget, "--restart"], work / "budget.txt")
    reports = [qdec / "report.html", compare / "report.html", resumed / "report.html", budget / "report.html"]
    return reports, check_resumed(resumed) + check_budget(budget)


def check_budget(folder):
    """The fine-tuned run under a bit budget has both sections, with a row per tuned block and per layer."""
    html = (folder / "report.html").read_text()
    problems = [f"report.html has no {title!r} section" for title in ["Block fine-tuning", "Bit allocation"] if title not in html]
    if "Budget 3.25 bits/weight" not in html:
        problems.append("report.html does not state the 3.25 bits/weight budget")
    return [f"budget run: {p}" for p in problems]


def check_resumed(folder):
    """The resumed run's report starts at the first part and counts the wall time of both parts."""
    timings = json.loads((folder / "run.json").read_text())["timings"]
    parts = timings.get("parts") or []
    problems = []
    if len(parts) != 2:
        problems.append(f"run.json records {len(parts)} run parts, expected 2")
    else:
        if timings["started"] != parts[0]["started"]:
            problems.append(f"started {timings['started']} is not the first part's start {parts[0]['started']}")
        if not timings["totalSeconds"] > parts[1]["seconds"]:
            problems.append(f"wall time {timings['totalSeconds']} s is only the last part's ({parts[1]['seconds']} s)")
    html = (folder / "report.html").read_text()
    if "2 parts" not in html:
        problems.append("report.html does not say the run ran in 2 parts")
    if not problems:
        print(f"resumed run: started {timings['started']}, {timings['totalSeconds']:.1f} s over 2 parts")
    return [f"resumed run: {p}" for p in problems]


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--force-device-scale-factor=1"]:
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def check_page(driver, report, name, out):
    failures = []
    for width, height in WINDOWS:
        driver.set_window_size(width, height)
        driver.get(report.resolve().as_uri())
        # The viewport, not the outer window, is what the page gets: size it exactly.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(width + width - inner[0], height + height - inner[1])
        driver.get(report.resolve().as_uri())
        m = driver.execute_script(MEASURE, SLACK)
        label = f"{name} @ {width}x{height}"
        print(f"{label}: {m['charts']} charts, {m['texts']} text boxes, {len(m['cards'])} cards, "
              f"widest {max(m['cards'], default=0):.0f} px, page {m['scrollWidth']} px in {m['view']} px")
        failures += [f"{label}: {p}" for p in m["problems"]]
        if m["scrollWidth"] > m["view"]:
            failures.append(f"{label}: the page is {m['scrollWidth']} px wide in a {m['view']} px window")
        if width >= 1400 and max(m["cards"], default=0) <= MIN_WIDE_CARD:
            failures.append(f"{label}: no card is wider than {MIN_WIDE_CARD} px (widest {max(m['cards'], default=0):.0f} px)")
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width + width - inner[0], full + height - inner[1])
        shot = out / f"{name}-{width}.png"
        driver.save_screenshot(str(shot))
        print(f"  screenshot {shot}")
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quantbench", default=".build/release/quantbench", help="the binary that makes the run folders")
    p.add_argument("--out", default=".build/report-check", help="run folders and screenshots")
    p.add_argument("--reports", nargs="*", help="check these report.html files instead of making runs")
    args = p.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    if args.reports:
        reports, failures = [Path(r) for r in args.reports], []
    else:
        reports, failures = make_reports(str(Path(args.quantbench).resolve()), out / "runs")
    print(f"reports made in {time.time() - started:.0f} s")
    driver = browser()
    try:
        for report in reports:
            name = report.parent.name if report.name == "report.html" else report.stem
            failures += check_page(driver, report, name, out)
    finally:
        driver.quit()
    if failures:
        print(f"\n{len(failures)} layout problem(s):")
        for f in failures[:80]:
            print("  " + f)
        if len(failures) > 80:
            print(f"  … and {len(failures) - 80} more")
        sys.exit(1)
    print(f"report check passed: {len(reports)} reports at {', '.join(f'{w}x{h}' for w, h in WINDOWS)} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
