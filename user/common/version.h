/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What this build is, and the recording format it writes and reads. */
#ifndef LOCKTRACE_VERSION_H
#define LOCKTRACE_VERSION_H

/* "0.1.0 (abc1234)", from the Makefile. */
#ifndef LT_VERSION
#define LT_VERSION "dev"
#endif

/* The recording's format version: the header line's "format". A reader
 * takes recordings of this version and older. */
#define LT_RECORD_FORMAT 1

#endif /* LOCKTRACE_VERSION_H */
