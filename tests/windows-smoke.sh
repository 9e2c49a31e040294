#!/usr/bin/env bash
# Smoke test of the Windows build: cross-compile kefu.exe with MinGW and run one case
# through its whole life under Wine, plus a GBK import and an export, checking what
# each step prints and writes.
#
#   tests/windows-smoke.sh            # builds target/x86_64-pc-windows-gnu/release/kefu.exe
#   KEFU_EXE=path/to/kefu.exe tests/windows-smoke.sh
#
# Needs (Debian): gcc-mingw-w64-x86-64, wine, jq. WINEPREFIX is honoured (default
# ~/.wine; the first run creates it, which takes a few seconds).
set -euo pipefail
trap 'echo "windows-smoke: FAILED at line $LINENO" >&2' ERR
exe=${KEFU_EXE:+$(realpath "$KEFU_EXE")}
cd "$(dirname "$0")/.."
repo=$(pwd)

for tool in wine x86_64-w64-mingw32-gcc jq iconv; do
  command -v "$tool" >/dev/null || { echo "windows-smoke: $tool is not installed" >&2; exit 1; }
done

if [[ -z $exe ]]; then
  cargo build --quiet --release --target x86_64-pc-windows-gnu --bin kefu
  exe=${CARGO_TARGET_DIR:-$repo/target}/x86_64-pc-windows-gnu/release/kefu.exe
fi

export WINEDEBUG=${WINEDEBUG:--all}
# Wine passes the environment on to the program: a fixed clock, no colour, nothing
# else of the caller's kefu settings.
unset KEFU_ROOT KEFU_ACTOR KEFU_LOCK_TIMEOUT
export NO_COLOR=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cp "$exe" "$tmp/bin/kefu.exe"

fail() {
  echo "windows-smoke: FAILED: $*" >&2
  exit 1
}

# kefu AT ARGS...: run kefu.exe at the shop time AT (2026-11-DD HH:MM, +08:00).
kefu() {
  local at=$1
  shift
  KEFU_NOW="${at/ /T}:00+08:00" wine "$tmp/bin/kefu.exe" "$@"
}

# Wine before 9.0 lacks bcryptprimitives.dll, which Rust's standard library needs at
# start-up: give it a stand-in next to the program (see tests/windows/bcryptprimitives.c).
if ! kefu "2026-11-23 10:00" --version >/dev/null 2>&1; then
  echo "windows-smoke: kefu.exe does not start under this Wine; adding a bcryptprimitives.dll stand-in" >&2
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$tmp/bin/bcryptprimitives.dll" \
    tests/windows/bcryptprimitives.c -ladvapi32
fi
version=$(kefu "2026-11-23 10:00" --version) || fail "kefu.exe --version did not run"
echo "windows-smoke: $version under $(wine --version 2>/dev/null)"

cd "$tmp"
# A Traditional Chinese shop (its labels from the locale), its messages in English
# (KEFU_LANG, as the test suite runs), so that a Chinese sheet imports into it.
export KEFU_LANG=en
LC_ALL=zh_TW.UTF-8 kefu "2026-11-23 10:00" init shop --no-git 2>init.err || fail "init: $(cat init.err)"
grep -q "created a kefu workspace in shop" init.err || fail "init said: $(cat init.err)"
sed -i 's/^auto_commit = true$/auto_commit = false/' shop/config/kefu.toml
grep -qx 'auto_commit = false' shop/config/kefu.toml || fail "auto_commit is not off"
cd shop

# --- one case, intake to close -------------------------------------------------------
id=$(kefu "2026-11-23 10:15" intake --name 王先生 --contact 13800000000 --channel phone \
  --summary 燒餅烙糊了 --product 燒餅禮盒 --request refund)
[[ $id == 20261123-001 ]] || fail "intake printed '$id', expected 20261123-001"

kefu "2026-11-23 10:20" classify "$id" --category quality --level general --department service >/dev/null

# The form goes to a path written the Windows way, into a folder that exists.
mkdir forms
kefu "2026-11-23 10:25" handoff "$id" --to service --form 'forms\handoff.md' >/dev/null
# The shop's language is the locale's (English here), and so is the form's title.
grep -qE "客戶抱怨處理書|Complaint handling form" forms/handoff.md ||
  fail "handoff form not written to forms/handoff.md"
grep -q "燒餅烙糊了" forms/handoff.md || fail "handoff form lacks the summary"

kefu "2026-11-23 10:40" ack "$id" --by 李站長 >/dev/null
kefu "2026-11-23 11:00" reply "$id" --from service --text "明天上門換新" >/dev/null
kefu "2026-11-23 11:10" reply "$id" --text "已向客戶致歉,明天換新" --to-customer --written >/dev/null
kefu "2026-11-24 16:00" close "$id" --resolution 已換新 --remedy exchange --satisfaction satisfied >/dev/null

show=$(kefu "2026-11-24 16:05" show "$id" --json)
jq -e --arg id "$id" '
  .id == $id and .status == "closed"
  and .customer.name == "王先生" and .complaint.summary == "燒餅烙糊了"
  and ([.events[].kind] == ["intake", "classify", "handoff", "ack", "reply", "reply", "close"])
  and ([.events[] | select(.kind == "ack")][0].by == "李站長")
' <<<"$show" >/dev/null || fail "show --json: $show"

# The human view prints the Chinese text as UTF-8 bytes when stdout is not a console,
kefu "2026-11-24 16:05" show "$id" | grep -q "王先生" || fail "show does not print 王先生"
# and as wide characters when it is one (Wine gives a program on a terminal a console,
# and shows it in the terminal's UTF-8).
if command -v script >/dev/null; then
  LANG=C.UTF-8 KEFU_NOW=2026-11-24T16:05:00+08:00 \
    script -qec "wine $tmp/bin/kefu.exe show $id" /dev/null >console.out </dev/null ||
    fail "show on a console: $(cat console.out)"
  grep -q "王先生" console.out || fail "show on a console lost the Chinese text: $(cat -v console.out)"
fi

# The case file: UTF-8, LF line endings, no carriage return.
file=$(find cases -name "$id.toml")
[[ -n $file ]] || fail "no case file $id.toml under cases/"
grep -q '王先生' "$file" || fail "$file lacks 王先生 in UTF-8"
if grep -q $'\r' "$file"; then fail "$file has CRLF line endings"; fi

# --- a GBK sheet, as Excel on a Chinese Windows saves it -----------------------------
printf '%s\n' \
  '姓名,電話,渠道,抱怨內容,產品,要求,受理時間,來源編號,類別,級別,部門' \
  '李女士,13900000000,電話,送貨晚了三天,蛋糕,道歉,2026-11-23 12:00,web-1002,產品質量,一般,服務站' \
  '趙先生,,到店,店員態度差,,,2026-11-23 13:30,web-1003,,,' |
  iconv -f UTF-8 -t GBK >weekly.csv
if kefu "2026-11-24 17:00" import weekly.csv --encoding utf-8 >import.out 2>import.err; then
  fail "a GBK file read as UTF-8 was accepted"
fi
grep -q -- "--encoding gbk" import.err || fail "no --encoding hint: $(cat import.err)"
[[ $(find cases -name '*.toml' | wc -l) -eq 1 ]] || fail "a refused import wrote files"

# Without --encoding the sheet is recognised as GBK, and kefu says so.
imported=$(kefu "2026-11-24 17:00" import weekly.csv --json 2>import.err)
grep -q "read as GBK" import.err || fail "the detected encoding was not named: $(cat import.err)"
jq -e '.created == 2 and .duplicates == 0 and .ids == ["20261123-002", "20261123-003"]' \
  <<<"$imported" >/dev/null || fail "import --json: $imported"
li=$(kefu "2026-11-24 17:01" show 20261123-002 --json)
jq -e '.customer.name == "李女士" and .complaint.summary == "送貨晚了三天" and .status == "classified"' \
  <<<"$li" >/dev/null || fail "GBK text did not round-trip: $li"
again=$(kefu "2026-11-24 17:02" import weekly.csv --encoding gbk --json)
jq -e '.created == 0 and .duplicates == 2' <<<"$again" >/dev/null || fail "re-import: $again"

# --- reading: list, friday, export ---------------------------------------------------
list=$(kefu "2026-11-24 17:05" list --json)
jq -e 'length == 3 and ([.[] | .status] == ["closed", "classified", "received"])
  and .[2].customer.name == "趙先生"' <<<"$list" >/dev/null || fail "list --json: $list"
open=$(kefu "2026-11-24 17:05" list --open --json)
jq -e '[.[].id] == ["20261123-002", "20261123-003"]' <<<"$open" >/dev/null || fail "list --open: $open"

friday=$(kefu "2026-11-30 09:00" friday --json --no-sweep)
jq -e '.from == "2026-11-23T00:00:00+08:00" and .intake.total == 3 and .intake.unclassified == 1
  and ([.categories[] | select(.category == "quality")][0].closes == 1)' \
  <<<"$friday" >/dev/null || fail "friday --json: $friday"

kefu "2026-11-24 17:10" export >export.jsonl
[[ $(wc -l <export.jsonl) -eq 3 ]] || fail "export wrote $(wc -l <export.jsonl) lines, expected 3"
jq -e -s '[.[].customer.name] == ["王先生", "李女士", "趙先生"]' export.jsonl >/dev/null ||
  fail "export: $(cat export.jsonl)"
kefu "2026-11-24 17:10" export --format csv >export.csv
head -1 export.csv | grep -q '^id,' || fail "export --format csv header: $(head -1 export.csv)"
grep -q '^20261123-002,.*李女士' export.csv || fail "export --format csv lacks 李女士"

# --- Windows paths, errors, pipes ----------------------------------------------------
# --root as a Windows path (Z:\...), from outside the workspace.
root=$(wine winepath -w "$tmp/shop" 2>/dev/null | tr -d '\r')
(cd "$tmp" && kefu "2026-11-24 17:15" --root "$root" show "$id" | grep -q 燒餅烙糊了) ||
  fail "--root $root did not find the workspace"

# A bad id: one line on stderr, exit 1, nothing written.
before=$(find cases -type f | sort | xargs cat | cksum)
code=0
kefu "2026-11-24 17:20" ack 20261123-999 --by 李站長 >/dev/null 2>err.txt || code=$?
[[ $code -eq 1 ]] || fail "ack of an unknown id exited $code"
[[ $(wc -l <err.txt) -eq 1 ]] && grep -q '^error: ' err.txt || fail "ack of an unknown id said: $(cat err.txt)"
[[ $(find cases -type f | sort | xargs cat | cksum) == "$before" ]] || fail "a refused ack changed files"

# A reader that is gone before kefu writes (here: true, which reads nothing) is not an
# error: kefu stops quietly with exit 0.
{
  code=0
  kefu "2026-11-30 09:00" friday --json --no-sweep 2>pipe.err || code=$?
  echo "$code" >pipe.code
} | true
code=$(cat pipe.code)
[[ $code -eq 0 && ! -s pipe.err ]] || fail "friday into a closed pipe exited $code: $(cat pipe.err)"

echo "windows-smoke: ok"
