#!/usr/bin/env bash
# Builds FerretDB v1 (MongoDB wire protocol on SQLite) once from the Go module proxy and
# caches the binary outside the checkout, because CI clones afresh on every run.
# Prints the binary's path on stdout; progress goes to stderr.
set -euo pipefail

version="${FERRETDB_VERSION:-v1.24.2}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/firebreak"
target_dir="$cache_root/ferretdb-$version"
binary="$target_dir/ferretdb"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "ferretdb.sh: Go is not installed; set MONGODB_URI or install Go to build FerretDB." >&2
  exit 3
fi

echo "ferretdb.sh: building FerretDB $version (first time only, takes a few minutes)..." >&2
mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

src="$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$src" ] || [ ! -d "$src" ]; then
  echo "ferretdb.sh: could not download github.com/FerretDB/FerretDB@$version" >&2
  exit 1
fi

cp -R "$src" "$work/src"
chmod -R u+w "$work/src"
# The version is normally written by `go generate` from git; the module zip has no git history.
printf '%s' "$version" > "$work/src/build/version/version.txt"
echo "ferretdb.sh: compiling (go build ./cmd/ferretdb)..." >&2
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb)

mkdir -p "$target_dir"
mv "$work/ferretdb" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "ferretdb.sh: built $binary" >&2
echo "$binary"
