#!/usr/bin/env bash
# Long fuzzing runs by hand: SharpFuzz instruments PrivateProvisioning.Core.dll, afl++ mutates the golden vectors.
#   tests/fuzz/run.sh --list                 the targets (one per parser of outside input)
#   tests/fuzz/run.sh TARGET [SECONDS]       fuzz one target (default 600 s); findings in tests/fuzz/findings/TARGET
#   tests/fuzz/run.sh TARGET --replay FILE.. run inputs once without afl (a finding, after a fix)
# Needs afl++ (Debian: apt-get install afl++) and the .NET SDK; installs the sharpfuzz tool under tests/fuzz/.tools.
# Long runs are meant to be polite: NICE (default 19) and the caller decides how many run at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# FUZZ_PREBUILT: an instrumented build to use as it is (run-all.sh snapshots one, so edits do not pull it away).
out="${FUZZ_PREBUILT:-$here/out}"
dll="$out/PrivateProvisioning.Fuzz.dll"
export PPROV_FUZZ_VECTORS="$repo/tests/vectors"

build() {
    [[ -n "${FUZZ_PREBUILT:-}" ]] && return 0
    # One build and one instrumentation for all targets; a lock keeps parallel runs from racing.
    exec 9>"$here/.build.lock"
    flock 9
    if [[ ! -f "$out/.instrumented" || -n "$(find "$repo/src/PrivateProvisioning.Core" "$here/PrivateProvisioning.Fuzz" -name '*.cs' -newer "$out/.instrumented" -print -quit)" ]]; then
        rm -rf "$out"
        dotnet publish "$here/PrivateProvisioning.Fuzz" -c Release -o "$out" >/dev/null
        if [[ ! -x "$here/.tools/sharpfuzz" ]]; then
            dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$here/.tools" >/dev/null
        fi
        "$here/.tools/sharpfuzz" "$out/PrivateProvisioning.Core.dll"
        touch "$out/.instrumented"
    fi
    flock -u 9
}

if [[ "${1:-}" == "--list" || $# -eq 0 ]]; then
    build; dotnet "$dll" --list; exit 0
fi
target="$1"
if [[ "${2:-}" == "--replay" ]]; then
    # Not the instrumented build: instrumented code needs the afl shared memory that only a fuzzing run sets up.
    shift 2; exec dotnet run --project "$here/PrivateProvisioning.Fuzz" -c Release -- "$target" --replay "$@"
fi
seconds="${2:-600}"
build
findings="$here/findings/$target"
seeds="$findings.seeds"
rm -rf "$seeds"; mkdir -p "$seeds"
dotnet "$dll" "$target" --seeds | while read -r f; do cp "$f" "$seeds/"; done
if [[ -z "$(ls -A "$seeds")" ]]; then echo "run.sh: no seeds for $target" >&2; exit 1; fi
resume=()
[[ -d "$findings/default/queue" ]] && resume=(-i -) || resume=(-i "$seeds")
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
exec nice -n "${NICE:-19}" afl-fuzz "${resume[@]}" -o "$findings" -V "$seconds" -t "${TIMEOUT_MS:-5000}" -m none -- dotnet "$dll" "$target"
