# Debian's default boot: AppArmor, Landlock and BPF LSM active; run on the
# release's own kernel (6.1) and on 6.12 (boot main-6.12), whose struct
# layouts differ (struct file_lock before 6.9, kernel_cap_t before 6.3).
# Sourced by tests/vm/init (tap, check, lt_start, lt_stop, result).

# ---- what this kernel allows -----------------------------------------
locktrace probe >/tmp/probe.out 2>&1
sed 's/^/# /' /tmp/probe.out
grep -q '^tiers: tracepoint available, lsm available; --mode auto uses lsm' /tmp/probe.out
tap $? "probe: both tiers load on this kernel, auto picks lsm"
grep -q '^modules the LSM tier can name *apparmor (3), landlock (2), tomoyo (2), bpf (5)' /tmp/probe.out
tap $? "probe: AppArmor, Landlock and BPF LSM hook functions found in BTF"

# ---- the tracepoint tier on this older kernel (CO-RE) ------------------
# The same cases under each attach plan this kernel has (fexit, syscalls,
# raw): each catches the calls' results somewhere else.
tp_tier() {
	plan=$1
	mkdir -p /locks/tp
	: >/locks/tp/status.lock && chmod 600 /locks/tp/status.lock
	: >/locks/tp/h.db && : >/locks/tp/w.db && chmod 666 /locks/tp/h.db /locks/tp/w.db
	# A tmpfs with inodes left and no block, its lock file made first.
	# (Facts under TCG emulation, with other boots beside: the 250 ms default
	# deadline can pass before the statfs; the checks want the full facts.)
	mkdir -p /locks/tp/full && mount -t tmpfs -o size=64k tpfull /locks/tp/full &&
		: >/locks/tp/full/io.lock && dd if=/dev/zero of=/locks/tp/full/filler bs=4k count=64 2>/dev/null
	rm -f /tmp/tp.json
	if lt_start /tmp/tp.json --mode tracepoint --attach "$plan" --facts-timeout 5000 -p '/locks/tp/**'; then
		grep -q "^locktrace: tracing (tier tracepoint, plan $plan: " /tmp/lt.err
		tap $? "tracepoint tier ($plan): the $plan plan attached"
		ltwork --comm vm-wro io /locks/tp/h.db rdonly write 8 >/dev/null
		ltwork --comm vm-full io /locks/tp/full/io.lock wronly write 4096 >/dev/null
		ltwork --uid 4242 --comm vm-dac open /locks/tp/status.lock rdwr >/dev/null
		ltwork --comm vm-hold hold-flock /locks/tp/h.db ex >/dev/null &
		hold=$!
		sleep 1
		ltwork --comm vm-flock flock /locks/tp/h.db ex nb >/dev/null
		ltwork --comm vm-root open /locks/tp/missing/x.lock rdwr >/dev/null
		ltwork32 --uid 4242 --comm vm-dac32 open /locks/tp/status.lock rdwr >/dev/null
		ltwork32 --comm vm-flock32 flock /locks/tp/h.db ex nb >/dev/null
		ltwork --comm vm-hold2 hold-flock /locks/tp/w.db ex 1500 >/dev/null &
		hold2=$!
		sleep 0.5
		ltwork --comm vm-wait flock /locks/tp/w.db ex >/dev/null
		sleep 1
		lt_stop
		kill $hold $hold2
	fi
	check "tracepoint tier ($plan): dac refusal with its cause" /tmp/tp.json \
		'map(select(.comm == "vm-dac"))[0] | .uid == 4242 and .error == "EACCES" and .cause.kind == "dac" and .cause.object.mode == "0600" and .cause.evidence == "post-hoc"'
	check "tracepoint tier ($plan): lock layer read through this kernel's struct file_lock (file_lock_core since 6.9)" /tmp/tp.json \
		'map(select(.comm == "vm-flock"))[0] | .errno == 11 and .lock_layer.type == "F_WRLCK" and .lock_layer.flags == "FL_FLOCK"'
	check "tracepoint tier ($plan): flock contention: the holder from this kernel's lock list" /tmp/tp.json \
		'map(select(.comm == "vm-flock"))[0].cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .seen_by_kernel)' --argjson h "${hold:-0}"
	check "tracepoint tier ($plan): capabilities read through this kernel's kernel_cap_t (an array before 6.3)" /tmp/tp.json \
		'map(select(.comm == "vm-root"))[0] | .uid == 0 and (.cap_eff | ltrimstr("0x") | length) > 8'
	check "tracepoint tier ($plan): lock_wait blocker read through this kernel's fl_blocker" /tmp/tp.json \
		'map(select(.comm == "vm-wait"))[0] | .event == "lock_wait" and .holder.pid == $h' --argjson h "${hold2:-0}"
	check "tracepoint tier ($plan): a write on a read-only descriptor: its file's flags and mode on this kernel" /tmp/tp.json \
		'map(select(.comm == "vm-wro"))[0] | .event == "write" and .path == "/locks/tp/h.db" and (.flags | startswith("O_RDONLY")) and .io == {"count":8} and .cause.kind == "bad_fd_mode" and .cause.evidence == "kernel"'
	check "tracepoint tier ($plan): a write ENOSPC on a tmpfs with inodes and no blocks: no_space" /tmp/tp.json \
		'map(select(.comm == "vm-full"))[0] | .event == "write" and .error == "ENOSPC" and (.cause | .kind == "no_space" and .fs.blocks_free == 0 and .fs.inodes_free > 0)'
	# 32-bit (ia32) calls: fexit has their own entry functions, raw sees
	# every call; the per-syscall tracepoints never see them (the kernel
	# gives them no number there), and the syscalls plan says so.
	if [ "$plan" = syscalls ]; then
		check "tracepoint tier ($plan): ia32 calls not reported (per-syscall tracepoints skip them)" /tmp/tp.json \
			'map(select(.comm == "vm-dac32" or .comm == "vm-flock32")) | length == 0'
	else
		check "tracepoint tier ($plan): ia32 open and flock reported, abi ia32" /tmp/tp.json \
			'(map(select(.comm == "vm-dac32"))[0] | .abi == "ia32" and .uid == 4242 and .error == "EACCES" and .cause.kind == "dac") and
			 (map(select(.comm == "vm-flock32"))[0] | .abi == "ia32" and .errno == 11 and .lock_layer.flags == "FL_FLOCK")'
	fi
	umount /locks/tp/full 2>/dev/null
}
plans=$(awk '/^attach plans/ { on = 1; next } on && $2 == "available" { print $1 }' /tmp/probe.out | tr '\n' ' ')
echo "# plans: $plans"
echo " $plans " | grep -q ' fexit ' && echo " $plans " | grep -q ' raw '
tap $? "probe: the fexit and raw plans are available here"
for plan in $plans; do
	tp_tier "$plan"
done

# --holders on this kernel: a tmpfs (the guest's /tmp) named with
# --holders-fs, each lock taken and let go its own way, paired (the lock
# lists through the pre-6.9 struct file_lock).
mkdir -p /tmp/share/locks && : >/tmp/share/locks/status.lock
if lt_start /tmp/holders.json --mode tracepoint --holders-fs tmpfs -p '/tmp/share/**'; then
	ltwork --comm vm-holds holds /tmp/share/locks/status.lock >/tmp/holds.out 2>&1
	sed 's/^/# holds: /' /tmp/holds.out | tail -3
	sleep 0.5
	lt_stop
	tail -n 1 /tmp/holders.json | sed 's/^/# trailer: /'
fi
check "--holders: locks taken and let go on a tmpfs, each release paired with its lock" /tmp/holders.json \
	'map(select(.comm == "vm-holds")) | length == 9 and ([.[].hold.id] | unique | length == 4) and
	 ([.[] | select(.event == "lock_released") | .hold.release] == ["unlock", "close", "unlock", "exit"]) and
	 all(.[]; .hold.fs == "tmpfs" and .hold.share_path == "/share/locks/status.lock")'

# ---- the LSM tier --------------------------------------------------------
# dac/status.lock: root's 0600 file; priv/: a directory uid 4242 cannot
# search; shared/: one it can search but not write in; aa/: AppArmor
# refuses writes there to /bin/ltwork-aa; ll/: a Landlock-restricted
# process cannot write anywhere.
mkdir -p /locks/dac /locks/aa /locks/ll /locks/shared /locks/bpf && mkdir -m 700 /locks/priv
: >/locks/dac/status.lock && chmod 600 /locks/dac/status.lock
for f in /locks/priv/x.lock /locks/aa/x.lock /locks/ll/x.lock /locks/h.db /locks/bpf/bpf-denied.lock; do
	: >"$f" && chmod 666 "$f"
done
cp /bin/ltwork /bin/ltwork-aa
apparmor_parser -r -K /vm/apparmor.profile 2>&1 | sed 's/^/# /'
grep -q '^locktrace-vmtest (enforce)' /sys/kernel/security/apparmor/profiles
tap $? "apparmor: the test profile is loaded"

# The same workload runs without and with the tracer: same results.
workload() {
	ltwork --uid 4242 --comm vm-dac open /locks/dac/status.lock rdwr
	ltwork --uid 4242 --comm vm-search open /locks/priv/x.lock rdwr
	ltwork-aa --comm vm-aa open /locks/aa/x.lock rdwr
	ltwork-aa --comm vm-aa-ro open /locks/aa/x.lock rdonly
	ltwork --comm vm-aa-free open /locks/aa/x.lock rdwr
	ltwork --landlock --comm vm-ll open /locks/ll/x.lock rdwr
	ltwork --comm vm-ll-free open /locks/ll/x.lock rdwr
	ltwork --uid 4242 --comm vm-flock flock /locks/h.db ex nb
	ltwork --uid 4242 --comm vm-ok open /locks/h.db rdwr
	ltwork --comm vm-creat open /locks/priv/new.lock wronly creat
	ltwork --comm vm-bpf open /locks/bpf/bpf-denied.lock rdwr
	ltwork --uid 4242 --comm vm-creat-no open /locks/shared/new.lock wronly creat
	rm -f /locks/priv/new.lock
}
ltwork --comm vm-hold hold-flock /locks/h.db ex >/dev/null &
hold=$!
# Another security tool enforcing with BPF LSM, loaded before locktrace.
bpfhold /vm/ltdeny.bpf.o 2>/tmp/ltdeny.err &
deny=$!
wait_line /tmp/ltdeny.err '^bpfhold: attached' 600
tap $? "bpf lsm: a refusing BPF LSM program is attached"
grep -q '^bpfhold: attached' /tmp/ltdeny.err || tail -n 8 /tmp/ltdeny.err | sed 's/^/# ltdeny: /'
sleep 0.5
workload >/tmp/without.out 2>&1
lsm_up=1
lt_start /tmp/lsm.json --mode lsm -p '/locks/**' || lsm_up=0
grep -q '^locktrace: tracing (tier lsm, plan ' /tmp/lt.err
tap $? "lsm tier: loaded and attached"
workload >/tmp/with.out 2>&1
[ $lsm_up = 1 ] && lt_stop
kill $hold $deny
cmp -s /tmp/without.out /tmp/with.out && [ "$(grep -c . /tmp/without.out)" -ge 11 ]
tap $? "observe only: the workload gives the same results with the LSM tier attached"
sed 's/^/# without: /' /tmp/without.out
[ -n "$failed" ] && sed 's/^/# with:    /' /tmp/with.out
grep -q '^err=EACCES' /tmp/without.out && grep -q '^ok' /tmp/without.out
tap $? "observe only: the workload has both refusals and successes"

check "lsm tier: dac refusal of the file, the exact inode from inode_permission" /tmp/lsm.json \
	'map(select(.comm == "vm-dac"))[0].cause | .kind == "dac" and .evidence == "kernel" and .kernel.check == "inode_permission" and .kernel.object.path == "/locks/dac/status.lock" and .kernel.object.ino == $ino and .kernel.object.mode == "0600" and (.kernel.mask | contains("MAY_WRITE"))' \
	--argjson ino "$(stat -c %i /locks/dac/status.lock)"
check "lsm tier: dac refusal of the parent directory's search" /tmp/lsm.json \
	'map(select(.comm == "vm-search"))[0].cause | .kind == "dac_search" and .evidence == "kernel" and .kernel.check == "inode_permission" and .kernel.object.path == "/locks/priv" and .kernel.object.type == "dir" and .kernel.object.ino == $ino and (.kernel.mask | contains("MAY_EXEC"))' \
	--argjson ino "$(stat -c %i /locks/priv)"
check "lsm tier: dac refusal to create in the directory" /tmp/lsm.json \
	'map(select(.comm == "vm-creat-no"))[0].cause | .kind == "dac_search" and .evidence == "kernel" and .kernel.object.path == "/locks/shared" and (.kernel.mask | contains("MAY_WRITE")) and (.detail | contains("create"))'
check "lsm tier: apparmor refusal attributed to apparmor" /tmp/lsm.json \
	'map(select(.comm == "vm-aa"))[0].cause | .kind == "lsm" and .evidence == "kernel" and .lsm.name == "apparmor" and .kernel.check == "security_file_open" and .kernel.function == "apparmor_file_open" and .kernel.object.path == "/locks/aa/x.lock"'
check "lsm tier: landlock refusal attributed to landlock" /tmp/lsm.json \
	'map(select(.comm == "vm-ll"))[0].cause | .kind == "lsm" and .evidence == "kernel" and .lsm.name == "landlock" and .kernel.function == "hook_file_open" and .kernel.object.path == "/locks/ll/x.lock"'
check "lsm tier: flock contention names the holder" /tmp/lsm.json \
	'map(select(.comm == "vm-flock"))[0] | .error == "EWOULDBLOCK" and .cause.kind == "lock_held" and (.cause.holders | any(.pid == $h))' \
	--argjson h "$hold"
check "lsm tier: a refusal by another BPF LSM program attributed to bpf" /tmp/lsm.json \
	'map(select(.comm == "vm-bpf"))[0] | .error == "EPERM" and .cause.kind == "lsm" and .cause.evidence == "kernel" and .cause.lsm.name == "bpf" and .cause.kernel.function == "bpf_lsm_file_open" and .cause.kernel.object.path == "/locks/bpf/bpf-denied.lock"'
check "lsm tier: allowed calls and successes are not reported" /tmp/lsm.json \
	'map(select(.comm == "vm-aa-ro" or .comm == "vm-aa-free" or .comm == "vm-ll-free" or .comm == "vm-ok" or .comm == "vm-creat")) | length == 0'

jq -c 'select(.comm | test("^vm-(dac|search|creat-no|aa|ll|bpf)$")) | {comm, cause: {kind: .cause.kind, detail: .cause.detail, evidence: .cause.evidence, lsm: .cause.lsm.name, kernel: .cause.kernel}}' /tmp/lsm.json 2>/dev/null |
	sed 's/^/# cause: /'

# ---- the LSM tier under full preemption -----------------------------------
# fexit programs run with migration disabled, not preemption: on this boot
# (preempt=full, one CPU) one can be preempted half-way through the record
# of a refusal, and other tasks' programs then run on the same CPU: the
# sys_exit program (which walks a relative name's directory and takes a
# thread's refusal into its workspace) and other fexit programs (the kernel
# keeps only the same program from running twice on a CPU: a recursion
# miss). Six tasks are refused hundreds of times each on deep paths of
# their own, by name relative to their working directory: three by the mode
# bits (fexit on inode_permission, a long dentry walk), three by Landlock
# (fexit on security_file_open). Every refusal attached to an event must be
# that event's own (its path, its inode). Run with the fexit workspaces
# there are, then with one (LOCKTRACE_FEXIT_WORKSPACES=1), which the
# refusals then find taken: each such refusal is counted (workspace_busy).
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
preempt=$(cat /sys/kernel/debug/sched/preempt 2>/dev/null)
echo "$preempt" | grep -q '(full)'
tap $? "kernel: preemption full (sched/preempt: $preempt), $(grep -c ^processor /proc/cpuinfo) CPU"
race_n=${LT_VM_RACE_N:-400}
deep=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24; do
	deep=$deep/component-of-the-path-$i
done
inos=
for r in ra rb rc rd re rf; do
	mkdir -p "/locks/$r$deep" && : >"/locks/$r$deep/x.lock" || tap 1 "race: setup $r"
	case $r in
	ra | rb | rc) chmod 600 "/locks/$r$deep/x.lock" ;; # refused by the mode bits
	*) chmod 666 "/locks/$r$deep/x.lock" ;;            # refused by Landlock
	esac
	inos="$inos${inos:+,}\"vm-$r\":$(stat -c %i "/locks/$r$deep/x.lock")"
done
# race NAME [ENV...]: the six tasks under the tracer (started with ENV).
race() {
	name=$1 json=/tmp/race-$1.json
	shift
	start=$(date +%s)
	for kv in "$@"; do export "${kv?}"; done
	up=0
	# auto takes raw here (preempt=full): under the syscalls plan the
	# kernel skips its program (perf's trace_call_bpf) while a bpf() map
	# operation is in progress on the CPU, and a preempted fexit program
	# misses its CPU's calls (both counted as recursion misses; README,
	# Attach plans). LT_RACE_ATTACH forces a plan.
	attach=${LT_RACE_ATTACH:-auto}
	lt_start "$json" --mode lsm --attach "$attach" --ringbuf-size 64 --uid 4242 -p '/locks/r?/**' && up=1
	for kv in "$@"; do unset "${kv%%=*}"; done
	if [ $up = 1 ]; then
		pids=
		for r in ra rb rc rd re rf; do
			ll=
			case $r in rd | re | rf) ll=--landlock ;; esac
			(cd "/locks/$r$deep" && exec ltwork --uid 4242 $ll --comm "vm-$r" repeat x.lock "$race_n") \
				>"/tmp/$r.out" 2>&1 &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086 # a list of pids
		wait $pids
		lt_stop
	fi
	echo "# race $name: $race_n refused opens by each of 6 tasks in $(($(date +%s) - start)) s"
	tail -n 1 "$json" | jq -c '{seen, dropped_kernel, workspace_busy, denials_full, recursion_misses}' 2>&1 |
		sed "s/^/# race $name: trailer: /"
	jq -s -c --argjson ino "{$inos}" 'map(select(.type == null)) | {events: length,
		with_kernel_record: map(select(.cause.kernel)) | length,
		not_its_own: map(select(.cause.kernel and (.cause.kernel.object.path != .path or .cause.kernel.object.ino != $ino[.comm]))) | length}' \
		"$json" 2>&1 | sed "s/^/# race $name: /"
	jq -s -c --argjson ino "{$inos}" 'map(select(.type == null and .cause.kernel and
		(.cause.kernel.object.path != .path or .cause.kernel.object.ino != $ino[.comm])))[0:3][] |
		{comm, path: (.path[0:9] + "..." + .path[-30:]), ino: $ino[.comm],
		 kernel: (.cause.kernel | {check, path: (.object.path[0:9] + "..." + .object.path[-30:]), ino: .object.ino})}' \
		"$json" 2>/dev/null | sed "s/^/# race $name: not its own: /"
	# The fexit plan forced: a program preempted half-way keeps its
	# CPU's other calls from it (counted), so not every call is reported.
	want=$race_n
	[ "$attach" = fexit ] && want=0
	check "race $name: every refusal attached to an event is its own (its path, its inode)" "$json" \
		'($n == 0 or length == 6 * $n) and all(.[]; .path | startswith("/locks/r")) and all(.[]; .error == "EACCES") and any(.[]; .cause.kernel) and
		 all(.[]; .cause.kernel == null or (.cause.kernel.object.path == .path and .cause.kernel.object.ino == $ino[.comm]))' \
		--argjson n "$want" --argjson ino "{$inos}"
}
race all
tail -n 1 /tmp/race-all.json | jq -e '.type == "trailer" and .dropped_kernel == 0 and (.workspace_busy | type) == "number"' >/dev/null 2>&1
tap $? "race all: the trailer counts refusals that found every fexit workspace taken ($(tail -n 1 /tmp/race-all.json | jq .workspace_busy 2>&1))"
# A preempted fexit program keeps the kernel from running it again on that
# CPU: those runs are the programs' recursion misses (bpf_prog_info).
tail -n 1 /tmp/race-all.json | jq -e '.recursion_misses > 0' >/dev/null 2>&1
tap $? "race all: the programs' recursion misses read from the kernel ($(tail -n 1 /tmp/race-all.json | jq .recursion_misses 2>&1))"
race one LOCKTRACE_FEXIT_WORKSPACES=1
tail -n 1 /tmp/race-one.json | jq -e '.type == "trailer" and .dropped_kernel == 0 and .workspace_busy > 0' >/dev/null 2>&1
tap $? "race one: refusals that found the one fexit workspace taken are counted ($(tail -n 1 /tmp/race-one.json | jq .workspace_busy 2>&1))"

# The fexit plan forced on this kernel, which preempts BPF programs (so
# --attach auto does not take it here): its records stay whole and their
# own while its programs are preempted half-way (the call records'
# workspace held); the calls it misses meanwhile are counted.
race fexit LT_RACE_ATTACH=fexit
tail -n 1 /tmp/race-fexit.json | jq -e --argjson n "$race_n" '.type == "trailer" and .dropped_kernel == 0 and
	(.seen == 6 * $n or .recursion_misses + .workspace_busy > 0)' >/dev/null 2>&1
tap $? "race fexit: calls not reported are counted ($(tail -n 1 /tmp/race-fexit.json | jq -c '{seen, workspace_busy, recursion_misses}' 2>&1))"
grep -q '^--attach auto uses raw (this kernel preempts BPF programs' /tmp/probe.out
tap $? "probe: --attach auto takes the raw plan on a kernel that preempts BPF programs"

# --mode auto picks the LSM tier here.
locktrace -d 0.1 -j >/dev/null 2>/tmp/auto.err
grep -q '^locktrace: tracing (tier lsm, plan ' /tmp/auto.err
tap $? "--mode auto: the LSM tier"
sed 's/^/# /' /tmp/auto.err | head -2

# The tracepoint tier with the default lock-name patterns (more verifier work).
locktrace --mode tracepoint -d 0.1 -j >/dev/null 2>/tmp/tpdef.err
grep -q '^locktrace: tracing (tier tracepoint, plan ' /tmp/tpdef.err
tap $? "tracepoint tier: loads with the default patterns"
