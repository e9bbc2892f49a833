#!/usr/bin/env bash
# Builds FerretDB v1 (MongoDB wire protocol on SQLite) once from the Go module proxy and
# caches the binary outside the checkout, because CI clones afresh on every run.
# Four patches (see below): `_id` lookups use the `_id` index, objects' lifetimes are tracked in debug
# builds only, a delete by `_id` alone does not read the document first, and writes queue in Go instead of
# sleeping in SQLite's busy handler.
# Prints the binary's path on stdout; progress goes to stderr.
set -euo pipefail

version="${FERRETDB_VERSION:-v1.24.2}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/firebreak"
# The build's name says which patch it has (below), so a binary cached before the patch is not reused;
# src/store/embedded-db.ts passes the same name.
build="${FERRETDB_BUILD:-$version-id-index-untracked-id-delete-write-queue}"
target_dir="$cache_root/ferretdb-$build"
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
# FerretDB v1's SQLite backend matches `_id` as `_ferretdb_sjson->'$._id'`, but builds the unique `_id`
# index on `_ferretdb_sjson->"_id"`: SQLite only uses an index for the expression it was built on, so every
# find, update and delete by `_id` scanned the table up to the document (about 8 µs a document; measured
# in docs/database.md). Writing the path as the label `'_id'` (the same path to SQLite) lets it use the index.
metadata="$work/src/internal/backends/sqlite/metadata/metadata.go"
if ! grep -q "IDColumn = DefaultColumn + \"->'\$._id'\"" "$metadata"; then
  echo "ferretdb.sh: $version's SQLite metadata.go is not the one the _id index patch was written for" >&2
  exit 1
fi
sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \"->'_id'\"|" "$metadata"
grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$metadata"
# FerretDB tracks the lifetime of every iterator, transaction and row set it opens: it adds each to a pprof
# profile with its stack and sets a finalizer that panics if it was never closed. That is a leak detector for
# its own tests, about 7% of its CPU under alert intake here (measured with pprof), and a panic that would
# take the database down in production. Debug builds keep it; this build is not one.
resource="$work/src/internal/util/resource/resource.go"
for function in Track Untrack; do
  if ! grep -q "^func $function(obj any, token \*Token) {$" "$resource"; then
    echo "ferretdb.sh: $version's resource.go is not the one the tracking patch was written for" >&2
    exit 1
  fi
  sed -i "s|^func $function(obj any, token \*Token) {$|&\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}|" "$resource"
done
[ "$(grep -c $'^\tif !debugbuild.Enabled {$' "$resource")" = 2 ]
# A delete reads every document its filter matches, decodes it, checks the filter again, then deletes by
# `_id`: for a filter of `_id` alone that read is wasted, and decoding is most of a delete's CPU. Firebreak
# deletes by `_id` on hot paths (finished deliveries, released claims): under an alert storm those deletes
# were about a third of FerretDB's CPU (measured). With `_id` equality to a string or an ObjectID alone, the
# patched handler deletes by the `_id` index at once, as the read's pushdown would have found it.
delete_go="$work/src/internal/handler/msg_delete.go"
signature='func (h *Handler) execDelete(ctx context.Context, c backends.Collection, p *common.Delete) (int32, error) {'
if ! grep -qF "$signature" "$delete_go"; then
  echo "ferretdb.sh: $version's msg_delete.go is not the one the delete patch was written for" >&2
  exit 1
fi
awk -v signature="$signature" '
  { print }
  $0 == signature {
    print "\tif p.Filter.Len() == 1 {"
    print "\t\tif id, err := p.Filter.Get(\"_id\"); err == nil {"
    print "\t\t\tswitch id.(type) {"
    print "\t\t\tcase string, types.ObjectID:"
    print "\t\t\t\td, err := c.DeleteAll(ctx, &backends.DeleteAllParams{IDs: []any{id}})"
    print "\t\t\t\tif err != nil {"
    print "\t\t\t\t\treturn 0, lazyerrors.Error(err)"
    print "\t\t\t\t}"
    print "\t\t\t\treturn d.Deleted, nil"
    print "\t\t\t}"
    print "\t\t}"
    print "\t}"
  }
' "$delete_go" > "$delete_go.patched"
mv "$delete_go.patched" "$delete_go"
grep -q 'd, err := c.DeleteAll(ctx, &backends.DeleteAllParams{IDs: \[\]any{id}})' "$delete_go"
# SQLite lets one writer at a time into a database; a writer that finds the lock taken sleeps in SQLite's
# busy handler (1, 2, 5, 10, 15, 20, 25 ms …) rather than waking when it is free, so under concurrent writes
# a command waits for the sleep it chose, not for the writer ahead of it. The patched backend queues its
# writes (inserts, updates, deletes) on a Go mutex for each database instead: each starts the moment the
# one before ends.
collection_go="$work/src/internal/backends/sqlite/collection.go"
if [ "$(grep -c '^	err := db.InTransaction(ctx, func(tx \*fsql.Tx) error {$' "$collection_go")" != 2 ] ||
  ! grep -q '^	res, err := db.ExecContext(ctx, q, args...)$' "$collection_go" ||
  ! grep -q '^	"strings"$' "$collection_go"; then
  echo "ferretdb.sh: $version's sqlite/collection.go is not the one the write-queue patch was written for" >&2
  exit 1
fi
sed -i \
  -e 's|^	"strings"$|&\n\t"sync"|' \
  -e 's|^	err := db.InTransaction(ctx, func(tx \*fsql.Tx) error {$|\twrites := writeQueue(c.dbName)\n\twrites.Lock()\n\tdefer writes.Unlock()\n\n&|' \
  -e 's|^	res, err := db.ExecContext(ctx, q, args...)$|\twrites := writeQueue(c.dbName)\n\twrites.Lock()\n\tdefer writes.Unlock()\n\n&|' \
  "$collection_go"
cat >> "$collection_go" <<'GO'

// writeQueues holds a mutex for each database (one SQLite file each) that its writes queue on: see
// scripts/ferretdb.sh in Firebreak.
var writeQueues sync.Map

func writeQueue(dbName string) *sync.Mutex {
	queue, _ := writeQueues.LoadOrStore(dbName, new(sync.Mutex))
	return queue.(*sync.Mutex)
}
GO
[ "$(grep -c 'writes := writeQueue(c.dbName)' "$collection_go")" = 3 ]
echo "ferretdb.sh: compiling (go build ./cmd/ferretdb)..." >&2
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb)

mkdir -p "$target_dir"
mv "$work/ferretdb" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "ferretdb.sh: built $binary" >&2
echo "$binary"
