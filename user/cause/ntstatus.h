/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What an SMB server answers, in words: the NT statuses a refusal comes
 * with (MS-ERREF 2.3), each with the cause kind it stands for, and the
 * SMB2 commands they answer (MS-SMB2 2.2.1). One table each; names.c and
 * the decision read them, nothing else needs to.
 */
#ifndef LOCKTRACE_NTSTATUS_H
#define LOCKTRACE_NTSTATUS_H

#include <stdbool.h>
#include <linux/types.h>
#include "names.h"

/*
 * X(name, value, kind): kind is the cause the status decides by itself
 * (LT_CAUSE_NONE: it names what happened, the decision goes on from the
 * errno). The kernel's cifs client maps each to an errno
 * (smb2maperror.c); the event carries the one it made.
 */
#define LT_NT_STATUSES(X)                                                          \
	X(STATUS_SUCCESS, 0x00000000, LT_CAUSE_NONE)                               \
	X(STATUS_PENDING, 0x00000103, LT_CAUSE_NONE)                               \
	X(STATUS_BUFFER_OVERFLOW, 0x80000005, LT_CAUSE_NONE)                       \
	X(STATUS_NO_MORE_FILES, 0x80000006, LT_CAUSE_NONE)                         \
	X(STATUS_STOPPED_ON_SYMLINK, 0x8000002D, LT_CAUSE_NONE)                    \
	X(STATUS_UNSUCCESSFUL, 0xC0000001, LT_CAUSE_NONE)                          \
	X(STATUS_NOT_IMPLEMENTED, 0xC0000002, LT_CAUSE_NONE)                       \
	X(STATUS_INVALID_HANDLE, 0xC0000008, LT_CAUSE_NONE)                        \
	X(STATUS_INVALID_PARAMETER, 0xC000000D, LT_CAUSE_NONE)                     \
	X(STATUS_NO_SUCH_FILE, 0xC000000F, LT_CAUSE_NONE)                          \
	X(STATUS_END_OF_FILE, 0xC0000011, LT_CAUSE_NONE)                           \
	X(STATUS_MORE_PROCESSING_REQUIRED, 0xC0000016, LT_CAUSE_NONE)              \
	X(STATUS_ACCESS_DENIED, 0xC0000022, LT_CAUSE_REMOTE_ACCESS_DENIED)         \
	X(STATUS_OBJECT_NAME_INVALID, 0xC0000033, LT_CAUSE_NONE)                   \
	X(STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034, LT_CAUSE_NONE)                 \
	X(STATUS_OBJECT_NAME_COLLISION, 0xC0000035, LT_CAUSE_NONE)                 \
	X(STATUS_OBJECT_PATH_NOT_FOUND, 0xC000003A, LT_CAUSE_NONE)                 \
	X(STATUS_SHARING_VIOLATION, 0xC0000043, LT_CAUSE_REMOTE_SHARING_VIOLATION) \
	X(STATUS_QUOTA_EXCEEDED, 0xC0000044, LT_CAUSE_REMOTE_QUOTA)                \
	X(STATUS_FILE_LOCK_CONFLICT, 0xC0000054, LT_CAUSE_REMOTE_LOCK_CONFLICT)    \
	X(STATUS_LOCK_NOT_GRANTED, 0xC0000055, LT_CAUSE_REMOTE_LOCK_CONFLICT)      \
	X(STATUS_DELETE_PENDING, 0xC0000056, LT_CAUSE_NONE)                        \
	X(STATUS_PRIVILEGE_NOT_HELD, 0xC0000061, LT_CAUSE_REMOTE_ACCESS_DENIED)    \
	X(STATUS_LOGON_FAILURE, 0xC000006D, LT_CAUSE_NONE)                         \
	X(STATUS_RANGE_NOT_LOCKED, 0xC000007E, LT_CAUSE_NONE)                      \
	X(STATUS_DISK_FULL, 0xC000007F, LT_CAUSE_REMOTE_DISK_FULL)                 \
	X(STATUS_INSUFFICIENT_RESOURCES, 0xC000009A, LT_CAUSE_NONE)                \
	X(STATUS_MEDIA_WRITE_PROTECTED, 0xC00000A2, LT_CAUSE_REMOTE_READ_ONLY)     \
	X(STATUS_IO_TIMEOUT, 0xC00000B5, LT_CAUSE_NONE)                            \
	X(STATUS_FILE_IS_A_DIRECTORY, 0xC00000BA, LT_CAUSE_NONE)                   \
	X(STATUS_NOT_SUPPORTED, 0xC00000BB, LT_CAUSE_NONE)                         \
	X(STATUS_NETWORK_NAME_DELETED, 0xC00000C9, LT_CAUSE_NONE)                  \
	X(STATUS_NETWORK_ACCESS_DENIED, 0xC00000CA, LT_CAUSE_REMOTE_ACCESS_DENIED) \
	X(STATUS_BAD_NETWORK_NAME, 0xC00000CC, LT_CAUSE_NONE)                      \
	X(STATUS_DIRECTORY_NOT_EMPTY, 0xC0000101, LT_CAUSE_NONE)                   \
	X(STATUS_NOT_A_DIRECTORY, 0xC0000103, LT_CAUSE_NONE)                       \
	X(STATUS_CANCELLED, 0xC0000120, LT_CAUSE_NONE)                             \
	X(STATUS_CANNOT_DELETE, 0xC0000121, LT_CAUSE_REMOTE_ACCESS_DENIED)         \
	X(STATUS_FILE_CLOSED, 0xC0000128, LT_CAUSE_NONE)                           \
	X(STATUS_USER_SESSION_DELETED, 0xC0000203, LT_CAUSE_NONE)                  \
	X(STATUS_NETWORK_SESSION_EXPIRED, 0xC000035C, LT_CAUSE_NONE)

/* SMB2 commands: X(name, code) */
#define LT_SMB2_COMMANDS(X)    \
	X(NEGOTIATE, 0)        \
	X(SESSION_SETUP, 1)    \
	X(LOGOFF, 2)           \
	X(TREE_CONNECT, 3)     \
	X(TREE_DISCONNECT, 4)  \
	X(CREATE, 5)           \
	X(CLOSE, 6)            \
	X(FLUSH, 7)            \
	X(READ, 8)             \
	X(WRITE, 9)            \
	X(LOCK, 10)            \
	X(IOCTL, 11)           \
	X(CANCEL, 12)          \
	X(ECHO, 13)            \
	X(QUERY_DIRECTORY, 14) \
	X(CHANGE_NOTIFY, 15)   \
	X(QUERY_INFO, 16)      \
	X(SET_INFO, 17)        \
	X(OPLOCK_BREAK, 18)

/* "STATUS_LOCK_NOT_GRANTED" for 0xC0000055; NULL for a status not in the
 * table. */
const char *lt_nt_status_name(__u32 status);
/* The cause kind status stands for by itself; LT_CAUSE_NONE if none. */
enum lt_cause_kind lt_nt_status_kind(__u32 status);
/* A kind some status of the table stands for: the server's own answer. */
bool lt_cause_kind_is_remote(enum lt_cause_kind kind);
/* "LOCK" for 10; NULL past the last command. */
const char *lt_smb2_cmd_name(__u16 cmd);

#endif /* LOCKTRACE_NTSTATUS_H */
