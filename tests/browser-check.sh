#!/usr/bin/env bash
# The printable pages in a real browser: renders each `--html` page kefu writes with
# headless Chromium (Debian's `chromium`; Chinese needs `fonts-noto-cjk`) to PNG and
# PDF, and fails on a blank page, a page wider than A4 (794 CSS pixels at 96 dpi), or
# a PDF that is not A4. The PNGs and PDFs stay in $OUT (default: a temporary folder)
# for a person to look at.
#
#   apt-get install chromium fonts-noto-cjk
#   tests/browser-check.sh            # or: OUT=/tmp/pages tests/browser-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$browser" ]] || { echo "browser-check: chromium is not installed" >&2; exit 1; }
cargo build --quiet
kefu="${CARGO_TARGET_DIR:-target}/debug/kefu"
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
export KEFU_ROOT="$ws/shop" TZ=UTC
"$kefu" init "$ws/shop" >/dev/null
at() { KEFU_NOW="$1+08:00" "$kefu" "${@:2}"; }
intake() {
  at "$1" intake --name "$2" --contact 13800000000 --channel phone --summary "燒餅烙糊了，要求退款" \
    --category quality --level general --department "$3"
}
a=$(intake 2026-11-09T09:00:00 "王先生" service)
b=$(intake 2026-11-13T09:00:00 "李小姐 <b>&amp;</b>" sales)
c=$(intake 2026-11-16T09:00:00 "張先生" marketing)
at 2026-11-16T10:00:00 handoff "$c" --to marketing --note "請先致電客戶" --html "$out/form.html" --force >/dev/null
at 2026-11-20T12:00:00 penalty confirm "$a/P1" "$a/P2" >/dev/null
at 2026-11-20T12:00:00 penalty waive "$b/P1" --reason "停電" >/dev/null
at 2026-11-21T12:00:00 penalty execute "$a/P1" --ref 薪資-11 >/dev/null
now=2026-11-23T10:15:00
at $now friday --week 2026-W47 --weeks 4 --no-sweep --html "$out/friday.html" --force >/dev/null
at $now circular --week 2026-W47 --html "$out/circular.html" --force >/dev/null
at $now notice "$a/P2" --html "$out/notice.html" --force >/dev/null
at $now receivers --html "$out/receivers.html" --force >/dev/null
at $now letter "$a" --html "$out/letter.html" --force >/dev/null

chrome() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --no-first-run --hide-scrollbars "$@" 2>/dev/null; }
failed=0
for page in friday circular notice receivers letter form; do
  html="$out/$page.html"
  chrome --window-size=794,1123 --screenshot="$out/$page.png" "file://$html" >/dev/null
  chrome --no-pdf-header-footer --print-to-pdf="$out/$page.pdf" "file://$html" >/dev/null
  # Width and text as laid out at A4 width: a harness page frames the page and reads
  # them (the harness has a script; kefu's pages never do).
  cat >"$out/.measure.html" <<EOF
<iframe id="f" src="$page.html" style="width:794px;height:1123px;border:0"></iframe>
<script>
document.getElementById("f").onload = function () {
  var d = this.contentDocument;
  document.body.setAttribute("data-width", d.documentElement.scrollWidth);
  document.body.setAttribute("data-text", (d.body.innerText || "").trim().length);
};
</script>
EOF
  dom=$(chrome --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$out/.measure.html")
  width=$(sed -n 's/.*data-width="\([0-9]*\)".*/\1/p' <<<"$dom")
  text=$(sed -n 's/.*data-text="\([0-9]*\)".*/\1/p' <<<"$dom")
  verdict=$(python3 - "$out/$page.png" "$out/$page.pdf" <<'PY'
import re, struct, sys, zlib
png, pdf = sys.argv[1], sys.argv[2]
data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, colour = struct.unpack(">IIBB", body[:10])
        channels = {2: 3, 6: 4}[colour]
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride, prev, inked = zlib.decompress(idat), w * channels, None, 0
rows = []
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b = prev[i] if prev else 0
        c = prev[i - channels] if prev and i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    inked += sum(1 for x in range(0, stride, channels) if min(line[x:x + 3]) < 128)
    prev = line
boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", open(pdf, "rb").read())
a4 = bool(boxes) and all(abs(float(x) - 595.92) < 2 and abs(float(y) - 842.88) < 2 for x, y in boxes)
print(f"{inked} {'a4' if a4 else 'not-a4'} {len(boxes)}")
PY
)
  read -r inked paper pages <<<"$verdict"
  status=ok
  if [[ -z "$width" || "$width" -gt 794 ]]; then status="wider than A4 (${width:-?} px)"; fi
  if [[ -z "$text" || "$text" -eq 0 || "$inked" -lt 2000 ]]; then status="blank (text ${text:-?}, dark pixels $inked)"; fi
  if [[ "$paper" != a4 ]]; then status="PDF is not A4"; fi
  printf '%-10s %s (width %s px, %s dark pixels, %s PDF page(s))\n' "$page" "$status" "$width" "$inked" "$pages"
  [[ "$status" == ok ]] || failed=1
done
rm -f "$out/.measure.html"
echo "pages, PNGs and PDFs in $out"
exit $failed
