#!/bin/sh
# workloads/pqm4/pqm4_tree.sh — lays out the pqm4 directories the build
# needs as a tree of symbolic links, without touching pqm4's own files.
#
# pqm4 shares code between implementations with symbolic links (the
# ML-KEM-1024 implementation's indcpa.c is ML-KEM-768's, and so on).  The
# copy in ../shared/third_party stores each such link as a small text file
# holding the link's relative target, and a C file found through a link
# must see the headers of the directory the link sits in (ML-KEM-768's
# indcpa.c compiled for ML-KEM-1024 includes ML-KEM-1024's params.h), as
# it does in a git checkout of pqm4.  So every file of each directory is
# linked from DEST/DIR to the file it finally resolves to; a link whose
# target is not in the tree (pqm4's trimmed copy leaves out mupq/pqclean)
# is left out, and the build provides what it stood for.
#
# usage: pqm4_tree.sh PQM4_ROOT DEST DIR...
# Prints the sources of each DIR (.c, .s, .S), one "DIR FILE" per line.
set -eu

root=$1
dest=$2
shift 2

# A file that holds nothing but a relative path to an existing file.
link_target() {
    [ "$(wc -c < "$1")" -lt 256 ] || return 1
    [ "$(wc -l < "$1")" -eq 0 ] || return 1
    content=$(cat "$1")
    case $content in
        *[[:space:]]*|"") return 1 ;;
    esac
    target=$(dirname "$1")/$content
    [ -f "$target" ] || return 1
    printf '%s\n' "$target"
}

# True when the file is a link whose target is missing from the tree.
dangling_link() {
    [ "$(wc -c < "$1")" -lt 256 ] && [ "$(wc -l < "$1")" -eq 0 ] || return 1
    case $(cat "$1") in
        ../*) ! link_target "$1" >/dev/null ;;
        *) return 1 ;;
    esac
}

resolve() {
    path=$1
    hops=0
    while target=$(link_target "$path"); do
        path=$target
        hops=$((hops + 1))
        [ $hops -lt 16 ] || { echo "pqm4_tree.sh: $1: link loop" >&2; exit 1; }
    done
    realpath "$path"
}

for dir in "$@"; do
    [ -d "$root/$dir" ] || { echo "pqm4_tree.sh: $root/$dir: no such directory" >&2; exit 1; }
    mkdir -p "$dest/$dir"
    for file in "$root/$dir"/*; do
        [ -f "$file" ] || continue
        name=$(basename "$file")
        if dangling_link "$file"; then
            rm -f "$dest/$dir/$name"
            continue
        fi
        ln -sfn "$(resolve "$file")" "$dest/$dir/$name"
        case $name in
            *.c|*.s|*.S) printf '%s %s\n' "$dir" "$name" ;;
        esac
    done
done
