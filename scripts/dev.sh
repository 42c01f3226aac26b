#!/usr/bin/env bash
# The two README commands:
#   bash scripts/dev.sh run   – set up .venv, build the index if missing or stale, serve the page
#   bash scripts/dev.sh test  – same set-up (plus browser and fonts for tests), then pytest
# Extra arguments go to `yingshang serve` or to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=$ROOT/.venv

say() { printf '\033[1m[yingshang]\033[0m %s\n' "$*"; }

setup_python() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "创建虚拟环境 .venv"
        "$PY" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
    if [ -f "$stamp" ]; then
        return
    fi
    say "安装依赖（首次需要几分钟）"
    "$VENV/bin/pip" install -q --upgrade pip
    # torch first, pinned to the CPU build, so nothing pulls a multi-GB CUDA build.
    if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
        "$VENV/bin/pip" install -q "torch==${TORCH_VERSION:-2.13.0}"
    fi
    "$VENV/bin/pip" install -q -e ".[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
}

setup_system_for_tests() {
    # Browser tests use Debian's chromium (never a downloaded browser); the PDF test needs a CJK font.
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "wqy" || missing+=(fonts-wqy-zenhei)
    if [ ${#missing[@]} -gt 0 ]; then
        if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
            say "安装系统软件包：${missing[*]}"
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        else
            say "缺少系统软件包 ${missing[*]}：请用系统包管理器安装（例如 sudo apt-get install ${missing[*]}）"
        fi
    fi
}

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false

case "${1:-}" in
    run)
        shift
        setup_python
        say "检查索引"
        "$VENV/bin/yingshang" build --if-stale
        exec "$VENV/bin/yingshang" serve --no-build "$@"
        ;;
    test)
        shift
        setup_python
        setup_system_for_tests
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    *)
        echo "usage: bash scripts/dev.sh run|test [args…]" >&2
        exit 2
        ;;
esac
