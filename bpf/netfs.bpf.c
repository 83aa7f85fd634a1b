// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * locktrace's network filesystem evidence: programs on the cifs client's
 * own tracepoints, which say what the server answered (bpf/smb3.bpf.h).
 * A BPF object of its own, loaded only while the module is loaded and its
 * BTF is there, at start or when it appears later; it shares the tracer's
 * maps and its .data.remote section (bpf/maps.bpf.h), where the tracer's
 * system-call exit finds the answers (bpf/netfs.bpf.h). BTF raw
 * tracepoints against the module's BTF: no tracefs needed. Each program
 * reads its tracepoint's arguments by position; bpf/netfs.def says how
 * many each expects, and the loader keeps those whose count the module's
 * BTF confirms. Observe only.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "locktrace.h"
#include "smb3.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/smb3_cmd_err")
int BPF_PROG(lt_smb3_cmd_err, __u32 tid, __u64 sesid, __u16 cmd, __u64 mid, __u32 status, int rc)
{
	return lt_on_smb3_cmd_err(tid, sesid, cmd, mid, status, rc);
}

SEC("tp_btf/smb3_open_err")
int BPF_PROG(lt_smb3_open_err, unsigned int xid, __u32 tid, __u64 sesid, int create_options,
	     int desired_access, int rc)
{
	return lt_on_smb3_op_err(LT_ROP_OPEN, 0, tid, sesid, rc);
}

SEC("tp_btf/smb3_set_eof_err")
int BPF_PROG(lt_smb3_set_eof_err, unsigned int xid, __u32 tid, __u64 sesid, int rc)
{
	return lt_on_smb3_op_err(LT_ROP_SET_EOF, 0, tid, sesid, rc);
}

SEC("tp_btf/smb3_exit_err")
int BPF_PROG(lt_smb3_exit_err, unsigned int xid, const char *func, int rc)
{
	return lt_on_smb3_exit_err(func, rc);
}

SEC("tp_btf/smb3_lock_err")
int BPF_PROG(lt_smb3_lock_err_5, unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, int rc)
{
	return lt_on_smb3_op_err(LT_ROP_LOCK, fid, tid, sesid, rc);
}

SEC("tp_btf/smb3_lock_err")
int BPF_PROG(lt_smb3_lock_err_9, unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, __u64 offset,
	     __u64 len, __u32 flags, __u32 num_lock, int rc)
{
	return lt_on_smb3_op_err(LT_ROP_LOCK, fid, tid, sesid, rc);
}

SEC("tp_btf/smb3_read_err")
int BPF_PROG(lt_smb3_read_err_7, unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, __u64 offset,
	     __u32 len, int rc)
{
	return lt_on_smb3_rw_err(LT_ROP_READ, fid, tid, sesid, offset, len, rc);
}

SEC("tp_btf/smb3_write_err")
int BPF_PROG(lt_smb3_write_err_7, unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, __u64 offset,
	     __u32 len, int rc)
{
	return lt_on_smb3_rw_err(LT_ROP_WRITE, fid, tid, sesid, offset, len, rc);
}

SEC("tp_btf/smb3_read_err")
int BPF_PROG(lt_smb3_read_err_9, unsigned int rreq_debug_id, unsigned int rreq_debug_index,
	     unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, __u64 offset, __u32 len, int rc)
{
	return lt_on_smb3_rw_err(LT_ROP_READ, fid, tid, sesid, offset, len, rc);
}

SEC("tp_btf/smb3_write_err")
int BPF_PROG(lt_smb3_write_err_9, unsigned int rreq_debug_id, unsigned int rreq_debug_index,
	     unsigned int xid, __u64 fid, __u32 tid, __u64 sesid, __u64 offset, __u32 len, int rc)
{
	return lt_on_smb3_rw_err(LT_ROP_WRITE, fid, tid, sesid, offset, len, rc);
}
