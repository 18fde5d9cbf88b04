#!/usr/bin/env bash
# The README's screen capture: the workbench in tmux at 120x40 with TERM=xterm (8 colours, so the heatmaps shade
# with glyphs, which a text capture keeps) on the demo model after a 3-bit QuantEase run on blocks 0-1 compared
# with GPTQ, with 1.attention.self.key re-solved at 4 bits and `w` pressed to show that layer's weighted-error map.
#
#   scripts/readme-screen.sh      # uses .build/release/quantbench (QUANTBENCH=path overrides)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${QUANTBENCH:-$root/.build/release/quantbench}
model=${QUANTBENCH_DEMO_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/models/all-MiniLM-L6-v2}
[ -x "$bin" ] || { echo "no binary at $bin (make release first, or set QUANTBENCH)" >&2; exit 1; }
[ -d "$model" ] || { echo "no demo model at $model (make demo-model)" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d)
session="qb-readme-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/recipe.yaml" <<YAML
# The README's screen.
name: readme
model: $model
calibration: {source: demo, samples: 32, sequence_length: 128, seed: 0}
layers: {include: ["*"], blocks: "0-1"}
method: {name: quantease, bits: 3, init: gptq, sweeps: 12}
compare: [gptq]
YAML
screen() { tmux capture-pane -p -t "$session"; }
wait_for() {
    local i=0
    while ! screen | grep -Eq -- "$1"; do
        i=$((i + 1)); [ "$i" -ge 1200 ] && { echo "timed out waiting for: $1" >&2; screen >&2; exit 1; }
        sleep 0.1
    done
}
tmux -f /dev/null new-session -d -s "$session" -x 120 -y 40 "cd '$work' && TERM=xterm '$bin' tui --recipe recipe.yaml --log '$work/tui.log'; sleep 600"
tmux set-option -t "$session" status off >/dev/null
wait_for "completed"
# The eighth layer is 1.attention.self.key: select it, solve it at 4 bits, show its error map.
# (Home is not sent: tmux encodes it for its own terminal type, which xterm-256color's terminfo does not know.)
for _ in $(seq 12); do tmux send-keys -t "$session" Up; done
for _ in 1 2 3 4 5 6 7; do tmux send-keys -t "$session" Down; done
wait_for "▸ 1.attention.self.key"
tmux send-keys -t "$session" + Enter
wait_for "solved 1.attention.self.key"
tmux send-keys -t "$session" w
wait_for "Weighted error"
sleep 0.5
screen
tmux send-keys -t "$session" q q
