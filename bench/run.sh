#!/usr/bin/env bash
# Benchmark: site-gen against Hugo on the same generated Chinese report
# corpus (../shared/bench/make-corpus.py), alternating runs, each into a
# fresh output folder.  Prints a table of medians and writes RESULTS.md.
#
# usage: bench/run.sh [PAGES ...]      (default: 1000 10000 100000)
#   RUNS=N       runs per tool and size (default 5)
#   SERVE_MAX=N  largest corpus serve is timed on (default 10000)
#   HUGO_MAX=N   largest corpus Hugo runs on (default 10000: Hugo needs
#                about 20 GB at 100,000 pages)
#   JOBS=N       passed to site-gen as -j N when set
#   RUN_DIR=dir  where the output folders go (default /dev/shm when it is
#                there: on disk, file-system writeback makes wall and system
#                time swing several-fold between runs of the same build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SG=$ROOT/build/site-gen
GEN=${CORPUS_GEN:-$ROOT/../shared/bench/make-corpus.py}
OUT=$ROOT/bench/out
RUNS=${RUNS:-5}
HUGO_MAX=${HUGO_MAX:-10000}
SIZES=${*:-1000 10000 100000}
mkdir -p "$OUT"
if [ -z "${RUN_DIR:-}" ]; then
	RUN_DIR=$OUT
	[ -d /dev/shm ] && [ -w /dev/shm ] && RUN_DIR=/dev/shm
fi
# The corpora are not repositories: keep site-gen from finding this one.
export GIT_CEILING_DIRECTORIES=$OUT

# Makes the corpus for N pages once, and adapts it to site-gen's format:
# site.yml needs a title, report.yml a known template id.
corpus() {
	local n=$1 dir=$OUT/corpus-$1
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		python3 "$GEN" --pages "$n" --out "$dir" >&2
		grep -q '^title:' "$dir/site.yml" ||
			printf 'title: 示例职业技术学校教育质量年度报告\n' >> "$dir/site.yml"
		for r in "$dir"/content/*/report.yml; do
			sed -i 's/^template:.*/template: zz-2024/' "$r"
		done
		# site-gen numbers a year's cases 1, 2, … from their file names;
		# the corpus numbers them across years from 0: say it in front matter.
		python3 - "$dir" <<'PY'
import os, sys
root = os.path.join(sys.argv[1], "content")
for year in sorted(os.listdir(root)):
    d = os.path.join(root, year, "cases")
    if not os.path.isdir(d):
        continue
    for i, name in enumerate(sorted(os.listdir(d)), 1):
        p = os.path.join(d, name)
        with open(p, encoding="utf-8") as f:
            text = f.read()
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace("---\n", "---\nnumber: %d\n" % i, 1))
PY
		touch "$dir/.done"
	fi
	echo "$dir"
}

# Runs a command under /usr/bin/time -v; prints "wall cpu rss_mb".
measure() {
	local log
	log=$(mktemp)
	/usr/bin/time -v "$@" > /dev/null 2> "$log" || { tail -5 "$log" >&2; rm -f "$log"; return 1; }
	awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
		/User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident set size/ { r = $2 / 1024 }
		END { printf "%.3f %.3f %.1f\n", w, u + s, r }' "$log"
	rm -f "$log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The PDF is typeset by another program and timed on its own (README):
# the site build against Hugo's is without it.
sg_build() {
	local dir=$1 dest=$2
	if [ -n "${JOBS:-}" ]; then
		measure "$SG" -q -C "$dir" build --no-pdf --theme "$ROOT/themes/default" -j "$JOBS" -o "$dest"
	else
		measure "$SG" -q -C "$dir" build --no-pdf --theme "$ROOT/themes/default" -o "$dest"
	fi
}

# The floor: the cmark-gfm command converting the corpus's Markdown, all
# files in one stream, on one core, with the extensions site-gen uses.
floor() {
	local dir=$1 all
	command -v cmark-gfm > /dev/null || return 0
	all=$(mktemp "$OUT/all.XXXXXX")
	find "$dir/content" -name '*.md' -print0 | sort -z | xargs -0 cat > "$all"
	measure cmark-gfm -e table -e strikethrough -e autolink -e tagfilter "$all"
	rm -f "$all"
}

# The case every edit touches: the last case of the last year.
edit_case() {
	local dir=$1
	find "$dir/content" -path '*/cases/*.md' | LC_ALL=C sort | tail -1
}

# An edit to one case, then a build into the folder the last build made:
# its body (a sentence appended), then its title; RUNS each, on a copy of
# the corpus so that it stays as generated.
edits() {
	local src=$1 n=$2 dir run f r
	dir=$(mktemp -d "$RUN_DIR/sg-edit.XXXXXX")
	cp -R "$src/." "$dir/"
	run=$(mktemp -d "$RUN_DIR/sg-bench.XXXXXX")
	sg_build "$dir" "$run/site" > /dev/null
	f=$(edit_case "$dir")
	for r in $(seq 1 "$RUNS"); do
		printf '\n修订说明第 %d 条：数据已按最新统计更正。\n' "$r" >> "$f"
		echo "site-gen-edit-body $n $(sg_build "$dir" "$run/site")" >> "$results"
	done
	for r in $(seq 1 "$RUNS"); do
		sed -i "0,/^title: .*/s//title: \"修订后的案例标题 $r\"/" "$f"
		echo "site-gen-edit-title $n $(sg_build "$dir" "$run/site")" >> "$results"
	done
	rm -rf "$run" "$dir"
}

# serve: from the save of one case to the first answer for its page that
# has the change (what a reloaded browser tab gets), RUNS times; then the
# server's peak memory.  "wall" is that latency; user+sys is not measured.
serve_edits() {
	local src=$1 n=$2 dir f r port pid url t0 t1 year num log
	[ "$n" -le "${SERVE_MAX:-10000}" ] || return 0
	command -v curl > /dev/null || return 0
	dir=$(mktemp -d "$RUN_DIR/sg-serve.XXXXXX")
	cp -R "$src/." "$dir/"
	f=$(edit_case "$dir")
	year=$(basename "$(dirname "$(dirname "$f")")")
	num=$(sed -n 's/^number: *//p' "$f" | head -1)
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	log=$(mktemp)
	"$SG" -C "$dir" serve --port "$port" --theme "$ROOT/themes/default" > "$log" 2>&1 &
	pid=$!
	url="http://127.0.0.1:$port/$year/cases/$num/"
	for _ in $(seq 1 600); do
		curl -fs -o /dev/null "$url" && break
		sleep 0.1
	done
	for r in $(seq 1 "$RUNS"); do
		sleep 1
		t0=$(date +%s.%N)
		printf '\n服务预览修订第 %d 条（编号 S%05d）。\n' "$r" "$r" >> "$f"
		for _ in $(seq 1 3000); do
			curl -fs "$url" 2> /dev/null | grep -q "S$(printf %05d "$r")" && break
			sleep 0.005
		done
		t1=$(date +%s.%N)
		echo "site-gen-serve-edit $n $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') 0 $(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")" >> "$results"
	done
	kill "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	rm -rf "$dir" "$log"
}

results=$OUT/results.txt
: > "$results"
for n in $SIZES; do
	dir=$(corpus "$n")
	f=$(floor "$dir")
	[ -z "$f" ] || echo "cmark-gfm $n $f" >> "$results"
	for r in $(seq 1 "$RUNS"); do
		run=$(mktemp -d "$RUN_DIR/sg-bench.XXXXXX")
		echo "site-gen $n $(sg_build "$dir" "$run/site")" >> "$results"
		rm -rf "$run"
		if [ "$n" -le "$HUGO_MAX" ]; then
			run=$(mktemp -d "$RUN_DIR/sg-bench.XXXXXX")
			echo "hugo $n $(cd "$dir" && measure hugo --quiet --destination "$run/site")" >> "$results"
			rm -rf "$run"
		fi
	done
	# A rebuild with nothing changed, into the same output folder.
	run=$(mktemp -d "$RUN_DIR/sg-bench.XXXXXX")
	sg_build "$dir" "$run/site" > /dev/null
	for r in $(seq 1 "$RUNS"); do
		echo "site-gen-rebuild $n $(sg_build "$dir" "$run/site")" >> "$results"
	done
	rm -rf "$run"
	edits "$dir" "$n"
	serve_edits "$dir" "$n"
done

table() {
	printf '| tool | pages | wall s | user+sys s | peak RSS MiB | pages/s | wall vs Hugo | RSS vs Hugo |\n'
	printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
	for n in $SIZES; do
		hw=$(awk -v n="$n" '$1 == "hugo" && $2 == n { print $3 }' "$results" | median)
		hr=$(awk -v n="$n" '$1 == "hugo" && $2 == n { print $5 }' "$results" | median)
		for tool in cmark-gfm hugo site-gen site-gen-rebuild site-gen-edit-body site-gen-edit-title site-gen-serve-edit; do
			w=$(awk -v t=$tool -v n="$n" '$1 == t && $2 == n { print $3 }' "$results" | median)
			[ -n "$w" ] || continue
			c=$(awk -v t=$tool -v n="$n" '$1 == t && $2 == n { print $4 }' "$results" | median)
			m=$(awk -v t=$tool -v n="$n" '$1 == t && $2 == n { print $5 }' "$results" | median)
			awk -v t=$tool -v n="$n" -v w="$w" -v c="$c" -v m="$m" -v hw="$hw" -v hr="$hr" 'BEGIN {
				rw = (hw != "" && t ~ /^site-gen/) ? sprintf("%.1f×", hw / w) : "";
				rm = (hr != "" && t ~ /^site-gen/) ? sprintf("%.1f×", hr / m) : "";
				ps = (t ~ /edit/) ? "" : sprintf("%.0f", n / w); printf "| %s | %d | %.2f | %.2f | %.0f | %s | %s | %s |\n", t, n, w, c, m, ps, rw, rm }'
		done
	done
}

{
	echo "# Benchmark results"
	echo
	echo "Run by \`make bench\` ($(date -u +%Y-%m-%d)), medians of $RUNS runs, tools alternating,"
	echo "each run into a fresh output folder. \"wall vs Hugo\" and \"RSS vs Hugo\" are how many"
	echo "times faster / smaller site-gen is. site-gen-rebuild: a second build with nothing changed;"
	echo "site-gen-edit-body / -edit-title: a build after one case's body / title changed;"
	echo "site-gen-serve-edit: serve, from the save of one case to its page served with the change"
	echo "(wall), and the server's peak RSS."
	echo "cmark-gfm: the floor, the cmark-gfm command converting all the Markdown in one stream"
	echo "on one core (no pages, no index, no checks). Output folders in $RUN_DIR."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo),"
	echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME");"
	echo "$($SG --version), $(hugo version 2>/dev/null | cut -d' ' -f1-2)."
	echo
	table
} > "$OUT/RESULTS.md"
cat "$OUT/RESULTS.md"
