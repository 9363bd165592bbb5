# Sourced by bench/sbom.sh and bench/images.sh (needs $here and $work): runs one tool on one input and prints
#   input  tool  seconds  peak_MB  purls
# seconds is the median of BENCH_REPEAT runs (3 by default; every tool gets the same count), after BENCH_WARMUP untimed
# runs (1 by default: the first run after another tool's pays for what that one left behind, 3-4 ms for a 30 ms
# Bulwark run after a Trivy run), each timed by
# bench/timeit.py around fork/exec/wait to the microsecond (GNU time's %e has 10 ms steps, too coarse for 40 ms runs);
# peak_MB the largest peak RSS; purls the distinct purls of the last run's output (bench/purls.py), also written to
# $work/out/<tool>.<input>.purls.
measure() { # tool input outfile cmd...
  local tool=$1 input=$2 out=$3; shift 3
  local repeat=${BENCH_REPEAT:-3} warmup=${BENCH_WARMUP:-1} times=() peak=0 secs rss code
  for ((run = -warmup; run < repeat; run++)); do
    rm -f "$out"
    # BENCH_BEFORE: a command run before each timed run, outside the timing (sbom.sh: a fresh copy of the input)
    if [ -n "${BENCH_BEFORE:-}" ]; then eval "$BENCH_BEFORE"; fi
    python3 "$here/timeit.py" "$work/time.txt" "$work/out/$tool.$input.log" -- "$@" || echo "  ($tool exited $?; see $work/out/$tool.$input.log)" >&2
    read -r secs rss code _ <"$work/time.txt" || { secs=NA; rss=0; }
    ((run < 0)) && continue
    times+=("$secs")
    ((rss > peak)) && peak=$rss
  done
  secs=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((repeat + 1) / 2))p")
  local count=0
  if [ -s "$out" ]; then python3 "$here/purls.py" "$out" >"$work/out/$tool.$input.purls" && count=$(wc -l <"$work/out/$tool.$input.purls"); else : >"$work/out/$tool.$input.purls"; fi
  printf '%s\t%s\t%.3f\t%s\t%s\n' "$input" "$tool" "$secs" "$((peak / 1024))" "$count"
}
