#!/usr/bin/env bash
# Benchmarks `bulwark secrets --history` on a generated repository of 10,000 commits (issue #6 target: under 10 s).
# The repository is written with `git fast-import` (a few seconds) into bench/.work/history-repo and reused by later
# runs: ~300 source files of ~4 KiB, each commit rewriting a line or two of one or two files, a side branch with a
# merge and a tag off HEAD, and PLANTED secrets (Stripe live keys) added at random commits, half removed again later.
# Prints the wall time, the finding count and the planted count; exit 1 when a planted secret was missed.
#   bench/hygiene-history.sh [COMMITS]     (default 10000; delete bench/.work/history-repo to regenerate)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
commits="${1:-10000}"
work="$here/.work"
target="$work/history-repo-$commits"
mkdir -p "$work"

if [ ! -f "$target/.complete" ]; then
  rm -rf "$target"
  git init -q --initial-branch=main "$target"
  python3 - "$commits" "$target/planted.txt" <<'PY' | git -C "$target" fast-import --quiet
import random, string, sys
commits, planted_out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(6)
out = sys.stdout.buffer
words = ["config", "value", "request", "handler", "count", "result", "items", "user", "client", "buffer", "index",
         "token_count", "retry", "timeout", "name", "path", "status", "offset", "limit", "cache"]
def line():
    k = rnd.choice(["    x = {}({}, {})", "    if {} > {}: return {}", "    # {} {} {}", "    {} = {} + {}"])
    return k.format(*(rnd.choice(words) for _ in range(3)))
files = {}
for i in range(300):
    d = rnd.choice(["src", "src/api", "src/core", "lib", "tests", "docs", "scripts", "pkg/util"])
    ext = rnd.choice([".py", ".js", ".go", ".cs", ".md"])
    files[f"{d}/module_{i}{ext}"] = [f"# module {i}"] + [line() for _ in range(rnd.randint(60, 140))]
paths = sorted(files)
def secret():
    return "sk_live_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(24))
planted = []          # (commit number, path, secret)
live = []             # (path, line index) of planted lines still present
plant_at = set(rnd.sample(range(10, commits), min(40, commits // 10)))
def emit_commit(ref, n, parent_mark, changed, merge_mark=None, msg=None):
    ts = 1_600_000_000 + n * 60
    out.write(f"commit {ref}\nmark :{n + 1}\n".encode())
    who = rnd.choice(["Ada Lovelace <ada@example.org>", "Alan Turing <alan@example.org>", "Grace Hopper <grace@example.org>"])
    out.write(f"author {who} {ts} +0000\ncommitter {who} {ts} +0000\n".encode())
    m = (msg or f"change {n}").encode()
    out.write(b"data %d\n%s\n" % (len(m), m))
    if parent_mark: out.write(f"from :{parent_mark}\n".encode())
    if merge_mark: out.write(f"merge :{merge_mark}\n".encode())
    for p in changed:
        body = ("\n".join(files[p]) + "\n").encode()
        out.write(f"M 100644 inline {p}\ndata {len(body)}\n".encode() + body + b"\n")
side_from = commits // 2
for n in range(commits):
    if n == 0:
        changed = paths
    else:
        changed = rnd.sample(paths, rnd.choice([1, 1, 2]))
        for p in changed:
            i = rnd.randrange(1, len(files[p]))
            if (p, i) not in live:
                files[p][i] = line()
        if n in plant_at:
            p = changed[0]
            s = secret()
            files[p].append(f'STRIPE_KEY = "{s}"')
            planted.append((n, p, s))
            live.append((p, len(files[p]) - 1))
        elif live and rnd.random() < 0.004:
            p, i = live.pop(rnd.randrange(len(live)))   # the secret is removed again: history still has it
            files[p][i] = line()
            changed = sorted(set(changed) | {p})
    emit_commit("refs/heads/main", n, n if n > 0 else None, changed)
    if n == side_from:
        out.write(f"reset refs/heads/side\nfrom :{n + 1}\n".encode())
# a tag on a commit no branch contains, holding one more secret
s = secret()
files[paths[0]].append(f'TAGGED_KEY = "{s}"')
planted.append((commits, paths[0], s))
emit_commit("refs/tags/orphan-tag", commits, commits, [paths[0]], msg="only on the tag")
with open(planted_out, "w") as f:
    for n, p, s in planted: f.write(f"{n}\t{p}\t{s}\n")
PY
  git -C "$target" reset -q --hard main
  touch "$target/.complete"
fi

planted=$(wc -l < "$target/planted.txt")
"$repo/bulwark" --version >/dev/null   # builds once, outside the timing
dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers left running beside the timings
bin="$repo/.build/bulwark/bulwark"
count=$(git -C "$target" rev-list --all --count)
start=$(date +%s.%N)
set +e
"$bin" secrets "$target" --history --format json --redact=false --quiet > "$work/history-findings.json"
code=$?
set -e
end=$(date +%s.%N)
[ "$code" -le 1 ] || { echo "bulwark secrets --history failed (exit $code)" >&2; exit "$code"; }
found=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['findings'])" "$work/history-findings.json")
missed=$(python3 - "$work/history-findings.json" "$target/planted.txt" <<'PY'
import json, sys
found = {f["secret"] for f in json.load(open(sys.argv[1]))["findings"]}
print(sum(1 for l in open(sys.argv[2]) if l.rstrip("\n").split("\t")[2] not in found))
PY
)
printf 'secrets --history: %d commits, %.2f s wall, %d finding(s), %d planted, %d planted not found (target < 10 s)\n' \
  "$count" "$(echo "$end - $start" | bc)" "$found" "$planted" "$missed"
[ "$found" -ge "$planted" ] && [ "$missed" -eq 0 ]
