# Sourced by the fetch scripts: model_dir NAME prints the model cache folder of NAME, as KnownModel in ModelKit:
#   $QUANTBENCH_HOME/models/NAME            if QUANTBENCH_HOME is set
#   $XDG_CACHE_HOME/quantbench/models/NAME  else if XDG_CACHE_HOME is set
#   ~/.cache/quantbench/models/NAME         otherwise
model_dir() {
    if [[ -n "${QUANTBENCH_HOME:-}" ]]; then
        echo "$QUANTBENCH_HOME/models/$1"
    elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then
        echo "$XDG_CACHE_HOME/quantbench/models/$1"
    else
        echo "$HOME/.cache/quantbench/models/$1"
    fi
}
