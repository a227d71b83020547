#!/usr/bin/env bash
# Refresh the front-end files vendored under static/vendor/ from the npm registry.
# Government intranets are often offline: pages never load anything from a CDN.
# Usage: scripts/vendor-static.sh            (the versions pinned below)
#        BOOTSTRAP=5.3.9 BPMN_JS=18.31.1 scripts/vendor-static.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=${BOOTSTRAP:-5.3.9}
BPMN_JS=${BPMN_JS:-18.31.1}
out=static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION -> $work/NAME/package
  mkdir -p "$work/$1"
  (cd "$work/$1" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
}

fetch bootstrap "$BOOTSTRAP"
rm -rf "$out/bootstrap" && mkdir -p "$out/bootstrap"
cp "$work/bootstrap/package/dist/css/bootstrap.min.css" "$work/bootstrap/package/dist/js/bootstrap.bundle.min.js" \
   "$work/bootstrap/package/LICENSE" "$out/bootstrap/"

fetch bpmn-js "$BPMN_JS"
rm -rf "$out/bpmn-js" && mkdir -p "$out/bpmn-js"
cp "$work/bpmn-js/package/dist/bpmn-navigated-viewer.production.min.js" \
   "$work/bpmn-js/package/dist/assets/bpmn-js.css" "$work/bpmn-js/package/dist/assets/diagram-js.css" \
   "$work/bpmn-js/package/LICENSE" "$out/bpmn-js/"

cat > "$out/VERSIONS.md" <<MD
# Vendored front-end files

Refreshed by \`scripts/vendor-static.sh\` from the npm registry; do not edit by hand.

| Package | Version | Files | Licence |
|---|---|---|---|
| bootstrap | $BOOTSTRAP | bootstrap.min.css, bootstrap.bundle.min.js | MIT (bootstrap/LICENSE) |
| bpmn-js | $BPMN_JS | bpmn-navigated-viewer.production.min.js, bpmn-js.css, diagram-js.css | bpmn.io licence (bpmn-js/LICENSE): use permitted; the bpmn.io watermark must stay visible |
MD
echo "vendored bootstrap $BOOTSTRAP and bpmn-js $BPMN_JS into $out"
