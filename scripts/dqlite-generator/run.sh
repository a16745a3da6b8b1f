#!/usr/bin/env bash
# Builds the real-dqlite generator (GOPATH mode against Debian's /usr/share/gocode: no Go module
# downloads) and runs it.
#   run.sh fixtures DIR   small scenarios → DIR/<scenario>/ (snapshot files + ground-truth.json)
#   run.sh sample         the sample bundle's before/after snapshots → samples/bundle/k8s02/backend-snapshots/,
#                         ground truth → test/fixtures/sample-snapshots-ground-truth.json
# Needs: apt-get install libdqlite-dev golang-go golang-github-canonical-go-dqlite-dev gcc
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mode="${1:?usage: run.sh fixtures DIR | run.sh sample}"

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/gopath/src/dqlite-generator"
cp "$here"/*.go "$build/gopath/src/dqlite-generator/"
(
  cd "$build/gopath/src/dqlite-generator"
  # go-dqlite's bindings ask for -Wl,-z,now, which cgo refuses unless allowed.
  CGO_LDFLAGS_ALLOW='-Wl,-z,now' GOPATH="$build/gopath:/usr/share/gocode" GO111MODULE=off GOFLAGS= \
    GOCACHE="$build/cache" go build -o "$build/dqlite-generator" .
)
gcc -shared -fPIC -O2 -Wall -o "$build/compression-shim.so" "$here/compression-shim.c" -ldl
gen="$build/dqlite-generator"

case "$mode" in
  fixtures)
    out="${2:?run.sh fixtures DIR}"
    for scenario in kine-wal multi-db bulk-delete; do
      rm -rf "${out:?}/$scenario"
      "$gen" -scenario "$scenario" -out "$out/$scenario"
    done
    rm -rf "${out:?}/uncompressed"
    LD_PRELOAD="$build/compression-shim.so" HOWCHAIN_SNAPSHOT_COMPRESSION=0 \
      "$gen" -scenario uncompressed -out "$out/uncompressed"
    ;;
  sample)
    out="$repo/samples/bundle/k8s02/backend-snapshots"
    mkdir -p "$out"
    rm -f "$out"/snapshot-*
    "$gen" -scenario sample -out "$out" -handles "$repo/samples/bundle/kubectl/ipamhandles.txt" \
      -truth "$repo/test/fixtures/sample-snapshots-ground-truth.json"
    ;;
  *)
    echo "run.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
