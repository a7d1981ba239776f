#!/bin/sh
# check_boards.sh — fails the build, with what to do, when boards/ no longer
# holds the board files meson configured the firmware images for.
#   check_boards.sh BOARDS_DIR STAMP CONFIGURED_FILE...
# meson reads the board list at configure time; a board file added later
# has no runtime image until the build is configured again.
dir=$1 stamp=$2
shift 2
configured=$(for f in "$@"; do echo "$f"; done | sort)
present=$(for f in "$dir"/*.ini; do [ -e "$f" ] && echo "$f"; done | sort)
if [ "$configured" != "$present" ]; then
    added=$(printf '%s\n' "$present" | grep -vxF "$configured" | sed 's|.*/||' | tr '\n' ' ' | sed 's/ *$//')
    removed=$(printf '%s\n' "$configured" | grep -vxF "$present" | sed 's|.*/||' | tr '\n' ' ' | sed 's/ *$//')
    echo "mcusim: boards/ changed since the build was configured (added: ${added:-none}; removed: ${removed:-none}):" \
         "run 'meson setup --reconfigure BUILD_DIR' so that every board gets its runtime images" >&2
    exit 1
fi
: > "$stamp"
