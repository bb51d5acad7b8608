#!/usr/bin/env bash
# Builds the JupyterLab extension from its TypeScript sources into annbook/labextension/,
# the prebuilt copy that is committed and shipped in the wheel. Run it after any change in
# extension/ (a test fails until the build matches the sources).
# Needs node >= 20.19 with npm, and JupyterLab >= 4.6 in the Python environment
# (its `jupyter-builder` command drives the bundler).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"

npm ci --no-audit --no-fund
rm -rf lib ../annbook/labextension
npm run build
cp install.json ../annbook/labextension/install.json
"$PYTHON" source_hash.py --write
echo "built $(ls ../annbook/labextension/static/remoteEntry.*.js)"
