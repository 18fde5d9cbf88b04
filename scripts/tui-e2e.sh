#!/usr/bin/env bash
# End-to-end test of `quantbench tui` in a detached tmux session at 120x40: the layer table and the
# convergence chart update while the demo model is quantized, a click and the wheel select layers, `+`
# changes the bits, `?` opens help (listing the heatmap, scope and sample keys), `w` shows a layer's weighted-error
# map, `/` sets a glob as the solve scope, `d` says the encoder cannot be sampled, a resize re-lays out (and below 80x24 shows the "too small" screen),
# and q, Ctrl-C and SIGTERM all give the terminal back (tty modes, cursor, alternate screen, mouse reporting). Runs under TERM=xterm-256color,
# TERM=xterm (8 colours) and LC_ALL=C (ASCII glyphs); then checks pause/resume, a 4-bit re-solve after the
# run, export (the run folder, a GPTQ checkpoint), cancelling a solve and solving again, and the line-output fallback on a terminal ncurses does not know.
#
#   scripts/tui-e2e.sh            # uses .build/debug/quantbench (QUANTBENCH=path overrides)
#
# Exit 0 on success, 1 on a failed check, 77 when tmux, the binary or the demo model is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${QUANTBENCH:-$root/.build/debug/quantbench}
model=${QUANTBENCH_DEMO_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/models/all-MiniLM-L6-v2}
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }
[ -x "$bin" ] || { echo "SKIP: no binary at $bin (swift build first, or set QUANTBENCH)"; exit 77; }
[ -d "$model" ] || { echo "SKIP: no demo model at $model"; exit 77; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d)
session="qb-e2e-$$"
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    tmux kill-session -t "$session-anchor" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# new_session ARGS...: tmux new-session, retried while a server from an earlier run is still exiting.
new_session() {
    local attempt
    for attempt in 1 2 3 4 5; do
        tmux -f /dev/null new-session -d "$@" 2>/dev/null && return 0
        sleep 1
    done
    echo "cannot start a tmux session"
    exit 1
}
# An idle session keeps the tmux server alive between the test sessions.
new_session -s "$session-anchor" -x 80 -y 24 "sleep 3600"

# A small run: two blocks, a few calibration windows, 12 sweeps, compared with GPTQ.
cat >"$work/recipe.yaml" <<YAML
# Workbench end-to-end test.
name: tui-e2e
model: $model
calibration: {source: demo, samples: 8, sequence_length: 64, seed: 0}
layers: {include: ["*"], blocks: "0-1"}
method: {name: quantease, bits: 3, init: gptq, sweeps: 12}
compare: [gptq]
YAML
# The same with 400 sweeps, so the run is still solving when the commands test pauses it.
sed 's/sweeps: 12/sweeps: 400/' "$work/recipe.yaml" >"$work/slow.yaml"
cat >"$work/allocate.yaml" <<YAML
name: tui-e2e-allocate
model: $model
calibration: {source: demo, samples: 8, sequence_length: 64, seed: 0}
layers: {include: ["*"], blocks: "0-1"}
method: {name: gptq, bits: 3, act_order: true}
allocate: {budget: 3.25, sensitivity_windows: 2}
YAML
recipe=recipe.yaml

failures=0
fail() { echo "FAIL [$label]: $*"; echo "--- screen ---"; screen; echo "--------------"; failures=$((failures + 1)); }
screen() { tmux capture-pane -p -t "$session"; }

# wait_for PATTERN [SECONDS]: polls the screen until grep -E finds PATTERN.
wait_for() {
    local pattern=$1 limit=${2:-30} i=0
    while ! screen | grep -Eq -- "$pattern"; do
        i=$((i + 1))
        [ "$i" -ge $((limit * 10)) ] && return 1
        sleep 0.1
    done
}

# start_with RECIPE ENV...: start, on another recipe than the default one.
start_with() {
    recipe=$1
    shift
    start "$@"
    recipe=recipe.yaml
}

# wait_gone PATTERN [SECONDS]: waits until the pane no longer shows PATTERN.
wait_gone() {
    local pattern=$1 limit=${2:-30} i=0
    while screen | grep -Eq -- "$pattern"; do
        i=$((i + 1))
        [ "$i" -ge $((limit * 10)) ] && return 1
        sleep 0.1
    done
}

# start ENV...: opens the workbench in a fresh session; the shell records the tty modes before and after
# (and survives the Ctrl-C meant for the workbench, as an interactive shell does).
start() {
    tmux kill-session -t "$session" 2>/dev/null || true
    new_session -s "$session" -x 120 -y 40 \
        "trap : INT; cd '$work' && before=\$(stty -g); env $* '$bin' tui --recipe $recipe --log '$work/tui.log'; rc=\$?; \
         [ \"\$before\" = \"\$(stty -g)\" ] && echo __TTY_SAME__ || echo __TTY_CHANGED__; echo __EXIT__=\$rc; sleep 600"
    tmux set-option -t "$session" status off >/dev/null
}

# restored: the app has exited and left the terminal as it found it.
restored() {
    wait_for "__EXIT__=" 30 || { fail "the workbench did not exit"; return; }
    screen | grep -q "__TTY_SAME__" || fail "tty modes changed (stty -g differs)"
    local flags
    flags=$(tmux display-message -p -t "$session" '#{cursor_flag} #{alternate_on} #{mouse_any_flag}')
    [ "$flags" = "1 0 0" ] || fail "cursor/alternate screen/mouse not restored: '$flags' (want '1 0 0')"
}

# run_matrix LABEL ENV...: the full check under one terminal setting.
run_matrix() {
    label=$1; shift
    local ascii=0 dot="·" pointer="▸" setting
    for setting in "$@"; do [ "$setting" = LC_ALL=C ] && { ascii=1; dot="-"; pointer=">"; }; done
    start "$@"
    wait_for "Layers" 120 || { fail "the workbench did not open"; return; }
    wait_for " done " 120 || fail "no layer finished in the table"
    local first second
    first=$(screen | grep -Eo "layers [0-9]+/[0-9]+" | head -1)
    # A layer solves in a fraction of a second, so the sweep count and the curve are checked in one capture.
    local marks='\xe2[\xa0-\xa3]' i=0 shot
    [ "$ascii" = 1 ] && marks='[*]'
    while shot=$(screen); ! { grep -Eq "step [0-9]+/12" <<<"$shot" && LC_ALL=C grep -qP "$marks" <<<"$shot"; }; do
        i=$((i + 1))
        [ "$i" -ge 600 ] && { fail "the chart shows no sweeps drawn as $([ "$ascii" = 1 ] && echo 'ASCII marks' || echo braille)"; break; }
        sleep 0.1
    done
    if [ "$ascii" = 1 ]; then
        screen | grep -q "+ Layers" || fail "ASCII borders missing under LC_ALL=C"
        screen | LC_ALL=C grep -qP '[^\x00-\x7F]' && fail "non-ASCII characters under LC_ALL=C"
    else
        screen | grep -q "┌ Layers" || fail "box drawing missing"
    fi
    screen | grep -q "low .* high" || fail "heatmap legend missing"
    # The table must move on from the first count (a real hang is the only thing that reaches the limit).
    local second waited=0
    while second=$(screen | grep -Eo "layers [0-9]+/[0-9]+" | head -1); [ "$first" = "$second" ] && [ "$waited" -lt 600 ]; do
        waited=$((waited + 1)); sleep 0.1
    done
    [ "$first" != "$second" ] || fail "the table did not update ($first then $second)"
    local colours
    colours=$(tmux capture-pane -p -e -t "$session")
    case "$label" in
        xterm) echo "$colours" | grep -q "38;5;" && fail "256-colour codes on an 8-colour terminal" ;;
        xterm-256color) echo "$colours" | grep -q "38;5;" || fail "no 256-colour codes" ;;
    esac
    # A left click (SGR mouse report) on screen row 10 selects the sixth layer; a wheel step down moves 3 on.
    tmux send-keys -t "$session" -l $'\e[<0;10;10M'
    tmux send-keys -t "$session" -l $'\e[<0;10;10m'
    wait_for "$pointer 0.output.dense" 30 || fail "a click did not select the row under it"
    tmux send-keys -t "$session" -l $'\e[<65;10;10M'
    wait_for "$pointer 1.attention.self.value" 30 || fail "the wheel did not scroll the selection"
    tmux send-keys -t "$session" +
    wait_for "quantease $dot 4 bit" 30 || fail "+ did not raise the bits to 4"
    tmux send-keys -t "$session" '?'
    wait_for "Help $dot keys" 30 || fail "? did not open help"
    tmux send-keys -t "$session" NPage
    wait_for "[|│] +w +heatmap: all layers" 30 || fail "help does not list w (heatmap view)"
    screen | grep -Eq "[|│] +/ +layers to solve" || fail "help does not list / (layer scope)"
    screen | grep -Eq "[|│] +d +greedy sample" || fail "help does not list d (sample)"
    tmux send-keys -t "$session" Escape
    wait_for "Error heatmap" 30 || fail "Esc did not close help"
    # w shows the first (finished) layer's weighted-error map with its legend, and switches back.
    tmux send-keys -t "$session" PPage w
    wait_for "Weighted error $dot 0.attention.self.query" 30 || fail "w did not show the layer's error map"
    wait_for "low .* high .*of rel_err [0-9]" 30 || fail "the layer's error map has no legend"
    tmux send-keys -t "$session" w
    wait_for "Error heatmap" 30 || fail "w did not switch back to the blocks x layers heatmap"
    # / with a typed glob makes every query layer the solve scope.
    tmux send-keys -t "$session" /
    wait_for "Layers to solve" 30 || fail "/ did not open the layer scope"
    tmux send-keys -t "$session" -l '*.query'
    tmux send-keys -t "$session" Enter
    wait_for "Layers $dot solve: [*][.]query [(]2[)]" 30 || fail "the glob did not become the solve scope"
    # d on the demo encoder: no panel, the status bar says why.
    tmux send-keys -t "$session" d
    wait_for "sampling needs a causal LM, and .* is not one" 30 || fail "d did not say the encoder cannot be sampled"
    tmux resize-window -t "$session" -x 100 -y 30
    # Re-laid out: the heatmap is on screen and the title row of the panels ends in a corner at column 100
    # (a capture taken before the redraw still shows the 120-column rows, cut at 100).
    wait_for "Error heatmap" 30 && wait_for "^(┌|[+]) Layers.*(┐|[+]) *$" 30 || fail "no re-layout at 100x30"
    tmux resize-window -t "$session" -x 60 -y 20
    wait_for "Terminal too small" 30 || fail "no 'too small' screen at 60x20"
    tmux resize-window -t "$session" -x 120 -y 40
    wait_for "Error heatmap" 30 || fail "no re-layout back at 120x40"
    tmux send-keys -t "$session" q
    restored
}

# run_commands: pause and resume, a re-solve of the selected layer at 4 bits once the run is done, export of the
# run folder and of a GPTQ checkpoint from the picker.
run_commands() {
    label=commands
    start_with slow.yaml TERM=xterm-256color LC_ALL=C.UTF-8
    wait_for "step [0-9]+/400" 120 || { fail "the workbench did not start solving"; return; }
    tmux send-keys -t "$session" p
    wait_for "^ .* paused · layers" 30 || fail "p did not pause"
    tmux send-keys -t "$session" p
    wait_for "^ .* (solving|running) · layers" 30 || fail "p did not resume"
    wait_for "^ .* completed · layers 12/12" 240 || { fail "the run did not complete"; return; }
    tmux send-keys -t "$session" + Enter
    wait_for "rel_err [0-9.e-]+ · QuantEase 4-bit" 60 || fail "the chart does not show the 4-bit re-solve"
    wait_for "^ .* completed · layers 12/12" 60 || fail "the re-solve did not finish"
    screen | grep -q "QuantEase 3-bit [0-9.e-]*" || fail "the earlier 3-bit result is not drawn as a comparison"
    tmux send-keys -t "$session" e
    wait_for "Export · the run as it is now" 10 || fail "e did not open the export picker"
    tmux send-keys -t "$session" Enter
    wait_for "exported [0-9]+ layers and [0-9]+ reports to" 30 || fail "the run folder was not exported"
    ls "$work"/runs/*/report.md >/dev/null 2>&1 || fail "no report.md in the run folder"
    # The second target, GPTQ: a model folder the checkpoint reader opens as packed weights.
    tmux send-keys -t "$session" Down Enter
    wait_for "exported gptq: 12 quantized layer" 60 || fail "the GPTQ export did not finish"
    grep -q '"quant_method" *: *"gptq"' "$work/exports/tui-e2e-gptq/config.json" 2>/dev/null || fail "no GPTQ config in exports/tui-e2e-gptq"
    "$bin" inspect "$work/exports/tui-e2e-gptq" 2>&1 | grep -qi "gptq" || fail "inspect does not read the exported GPTQ folder"
    tmux send-keys -t "$session" Escape q
    restored
}

# run_allocation: a recipe with a bits/weight budget shows each layer's choice; a opens the allocation view, where
# the arrows try another budget and Enter has the run follow it, re-solving the solved layers whose choice changed;
# the export writes the applied plan.
run_allocation() {
    label=allocation
    start_with allocate.yaml TERM=xterm-256color LC_ALL=C.UTF-8
    wait_for "^ .* completed · layers 12/12 .*\(budget 3.25\)" 240 || { fail "the allocated run did not complete"; return; }
    screen | grep -q " plan " || fail "the layer table has no plan column"
    tmux send-keys -t "$session" a
    wait_for "Bit allocation · predicted 1 - embedding cosine" 10 || { fail "a did not open the allocation view"; return; }
    screen | grep -q "the run follows this plan" || fail "the view does not say the run follows the recipe's plan"
    tmux send-keys -t "$session" Right Right Right Right
    wait_for "budget 3.75 · plan 3\.[67][0-9]* bits/w" 10 || fail "the arrows did not try a budget of 3.75"
    screen | grep -q "the run follows the 3.25 bits/w plan; ⏎ applies this one" || fail "the view does not say what Enter changes"
    tmux send-keys -t "$session" Enter
    wait_for "re-solved [0-9]+ of [0-9]+ layers for the 3.75 bits/w plan|no solved layer changes" 120 || fail "Enter did not follow the 3.75 plan"
    wait_for "the run follows this plan" 10 || fail "the view does not show the applied plan"
    tmux send-keys -t "$session" Escape
    wait_for "\(budget 3.75\)" 10 || fail "the gauge does not show the new budget"
    tmux send-keys -t "$session" e
    wait_for "Export · the run as it is now" 10 || fail "e did not open the export picker"
    tmux send-keys -t "$session" Enter
    wait_for "exported [0-9]+ layers and [0-9]+ reports to" 30 || fail "the run folder was not exported"
    grep -q '"budget" *: *3.75' "$work"/runs/tui-e2e-allocate-*/allocation.json 2>/dev/null || fail "allocation.json does not hold the applied budget"
    tmux send-keys -t "$session" Escape q
    restored
}

# run_cancel: x cancels the solve under way (the layer reads cancelled, not done, and so does the header),
# and the job keeps serving: Enter solves the cancelled layer again, and x cancels that re-solve too.
run_cancel() {
    label=cancel
    start_with slow.yaml TERM=xterm-256color LC_ALL=C.UTF-8
    wait_for "step [0-9]+/400" 120 || { fail "the workbench did not start solving"; return; }
    tmux send-keys -t "$session" x
    wait_for "^ .* cancelled · layers" 30 || fail "x did not end the run as cancelled"
    wait_for "cancel [0-9]+/400" 10 || fail "the cancelled layer does not read cancelled"
    screen | grep -q "cancelled after [0-9]* of 400" || fail "the chart does not say the solve was cancelled"
    tmux send-keys -t "$session" Enter
    wait_for "solving [0-9a-z.]+ with QuantEase" 10 || fail "Enter after a cancel did not solve again"
    wait_for "step [0-9]+/400" 30 || fail "the re-solve after a cancel shows no sweeps"
    tmux send-keys -t "$session" x
    wait_for "cancelled solving" 10 || fail "x did not cancel the re-solve"
    wait_for "cancel [0-9]+/400" 30 || fail "the cancelled re-solve does not read cancelled"
    tmux send-keys -t "$session" q
    restored
}

# run_fallback: an unknown terminal gets progress lines instead of the workbench.
run_fallback() {
    label=fallback
    start TERM=xterm-direct LC_ALL=C.UTF-8
    wait_for "ncurses cannot open this terminal" 120 || { fail "no fallback message for an unknown TERM"; return; }
    wait_for "rel_err .* bits/w" 120 || fail "no progress lines"
    tmux send-keys -t "$session" C-c
    wait_for "__EXIT__=0" 60 || fail "Ctrl-C did not end the line-output run cleanly"
}

# run_dumb: a terminal that cannot place the cursor gets progress lines, not a frozen full-screen view.
run_dumb() {
    label=TERM=dumb
    start TERM=dumb LC_ALL=C.UTF-8
    wait_for "ncurses cannot open this terminal \(TERM=dumb\)" 60 || { fail "no fallback for TERM=dumb"; return; }
    wait_for "rel_err .* bits/w" 120 || fail "no progress lines under TERM=dumb"
    tmux send-keys -t "$session" C-c
    wait_for "__EXIT__=" 60 || fail "Ctrl-C did not end the TERM=dumb run"
}

# run_pipe: with stdout into a pipe the notice and every progress line arrive as they happen.
run_pipe() {
    label=pipe
    tmux kill-session -t "$session" 2>/dev/null || true
    new_session -s "$session" -x 120 -y 40 \
        "cd '$work' && env TERM=xterm-256color '$bin' tui --recipe $recipe --log '$work/tui.log' | cat; echo __EXIT__=\$?; sleep 600"
    wait_for "no terminal on stdout: printing progress lines" 60 || { fail "no notice without a terminal"; return; }
    wait_for "rel_err .* bits/w" 120 || fail "progress lines did not reach the pipe as they happened"
    tmux send-keys -t "$session" C-c
    wait_for "__EXIT__=" 60 || fail "Ctrl-C did not end the piped run"
}

# scribble: writes over the pane behind the workbench's back, as another program (or a stopped one) would.
scribble() { printf '\033[5;5HSCRIBBLED-OVER' > "$(tmux display-message -p -t "$session" '#{pane_tty}')"; }

# run_repaint: Ctrl-L, and a resume after the process was stopped (SIGSTOP/SIGCONT, what Ctrl-Z and fg
# send), draw the whole screen again.
run_repaint() {
    label=repaint
    start TERM=xterm-256color LC_ALL=C.UTF-8
    # The loop must be reading keys: while the model loads only the loading screen is drawn, and the
    # loop's first frame redraws every cell anyway.
    wait_for " [0-9]+/[1-9][0-9]* done" 120 || { fail "the workbench did not finish loading"; return; }
    sleep 0.5
    scribble
    wait_for "SCRIBBLED-OVER" 5 || { fail "could not write over the pane"; return; }
    tmux send-keys -t "$session" C-l
    wait_gone "SCRIBBLED-OVER" 5 || fail "Ctrl-L did not repaint the screen"
    local shell_pid app_pid
    shell_pid=$(tmux display-message -p -t "$session" '#{pane_pid}')
    app_pid=$(ps -o pid= --ppid "$shell_pid" | head -1 | tr -d ' ')
    kill -STOP "$app_pid"
    scribble
    kill -CONT "$app_pid"
    wait_gone "SCRIBBLED-OVER" 5 || fail "the resume after a stop did not repaint the screen"
    screen | grep -q "Layers" || fail "the workbench is gone after the resume"
    tmux send-keys -t "$session" q
    restored
}

# run_themes: an unknown theme is an error before the screen opens; a user theme in the config folder is used.
run_themes() {
    label=themes
    local out
    if out=$(cd "$work" && "$bin" tui --recipe $recipe --theme nosuch --log "$work/tui.log" 2>&1 </dev/null); then
        fail "--theme nosuch started anyway"
    fi
    echo "$out" | grep -q "no theme named 'nosuch' (there are default-dark, light, tty" || fail "--theme nosuch: '$out'"
    mkdir -p "$work/config/quantbench/themes"
    sed 's/#5fafff/#ff5f00/' "$root/Themes/default-dark.theme" > "$work/config/quantbench/themes/mine.theme"
    tmux kill-session -t "$session" 2>/dev/null || true
    new_session -s "$session" -x 120 -y 40 \
        "cd '$work' && env TERM=xterm-256color XDG_CONFIG_HOME='$work/config' '$bin' tui --recipe $recipe --theme mine --log '$work/tui.log'; echo __EXIT__=\$?; sleep 600"
    wait_for "Layers" 120 || fail "a user theme from XDG_CONFIG_HOME did not open"
    tmux send-keys -t "$session" q
    wait_for "__EXIT__=0" 30 || fail "quitting the user-themed workbench"
}

# run_signal LABEL: quits by Ctrl-C or SIGTERM instead of q.
run_signal() {
    label=$1
    start TERM=xterm-256color LC_ALL=C.UTF-8
    wait_for "Layers" 120 || { fail "the workbench did not open"; return; }
    if [ "$label" = ctrl-c ]; then
        tmux send-keys -t "$session" C-c
    else
        local shell_pid app_pid
        shell_pid=$(tmux display-message -p -t "$session" '#{pane_pid}')
        app_pid=$(ps -o pid= --ppid "$shell_pid" | head -1 | tr -d ' ')
        kill -TERM "$app_pid"
    fi
    restored
    # A program a signal stopped exits 128 + the signal, so scripts and shells can tell.
    [ "$label" = ctrl-c ] || screen | grep -q "__EXIT__=143" || fail "SIGTERM did not exit with 143"
}

run_matrix xterm-256color TERM=xterm-256color LC_ALL=C.UTF-8
run_matrix xterm TERM=xterm LC_ALL=C.UTF-8
run_matrix LC_ALL=C TERM=xterm-256color LC_ALL=C
run_signal ctrl-c
run_signal sigterm
run_commands
run_allocation
run_cancel
run_fallback
run_dumb
run_pipe
run_repaint
run_themes

if [ "$failures" -gt 0 ]; then
    echo "tui-e2e: $failures check(s) failed"
    exit 1
fi
echo "tui-e2e: all checks passed (xterm-256color, xterm, LC_ALL=C, Ctrl-C, SIGTERM, commands, allocation, cancel, fallback, TERM=dumb, pipe, repaint, themes)"
