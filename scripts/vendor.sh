#!/usr/bin/env bash
# Vendor front-end libraries from their npm packages into static/vendor/.
#
# Usage: scripts/vendor.sh
# To update: change a version below, run the script, update the table in
# static/vendor/README.md, and review the diff.
set -euo pipefail

LEAFLET_VERSION=1.9.4
AXE_CORE_VERSION=4.14.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Download the exact package tarballs (no install, no lockfile, no node_modules).
# --cache keeps npm's download cache inside the temp dir too.
cd "$TMP"
npm pack --silent --cache "$TMP/npm-cache" \
  "leaflet@$LEAFLET_VERSION" "axe-core@$AXE_CORE_VERSION" >/dev/null

mkdir leaflet axe-core
tar -xzf "leaflet-$LEAFLET_VERSION.tgz" -C leaflet --strip-components=1
tar -xzf "axe-core-$AXE_CORE_VERSION.tgz" -C axe-core --strip-components=1

# Leaflet: JS with the source map it names (collectstatic's manifest storage follows that
# reference and fails without the file), CSS, the images/ folder leaflet.css refers to, and the licence.
rm -rf "$VENDOR/leaflet"
mkdir -p "$VENDOR/leaflet/images"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.js.map leaflet/dist/leaflet.css leaflet/LICENSE "$VENDOR/leaflet/"
cp leaflet/dist/images/*.png "$VENDOR/leaflet/images/"

# axe-core: minified build and licences (used only by the test suite).
rm -rf "$VENDOR/axe-core"
mkdir -p "$VENDOR/axe-core"
cp axe-core/axe.min.js axe-core/LICENSE "$VENDOR/axe-core/"
if [[ -f axe-core/LICENSE-3RD-PARTY.txt ]]; then
  cp axe-core/LICENSE-3RD-PARTY.txt "$VENDOR/axe-core/"
fi

echo "Vendored leaflet@$LEAFLET_VERSION and axe-core@$AXE_CORE_VERSION into $VENDOR"
