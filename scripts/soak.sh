#!/usr/bin/env bash
# Soak (issue 6): a bounded run of `pagescore serve` under `pagescore loadtest` with a mix of real
# pages (../shared/data/pages, when present) and generated hostile pages, on loopback only.
# Records the server's RSS every few seconds to a CSV; fails when RSS keeps growing (a leak), when
# the server dies, or when any request got no answer.
#
#   scripts/soak.sh [--minutes N] [--concurrency C] [--port P] [--interval S] [--out DIR]
#
# Writes DIR/rss.csv (elapsed_s,rss_kib), DIR/loadtest.json, DIR/server.log, DIR/summary.txt.
# Hostile pages are sent as they are (gzip included, --send-gz), so the server's reader meets them.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10
concurrency=16
port=50561
interval=5
out=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pagescore-soak.XXXXXX")
out=${out:-$work/out}
mkdir -p "$out"
server_pid=""
sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work/corpus"
}
trap cleanup EXIT

bin=target/release/pagescore
if [ "$build" = 1 ]; then
  cargo build --release --bin pagescore
fi

# --- the corpus: real pages (when present) and hostile pages generated here --------------------
corpus="$work/corpus"
mkdir -p "$corpus"
set +o pipefail # `yes | head`, `head /dev/urandom`: the writer's SIGPIPE is expected here
real=0
if [ -d ../shared/data/pages ]; then
  # a fixed, spread sample of real pages (gzip as stored; the reader inflates them)
  while IFS= read -r f; do
    real=$((real + 1))
    cp "$f" "$corpus/real-$real.html.gz"
  done < <(find ../shared/data/pages -name '*.html.gz' | sort | awk 'NR % 25 == 1' | head -200)
fi
h="$corpus/hostile"
: > "$h-empty.html"
head -c 2000000 /dev/urandom > "$h-random.html"
{ printf '\x89PNG\r\n\x1a\n'; head -c 500000 /dev/urandom; } > "$h-png.html"
{ printf '%%PDF-1.7\n'; head -c 500000 /dev/urandom; } > "$h-pdf.html"
head -c 1000000 /dev/urandom | gzip -1 > "$h-gzip-random.html.gz"
head -c 300000000 /dev/zero | gzip -9 > "$h-gzip-bomb.html.gz"
head -c 12000000 /dev/zero | tr '\0' 'a' > "$h-12mb-line.html"
{ printf '<html><body>'; yes '<div>' | head -n 100000 | tr -d '\n'; printf 'deep'; } > "$h-nested.html"
{ printf '<html><body><div'; seq 1 100000 | sed 's/.*/ a&="v"/' | tr -d '\n'; printf '>x</div>'; } > "$h-attrs.html"
{ printf '<html><body><ul>'; seq 1 300000 | sed 's|.*|<li><a href="/n/&">Story &</a>|' | tr -d '\n'; } > "$h-links.html"
{ printf '<html><head><title>'; head -c 1000000 /dev/zero | tr '\0' 'x'; printf '</title></head><body><p>x</p>'; } > "$h-title.html"
{ printf '<html><body><p>text<!-- '; head -c 1000000 /dev/zero | tr '\0' '<'; } > "$h-unclosed-comment.html"
{ printf '<html><body><script>'; head -c 1000000 /dev/zero | tr '\0' 'x'; } > "$h-unclosed-script.html"
{ printf '<html><head><meta charset="x-klingon"><title>t\0i\0t</title></head><body>'; head -c 200000 /dev/urandom; } > "$h-nul-charset.html"
{ printf '\xff\xfe'; printf '<html><head><title>utf-16</title></head><body><p>text</p></body></html>' | iconv -t UTF-16LE; } > "$h-utf16.html"
hostile=$(ls "$corpus" | grep -c '^hostile' || true)
echo "soak corpus: $real real pages, $hostile hostile pages"
set -o pipefail

# --- the server ---------------------------------------------------------------------------------
addr="127.0.0.1:$port"
"$bin" serve --addr "$addr" --metrics-addr "127.0.0.1:$((port + 1))" > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "server died at start" >&2; cat "$out/server.log" >&2; exit 1; }
  sleep 0.2
done

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
echo "elapsed_s,rss_kib" > "$out/rss.csv"
start=$(date +%s)
(
  while kill -0 "$server_pid" 2>/dev/null; do
    echo "$(( $(date +%s) - start )),$(rss "$server_pid")" >> "$out/rss.csv"
    sleep "$interval"
  done
) &
sampler_pid=$!

# --- the load -----------------------------------------------------------------------------------
set +e
"$bin" loadtest --addr "http://$addr" --concurrency "$concurrency" --duration "${minutes}m" \
  --corpus "$corpus" --send-gz --json > "$out/loadtest.json" 2> "$out/loadtest.log"
load_rc=$?
set -e
alive=1
kill -0 "$server_pid" 2>/dev/null || alive=0
sleep "$interval"
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""
kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

# --- the verdict: RSS flat after warm-up, all requests answered --------------------------------
samples=$(($(wc -l < "$out/rss.csv") - 1))
warm=$(( samples / 5 + 1 ))
# RSS swings with the pages in flight: compare the mean of the second fifth of the run (after
# warm-up) with the mean of the last fifth.
read -r rss_start rss_end rss_max < <(awk -F, -v w="$warm" -v n="$samples" 'NR > 1 {
    i++; if (i > w && i <= 2 * w) { s += $2; sn++ } if (i > n - w) { e += $2; en++ }
    if ($2 > m) m = $2 } END { printf "%d %d %d\n", s / (sn ? sn : 1), e / (en ? en : 1), m }' "$out/rss.csv")
# Answers: OK, and per-page errors (InvalidArgument for a binary "page", ResourceExhausted when
# shedding) are answers; anything else (Unavailable, Internal, Unknown, DeadlineExceeded,
# client_gave_up) means a request was lost.
json=$(cat "$out/loadtest.json" 2>/dev/null || true)
num() { printf '%s' "$json" | grep -o "\"$1\":[0-9.]*" | head -1 | cut -d: -f2; }
ok=$(num ok); errors=$(num errors)
by_status=$(printf '%s' "$json" | grep -o '"errors_by_status":{[^}]*}' | sed 's/"errors_by_status"://')
lost=$(printf '%s' "$by_status" | tr -d '{}"' | tr ',' '\n' \
  | { grep -v -e '^InvalidArgument:' -e '^ResourceExhausted:' -e '^$' || true; } | awk -F: '{ s += $2 } END { print s + 0 }')
lost=${lost:-0}
{
  echo "duration_min=$minutes concurrency=$concurrency real_pages=$real hostile_pages=$hostile"
  echo "requests_ok=${ok:-?} request_errors=${errors:-?} errors_by_status=${by_status:-?} lost=$lost"
  echo "loadtest_exit=$load_rc server_alive_at_end=$alive rss_samples=$samples every ${interval}s"
  echo "rss_kib_mean_after_warmup=$rss_start rss_kib_mean_last_fifth=$rss_end rss_kib_max=$rss_max"
  echo "loadtest: $json"
} | tee "$out/summary.txt"
echo "soak output in $out"

fail=0
[ "$alive" = 1 ] || { echo "FAIL: the server died" >&2; fail=1; }
[ -n "$json" ] || { echo "FAIL: loadtest printed no result (exit $load_rc)" >&2; fail=1; }
[ "$lost" = 0 ] || { echo "FAIL: $lost requests got no answer" >&2; fail=1; }
# flat: the end within 25% (+32 MiB) of the post-warm-up level
if [ "$rss_end" -gt $(( rss_start * 5 / 4 + 32768 )) ]; then
  echo "FAIL: RSS grew from $rss_start KiB to $rss_end KiB" >&2
  fail=1
fi
exit $fail
