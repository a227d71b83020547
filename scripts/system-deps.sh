#!/usr/bin/env bash
# Debian packages the project needs outside PyPI: Pango and HarfBuzz-subset for WeasyPrint (PDF
# documents; without libharfbuzz-subset0 WeasyPrint falls back to fontTools and each document takes
# seconds), the Chinese fonts (fonts-noto-cjk) and fontconfig's fc-match that finds them,
# DejaVu Sans Mono for hashes, poppler-utils (pdftotext, pdftoppm) the document tests read PDFs
# with, and Chromium, which the browser tests drive through Playwright.
# Installs them when running as root with apt-get; otherwise names what is missing.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk fonts-dejavu-core poppler-utils chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Please install these system packages: ${missing[*]}" >&2
fi
