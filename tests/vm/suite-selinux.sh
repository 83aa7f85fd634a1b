# SELinux boot (lsm=...,selinux,bpf): a policy where lt_client_t may only
# read lock files of type lt_lock_t. Sourced by tests/vm/init.

mount -t selinuxfs selinuxfs /sys/fs/selinux
cat /vm/policy.33 >/sys/fs/selinux/load
tap $? "selinux: the test policy is loaded"
mkdir -p /locks/se
mount -t tmpfs -o context=system_u:object_r:lt_lock_t tmpfs /locks/se
: >/locks/se/x.lock && chmod 666 /locks/se/x.lock
echo 1 >/sys/fs/selinux/enforce
[ "$(cat /sys/fs/selinux/enforce)" = 1 ]
tap $? "selinux: enforcing"

locktrace probe >/tmp/probe.out 2>&1
sed 's/^/# /' /tmp/probe.out
grep -q '^modules the LSM tier can name *selinux (4), landlock (2)' /tmp/probe.out
tap $? "probe: SELinux and Landlock hook functions found in BTF"

# Run a workload in the confined domain.
confined() {
	sh -c 'echo -n system_u:system_r:lt_client_t >/proc/self/attr/exec && exec "$@"' sh "$@"
}

if lt_start /tmp/se.json --mode lsm -p '/locks/**'; then
	result "selinux: the confined write open is refused" "err=EACCES errno=13" \
		confined ltwork --comm vm-se open /locks/se/x.lock rdwr
	result "selinux: the confined read open is allowed" "ok" \
		confined ltwork --comm vm-se-ro open /locks/se/x.lock rdonly
	result "selinux: an unconfined write open is allowed" "ok" \
		ltwork --comm vm-free open /locks/se/x.lock rdwr
	lt_stop
fi
check "lsm tier: selinux refusal attributed to selinux, with its contexts" /tmp/se.json \
	'map(select(.comm == "vm-se"))[0].cause | .kind == "lsm" and .evidence == "kernel" and .lsm.name == "selinux" and .kernel.check == "security_inode_permission" and .kernel.function == "selinux_inode_permission" and .kernel.object.path == "/locks/se/x.lock" and (.lsm.scontext | contains("lt_client_t")) and (.lsm.tcontext | contains("lt_lock_t")) and .lsm.tclass == "file"'
jq -c 'select(.comm == "vm-se") | .cause' /tmp/se.json 2>/dev/null | sed 's/^/# cause: /'
check "lsm tier: allowed opens are not reported" /tmp/se.json \
	'map(select(.comm == "vm-se-ro" or .comm == "vm-free")) | length == 0'
