# Integration cases for root causes: permissions, filesystems, locks and
# their holders and waits, creators, --explain, container roots and user
# namespaces. Sourced by tests/integ/integ.sh, which provides lib.sh, $LT,
# $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# expect_cause DESC FILE PID FILTER [JQ-ARGS...]: FILTER must hold on the
# event of process PID.
expect_cause() {
	local desc=$1 file=$2 pid=$3 filter=$4
	shift 4
	expect_jq "$desc" "$file" "(map(select(.pid == \$p)) | length == 1) and (map(select(.pid == \$p))[0] | $filter)" \
		--argjson p "$pid" "$@"
}

# Root causes from permissions: dac, dac_search, acl, capability, lsm
# (Landlock), not_found. Each workload gets a real refusal from the kernel.
case_cause_perm() {
	local dir=$1 json=$ART/lt.json pd ps pa pc pl pn
	make_private "$dir/status.lock" || return 1
	mkdir -m 700 "$dir/priv" && : >"$dir/priv/x.lock" && chmod 666 "$dir/priv/x.lock" || return 1
	: >"$dir/acl.lock" && chmod 666 "$dir/acl.lock" && setfacl -m u:4242:--- "$dir/acl.lock" || return 1
	: >"$dir/cap.lock" && chown 5:5 "$dir/cap.lock" && chmod 600 "$dir/cap.lock" || return 1
	: >"$dir/ll.lock" && chmod 666 "$dir/ll.lock" || return 1
	wl_start wd "$dir/go" --uid 4242 --comm ltw-dac open "$dir/status.lock" rdwr || return 1
	pd=$WL_PID
	wl_start ws "$dir/go" --uid 4242 --comm ltw-search open "$dir/priv/x.lock" rdwr || return 1
	ps=$WL_PID
	wl_start wa "$dir/go" --uid 4242 --comm ltw-acl open "$dir/acl.lock" rdwr || return 1
	pa=$WL_PID
	wl_launch wc setpriv --inh-caps=-dac_override,-dac_read_search \
		--bounding-set=-dac_override,-dac_read_search \
		"$LTWORK" --go "$dir/go" --comm ltw-cap open "$dir/cap.lock" rdwr || return 1
	pc=$WL_PID
	wl_start wl "$dir/go" --landlock --uid 4242 --comm ltw-ll open "$dir/ll.lock" rdwr || return 1
	pl=$WL_PID
	wl_start wn "$dir/go" --uid 4242 --comm ltw-nf open "$dir/nodir/sub/x.lock" rdwr creat || return 1
	pn=$WL_PID
	lt_start lt --pid "$pd,$ps,$pa,$pc,$pl,$pn" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	for w in wd ws wa wc wl; do expect_result "$w" '^err=EACCES errno=13$'; done
	expect_result wn '^err=ENOENT errno=2$'
	expect_jq "six events, each with a cause" "$json" 'length == 6 and all(.[]; .cause.kind and .cause.detail and .cause.evidence)' || return 1
	expect_cause "dac: other class, 0600 root, rw- asked" "$json" "$pd" \
		'.cause | .kind == "dac" and .evidence == "post-hoc" and .class == "other" and .want == "rw-" and .object.path == $f and .object.mode == "0600" and .object.uid == 0' \
		--arg f "$dir/status.lock"
	expect_cause "dac_search: the 0700 directory" "$json" "$ps" \
		'.cause | .kind == "dac_search" and .object.path == $d and .object.mode == "0700" and .want == "--x"' \
		--arg d "$dir/priv"
	expect_cause "acl: the user:4242 entry" "$json" "$pa" \
		'.cause | .kind == "acl" and .acl_entry == "user:4242:---" and .object.path == $f' --arg f "$dir/acl.lock"
	expect_cause "capability: root without CAP_DAC_OVERRIDE" "$json" "$pc" \
		'.uid == 0 and (.cause | .kind == "capability" and .capability == "CAP_DAC_OVERRIDE" and .object.path == $f)' \
		--arg f "$dir/cap.lock"
	expect_cause "lsm: Landlock (inferred)" "$json" "$pl" \
		'.cause | .kind == "lsm" and .lsm.name == "landlock" and .evidence == "inferred"'
	expect_cause "not_found: the first missing component" "$json" "$pn" \
		'.cause | .kind == "not_found" and .missing.path == $m' --arg m "$dir/nodir"
}

# Root causes from the file system and the inode: readonly_fs, no_space,
# immutable, stale_lock.
case_cause_fs() {
	local dir=$1
	mkdir -m 755 "$dir/ro" "$dir/full" || return 1
	mount -t tmpfs -o ro,size=64k ltro "$dir/ro" || {
		fail "mount tmpfs ro"
		return 1
	}
	if mount -t tmpfs -o size=64k,nr_inodes=2 ltfull "$dir/full"; then
		cause_fs_body "$dir"
	else
		fail "mount tmpfs nr_inodes=2"
	fi
	umount -l "$dir/ro" "$dir/full" 2>/dev/null
	chattr -i "$dir/imm.lock" 2>/dev/null
	return 0
}

cause_fs_body() {
	local dir=$1 json=$ART/lt.json pr pf pi pst dead
	: >"$dir/full/first" || {
		fail "setup: first file on the small tmpfs"
		return 1
	}
	: >"$dir/imm.lock" && chmod 666 "$dir/imm.lock" && chattr +i "$dir/imm.lock" || {
		fail "setup: chattr +i"
		return 1
	}
	bash -c 'echo $$ >"$1"' _ "$dir/stale.lock" || return 1
	dead=$(cat "$dir/stale.lock")
	wl_start wr "$dir/go" --comm ltw-ro open "$dir/ro/x.lock" wronly creat || return 1
	pr=$WL_PID
	wl_start wf "$dir/go" --comm ltw-full open "$dir/full/x.lock" wronly creat || return 1
	pf=$WL_PID
	wl_start wi "$dir/go" --comm ltw-imm open "$dir/imm.lock" rdwr || return 1
	pi=$WL_PID
	wl_start wst "$dir/go" --comm ltw-stale open "$dir/stale.lock" wronly creat excl || return 1
	pst=$WL_PID
	lt_start lt --pid "$pr,$pf,$pi,$pst" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result wr '^err=EROFS errno=30$'
	expect_result wf '^err=ENOSPC errno=28$'
	expect_result wi '^err=EPERM errno=1$'
	expect_result wst '^err=EEXIST errno=17$'
	expect_cause "readonly_fs: the ro tmpfs" "$json" "$pr" \
		'.cause | .kind == "readonly_fs" and .fs.mountpoint == $m and .fs.readonly and .fs.type == "tmpfs" and .fs.source == "ltro"' \
		--arg m "$dir/ro"
	expect_cause "no_space: inodes of the full tmpfs" "$json" "$pf" \
		'.cause | .kind == "no_space" and .fs.mountpoint == $m and .fs.inodes_free == 0' --arg m "$dir/full"
	expect_cause "immutable: chattr +i" "$json" "$pi" \
		'.cause | .kind == "immutable" and .object.path == $f and .object.immutable' --arg f "$dir/imm.lock"
	expect_cause "stale_lock: the pid in the file is gone" "$json" "$pst" \
		'.cause | .kind == "stale_lock" and .owner_pid == $d and .owner_alive == false' --argjson d "$dead"
}

# Root causes of lock calls: lock_held for flock and for fcntl, each with a
# holder started before the tracer and one after, both named by the kernel
# from the inode's lock list at the refusal; and bad_fd_mode.
case_cause_locks() {
	local dir=$1 json=$ART/lt.json f hb ha pb pa fb fa qb qa wb
	for f in fb.db fa.db pb.db pa.db bfm.lock; do
		: >"$dir/$f" && chmod 666 "$dir/$f" || return 1
	done
	hold_start hfb --comm ltw-hold-fb hold-flock "$dir/fb.db" ex || return 1
	hb=$BG_PID
	hold_start hpb --comm ltw-hold-pb hold-fcntl "$dir/pb.db" 0 100 || return 1
	pb=$BG_PID
	wl_start wfb "$dir/go" --comm ltw-wfb flock "$dir/fb.db" ex nb || return 1
	fb=$WL_PID
	wl_start wfa "$dir/go" --comm ltw-wfa flock "$dir/fa.db" sh nb || return 1
	fa=$WL_PID
	wl_start wpb "$dir/go" --uid 4242 --comm ltw-wpb setlk "$dir/pb.db" 50 10 w || return 1
	qb=$WL_PID
	wl_start wpa "$dir/go" --uid 4242 --comm ltw-wpa setlk "$dir/pa.db" 50 10 r || return 1
	qa=$WL_PID
	wl_start wb "$dir/go" --comm ltw-bfm setlk "$dir/bfm.lock" 0 10 w ro || return 1
	wb=$WL_PID
	lt_start lt --pid "$fb,$fa,$qb,$qa,$wb" -j -o "$json" || return 1
	hold_start hfa --comm ltw-hold-fa hold-flock "$dir/fa.db" ex || return 1
	ha=$BG_PID
	hold_start hpa --comm ltw-hold-pa hold-fcntl "$dir/pa.db" 0 100 || return 1
	pa=$BG_PID
	release_and_stop "$dir/go" lt
	expect_result wfb '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wfa '^err=(EAGAIN|EWOULDBLOCK) errno=11$'
	expect_result wpb '^err=(EAGAIN|EACCES) errno=(11|13)$'
	expect_result wpa '^err=(EAGAIN|EACCES) errno=(11|13)$'
	expect_result wb '^err=EBADF errno=9$'
	expect_cause "flock, holder from before tracing: named by the kernel at the refusal" "$json" "$fb" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-fb" and .lock == "flock" and .seen_by_kernel)' \
		--argjson h "$hb"
	expect_cause "flock, holder from after: named by the kernel" "$json" "$fa" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-fa" and .type == "F_WRLCK" and .seen_by_kernel)' \
		--argjson h "$ha"
	expect_cause "fcntl, holder from before tracing, with its range" "$json" "$qb" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .lock == "posix" and .start == 0 and .end == 99 and .seen_by_kernel)' \
		--argjson h "$pb"
	expect_cause "fcntl, holder from after, with its range" "$json" "$qa" \
		'.cause | .kind == "lock_held" and .evidence == "kernel" and (.holders[0] | .pid == $h and .comm == "ltw-hold-pa" and .lock == "posix" and .start == 0 and .end == 99 and .seen_by_kernel)' \
		--argjson h "$pa"
	expect_cause "bad_fd_mode: write lock on O_RDONLY, from the kernel" "$json" "$wb" \
		'.cause | .kind == "bad_fd_mode" and .fd_mode == "O_RDONLY" and .evidence == "kernel"'
	expect_cause "the locked inode as the kernel saw it (mode, owner, fs magic)" "$json" "$fb" \
		'.inode | .mode == "0666" and .uid == 0 and .gid == 0 and .fs_magic == $m and .mount_readonly == false' \
		--arg m "0x$(stat -f -c %t "$dir")"
}

# lock_wait: blocking flock and F_SETLKW that wait behind a holder (which
# releases after a while and stays alive) are reported, successful as they
# are, with the wait and the holder; a wait under --min-wait is not. The
# holders start after the tracer, just before the waiters are released.
case_lock_wait() {
	local dir=$1 json=$ART/lt.json h1 h2 h3 pf pp ps waited
	: >"$dir/w.db" && : >"$dir/w2.db" && : >"$dir/w3.db" || return 1
	wl_start wf "$dir/go" --comm ltw-waitf flock "$dir/w.db" ex || return 1
	pf=$WL_PID
	wl_start wp "$dir/go" --comm ltw-waitp setlk "$dir/w2.db" 50 10 w wait || return 1
	pp=$WL_PID
	wl_start ws "$dir/go" --comm ltw-short setlk "$dir/w3.db" 50 10 w wait || return 1
	ps=$WL_PID
	lt_start lt --pid "$pf,$pp,$ps" --min-wait 150 -j -o "$json" || return 1
	hold_start h1 --comm ltw-holdf hold-flock "$dir/w.db" ex 600 || return 1
	h1=$BG_PID
	hold_start h2 --comm ltw-holdp hold-fcntl "$dir/w2.db" 0 100 600 || return 1
	h2=$BG_PID
	hold_start h3 --comm ltw-holds hold-fcntl "$dir/w3.db" 0 100 100 || return 1
	h3=$BG_PID
	release_and_stop "$dir/go" lt
	expect_result wf '^ok$'
	expect_result wp '^ok$'
	expect_result ws '^ok$'
	waited=$(wl_value ws waited_us)
	((${waited:-0} >= 1000 && ${waited:-0} < 150000)) ||
		fail "setup: the short waiter should wait 1..150 ms, waited ${waited:-?} us"
	expect_cause "flock lock_wait behind ltw-holdf" "$json" "$pf" \
		'.event == "lock_wait" and .syscall == "flock" and .errno == 0 and (has("error") | not) and .wait_us >= 150000 and .wait_us < 10000000 and .holder.pid == $h and .holder.comm == "ltw-holdf" and .released_by.pid == $h and .released_by.comm == "ltw-holdf"' \
		--argjson h "$h1"
	expect_cause "F_SETLKW lock_wait behind ltw-holdp, as long as the waiter measured" "$json" "$pp" \
		'.event == "lock_wait" and .lock.cmd == "F_SETLKW" and .holder.pid == $h and .holder.comm == "ltw-holdp" and .released_by.pid == $h and ((.wait_us - $w) | fabs) < 50000' \
		--argjson h "$h2" --argjson w "$(wl_value wp waited_us)"
	expect_jq "no event for the wait under --min-wait (pid $h3 held it)" "$json" \
		'map(select(.pid == $p)) | length == 0' --argjson p "$ps"
}

# The creator of a lock file, seen in the kernel (O_CREAT|O_EXCL by root,
# after tracing began), is named in the dac cause of a later refusal.
case_creator() {
	local dir=$1 json=$ART/lt.json pc pv
	wl_start wc "$dir/go1" --comm ltw-maker open "$dir/made.lock" wronly creat excl || return 1
	pc=$WL_PID
	wl_start wv "$dir/go2" --uid 4242 --comm ltw-victim open "$dir/made.lock" rdwr || return 1
	pv=$WL_PID
	lt_start lt --pid "$pv" -j -o "$json" || return 1
	touch "$dir/go1"
	wl_finish "$pc" wc
	release_and_stop "$dir/go2" lt
	expect_result wc '^ok$'
	expect_result wv '^err=EACCES errno=13$'
	expect_jq "only the victim's event (the creator is not traced)" "$json" 'length == 1 and .[0].pid == $p' \
		--argjson p "$pv" || return 1
	expect_cause "dac names the creator" "$json" "$pv" \
		'.cause | .kind == "dac" and .creator.pid == $c and .creator.comm == "ltw-maker" and .creator.uid == 0 and .creator.mode == "0600" and (.detail | contains("created 0600 by pid \($c) (ltw-maker) uid 0"))' \
		--argjson c "$pc"
}

# --explain with a hostile file name: nothing raw reaches the terminal (no
# ESC, BEL, newline inside a line), and the suggested commands quote it.
case_explain_hostile() {
	local dir=$1 f pid out=$ART/lt.out
	f=$dir/$'x\n\e]0;pwn\a; rm -rf ~.lock'
	: >"$f" && chmod 600 "$f" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-hostile open "$f" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --explain || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	if LC_ALL=C grep -q $'[\x1b\x07]' "$out"; then
		fail "--explain wrote a raw ESC or BEL byte"
	fi
	[[ $(wc -l <"$out") -eq 4 ]] || fail "expected header, event, why and fix lines, got $(wc -l <"$out")"
	grep -q '^    why: dac: ' "$out" || fail "no why: line"
	grep -qF -- "fix: give uid 4242 access: \`chown 4242 \$'$dir/x\\x0a\\x1b]0;pwn\\x07; rm -rf ~.lock'\`" "$out" ||
		fail "the fix line does not quote the path: $(grep fix: "$out")"
}

# A lock file whose name holds U+009B (CSI: with "2J" a terminal clears
# its screen) and U+202E (RLO: the rest of the name reads backwards):
# refused to uid 4242, then shown by the live text view with --explain,
# recorded, and reported as text and Markdown. No output has either
# character raw (grep for their bytes, C locale); each shows them escaped,
# the fix quotes the name so a shell makes it exactly, and the recording
# keeps the exact name (\u escapes that decode to it).
case_terminal_controls() {
	local dir=$1 f pid out=$ART/lt.out rec=$dir/rec.jsonl name esc re file
	name=$'status\xc2\x9b2J\xe2\x80\xaekcol.lock'
	esc='status\u009b2J\u202ekcol.lock'
	re="${dir//./\\.}/${esc//\\/\\\\}"
	f=$dir/$name
	make_private "$f" || return 1
	wl_start w "$dir/go" --uid 4242 --comm ltw-term open "$f" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" --explain -w -o "$rec" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	lt_sync rt report -f text "$rec"
	((LT_RC == 0)) || fail "report -f text: exit $LT_RC"
	lt_sync rm report -f markdown "$rec"
	((LT_RC == 0)) || fail "report -f markdown: exit $LT_RC"
	for file in "$out" "$rec" "$ART/rt.out" "$ART/rm.out"; do
		grep -q $'\xc2\x9b' "$file" && fail "${file##*/}: a raw U+009B (bytes c2 9b)"
		grep -q $'\xe2\x80\xae' "$file" && fail "${file##*/}: a raw U+202E (bytes e2 80 ae)"
	done
	grep -q "ltw-term .*$re  *EACCES" "$out" || fail "text view: no line with the name escaped ($esc)"
	grep -q "^    why: dac: mode 0600 uid 0 gid 0 on $re gives other" "$out" ||
		fail "--explain: no why: line with the name escaped"
	grep -qF "fix: give uid 4242 access: \`chown 4242 \$'$dir/status\\xc2\\x9b2J\\xe2\\x80\\xaekcol.lock'\`" "$out" ||
		fail "--explain: the fix does not quote the name exactly: $(grep fix: "$out")"
	expect_jq "the recording keeps the exact name" "$rec" 'length == 1 and .[0].path == $p' --arg p "$f"
	grep -qF "\"path\":\"$dir/$esc\"" "$rec" || fail "recording: the name is not \\u-escaped"
	grep -qF "open $dir/$esc -> EACCES [dac] by ltw-term uid 4242" "$ART/rt.out" ||
		fail "report -f text: no group line with the name escaped"
	grep -qF "$esc -> EACCES, cause **dac**" "$ART/rm.out" || fail "report -f markdown: no group line with the name escaped"
}

# A process with its own root (chroot in its own mount namespace, as in a
# container) where /var/lock is an absolute symlink to /run/lock: the cause
# is established inside its root, not on the host's /run/lock; once the
# process is gone, through another live one of its namespace (a sleeper
# standing for the container's init).
case_cause_container() {
	local dir=$1 root=$1/root json=$ART/lt.json pid d
	mkdir -p "$root/run/lock" "$root/var" "$root/usr" "$root/proc" || return 1
	for d in lib lib64 bin sbin; do
		if [[ -L /$d ]]; then
			ln -s "$(readlink "/$d")" "$root/$d"
		elif [[ -d /$d ]]; then
			mkdir "$root/$d"
		fi
	done
	ln -s /run/lock "$root/var/lock" && cp "$LTWORK" "$root/ltwork" || return 1
	: >"$root/run/lock/ctr.lock" && chmod 600 "$root/run/lock/ctr.lock" || return 1
	[[ ! -e /run/lock/ctr.lock ]] || fail "setup: the host has /run/lock/ctr.lock"
	# shellcheck disable=SC2016 # expanded by the inner shell
	wl_launch w unshare -m --propagation private bash -c \
		'for d in usr lib lib64 bin sbin; do [[ -d $1/$d && ! -L $1/$d ]] && mount --bind "/$d" "$1/$d"; done
		 chroot "$1" /usr/bin/sleep 10 & # the container'"'"'s long-lived process
		 exec chroot "$1" /ltwork --go /go --uid 4242 --comm ltw-ctr open /var/lock/ctr.lock rdwr' \
		_ "$root" || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$root/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_cause "dac on the file inside the process's root" "$json" "$pid" \
		'.path == "/var/lock/ctr.lock" and (.cause | .kind == "dac" and .object.path == "/var/lock/ctr.lock" and .object.mode == "0600" and .class == "other")'
}

# Root of a user namespace (uid 0 mapped to 0 only): its capabilities do
# not count over a file owned by uid 5, which is outside its map.
case_cause_userns() {
	local dir=$1 json=$ART/lt.json pid
	: >"$dir/ns.lock" && chown 5:5 "$dir/ns.lock" && chmod 600 "$dir/ns.lock" || return 1
	wl_launch w unshare --user --map-root-user "$LTWORK" --go "$dir/go" --comm ltw-userns \
		open "$dir/ns.lock" rdwr || return 1
	pid=$WL_PID
	lt_start lt --pid "$pid" -j -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result w '^err=EACCES errno=13$'
	expect_cause "capability: root of a user namespace, file outside its map" "$json" "$pid" \
		'.cause | .kind == "capability" and .capability == "CAP_DAC_OVERRIDE" and (.detail | contains("user namespace"))'
}
