#!/usr/bin/env bash
# Every target for SECONDS each (default 600), PARALLEL at a time (default 2), niced; a summary line per target
# (executions, corpus, crashes, hangs, how long) goes to tests/fuzz/findings/summary.tsv.
#   tests/fuzz/run-all.sh [SECONDS] [TARGET...]
# Touch tests/fuzz/findings/.rebuild to have the targets started after that fuzz a fresh build (after a fix).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-600}"; shift || true
parallel="${PARALLEL:-2}"
mkdir -p "$here/findings"
summary="$here/findings/summary.tsv"
[[ -f "$summary" ]] || printf 'target\tstarted\tseconds\texecs\texecs_per_sec\tcorpus\tcrashes\thangs\tbuild\n' > "$summary"
snapshot() {
    n=$(date +%s)
    FUZZ_PREBUILT= "$here/run.sh" --list >/dev/null
    rm -rf "$here/out-$n"; cp -a "$here/out" "$here/out-$n"
    echo "$here/out-$n"
}
prebuilt="$(snapshot)"
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(dotnet "$prebuilt/PrivateProvisioning.Fuzz.dll" --list)
run_one() {
    local t="$1" build="$2" started
    started="$(date -u +%H:%M:%S)"
    FUZZ_PREBUILT="$build" "$here/run.sh" "$t" "$seconds" > "$here/findings/$t.log" 2>&1
    local stats="$here/findings/$t/default/fuzzer_stats"
    get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats" 2>/dev/null; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$started" "$(get run_time)" "$(get execs_done)" "$(get execs_per_sec)" \
        "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)" "$(basename "$build")" >> "$summary"
}
for t in "${targets[@]}"; do
    while [[ $(jobs -rp | wc -l) -ge $parallel ]]; do sleep 5; done
    if [[ -f "$here/findings/.rebuild" ]]; then rm -f "$here/findings/.rebuild"; prebuilt="$(snapshot)"; fi
    run_one "$t" "$prebuilt" &
    sleep 2
done
wait
