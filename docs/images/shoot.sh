#!/usr/bin/env bash
# Remake the README's pictures: a small demo repository, its index and site, and
# headless Chromium screenshots of both. Usage: docs/images/shoot.sh [path/to/adr]
set -euo pipefail
adr=${1:-adr}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
demo=$tmp/shop
mkdir "$demo"
export ADR_DATE=2026-11-24
cd "$demo"
git init -q
"$adr" init >/dev/null
new() { "$adr" new --no-edit "$@" >/dev/null; }
new "Store orders in PostgreSQL" --tag storage \
  --tradeoff "scalability-vs-simplicity=simplicity; cost=one primary: writes top out near 5,000/s; revisit-when=order writes pass 1,000/s"
new "Cache product pages in Redis" --tag caching \
  --tradeoff "performance-vs-development-speed=performance; cost=a second store to run and keep warm; revisit-when=hit rate under 80% for a week"
new "Ship the checkout without saved carts" --tag checkout \
  --tradeoff "completeness-vs-time-to-market=time-to-market; cost=returning customers re-add items; revisit-when=cart abandonment above 30%"
new "Use an ORM for the admin back office" --tag admin \
  --tradeoff "performance-vs-development-speed=development-speed; cost=N+1 queries to watch in reviews; revisit-when=an admin page takes over 500 ms"
new "Partition the orders table by month" --tag storage --supersedes 2 \
  --tradeoff "scalability-vs-simplicity=scalability; cost=partition maintenance jobs; revisit-when=archive queries need cross-partition joins"
for n in 2 3 4 5 6; do
  sed -i 's|^## Decision Outcome$|## Decision Outcome\n\nChosen option: "as titled", because it fits the drivers above.|' docs/decisions/000$n-*.md
done
for n in 3 4 5 6; do "$adr" accept "$n" >/dev/null; done
"$adr" index >/dev/null
"$adr" site --output site >/dev/null
python3 - docs/decisions/README.md index.html <<'PY'
import sys
from markdown_it import MarkdownIt
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("## Trade-off matrix") if "## Trade-off matrix" in text else 0
html = MarkdownIt("commonmark").enable("table").render(text[start:])
style = ("body{font:15px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:920px;"
         "margin:24px auto;color:#1f2328}table{border-collapse:collapse;margin:8px 0 16px}"
         "td,th{border:1px solid #d1d9e0;padding:5px 10px}th{background:#f6f8fa}"
         "code{background:#eff1f3;padding:1px 4px;border-radius:4px}h2,h3{border-bottom:1px solid #d1d9e0}")
open(sys.argv[2], "w", encoding="utf-8").write(f"<!doctype html><meta charset=utf-8><style>{style}</style>{html}")
PY
shoot() {
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$3" --screenshot="$demo/shot.png" "file://$demo/$1" 2>/dev/null
  cp "$demo/shot.png" "$here/$2"
}
shoot index.html index-matrix.png 1000,600
shoot site/index.html site-overview.png 1100,820
