#!/bin/sh
# Stand-in for Prisma's native schema-engine binary (see schema-engine-shim.ts). ops/scripts/prisma.mjs points
# PRISMA_SCHEMA_ENGINE_BINARY here so the stock CLI never downloads an engine.
dir="$(dirname "$(readlink -f "$0")")"
exec node --import "$dir/../../node_modules/tsx/dist/loader.mjs" "$dir/schema-engine-shim.ts" "$@"
