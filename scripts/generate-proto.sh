#!/usr/bin/env bash
# Regenerates src/proto/ from proto/*.proto: static code (no reflection, no eval) plus its types.
# Usage: scripts/generate-proto.sh [outdir]   (default src/proto)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-src/proto}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(-t static-module -w es6 --no-verify --no-convert --no-delimited --no-service --no-typeurl)
# The types come from the JSDoc of a commented build; the shipped code carries no comments.
npx --no-install pbjs "${common[@]}" -p proto -o "$tmp/commented.js" proto/message_contents.proto proto/xmtp_signers_extensions.proto
npx --no-install pbts --no-comments -o "$out/message_contents.d.ts" "$tmp/commented.js"
npx --no-install pbjs "${common[@]}" -p proto --no-comments -o "$out/message_contents.js" proto/message_contents.proto proto/xmtp_signers_extensions.proto
