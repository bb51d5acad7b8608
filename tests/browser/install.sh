#!/usr/bin/env bash
# Set-up of the browser suite (tests/browser) on Debian: Chromium from apt and the Python
# packages (Playwright, JupyterLab, Notebook 7). Playwright is pointed at /usr/bin/chromium
# (ANNBOOK_CHROMIUM names another binary); it never downloads a browser, so do not run
# `playwright install`. Then: python -m pytest -m browser
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x "${ANNBOOK_CHROMIUM:-/usr/bin/chromium}" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends chromium
fi
python -m pip install ".[test,browser]"
echo "ready: python -m pytest -m browser"
