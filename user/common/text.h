/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Strings from outside made safe: UTF-8 checks, text for terminals and
 * pages, JSON strings that are valid whatever bytes they are given. */
#ifndef LOCKTRACE_TEXT_H
#define LOCKTRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* Length of the valid UTF-8 sequence starting s[0..n), n > 0; 0 if the
 * first byte does not start one. */
size_t lt_utf8_seq(const char *s, size_t n);
/* Is s[0..n) valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)? */
bool lt_utf8_valid(const char *s, size_t n);
/* The same as lt_utf8_seq(), and the code point in *cp when there is one. */
size_t lt_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Must code point cp be shown escaped, never as it is, in text a person
 * reads (a terminal, a Markdown or HTML page)? C0 and C1 controls and DEL
 * (ESC U+001B and CSI U+009B start terminal commands), the bidirectional
 * controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: they
 * make text display in another order than it is, one path as another),
 * the invisible characters (soft hyphen U+00AD, U+180E, zero widths
 * U+200B..U+200D, line and paragraph separators U+2028 U+2029, word joiner
 * and invisible operators U+2060..U+2064, U+206A..U+206F, U+FEFF,
 * interlinear annotations U+FFF9..U+FFFB, tags U+E0000..U+E007F: one path
 * would display as another) and noncharacters (U+FDD0..U+FDEF, U+xxFFFE,
 * U+xxFFFF). Every output that shows strings from outside asks this one
 * function.
 */
bool lt_cp_unsafe(uint32_t cp);

/*
 * Append s[0..n) for a terminal, on one line, as valid UTF-8: control
 * bytes, DEL and bytes that are not valid UTF-8 as \xNN, characters
 * lt_cp_unsafe() names as \uXXXX (\UXXXXXXXX past U+FFFF), everything
 * else as it is; '\\' too as \x5c when @backslash (then every escape is
 * unambiguous).
 */
void lt_text_str(struct lt_buf *b, const char *s, size_t n, bool backslash);

/*
 * Append s[0..n) as a quoted JSON string: '"' and '\\' escaped, control
 * bytes as \n, \t ... or \u00XX, DEL as \u007f, the other characters
 * lt_cp_unsafe() names as \uXXXX (a surrogate pair past U+FFFF), and every
 * byte that is not part of valid UTF-8 as U+FFFD. The result is always
 * valid JSON, and shown raw on a terminal, it cannot command it.
 */
void lt_json_str(struct lt_buf *b, const char *s, size_t n);
/* "key": as above, preceded by a comma unless first. */
void lt_json_key(struct lt_buf *b, const char *key, bool *first);
/* Lower-case hex of s[0..n), quoted. */
void lt_json_hex(struct lt_buf *b, const char *s, size_t n);

#endif /* LOCKTRACE_TEXT_H */
