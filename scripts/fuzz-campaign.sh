#!/usr/bin/env bash
# The fuzz campaign: TOTAL cases (seed SEED) of every input adapter, converted to every output,
# run as chunks of CHUNK cases, one process at a time at low priority, chunk after chunk in turn
# over the inputs. Each finished chunk is a line of the log, so a stopped campaign goes on where
# it ended and a slice can be re-run alone. Failing cases are minimised under fuzz-failures/.
#
#   scripts/fuzz-campaign.sh [input ...]          run (default: every input)
#   FROM=40000 TOTAL=44000 scripts/fuzz-campaign.sh perf-script    one slice
#   scripts/fuzz-campaign.sh --summary            totals per input from the log
#
# Environment: SEED (1), TOTAL (100000), CHUNK (4000), FROM (0), LOG (fuzz-failures/campaign-seed-SEED.log),
# OPTIONS (set: random conversion options per case, `--options`; its own log), NO_BUILD (set: use dist/ as it is).
set -uo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-1}
TOTAL=${TOTAL:-100000}
CHUNK=${CHUNK:-4000}
FROM=${FROM:-0}
TAG=seed-$SEED${OPTIONS:+-options}
LOG=${LOG:-fuzz-failures/campaign-$TAG.log}
OUT=fuzz-failures/campaign-$TAG
mkdir -p "$(dirname "$LOG")" "$OUT"
touch "$LOG"

summary() {
  # Log lines: "# killed <input> ..." or "<input> <first> <count> rc=<rc> <input>: N cases, M conversions in T s (...): C crashes, I invalid, D nondeterministic"
  awk '/^#/ { k[$3]++; next }
       { for (i = 1; i <= NF; i++) { if ($i == "cases,") c[$1] += $(i - 1); if ($i == "in" && $(i + 2) == "s") t[$1] += $(i + 1); if ($i ~ /^crashes,?$/) x[$1] += $(i - 1); if ($i ~ /^invalid,?$/) v[$1] += $(i - 1); if ($i ~ /^nondeterministic/) d[$1] += $(i - 1) } }
       END { for (n in c) printf "%s: %d cases in %.0f s: %d crashes, %d invalid, %d nondeterministic%s\n", n, c[n], t[n], x[n], v[n], d[n], (k[n] ? sprintf(", %d chunks killed", k[n]) : "") }' "$LOG" | sort
}

if [ "${1:-}" = "--summary" ]; then
  summary
  exit 0
fi
INPUTS=("$@")
[ ${#INPUTS[@]} -gt 0 ] || INPUTS=(function-graph perf-script ftrace-events lttng-text dmesg)
[ -n "${NO_BUILD:-}" ] || npm run build >/dev/null || exit 2

bad=0
for ((first = FROM; first < TOTAL; first += CHUNK)); do
  n=$((TOTAL - first < CHUNK ? TOTAL - first : CHUNK))
  for input in "${INPUTS[@]}"; do
    grep -q "^$input $first $n " "$LOG" && continue
    out="$OUT/$input-$first.out"
    nice -n 10 node dist/fuzz/main.js --seed "$SEED" --inputs "$input" --first "$first" --cases "$n" ${OPTIONS:+--options} --save fuzz-failures >"$out" 2>&1
    rc=$?
    [ $rc -eq 0 ] || bad=1
    if [ $rc -le 1 ] && grep -q "^$input: [0-9]* cases, " "$out"; then
      echo "$input $first $n rc=$rc $(grep -m1 "^$input: [0-9]* cases, " "$out")" >>"$LOG"
    else
      # Killed (a memory watchdog, a signal) or broken: a finding; logged, and run again next time.
      echo "# killed $input $first $n rc=$rc $(tail -n 1 "$out")" >>"$LOG"
    fi
    tail -n 1 "$LOG"
  done
done
summary
exit $bad
