#!/bin/sh
# Copy a published folder to the hosts that serve it, so that every replica everywhere reads one release.
#
#   deploy/push-release.sh PUBLISHED_DIR DEST [DEST ...]     DEST: host:/path/to/published, or a local folder
#
# Per destination: first the dataset files and releases (a published file is never rewritten), then the
# LATEST pointer alone (rsync writes it under a temporary name and renames it into place, so a replica
# reads either the old pointer or the new one, never a pointer to a file not yet there), then old files
# the source has pruned. A push that fails part-way leaves the destination serving its previous release.
# The static site goes the same way: its version folders first, the site/latest link with the LATEST pointer.
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 PUBLISHED_DIR DEST [DEST ...]" >&2
  exit 2
fi
src=${1%/}
shift
[ -f "$src/LATEST" ] || { echo "$src has no LATEST: nothing has been published there" >&2; exit 2; }
for dest in "$@"; do
  dest=${dest%/}
  rsync -a --exclude LATEST --exclude /site/latest --exclude '.*' --exclude '*.tmp' "$src/" "$dest/"
  rsync -a "$src/LATEST" "$dest/LATEST"
  if [ -L "$src/site/latest" ]; then rsync -a "$src/site/latest" "$dest/site/"; fi
  rsync -a --delete --exclude LATEST --exclude /site/latest --exclude '.*' --exclude '*.tmp' "$src/" "$dest/"
  echo "$dest: $(cat "$src/LATEST")"
done
