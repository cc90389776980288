#!/bin/sh
# bench/history.sh: what the disclosure history adds to a build.  Publishes
# the bundled example 20 times (r1 … r20, each amending one indicator value
# and one sentence), then times `site-gen build` with the repository and
# with it moved aside.  Usage: bench/history.sh [RUNS]  (from the top folder)
set -eu
BIN=${SG_BIN:-$PWD/build/site-gen}
RUNS=${1:-5}
dir=$(mktemp -d /tmp/sg-bench-XXXXXX)
cp -R content themes site.yml "$dir/"
cd "$dir"
pub() { "$BIN" -q publish 2024 -m "$1" --author "bench <bench@example.cn>" \
    >/dev/null 2>&1; }
pub "r1"
for i in $(seq 2 20); do
	sed -i "s/^1,毕业生人数\*,人,522,[0-9]*/1,毕业生人数*,人,522,$((590 + i))/" \
	    content/2024/indicators/1-scorecard.csv
	printf '\n修订 %d 的补充说明。\n' "$i" >> content/2024/09-challenges.md
	pub "r$i"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Wall and CPU (user + system) seconds of one build, median of RUNS.
timeit() {
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %U %S" -o t.txt "$BIN" -q build --no-pdf -o out \
		    >/dev/null 2>&1
		cat t.txt
	done > runs.txt
	wall=$(awk '{ print $1 }' runs.txt | median)
	cpu=$(awk '{ print $2 + $3 }' runs.txt | median)
}
timeit
with_wall=$wall with_cpu=$cpu
pages=$(find out -name index.html | wc -l)
mv .git .git.off
timeit
mv .git.off .git
echo "revisions: 20; pages with history: $pages (median of $RUNS builds)"
echo "with history:    ${with_wall} s wall, ${with_cpu} s CPU"
echo "without history: ${wall} s wall, ${cpu} s CPU"
echo "history adds:    $(echo "$with_wall - $wall" | bc) s wall," \
    "$(echo "$with_cpu - $cpu" | bc) s CPU"
[ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
