# Integration cases for the tracer's safety where users shape what it
# looks at and where its output goes: lock paths that are symbolic links,
# FIFOs and devices; --explain through a symbolic link; --force; a blocked
# standard output interrupted by Ctrl-C; a hostile COLUMNS. Sourced by
# tests/integ/integ.sh, which provides lib.sh, $LT, $LTWORK and $ART.
# jq filters are single-quoted on purpose: their $names are jq variables.
# shellcheck shell=bash disable=SC2016

# opened_targets STRACE-FILE TARGET...: the lines of an `strace -f -y`
# log (open, openat, openat2) that open one of the TARGETs for real: by
# name or through /proc/self/fd/N of a descriptor that names it; an O_PATH
# open opens nothing and does not count.
opened_targets() {
	local log=$1
	shift
	perl -e '
		my %t = map { $_ => 1 } @ARGV;
		my %fd;
		open(my $in, "<", shift @ARGV) or die "$!";
		while (<$in>) {
			next unless /^(?:\d+\s+)?(?:open|openat|openat2)\((.*)\)\s+=\s+(-?\d+)(?:<(.*)>)?\s*$/;
			my ($args, $ret, $got) = ($1, $2, $3);
			my ($p) = $args =~ /"((?:[^"\\]|\\.)*)"/;
			$p //= "";
			my $what = $p =~ m{^/proc/self/fd/(\d+)$} ? ($fd{$1} // $p) : $p;
			print if $args !~ /O_PATH/ && ($t{$what} || ($ret >= 0 && defined $got && $t{$got}));
			$fd{$ret} = $got if $ret >= 0 && defined $got;
		}' "$log" "$@"
}

# A lock path that is not a regular file: a symbolic link (uid 4242's) to
# a character device, one to a FIFO, a FIFO, a character device; and a
# regular file of /proc reached through uid 4242's link to /proc. uid 4242
# creates each O_CREAT|O_EXCL and gets EEXIST. The tracer, watched by
# strace, opens none of them (opening a FIFO wakes its writers, opening a
# device runs its driver: a watchdog reboots; reading some /proc files
# consumes them), and each event says what the object is.
case_pidfile_special() {
	local dir=$1 json=$ART/lt.json st=$ART/strace.log p1 p2 p3 p4 p5 spid bad= log
	mkdir -m 755 "$dir/locks" "$dir/obj" || return 1
	mknod "$dir/obj/null" c 1 3 && mkfifo "$dir/obj/fifo" || return 1
	ln -s "$dir/obj/null" "$dir/locks/dev.lock" && ln -s "$dir/obj/fifo" "$dir/locks/fifo-link.lock" || return 1
	chown -h 4242:4242 "$dir/locks/dev.lock" "$dir/locks/fifo-link.lock" || return 1
	mkfifo "$dir/locks/fifo.lock" && chown 4242:4242 "$dir/locks/fifo.lock" || return 1
	mknod "$dir/locks/chr.lock" c 1 3 || return 1
	ln -s /proc "$dir/locks/proc" && chown -h 4242:4242 "$dir/locks/proc" || return 1
	wl_start w1 "$dir/go" --uid 4242 --comm ltw-devlink open "$dir/locks/dev.lock" wronly creat excl || return 1
	p1=$WL_PID
	wl_start w2 "$dir/go" --uid 4242 --comm ltw-fifolink open "$dir/locks/fifo-link.lock" wronly creat excl || return 1
	p2=$WL_PID
	wl_start w3 "$dir/go" --uid 4242 --comm ltw-fifo open "$dir/locks/fifo.lock" wronly creat excl || return 1
	p3=$WL_PID
	wl_start w4 "$dir/go" --uid 4242 --comm ltw-chr open "$dir/locks/chr.lock" wronly creat excl || return 1
	p4=$WL_PID
	wl_start w5 "$dir/go" --uid 4242 --comm ltw-proc open "$dir/locks/proc/version" wronly creat excl || return 1
	p5=$WL_PID
	lt_start lt --pid "$p1,$p2,$p3,$p4,$p5" -j -o "$json" || return 1
	# One log per thread (-ff): the fact workers open side by side, and a
	# reopen is always in the thread that looked the name up.
	bg_start "$ART/strace.out" "$ART/strace.err" strace -f -ff -y -e trace=open,openat,openat2 -o "$st" -p "$LT_PID"
	spid=$BG_PID
	wait_line "$ART/strace.err" 'attached' 10 "$spid" || {
		fail "strace did not attach to the tracer"
		return 1
	}
	release_and_stop "$dir/go" lt
	wait_exit "$spid" 10 || fail "strace still running after the tracer exited"
	for w in w1 w2 w3 w4 w5; do expect_result "$w" '^err=EEXIST errno=17$'; done
	cat "$st".* >"$st" 2>/dev/null
	grep -q 'openat2(' "$st" || fail "strace saw no openat2 by the tracer: is the log the tracer's? $(head -3 "$st")"
	for log in "$st".*; do
		bad+=$(opened_targets "$log" "$dir/obj/null" "$dir/obj/fifo" "$dir/locks/fifo.lock" "$dir/locks/chr.lock" /proc/version)
	done
	[[ -z $bad ]] || fail "the tracer opened a device, a FIFO or a /proc file: $bad"
	expect_jq "five events, one per workload" "$json" '[.[].pid] | sort == ($all | sort)' \
		--argjson all "[$p1,$p2,$p3,$p4,$p5]" || return 1
	expect_cause "link to a device: a symbolic link of uid 4242, to what, not read through" "$json" "$p1" \
		'.cause | .object.path == $l and .object.symlink == {"target": $t, "uid": 4242, "gid": 4242} and
			.object.type == "chardev" and (.detail | contains("symbolic link") and contains($t) and contains("character device 1:3"))' \
		--arg l "$dir/locks/dev.lock" --arg t "$dir/obj/null"
	expect_cause "link to a FIFO: says so" "$json" "$p2" \
		'.cause | .object.symlink.target == $t and .object.symlink.uid == 4242 and .object.type == "fifo" and
			(.detail | contains("symbolic link") and contains("FIFO"))' \
		--arg t "$dir/obj/fifo"
	expect_cause "a FIFO: says so, and whose" "$json" "$p3" \
		'.cause | .object.path == $l and (.object | has("symlink") | not) and .object.type == "fifo" and .object.uid == 4242 and
			(.detail | contains("FIFO") and contains("uid 4242"))' \
		--arg l "$dir/locks/fifo.lock"
	expect_cause "a character device: says so" "$json" "$p4" \
		'.cause | .object.type == "chardev" and .object.rdev == "1:3" and (.detail | contains("character device 1:3"))'
	expect_cause "the /proc file: reached through uid 4242's link, not read" "$json" "$p5" \
		'.cause | .object.real_path == "/proc/version" and (has("owner_pid") | not)'
	expect_jq "no owner pid read from any of them" "$json" 'all(.[]; .cause | has("owner_pid") | not)'
	expect_jq "the fix removes the name, never follows it" "$json" \
		'all(.[] | select(.pid != $p5); .cause.fix | test("`rm ") and (test("`ch(own|mod|grp) ") | not))' \
		--argjson p5 "$p5"
}

# --explain through a symbolic link: uid 4242's link in the lock directory
# to a root 0600 file elsewhere. The cause names the link and what it
# points to; the fix never chowns or chmods through it (which would hand
# the file to uid 4242) but says to remove the link. Through a root-owned
# link to a root file, the fix's commands name the real file, not the link.
case_explain_symlink() {
	local dir=$1 json=$ART/lt.json out=$ART/lt.out pu pr before
	mkdir -m 755 "$dir/locks" "$dir/real" || return 1
	printf 'secret\n' >"$dir/secret" && chmod 600 "$dir/secret" || return 1
	ln -s "$dir/secret" "$dir/locks/app.lock" && chown -h 4242:4242 "$dir/locks/app.lock" || return 1
	make_private "$dir/real/app2.lock" && ln -s ../real/app2.lock "$dir/locks/app2.lock" || return 1
	before=$(stat -c '%u %g %a' "$dir/secret")
	wl_start wu "$dir/go" --uid 4242 --comm ltw-ulink open "$dir/locks/app.lock" rdwr || return 1
	pu=$WL_PID
	wl_start wr "$dir/go" --uid 4242 --comm ltw-rlink open "$dir/locks/app2.lock" rdwr || return 1
	pr=$WL_PID
	lt_start lt --pid "$pu,$pr" --explain -w -o "$json" || return 1
	release_and_stop "$dir/go" lt
	expect_result wu '^err=EACCES errno=13$'
	expect_result wr '^err=EACCES errno=13$'
	expect_cause "uid 4242's link: object.symlink names the link's target and owner" "$json" "$pu" \
		'.cause | .kind == "dac" and .object.path == $l and .object.symlink == {"target": $t, "uid": 4242, "gid": 4242} and
			.object.real_path == $t and .object.mode == "0600" and .object.uid == 0 and (.detail | contains("symbolic link"))' \
		--arg l "$dir/locks/app.lock" --arg t "$dir/secret"
	expect_cause "uid 4242's link: no chown/chmod/chgrp/setfacl at all; remove the link" "$json" "$pu" \
		'.cause.fix | (test("`(chown|chmod|chgrp|setfacl) ") | not) and contains("`rm " + $l + "`") and contains("uid 4242")' \
		--arg l "$dir/locks/app.lock"
	expect_cause "root's link: the fix names the real file, never the link" "$json" "$pr" \
		'.cause | .object.symlink.uid == 0 and .object.real_path == $r and
			(.fix | contains("`chown 4242 " + $r + "`") and (test("`[^`]*" + $l) | not) and (test("`chown -h") | not))' \
		--arg l "$dir/locks/app2.lock" --arg r "$dir/real/app2.lock"
	grep -q "fix: .*\`rm $dir/locks/app.lock\`" "$out" || fail "--explain text: no rm of the link: $(grep 'fix:' "$out")"
	if grep -E "fix: .*\`(chown|chmod|chgrp) [^\`]*($dir/locks/app2?\.lock|$dir/secret)" "$out"; then
		fail "--explain text: a chown/chmod through the link or of the secret: $(grep 'fix:' "$out")"
	fi
	[[ $(stat -c '%u %g %a' "$dir/secret") == "$before" ]] || fail "the secret changed"
}

# --force replaces the file rather than truncating it: the new recording
# is a new inode, root's, 0600; uid 4242's old file, held open by a uid
# 4242 process, keeps its content and sees none of the new.
case_force_replace() {
	local dir=$1 f=$1/rec.jsonl hpid ino
	printf 'old content\n' >"$f" && chown 4242:4242 "$f" && chmod 644 "$f" || return 1
	ino=$(stat -c %i "$f")
	bg_start "$ART/holder.out" "$ART/holder.err" setpriv --reuid=4242 --regid=4242 --clear-groups bash -c \
		'exec 3<"$1" || exit 1; echo held; while [[ ! -e $2 ]]; do sleep 0.05; done; cat <&3' _ "$f" "$dir/go"
	hpid=$BG_PID
	wait_line "$ART/holder.out" '^held$' 10 "$hpid" || {
		fail "the uid 4242 holder did not open $f"
		return 1
	}
	timeout -k 2 15 "$LT" --force -o "$f" -d 0.5 -p "$dir/none/**" >"$ART/lt.out" 2>"$ART/lt.err" </dev/null
	LT_RC=$?
	((LT_RC == 0)) || fail "--force -o: exit $LT_RC, expected 0: $(cat "$ART/lt.err")"
	touch "$dir/go"
	wait_exit "$hpid" 10 || fail "the holder did not finish"
	[[ -f $f && ! -L $f ]] || fail "$f is not a regular file"
	[[ $(stat -c '%u %g %a' "$f") == "0 0 600" ]] || fail "--force: the recording is $(stat -c '%u %g %a' "$f"), expected root's 0600"
	[[ $(stat -c %i "$f") != "$ino" ]] || fail "--force: the same inode was reused (truncated)"
	head -n 1 "$f" | jq -e '.type == "header"' >/dev/null || fail "--force: no header in the new file"
	[[ $(tail -n +2 "$ART/holder.out") == "old content" ]] ||
		fail "the held descriptor saw: $(tail -n +2 "$ART/holder.out" | head -c 300)"
	[[ -z $(find "$dir" -maxdepth 1 -name '.rec.jsonl*') ]] || fail "a temporary file was left: $(ls -a "$dir")"
}

# Ctrl-C while standard output is blocked (its reader stopped) with events
# pending: the interrupted write is not "standard output gone". Once the
# reader goes on, every event is printed, then the summary, exit 0.
case_stdout_eintr() {
	local dir=$1 fifo=$1/out.fifo pid rpid n=3000 i sc lines
	mkdir -m 755 "$dir/b" && mkfifo "$fifo" || return 1
	bg_start "$ART/reader.out" "$ART/reader.err" bash -c 'exec cat <"$1"' _ "$fifo"
	rpid=$BG_PID
	wl_start w "$dir/go" --comm ltw-eintr burst "$dir/b" "$n" || return 1
	pid=$WL_PID
	bg_start "$fifo" "$ART/lt.err" env --default-signal=INT,TERM "$LT" --pid "$pid" -w
	LT_PID=$BG_PID
	wait_line "$ART/lt.err" '^locktrace: tracing' 20 "$LT_PID" || {
		fail "no 'locktrace: tracing' line"
		return 1
	}
	kill -STOP "$rpid"
	touch "$dir/go"
	wl_finish "$pid" w
	WL_PENDING=()
	# Wait until the tracer sits in write(2) to the full pipe.
	for ((i = 0; i < 200; i++)); do
		read -r sc _ <"/proc/$LT_PID/syscall" 2>/dev/null
		[[ $sc == 1 ]] && break
		sleep 0.05
	done
	[[ $sc == 1 ]] || fail "setup: the tracer is not blocked writing (syscall ${sc:-?})"
	kill -INT "$LT_PID"
	sleep 0.5
	kill -CONT "$rpid"
	if ! wait_exit "$LT_PID" 15; then
		fail "the tracer still runs 15 s after SIGINT"
		return 1
	fi
	wait "$LT_PID"
	LT_RC=$?
	wait_exit "$rpid" 5
	((LT_RC == 0)) || fail "exit $LT_RC, expected 0"
	grep -q 'standard output' "$ART/lt.err" && fail "an interrupted write was taken for a closed standard output: $(cat "$ART/lt.err")"
	grep -Eq "^locktrace: $n events seen, $n printed, 0 dropped\$" "$ART/lt.err" ||
		fail "summary: expected $n seen and printed: $(grep -v '^locktrace: tracing' "$ART/lt.err")"
	lines=$(grep -c "ltw-eintr" "$ART/reader.out")
	((lines == n)) || fail "the reader got $lines of the $n events"
}

# COLUMNS=2000000000: the text view is clamped (README: 1024 columns);
# no line is padded beyond it.
case_columns() {
	local dir=$1 fifo=$1/out.fifo pid longest
	make_private "$dir/status.lock" && mkfifo "$fifo" || return 1
	bg_start "$ART/lt.out" "$ART/head.err" bash -c 'exec head -c 1000000 <"$1"' _ "$fifo"
	wl_start w "$dir/go" --uid 4242 --comm ltw-cols open "$dir/status.lock" rdwr || return 1
	pid=$WL_PID
	bg_start "$fifo" "$ART/lt.err" env COLUMNS=2000000000 --default-signal=INT,TERM "$LT" --pid "$pid"
	LT_PID=$BG_PID
	wait_line "$ART/lt.err" '^locktrace: tracing' 20 "$LT_PID" || {
		fail "no 'locktrace: tracing' line"
		return 1
	}
	release_and_stop "$dir/go" lt
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$ART/lt.out")
	((longest > 100 && longest <= 1024 + 512)) || fail "longest line $longest bytes, expected at most 1024 + 512"
	grep -q 'ltw-cols' "$ART/lt.out" || fail "no event line"
	grep -Eq '^locktrace: 1 events seen, 1 printed, 0 dropped$' "$ART/lt.err" ||
		fail "summary: expected 1 seen and printed: $(tail -n 2 "$ART/lt.err")"
}
