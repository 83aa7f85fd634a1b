# An SMB share: Samba's smbd serves /srv/share in the guest, the kernel's
# cifs client mounts it with nosharesock (a session each: two instances of
# an app). Instance A holds locks/status.lock; instance B does what .NET's
# FileStream(FileMode.Create, FileShare.None) does on it (tests/vm/
# filestream.c). Sourced by tests/vm/init (tap, check, lt_start, lt_stop).

smb_opts=username=kudu,password=secret,nosharesock
share=//127.0.0.1/site

# ---- before the module: the tracer attaches when it appears ------------
locktrace probe >/tmp/probe0.out 2>&1
sed 's/^/# before cifs: /' /tmp/probe0.out | grep 'network filesystem' -A1
grep -Eq '^network filesystem evidence +no +the cifs module is not loaded' /tmp/probe0.out
tap $? "probe: no cifs module yet, and it says so"

late=0
lt_start /tmp/smb1.json --mode tracepoint --facts-timeout 5000 -p '/mnt/**' && late=1
grep -q 'cifs: not attached (the cifs module is not loaded (no /sys/module/cifs)); attached when it appears)' /tmp/lt.err
tap $? "tracing line: cifs not attached yet, attached when it appears"

# The client asks for its crypto with request_module(): /sbin/modprobe.
ln -sf /bin/busybox /sbin/modprobe
for m in cmac ccm gcm aesni_intel sha512_generic md4 md5 hmac ecb arc4 nls_utf8; do
	modprobe $m 2>/dev/null
done
modprobe cifs
tap $? "the cifs module loads"
wait_line /tmp/lt.err '^locktrace: the cifs module appeared: cifs: ' 600
grep '^locktrace: the cifs module appeared' /tmp/lt.err | sed 's/^/# /'
grep -q '^locktrace: the cifs module appeared: cifs: [0-9]* programs attached: cifs:smb3_cmd_err, ' /tmp/lt.err
tap $? "late attach: the cifs programs attach when the module appears"

# ---- Samba, and instance B's mount -------------------------------------
mkdir -p /etc
printf 'root:x:0:0:root:/root:/bin/sh\nkudu:x:4242:4242:kudu:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >/etc/passwd
printf 'root:x:0:\nkudu:x:4242:\nnogroup:x:65534:\n' >/etc/group
mkdir -p /srv/share/locks /mnt/a /mnt/b /etc/samba /var/lib/samba/private /var/cache/samba \
	/run/samba /var/log/samba /var/lock/samba
chmod 755 / /srv /srv/share
chmod 777 /srv/share/locks
cat >/etc/samba/smb.conf <<'C'
[global]
  workgroup = WG
  server role = standalone server
  interfaces = lo
  bind interfaces only = yes
  smb ports = 445
  disable netbios = yes
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  log file = /var/log/samba/log.smbd
  log level = 1
[site]
  path = /srv/share
  read only = no
C
ip link set lo up
(echo secret; echo secret) | /usr/bin/smbpasswd -s -a kudu >/dev/null
/usr/sbin/smbd -D
for f in status.lock p.lock local.lock; do
	: >/srv/share/locks/$f && chmod 666 /srv/share/locks/$f
done
i=0
until mount.cifs $share /mnt/b -o $smb_opts 2>/dev/null || [ $i -ge 30 ]; do
	sleep 1
	i=$((i + 1))
done
grep -q ' /mnt/b cifs ' /proc/mounts
tap $? "instance B's mount of $share (smbd answered after ${i} s)"

# ---- instance A in a mount namespace of its own (another host's view):
# its flock is held through its own session, which B cannot see ------------
unshare -m sh -c "mount.cifs $share /mnt/a -o $smb_opts && exec ltwork --comm smb-hold-a hold-flock /mnt/a/locks/status.lock ex" \
	>/tmp/hold-a.out 2>&1 &
hold_a=$!
wait_line /tmp/hold-a.out '^held' 300
tap $? "instance A holds flock(LOCK_EX) on locks/status.lock through its own session"
filestream smb-b /mnt/b/locks/status.lock >/tmp/fs-b.out 2>&1
sed 's/^/# instance B: /' /tmp/fs-b.out
[ "$(tr '\n' ' ' </tmp/fs-b.out)" = "open: ok flock: err=EACCES errno=13 setlk: err=EACCES errno=13 ftruncate: ok write: err=EACCES errno=13 open-ro: ok read: err=EACCES errno=13 " ]
tap $? "instance B: open and ftruncate succeed; flock, F_SETLK, write and read get EACCES"

# ---- a local holder on B's own mount: the client refuses by itself -------
ltwork --comm smb-hold-l hold-flock /mnt/b/locks/local.lock ex >/tmp/hold-l.out 2>&1 &
hold_l=$!
wait_line /tmp/hold-l.out '^held' 300
result "local holder on the same mount: flock gets EACCES too" "err=EACCES errno=13" \
	ltwork --comm smb-local flock /mnt/b/locks/local.lock ex nb
sleep 1
[ $late = 1 ] && lt_stop
kill $hold_a $hold_l 2>/dev/null
wait $hold_a $hold_l 2>/dev/null

check "flock on B: remote_lock_conflict, the server's STATUS_LOCK_NOT_GRANTED, the share" /tmp/smb1.json \
	'map(select(.comm == "smb-b" and .event == "flock"))[0] | .error == "EACCES" and .cause.kind == "remote_lock_conflict" and .cause.evidence == "kernel" and (.cause.detail | startswith("no process on this host holds it; it is held through another SMB session to //127.0.0.1/site: the server answered STATUS_LOCK_NOT_GRANTED (0xc0000055) to LOCK")) and .cause.remote.status == "STATUS_LOCK_NOT_GRANTED" and .cause.remote.status_hex == "0xc0000055" and .cause.remote.command == "LOCK" and .cause.remote.share == "//127.0.0.1/site" and .cause.remote.mountpoint == "/mnt/b" and .cause.remote.function == "cifs_flock" and (.cause.remote.session_id | startswith("0x"))'
check "F_SETLK on B: remote_lock_conflict, the same" /tmp/smb1.json \
	'map(select(.comm == "smb-b" and .event == "fcntl_lock"))[0] | .error == "EACCES" and .cause.kind == "remote_lock_conflict" and .cause.evidence == "kernel" and .cause.remote.status == "STATUS_LOCK_NOT_GRANTED" and .cause.remote.operation == "lock" and .cause.remote.share == "//127.0.0.1/site"'
check "write on B: remote_lock_conflict, STATUS_FILE_LOCK_CONFLICT from cifsd, matched by the file's id" /tmp/smb1.json \
	'map(select(.comm == "smb-b" and .event == "write"))[0] | .error == "EACCES" and .io.count == 1 and .cause.kind == "remote_lock_conflict" and .cause.evidence == "kernel" and .cause.remote.status == "STATUS_FILE_LOCK_CONFLICT" and .cause.remote.command == "WRITE" and .cause.remote.operation == "write" and .cause.remote.seen_in == "cifsd" and .cause.remote.share == "//127.0.0.1/site"'
check "read on B: the same, to READ" /tmp/smb1.json \
	'map(select(.comm == "smb-b" and .event == "read"))[0] | .error == "EACCES" and .cause.kind == "remote_lock_conflict" and .cause.remote.status == "STATUS_FILE_LOCK_CONFLICT" and .cause.remote.command == "READ" and .cause.remote.seen_in == "cifsd"'
check "B's open, ftruncate, read-only open: no event (they succeeded)" /tmp/smb1.json \
	'map(select(.comm == "smb-b" and .event == "open")) | length == 0'
check "local holder on the same mount: lock_held, the holder named, not remote" /tmp/smb1.json \
	'map(select(.comm == "smb-local"))[0] | .error == "EACCES" and .cause.kind == "lock_held" and (.cause.holders | any(.pid == $h)) and .cause.remote.function == "cifs_flock" and .cause.remote.status == null' \
	--argjson h "$hold_l"

# ---- a tracer started with the module there; A on this host's namespace:
# a POSIX lock through /mnt/a, another mount (session) of the share -------
locktrace probe >/tmp/probe1.out 2>&1
sed 's/^/# with cifs: /' /tmp/probe1.out | grep 'network filesystem'
grep -Eq '^network filesystem evidence +yes +cifs: loaded and attached on cifs:smb3_cmd_err' /tmp/probe1.out
tap $? "probe: the cifs tracepoints load and attach against the module's BTF"
# Which programs fit this kernel's tracepoints, by their argument counts in
# the module's BTF; where an open file's id is (for reads and writes).
locktrace -v --mode tracepoint -d 0.1 -p '/nonexistent/**' 2>&1 | sed -n 's/^locktrace: debug: cifs: /cifs: /p' >/tmp/netfs-v.out
sed 's/^/# -v: /' /tmp/netfs-v.out
grep -q '^cifs: lt_smb3_lock_err_9 skipped (cifs:smb3_lock_err has 5 arguments here)' /tmp/netfs-v.out &&
	grep -q '^cifs: lt_smb3_write_err_9 skipped (cifs:smb3_write_err has 7 arguments here)' /tmp/netfs-v.out
tap $? "each cifs tracepoint gets the program for its arguments here (module BTF)"
grep -q "^cifs: an open file's id at cifsFileInfo+56, its tree's at tlink (+152) tl_tcon (+56) tid (+1392)" /tmp/netfs-v.out
tap $? "an open cifs file's id and tree found in the module's BTF"
mount.cifs $share /mnt/a -o $smb_opts
up=0
lt_start /tmp/smb2.json --facts-timeout 5000 -p '/mnt/**' && up=1
grep -q '; cifs: [0-9]* programs attached: cifs:smb3_cmd_err, ' /tmp/lt.err
tap $? "tracing line: the cifs programs attached at the start"
ltwork --comm smb-hold-p hold-fcntl /mnt/a/locks/p.lock 0 0 >/tmp/hold-p.out 2>&1 &
hold_p=$!
wait_line /tmp/hold-p.out '^held' 300
filestream smb-b-p /mnt/b/locks/p.lock >/tmp/fs-p.out 2>&1
sed 's/^/# instance B, POSIX holder: /' /tmp/fs-p.out
sleep 1
[ $up = 1 ] && lt_stop
kill $hold_p 2>/dev/null
check "POSIX holder through /mnt/a: B's flock is remote_lock_conflict naming it" /tmp/smb2.json \
	'map(select(.comm == "smb-b-p" and .event == "flock"))[0].cause | .kind == "remote_lock_conflict" and .evidence == "kernel" and (.holders | any(.pid == $h and .through == "/mnt/a")) and .remote.status == "STATUS_LOCK_NOT_GRANTED"' \
	--argjson h "$hold_p"
check "POSIX holder through /mnt/a: B's F_SETLK too" /tmp/smb2.json \
	'map(select(.comm == "smb-b-p" and .event == "fcntl_lock"))[0].cause | .kind == "remote_lock_conflict" and (.holders | any(.pid == $h and .through == "/mnt/a"))' \
	--argjson h "$hold_p"

# The recordings' report: the failures grouped by their new causes.
locktrace report /tmp/smb1.json /tmp/smb2.json >/tmp/smb-report.txt 2>&1
sed -n '/^cause:/,/^$/p;/^Failures, grouped/,$p' /tmp/smb-report.txt | sed 's/^/# report: /'
grep -Eq '^ +8 +remote_lock_conflict$' /tmp/smb-report.txt &&
	grep -q 'flock /mnt/b/locks/status.lock -> EACCES \[remote_lock_conflict\] by smb-b' /tmp/smb-report.txt
tap $? "report: the refusals grouped under remote_lock_conflict"

# ---- two instances, two recordings: each tracer records its own mount
# (-p) as its own host (--holders --host), as on two machines. Instance A
# writes who it is into status.lock (as Kudu does) and holds it with flock;
# B is refused, then does FileStream's sequence. On kudu.lock, A holds a
# POSIX lock far past the content (byte 1 GiB, where SQLite's lock bytes
# are): B's flock is refused, and the content, which no lock covers (the
# client reads ahead: not just the next page), names A. -----------------
kudu='{"OperationName":"deployment","AcquiredDateTime":"2026-11-28T10:40:55.1234567Z","StackTrace":"at Kudu.Core.Infrastructure.LockFile.TryLock()","InstanceId":"a1b2c3"}'
printf '%s\n' "$kudu" >/mnt/a/locks/status.lock
printf '%s\n' "$kudu" >/mnt/a/locks/kudu.lock
rec_a=0 rec_b=0
lt_start /tmp/host-a.jsonl record --holders --host instance-a --facts-timeout 5000 -p '/mnt/a/**' && rec_a=1
lt_a=$lt
lt_start /tmp/host-b.jsonl record --holders --host instance-b --facts-timeout 5000 -p '/mnt/b/**' && rec_b=1
lt_b=$lt
tap $((rec_a + rec_b == 2 ? 0 : 1)) "two recorders, --holders --host instance-a and instance-b"
ltwork --comm kudu-a hold-flock /mnt/a/locks/status.lock ex 8000 >/tmp/hold-k.out 2>&1 &
hold_k=$!
ltwork --comm kudu-a-p hold-fcntl /mnt/a/locks/kudu.lock 1073741824 1 >/tmp/hold-kp.out 2>&1 &
hold_kp=$!
wait_line /tmp/hold-k.out '^held' 300
wait_line /tmp/hold-kp.out '^held' 300
result "instance B: flock of status.lock while A holds it" "err=EACCES errno=13" \
	ltwork --comm kudu-b flock /mnt/b/locks/status.lock ex nb
result "instance B: flock of kudu.lock while A holds byte 1 GiB" "err=EACCES errno=13" \
	ltwork --comm kudu-b-p flock /mnt/b/locks/kudu.lock ex nb
filestream kudu-b-fs /mnt/b/locks/status.lock >/tmp/fs-k.out 2>&1
sed 's/^/# instance B, FileStream: /' /tmp/fs-k.out
# B's ftruncate(fd, 0) succeeded under A's lock: what A wrote is gone.
[ -f /srv/share/locks/status.lock ] && [ ! -s /srv/share/locks/status.lock ]
tap $? "B's ftruncate emptied the lock file A holds (the server's copy: $(wc -c </srv/share/locks/status.lock) bytes)"
wait_line /tmp/hold-k.out '^released' 300
tap $? "instance A let go of status.lock"
sleep 1
kill $hold_k $hold_kp 2>/dev/null
wait $hold_k $hold_kp 2>/dev/null
sleep 1
lt=$lt_a
[ $rec_a = 1 ] && lt_stop
lt=$lt_b
[ $rec_b = 1 ] && lt_stop
check "A's recording: its flock taken and let go on //127.0.0.1/site, /locks/status.lock" /tmp/host-a.jsonl \
	'map(select(.comm == "kudu-a" and (.event == "lock_acquired" or .event == "lock_released"))) | length == 2 and .[0].event == "lock_acquired" and .[0].hold.fs == "cifs" and .[0].hold.share == "//127.0.0.1/site" and .[0].hold.share_path == "/locks/status.lock" and .[1].hold.release == "unlock"'
check "B's refused flock of status.lock: A's lock covers the lock file, its content unreadable: owner_hint error EACCES" /tmp/host-b.jsonl \
	'map(select(.comm == "kudu-b"))[0].cause | .kind == "remote_lock_conflict" and .owner_hint.evidence == "lock-file" and .owner_hint.error == "EACCES"'
check "B's refused flock of kudu.lock: owner_hint from the lock file's JSON" /tmp/host-b.jsonl \
	'map(select(.comm == "kudu-b-p"))[0].cause | .kind == "remote_lock_conflict" and .owner_hint.evidence == "lock-file" and .owner_hint.format == "json" and .owner_hint.instance_id == "a1b2c3" and .owner_hint.operation == "deployment" and .owner_hint.acquired == "2026-11-28T10:40:55.1234567Z"'
locktrace report /tmp/host-a.jsonl /tmp/host-b.jsonl >/tmp/xhost.txt 2>&1
sed -n '/^Cross-host contention/,/^$/p' /tmp/xhost.txt | sed 's/^/# report: /'
grep -Eq '^      refused on instance-b at [0-9T:.-]+Z \(flock EACCES, remote_lock_conflict: [^)]*\) by pid [0-9]+ \(kudu-b\) uid 0 while instance-a.s pid '"$hold_k"' \(kudu-a\) held it \(flock LOCK_EX\) from [0-9T:.-]+Z to [0-9T:.-]+Z$' /tmp/xhost.txt
tap $? "report: B's refused flock set against A's hold, across the two recordings"
grep -Eq '^      refused on instance-b at [0-9T:.-]+Z \(write EACCES, remote_lock_conflict: [^)]*\) by pid [0-9]+ \(kudu-b-fs\)' /tmp/xhost.txt
tap $? "report: FileStream's refused write on B too"
locktrace report -f json /tmp/host-a.jsonl /tmp/host-b.jsonl >/tmp/xhost.json 2>/dev/null
jq -e '.cross_host.files | any(.share == "//127.0.0.1/site" and .share_path == "/locks/status.lock" and (.rows | any(.host == "instance-b" and .cause == "remote_lock_conflict" and .holder.host == "instance-a" and .holder.pid == $h)))' \
	--argjson h "$hold_k" /tmp/xhost.json >/dev/null
tap $? "report -f json: cross_host names the share, the file, B's refusal and A's hold"

for f in /tmp/smb1.json /tmp/smb2.json /tmp/host-b.jsonl; do
	jq -c 'select(.comm != null)' "$f" 2>/dev/null | sed 's/^/# event line: /'
done
