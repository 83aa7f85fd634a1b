/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who a lock file says holds it, from its content: a pid ("4711"), a pid
 * and a host ("4711@web-1", "4711 web-1"), or a JSON object's fields
 * (Kudu writes {"OperationName", "AcquiredDateTime", "StackTrace",
 * "InstanceId"}). Whoever can write the file chooses its bytes: owner.c
 * parses them as hostile input, purely (no I/O), and keeps every field
 * bounded (ownerjson.c reads a JSON object); facts.c reads the file (regular files only, never through a
 * symbolic link, never on the event reader) and says whether the pid lives
 * here.
 */
#ifndef LOCKTRACE_OWNER_H
#define LOCKTRACE_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include "cause.h"

/* Bytes read from a lock file's start, and from its end when it is longer
 * than twice that (a JSON object's last fields follow a long stack trace). */
#define LT_OWNER_READ 4096

/*
 * Parse a lock file's content: head[0..hn) its first bytes, tail[0..tn) its
 * last bytes when the file is longer than what head holds and the two do
 * not meet (tail NULL: head is the whole file). h is zeroed, then filled
 * with what the content names (pid, host, instance_id, operation,
 * acquired; alive, comm and this_host are the caller's). Returns h->form,
 * LT_OWNER_NONE when nothing is recognised.
 */
enum lt_owner_form lt_owner_parse(const char *head, size_t hn, const char *tail, size_t tn,
				  struct lt_owner_hint *h);

/* Does host name the machine called ours: equal ignoring case, or one is
 * the other's first label ("web-1" and "web-1.example.com")? */
bool lt_owner_same_host(const char *host, const char *ours);

/*
 * Is the lock file of this failure worth reading: it is the target, a
 * regular file and not a symbolic link, and the failure is a refused lock
 * call with no holder seen here, an O_CREAT|O_EXCL open that found it, or
 * any failure on a network (or FUSE) filesystem.
 */
bool lt_owner_wanted(const struct lt_cause_input *in);

/* "pid", "pid@host", "pid host", "json"; "none". */
const char *lt_owner_form_name(enum lt_owner_form form);

/* ownerjson.c, for owner.c: the fields of a JSON object whose '{' starts
 * head (a cut anywhere), and of its end in tail (NULL: none), into h. */
void lt_owner_json(const char *head, size_t hn, const char *tail, size_t tn,
		   struct lt_owner_hint *h);
/* "1".."4194304", digits only: the pid, or 0. */
__u32 lt_owner_pid(const char *s, size_t n);
/* A DNS name (or an IPv4 address): 1..253 letters, digits, '-', '.', '_',
 * starting with a letter or digit. Nothing else is kept as a host: a fix
 * names it. */
bool lt_owner_host_ok(const char *s, size_t n);

#endif /* LOCKTRACE_OWNER_H */
