#!/usr/bin/env bash
# Files in src/ over a line limit (default 200), longest first. Usage: .ci/long-files.sh [limit]
limit=${1:-200}
cd "$(dirname "$0")/../src" && find . -name '*.ts' -print0 | xargs -0 wc -l | grep -v ' total$' \
  | awk -v limit="$limit" '$1 > limit { sub("^\\./", "", $2); print $1, $2 }' | sort -rn
