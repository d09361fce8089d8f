#!/usr/bin/env bash
# The figures a user sees: whole processes, files on the disk you name (not tmpfs), each anchor and pprov
# run alternately in the same run (A/B pairs), and the min/median/max of the ratios.
#
# Usage: bench/run.sh [--dir DIR] [--pairs N] [--only protect,sign,generate,resync,tftp]
#                     [--files N] [--rows N] [--notifies N] [--gets N] [--no-build] [--pprov PATH] [--no-ps] [--floors]
#   --dir       where inputs and outputs go (default: bench-work/ under the repository, on the working disk)
#   --pairs     A/B pairs per row (default 3)
#   --files     profiles to protect and to sign (default 10000)
#   --rows      accounts to generate (default 100000)
#   --notifies  SIP NOTIFYs to send (default 10000)
#   --gets      TFTP GETs of a 4 KB file (default 500)
#   --pprov     measure this pprov executable instead of building out/pprov (e.g. an older build, for before/after)
#   --no-ps     skip the PowerShell rows: the same work through the cmdlets in one warm session (bench/ps-row.ps1,
#               module from out/PrivateProvisioning, pwsh from PATH or the repository's dotnet tool)
#   --floors    also run the C programs of bench/floor/ in each protect and sign pair (third in the pair): the same work
#               with no runtime, so the table shows how far any implementation could get on this machine (needs gcc
#               and OpenSSL's headers: apt-get install gcc libc6-dev libssl-dev)
# Nothing is deleted while anything is timed. On ext4 without a journal (this machine) the kernel does not reuse an
# inode freed in the last minute, or the last six while its inode-table block has unwritten changes, and it checks each
# such inode again for every file it creates: right after deleting 40,000 files, signing ran at 0.35-0.40 of the limit
# instead of 0.85. So earlier outputs are moved aside (a rename frees no inode) and deleted when the bench ends, and a
# bench started within six minutes of that deletion waits out the rest first (it says so).
# Needs: openssl gzip python3 bc sipp tftp-hpa tftpd-hpa (installed here when run as root with apt-get).
# Run it by hand on an idle machine; nothing in CI calls it. The output is a Markdown table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/bench-work"; pairs=3; only="protect,sign,generate,resync,tftp"
files=10000; rows=100000; notifies=10000; gets=500; build=1; pprov="$repo/out/pprov/pprov"; ps=1; floors=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) work=$2; shift 2;; --pairs) pairs=$2; shift 2;; --only) only=$2; shift 2;;
    --files) files=$2; shift 2;; --rows) rows=$2; shift 2;; --notifies) notifies=$2; shift 2;;
    --gets) gets=$2; shift 2;; --no-build) build=0; shift;; --pprov) pprov=$(realpath "$2"); build=0; shift 2;; --no-ps) ps=0; shift;; --floors) floors=1; shift;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

need=()
for tool in openssl gzip python3 bc sipp tftp in.tftpd; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl gzip python3 bc sip-tester tftp-hpa tftpd-hpa >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    echo "missing: ${need[*]} (apt-get install openssl gzip python3 bc sip-tester tftp-hpa tftpd-hpa)" >&2; exit 2
  fi
fi

# pprov as it ships: native (AOT), no JIT and no runtime start-up in each run (docs/performance.md, start-up).
if [ "$build" = 1 ]; then dotnet publish "$repo/src/pprov" -c Release -p:PublishAot=true -o "$repo/out/pprov" >/dev/null; fi
[ -x "$pprov" ] || { echo "no $pprov: run without --no-build" >&2; exit 2; }
module="$repo/out/PrivateProvisioning"
if [ "$ps" = 1 ]; then
  if command -v pwsh >/dev/null 2>&1; then pwsh_cmd=(pwsh); else (cd "$repo" && dotnet tool restore >/dev/null) && pwsh_cmd=(dotnet pwsh); fi
  if [ "$build" = 1 ] || [ ! -f "$module/PrivateProvisioning.psd1" ]; then dotnet publish "$repo/src/PrivateProvisioning" -c Release >/dev/null; fi
fi
mkdir -p "$work"; work=$(cd "$work" && pwd)
# discard PATH...: moves earlier outputs aside, to be deleted when the bench ends (see the header).
trash="$work/.discarded"
discard() { local x; mkdir -p "$trash"; for x in "$@"; do if [ -e "$x" ]; then mv "$x" "$trash/$(date +%s%N)-$(basename "$x")"; fi; done; }
finish() { if [ -d "$trash" ]; then rm -rf "$trash"; sync; date +%s > "$work/.deleted-at"; fi; }
trap finish EXIT
no_journal() {
  local dev; dev=$(findmnt -n -o SOURCE --target "$work" 2>/dev/null) || return 1
  [ "$(cat "/sys/fs/ext4/$(basename "$dev")/journal_task" 2>/dev/null)" = "<none>" ]
}
if [ -f "$work/.deleted-at" ] && no_journal; then
  rest=$(( $(cat "$work/.deleted-at") + 360 - $(date +%s) ))
  if [ "$rest" -gt 0 ]; then
    echo "note: waiting ${rest} s: the last bench in $work deleted its files less than 6 minutes ago, and ext4 without a journal" \
      "makes every file created until then skip the inodes they freed (see the header of $0)" >&2
    sleep "$rest"
  fi
fi
case "$(stat -f -c %T "$work")" in tmpfs|ramfs) echo "note: $work is on $(stat -f -c %T "$work"); users write to a disk" >&2;; esac
results="$work/results.tsv"; : > "$results"

now() { date +%s.%N; }
# seconds COMMAND...: runs it, prints the wall time in seconds (its output goes to $work/last.log).
seconds() { local t0 t1; t0=$(now); "$@" >"$work/last.log" 2>&1 || { echo "failed: $*" >&2; tail -5 "$work/last.log" >&2; return 1; }; t1=$(now); echo "$t1 - $t0" | bc -l; }
# seconds_anyway COMMAND...: the same, but a nonzero exit (sipp's UAC exits 1 when a call failed) is reported, not fatal.
seconds_anyway() { local t0 t1 rc=0; t0=$(now); "$@" >"$work/last.log" 2>&1 || rc=$?; t1=$(now); [ $rc = 0 ] || echo "note: exit $rc from $1 (timed anyway)" >&2; echo "$t1 - $t0" | bc -l; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$results"; }   # row, pair, anchor value, pprov value
# ps_row ROW UNITS ANCHORS -- ps-row.ps1 arguments: the PowerShell row, one warm session, after pprov's pairs. Each timed
# run is set against the anchor of the pair with the same number (ANCHORS: space-separated). UNITS: the work done per run,
# to turn seconds into a rate ("seconds" records the seconds themselves).
ps_row() {
  local row=$1 units=$2 anchors=($3) p=0 line secs count; shift 4
  [ "$ps" = 1 ] || return 0
  (cd "$repo" && "${pwsh_cmd[@]}" -NoProfile -NonInteractive -File "$repo/bench/ps-row.ps1" -Module "$module" -Pairs "$pairs" "$@") > "$work/ps.log" 2>&1 \
    || { echo "PowerShell row failed: $row" >&2; tail -5 "$work/ps.log" >&2; return 0; }
  while read -r secs count; do
    [[ "$secs" =~ ^[0-9.]+$ ]] || continue
    p=$((p + 1)); ps_count=$count
    if [ "$units" = seconds ]; then record "$row" "$p" "${anchors[$((p - 1))]}" "$secs"
    else record "$row" "$p" "${anchors[$((p - 1))]}" "$(echo "$units / $secs" | bc -l)"; fi
  done < "$work/ps.log"
}

# The C floors (--floors): built here, against the zlib-ng that .NET ships (the one pprov uses) and OpenSSL.
if [ "$floors" = 1 ]; then
  if ! command -v gcc >/dev/null 2>&1 || [ ! -f /usr/include/openssl/evp.h ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev libssl-dev >/dev/null
    else echo "--floors needs gcc and libssl-dev (apt-get install gcc libc6-dev libssl-dev)" >&2; exit 2; fi
  fi
  # The newest .NET runtime's folder ("Microsoft.NETCore.App 10.0.12 [/usr/share/dotnet/shared/Microsoft.NETCore.App]").
  zlibdir=$(dotnet --list-runtimes | awk '/^Microsoft\.NETCore\.App / {v = $2; d = $3} END {gsub(/[][]/, "", d); print d "/" v}')
  [ -f "$zlibdir/libSystem.IO.Compression.Native.so" ] || { echo "--floors: no libSystem.IO.Compression.Native.so in '$zlibdir'" >&2; exit 2; }
  mkdir -p "$work/floor"
  gcc -O2 -pthread -o "$work/floor/sign-floor" "$repo/bench/floor/sign-floor.c" -lcrypto
  gcc -O2 -pthread -o "$work/floor/protect-floor" "$repo/bench/floor/protect-floor.c" -lcrypto \
    -L"$zlibdir" -l:libSystem.IO.Compression.Native.so -Wl,-rpath,"$zlibdir"
fi

# ---------------------------------------------------------------- protect: gzip + AES-256-CBC (md5 KDF)
if wants protect; then
  src="$work/protect/in"; discard "$work/protect"; mkdir -p "$src"
  python3 - "$src" "$files" <<'PY'
import sys, os
folder, n = sys.argv[1], int(sys.argv[2])
body = "".join(f'  <Speed_Dial_{i}_>sip:{1000+i}@pbx.example.com</Speed_Dial_{i}_>\n' for i in range(2, 60))
for i in range(n):
    mac = f"000e08{i:06x}"
    with open(os.path.join(folder, mac + ".xml"), "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <User_ID_1_>{i}</User_ID_1_>\n{body}</flat-profile>\n')
PY
  printf 'bench-profile-key' > "$work/protect/key"; chmod 600 "$work/protect/key"
  anchors=""
  for p in $(seq "$pairs"); do
    mkdir -p "$work/protect/a$p" "$work/protect/b$p"; sync
    # The seeds' loop, as the Cisco guide's shell recipe writes it (gzip, openssl, basename per file).
    ta=$(seconds sh -c 'cd "$1" && for f in *.xml; do gzip -c "$f" | openssl enc -aes-256-cbc -md md5 -pass file:"$2" -out "$3/$(basename "$f")"; done' _ "$src" "$work/protect/key" "$work/protect/a$p")
    sync
    tb=$(seconds sh -c '"$1" protect "$2"/*.xml --gzip --key-file "$3" --out "$4"' _ "$pprov" "$src" "$work/protect/key" "$work/protect/b$p")
    record "protect $files profiles (gzip+AES), files/s" "$p" "$(echo "$files / $ta" | bc -l)" "$(echo "$files / $tb" | bc -l)"
    if [ "$floors" = 1 ]; then
      mkdir -p "$work/protect/f$p"; sync
      tf=$(seconds sh -c 'cd "$1" && "$2" "$3" "$4" "$(nproc)" 6 *.xml' _ "$src" "$work/floor/protect-floor" "$work/protect/key" "$work/protect/f$p")
      record "protect $files profiles: the C floor (bench/floor/protect-floor.c, same work, no runtime), files/s" "$p" "$(echo "$files / $ta" | bc -l)" "$(echo "$files / $tf" | bc -l)"
    fi
    anchors="$anchors $(echo "$files / $ta" | bc -l)"
  done
  ls "$src" > "$work/protect/list"
  ps_row "protect $files profiles, PowerShell warm session (Protect-ProfileFile -Compress -Key), files/s" "$files" "$anchors" -- \
    -Work protect -OutRoot "$work/protect" -Source "$src" -List "$work/protect/list" -KeyFile "$work/protect/key"
  discard "$work/protect"
fi

# ---------------------------------------------------------------- sign: Cisco .sgn, RSA-2048
if wants sign; then
  d="$work/sign"; discard "$d"; mkdir -p "$d/in"
  "$pprov" cert new --cn TFTP --org Bench --ou Bench "$d/tftp.pem" >/dev/null
  python3 - "$d/in" "$files" <<'PY'
import sys, os
folder, n = sys.argv[1], int(sys.argv[2])
lines = "".join(f'  <sipLine button="{b}"><name>{100+b}</name><authName>{100+b}</authName></sipLine>\n' for b in range(1, 25))
for i in range(n):
    mac = f"{i:012X}"
    with open(os.path.join(folder, f"SEP{mac}.cnf.xml"), "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<device>\n  <fullConfig>true</fullConfig>\n{lines}  <mac>{mac}</mac>\n</device>\n')
PY
  sizes="$files"; [ "$files" -gt 1000 ] && sizes="1000 $files"   # 1,000 and --files, each once
  for n in $sizes; do
    ls "$d/in" | grep '\.cnf\.xml$' | sed -n "1,${n}p" > "$d/list"; n=$(wc -l < "$d/list")
    # The n files in a folder of their own (hard links), signed as a user signs a folder: one pprov, the shell's glob.
    # (xargs split 10,000 names into two pprov processes run one after the other: two start-ups instead of one.)
    mkdir -p "$d/in-$n"; (cd "$d/in" && xargs ln -f -t "$d/in-$n" < "$d/list")
    anchors=""
    for p in $(seq "$pairs"); do
      mkdir -p "$d/out-$n-$p"; sync
      # The limit: the machine's RSA-2048 signing rate on both cores, measured right before pprov.
      limit=$(openssl speed -multi 2 -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}' | tail -1)
      tb=$(seconds sh -c 'cd "$1" && "$2" protect --sign "$3" --out "$4" *.cnf.xml' _ "$d/in-$n" "$pprov" "$d/tftp.pem" "$d/out-$n-$p")
      record "sign $n cnf.xml (.sgn), signs/s vs openssl speed -multi 2 rsa2048" "$p" "$limit" "$(echo "$n / $tb" | bc -l)"
      if [ "$floors" = 1 ]; then
        mkdir -p "$d/floor-$n-$p"; sync
        tf=$(seconds sh -c 'cd "$1" && "$2" "$3" "$4" "$(nproc)" *.cnf.xml' _ "$d/in-$n" "$work/floor/sign-floor" "$d/tftp.pem" "$d/floor-$n-$p")
        record "sign $n cnf.xml: the C floor (bench/floor/sign-floor.c, same work, no runtime), signs/s" "$p" "$limit" "$(echo "$n / $tf" | bc -l)"
      fi
      anchors="$anchors $limit"
    done
    cp "$d/list" "$d/list-$n"
    ps_row "sign $n cnf.xml, PowerShell warm session (Protect-ProfileFile -SigningCertificate), signs/s" "$n" "$anchors" -- \
      -Work sign -OutRoot "$d/ps-$n" -Source "$d/in" -List "$d/list-$n" -Certificate "$d/tftp.pem"
  done
  discard "$d"
fi

# ---------------------------------------------------------------- generate: CiscoSpa, first run and unchanged run
if wants generate; then
  d="$work/generate"; mkdir -p "$d"; discard "$d"/a[0-9]* "$d"/b[0-9]* "$d"/state[0-9]* "$d/ps"   # a killed run's
  csv="$d/accounts-$rows.csv"
  [ -f "$csv" ] || python3 - "$csv" "$rows" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", newline="") as f:
    f.write("MacAddress,UserId,Password,DisplayName,Extension,SipServer\n")
    for i in range(n):
        f.write(f"00:0E:{(i>>24)&255:02X}:{(i>>16)&255:02X}:{(i>>8)&255:02X}:{i&255:02X},u{i},pw{i:08d},User {i},{10000+i},pbx.example.com\n")
PY
  # The anchor: a short single-threaded script that writes the same bytes pprov writes (checked below).
  cat > "$d/anchor.py" <<'PY'
import csv, os, sys
from xml.sax.saxutils import escape
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(src, newline="") as f:
    for row in csv.DictReader(f):
        mac = row["MacAddress"].replace(":", "").lower()
        doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Line_Enable_1_>Yes</Line_Enable_1_>\n'
               f'  <Proxy_1_>{escape(row["SipServer"])}</Proxy_1_>\n  <Display_Name_1_>{escape(row["DisplayName"])}</Display_Name_1_>\n'
               f'  <Short_Name_1_>{escape(row["Extension"])}</Short_Name_1_>\n  <User_ID_1_>{escape(row["UserId"])}</User_ID_1_>\n'
               f'  <Password_1_>{escape(row["Password"])}</Password_1_>\n</flat-profile>\n')
        tmp = os.path.join(out, "." + mac + ".tmp")
        with open(tmp, "w") as o: o.write(doc)
        os.replace(tmp, os.path.join(out, mac + ".xml"))
PY
  anchors=""
  for p in $(seq "$pairs"); do
    sync
    ta=$(seconds python3 "$d/anchor.py" "$csv" "$d/a$p")
    sync
    tb=$(seconds /usr/bin/time -f '%M' -o "$d/rss" "$pprov" generate --accounts "$csv" --format CiscoSpa --out "$d/b$p" --state "$d/state$p")
    record "generate $rows CiscoSpa rows, first run, profiles/s" "$p" "$(echo "$rows / $ta" | bc -l)" "$(echo "$rows / $tb" | bc -l)"
    t2=$(seconds "$pprov" generate --accounts "$csv" --format CiscoSpa --out "$d/b$p" --state "$d/state$p")
    record "generate $rows rows, unchanged run: seconds (anchor = pprov's first run)" "$p" "$tb" "$t2"
    record "generate $rows rows, first run: pprov peak RSS MiB (anchor column unused)" "$p" 0 "$(echo "$(cat "$d/rss") / 1024" | bc -l)"
    anchors="$anchors $(echo "$rows / $ta" | bc -l)"
  done
  if ! diff -rq "$d/a1" "$d/b1" >/dev/null; then echo "warning: the anchor's files differ from pprov's: the generate row compares unlike work" >&2; fi
  ps_row "generate $rows CiscoSpa rows, first run, PowerShell warm session (New-ProvisioningProfile), profiles/s" "$rows" "$anchors" -- \
    -Work generate -OutRoot "$d/ps" -Accounts "$csv"
  discard "$d"/a[0-9]* "$d"/b[0-9]* "$d"/state[0-9]* "$d/ps"
fi

# ---------------------------------------------------------------- resync: SIP NOTIFY to one sipp phone
if wants resync; then
  d="$work/resync"; discard "$d"; mkdir -p "$d"
  scenarios="$repo/tests/PrivateProvisioning.Tests/Resync/Scenarios"
  cat > "$d/notify-uac.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="notify-uac">
  <send retrans="500"><![CDATA[

      NOTIFY sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:pprov@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 NOTIFY
      Contact: <sip:pprov@[local_ip]:[local_port]>
      Event: check-sync
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
  <recv response="200" />
</scenario>
XML
  port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 - "$d/phones.csv" "$notifies" "$port" <<'PY'
import sys
path, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("IPAddress,Port,MacAddress,Vendor\n")
    for i in range(n): f.write(f"127.0.0.1,{port},0080F0{i:06X},Panasonic\n")
PY
  anchors=""
  for p in $(seq "$pairs"); do
    for side in anchor pprov; do
      # Bigger socket buffers on both sipp ends (capped by net.core.rmem_max): with 64 KB, a loaded machine drops
      # 200s meant for sipp's UAC, which then waits out its retransmissions (31.5 s) for a call the UAS has closed.
      sipp -sf "$scenarios/notify-accept-uas.xml" -i 127.0.0.1 -p "$port" -m "$notifies" -buff_size 4194304 -nostdin -timeout 120s >/dev/null 2>&1 & uas=$!
      sleep 0.5
      if [ $side = anchor ]; then
        t=$(seconds_anyway sipp -sf "$d/notify-uac.xml" 127.0.0.1:"$port" -i 127.0.0.1 -m "$notifies" -r 100000 -l 100 -buff_size 4194304 -nostdin -timeout 120s)
        ta=$t
      else
        t=$(seconds_anyway "$pprov" resync --from-csv "$d/phones.csv" --method sip --parallel 100 --timeout 5)
        tb=$t; accepted=$(grep -c -i accepted "$work/last.log" || true)
      fi
      kill "$uas" 2>/dev/null || true; wait "$uas" 2>/dev/null || true
    done
    record "resync $notifies SIP NOTIFYs (start-up included), NOTIFYs/s; pprov accepted $accepted" "$p" "$(echo "$notifies / $ta" | bc -l)" "$(echo "$notifies / $tb" | bc -l)"
    anchors="$anchors $(echo "$notifies / $ta" | bc -l)"
  done
  mkdir -p "$d/ps"; ps_count=-
  ps_row "resync $notifies SIP NOTIFYs, PowerShell warm session (Import-Csv, piped to Invoke-PhoneResync -ThrottleLimit 100), NOTIFYs/s" "$notifies" "$anchors" -- \
    -Work resync -OutRoot "$d/ps" -Phones "$d/phones.csv" -Scenario "$scenarios/notify-accept-uas.xml" -Port "$port"
  [ "$ps" = 1 ] && echo "note: the PowerShell resync row's last run: $ps_count of $notifies accepted" >&2
fi

# ---------------------------------------------------------------- tftp: tftp-hpa client GETs of a 4 KB file
if wants tftp; then
  d="$work/tftp"; discard "$d"; mkdir -p "$d/root" "$d/get"
  head -c 4096 /dev/urandom > "$d/root/SEP000E08ABCDEF.cnf.xml"
  port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  fetch() { cd "$d/get" && for i in $(seq "$gets"); do tftp 127.0.0.1 "$port" -m binary -c get SEP000E08ABCDEF.cnf.xml; done; }
  for p in $(seq "$pairs"); do
    in.tftpd -l -s "$d/root" -a 127.0.0.1:"$port" -u "$(id -un)" -P "$d/tftpd.pid"; sleep 0.3
    ta=$(seconds fetch); kill "$(cat "$d/tftpd.pid")" 2>/dev/null || true; sleep 0.3
    "$pprov" serve --root "$d/root" --tftp 127.0.0.1:"$port" --duration 600 >/dev/null 2>&1 & serve=$!; sleep 1
    tb=$(seconds fetch); kill "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true
    cmp -s "$d/root/SEP000E08ABCDEF.cnf.xml" "$d/get/SEP000E08ABCDEF.cnf.xml" || echo "warning: the fetched file differs" >&2
    record "tftp $gets GETs of 4 KB (tftp-hpa client), GETs/s: tftpd-hpa vs pprov serve" "$p" "$(echo "$gets / $ta" | bc -l)" "$(echo "$gets / $tb" | bc -l)"
  done
fi

# ---------------------------------------------------------------- the table
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, pair, a, b = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(a), float(b)))
print("| work | anchor (median) | pprov (median) | ratio pprov/anchor min / median / max | pairs |")
print("|---|---|---|---|---|")
for name, values in rows.items():
    a = [x for x, _ in values]; b = [y for _, y in values]
    ratios = [y / x for x, y in values if x > 0]
    r = f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}" if ratios else "-"
    print(f"| {name} | {statistics.median(a):,.1f} | {statistics.median(b):,.1f} | {r} | {len(values)} |")
PY
echo "(raw pairs in $results; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), disk $(stat -f -c %T "$work"))"
