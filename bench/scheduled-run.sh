#!/usr/bin/env bash
# The nightly run as cron makes it, timed as whole pprov processes on the disk you name: a mixed list of every
# family, the Cisco enterprise files signed, and then the runs that follow night after night.
#
# Usage: bench/scheduled-run.sh [--rows N] [--dir DIR] [--pprov PATH]
#   --rows   accounts in the list (default 100000; a fifth of them Cisco SEP phones, whose files are signed)
#   --dir    where the list, store, state and served folder go (default: bench-work/scheduled under the repository)
#   --pprov  the pprov to measure (default: out/pprov/pprov, published here first)
# Rows of the table: the first run (everything created), the first signing, a night with nothing changed
# (generate --prune + sign), a night after one template changed, a night with 1% of the phones retired.
# Run it by hand on an idle machine; nothing in CI calls it. Figures go to docs/performance.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rows=100000; work="$repo/bench-work/scheduled"; pprov=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2;; --dir) work=$2; shift 2;; --pprov) pprov=$(realpath "$2"); shift 2;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
if [ -z "$pprov" ]; then
  dotnet publish "$repo/src/pprov" -c Release -o "$repo/out/pprov" -v q --nologo >/dev/null
  pprov="$repo/out/pprov/pprov"
fi
rm -rf "$work"; mkdir -p "$work/store/templates"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" PRIVATEPROVISIONING_STORE=""
out="$work/out"; cert="$repo/tests/vectors/cisco/certs/asterisk.pem"

template() { # $1 = Resync_Periodic
  printf '{ "name": "office", "parameters": { "CiscoSpa": { "Resync_Periodic": "%s" }, "CiscoSep": { "dateTemplate": "D.M.Y" }, "Panasonic": { "CFG_CYCLIC": "Y" } } }\n' "$1" \
    > "$work/store/templates/office.json"
}
template 3600
printf '{ "groups": { "sales": "office" } }\n' > "$work/store/groups.json"
python3 - "$rows" "$work/accounts.csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
models = ["SPA504G", "CP-7965G", "KX-HDV230", "PrivateWave iOS", "Linphone Android"]
with open(path, "w") as f:
    f.write("MacAddress,Model,Group,UserId,Password,DisplayName,Extension,SipServer\n")
    for i in range(rows):
        f.write(f"02{i:010X},{models[i % 5]},sales,u{i},pw-{i},User {i},{10000 + i},pbx.example.com\n")
PY

seconds() { local start=$(date +%s.%N); "$@" > /dev/null || echo "(exit $?)" >&2; echo "$(date +%s.%N) - $start" | bc; }
generate() { "$pprov" generate --accounts "$1" --store "$work/store" --out "$out" --prune "${@:2}"; }
sign() { find "$out" -maxdepth 1 -name 'SEP*.cnf.xml' -print0 | xargs -0 -r "$pprov" protect --sign "$cert"; }
night() { generate "$1" && sign; }

echo "| Run ($rows phones, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)) | seconds |"
echo "|---|---:|"
echo "| first run: generate every family | $(seconds generate "$work/accounts.csv") |"
echo "| first signing of the SEP files | $(seconds sign) |"
echo "| a night with nothing changed: generate --prune + sign | $(seconds night "$work/accounts.csv") |"
template 7200
echo "| a night after one template changed | $(seconds night "$work/accounts.csv") |"
awk 'NR == 1 || (NR - 2) % 101 != 0' "$work/accounts.csv" > "$work/retired.csv"
echo "| a night with 1% of the phones retired (pruned with their .sgn) | $(seconds night "$work/retired.csv") |"
tail -n 1 < <(generate "$work/retired.csv" --json) >&2
