/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ABI: open flags as the kernel numbers them, shared by both sides (through
 * locktrace.h). */
#ifndef LOCKTRACE_OFLAGS_H
#define LOCKTRACE_OFLAGS_H

/* Open flags as the kernel numbers them (octal; lt_event.open_flags), for
 * the BPF side, decoding and the decision alike. */
#define LT_O_ACCMODE 03
#define LT_O_RDONLY 00
#define LT_O_WRONLY 01
#define LT_O_RDWR 02
#define LT_O_CREAT 0100
#define LT_O_EXCL 0200
#define LT_O_NOCTTY 0400
#define LT_O_TRUNC 01000
#define LT_O_APPEND 02000
#define LT_O_NONBLOCK 04000
#define LT_O_DSYNC 010000
#if defined(__aarch64__) || defined(__TARGET_ARCH_arm64)
#define LT_O_DIRECTORY 040000
#define LT_O_NOFOLLOW 0100000
#define LT_O_DIRECT 0200000
#define LT_O_LARGEFILE 0400000
#else /* x86_64 */
#define LT_O_DIRECT 040000
/* Set by the kernel itself for every open on a 64-bit kernel. */
#define LT_O_LARGEFILE 0100000
#define LT_O_DIRECTORY 0200000
#define LT_O_NOFOLLOW 0400000
#endif
#define LT_O_NOATIME 01000000
#define LT_O_CLOEXEC 02000000
#define LT_O___SYNC 04000000
#define LT_O_SYNC (LT_O___SYNC | LT_O_DSYNC)
#define LT_O_PATH 010000000
#define LT_O___TMPFILE 020000000
#define LT_O_TMPFILE (LT_O___TMPFILE | LT_O_DIRECTORY)

#endif /* LOCKTRACE_OFLAGS_H */
