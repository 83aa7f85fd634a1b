// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The command line: the tracer's options and the usage text; see opts.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"
#include "pattern.h"
#include "version.h"

#define LT_RINGBUF_MB_DEFAULT 4
/* Like auditd's priority_boost: a reader that keeps up loses nothing. */
#define LT_NICE_DEFAULT -10
#define LT_RINGBUF_MB_MAX 1024

/* The usage text: a line for each subcommand (LT_COMMANDS), the options.
 * Not clang-formatted: it would break the lines at the commands' macro. */
#define LT_USAGE_LINE(name, usage) "       locktrace " usage "\n"
// clang-format off
const char lt_usage[] =
	"Usage: locktrace [OPTIONS]\n"
	LT_COMMANDS(LT_USAGE_LINE)
	"Trace failed opens and lock calls on lock files, with who made them and why.\n"
	"\n"
	"Filters (applied in the kernel):\n"
	"  -p, --path PATTERN   trace paths matching PATTERN (repeatable). Glob: '*' any\n"
	"                       run without '/', '**' any run, '?' one byte, '\\' escapes.\n"
	"                       No '/': matches the file name. Trailing '/': everything\n"
	"                       below. Default: *.lock *.lck LOCK /var/lock/ /run/lock/\n"
	"                       locks/ and every flock/fcntl lock call\n"
	"  -a, --all            successful calls too (default: failures only)\n"
	"      --pid PID[,PID]  only these processes (repeatable)\n"
	"      --uid UID[,UID]  only these real user ids (repeatable)\n"
	"      --comm NAME      only this command name (repeatable)\n"
	"\n"
	"Output:\n"
	"  -j, --json           JSON Lines on standard output\n"
	"  -o, --output FILE    also write JSON Lines to FILE (new file, mode 0600)\n"
	"      --force          let -o replace an existing regular file\n"
	"      --sync-interval SECS  fsync FILE this often (default 1)\n"
	"      --rotate SIZE    start a new FILE past SIZE bytes (K, M, G); the old\n"
	"                       ones become FILE.1, FILE.2 ...\n"
	"      --keep N         rotated files to keep (default 4)\n"
	"  -w, --wide           text view: never shorten paths\n"
	"  -e, --explain        text view: under each failure, why and the fix\n"
	"  -d, --duration SECS  stop after SECS seconds (default: until Ctrl-C)\n"
	"      --min-wait MS    report blocking lock calls that waited MS or more\n"
	"                       (lock_wait events; default 10)\n"
	"      --ringbuf-size MB  kernel ring buffer, power of two (default 4)\n"
	"      --mode MODE      auto (default), tracepoint or lsm: the tier to use\n"
	"      --attach PLAN    auto (default), fexit, syscalls or raw: where system\n"
	"                       calls' results are caught (locktrace probe says which)\n"
	"      --nice N         run the reader at this nice value (default -10), so\n"
	"                       that it keeps up with a storm of failures\n"
	"      --facts-timeout MS  wait at most MS for a failure's facts (default 250);\n"
	"                       a filesystem that does not answer leaves it unknown\n"
	"\n"
	"Several hosts on one share (report correlates their recordings):\n"
	"      --holders        also report locks taken and let go (lock_acquired,\n"
	"                       lock_released) on network filesystems:\n"
	"                       " LT_HOLDERS_FS_DEFAULT "\n"
	"      --holders-fs TYPE[,TYPE]  these filesystem types instead (the kernel's\n"
	"                       names: tmpfs, ext4 ...); implies --holders\n"
	"      --host NAME      the host the recording's header names (default: the\n"
	"                       host name)\n"
	"  -v, --verbose        libbpf debug messages\n"
	"  -h, --help           this text\n"
	"      --version        version\n"
	"\n"
	"Exit status: 0 ok, 1 tracing failed (privileges, kernel, I/O), 2 bad usage.\n";
// clang-format on
#undef LT_USAGE_LINE

enum {
	OPT_PID = 0x100,
	OPT_UID,
	OPT_COMM,
	OPT_FORCE,
	OPT_VERSION,
	OPT_RINGBUF,
	OPT_MIN_WAIT,
	OPT_MODE,
	OPT_ATTACH,
	OPT_SYNC,
	OPT_ROTATE,
	OPT_KEEP,
	OPT_NICE,
	OPT_FACTS_TIMEOUT,
	OPT_HOLDERS,
	OPT_HOLDERS_FS,
	OPT_HOST,
};

static const struct option long_opts[] = {
	{ "path", required_argument, NULL, 'p' },
	{ "all", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "wide", no_argument, NULL, 'w' },
	{ "explain", no_argument, NULL, 'e' },
	{ "duration", required_argument, NULL, 'd' },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "min-wait", required_argument, NULL, OPT_MIN_WAIT },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "sync-interval", required_argument, NULL, OPT_SYNC },
	{ "rotate", required_argument, NULL, OPT_ROTATE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "nice", required_argument, NULL, OPT_NICE },
	{ "facts-timeout", required_argument, NULL, OPT_FACTS_TIMEOUT },
	{ "holders", no_argument, NULL, OPT_HOLDERS },
	{ "holders-fs", required_argument, NULL, OPT_HOLDERS_FS },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{},
};

static const struct {
	const char *name, *desc;
} attach_plans[] = {
#define LT_ATTACH_ROW(ID, name, desc) [LT_ATTACH_##ID] = { #name, desc },
	LT_ATTACH_PLANS(LT_ATTACH_ROW)
#undef LT_ATTACH_ROW
};

const char *lt_attach_name(enum lt_attach plan)
{
	return plan < LT_ATTACH_COUNT ? attach_plans[plan].name : "?";
}

const char *lt_attach_desc(enum lt_attach plan)
{
	return plan < LT_ATTACH_COUNT ? attach_plans[plan].desc : "?";
}

int lt_attach_parse(const char *s, enum lt_attach *out)
{
	for (int i = 0; i < LT_ATTACH_COUNT; i++) {
		if (!strcmp(s, attach_plans[i].name)) {
			*out = (enum lt_attach)i;
			return 0;
		}
	}
	return -EINVAL;
}

int lt_parse_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return LT_PARSE_ERROR;
}

/* A decimal number in [min, max], the whole string; -EINVAL if not. */
static int parse_u32(const char *s, unsigned long min, unsigned long max, __u32 *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int lt_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A finite number above lo (or at it, if @lo_ok) and at most hi; -EINVAL
 * if not. */
static int parse_double(const char *s, double lo, bool lo_ok, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v < lo || (v == lo && !lo_ok) || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

int lt_parse_id_list(const char *arg, const char *what, unsigned long min, __u32 *list, int *n,
		     int max, char *err, size_t errlen)
{
	const char *p = arg;

	do {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char tok[24];

		if (*n >= max)
			return lt_parse_fail(err, errlen, "too many --%s values (at most %d)", what,
					     max);
		if (len == 0 || len >= sizeof(tok))
			return lt_parse_fail(err, errlen,
					     "invalid --%s '%s': expected numbers >= %lu", what,
					     arg, min);
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (parse_u32(tok, min, UINT32_MAX - 1, &list[*n]))
			return lt_parse_fail(err, errlen,
					     "invalid --%s '%s': expected a number >= %lu", what,
					     tok, min);
		(*n)++;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return LT_PARSE_OK;
}

int lt_parse_fs_list(const char *arg, char (*list)[LT_FSTYPE_LEN], int *n, char *err, size_t errlen)
{
	const char *p = arg;

	do {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (*n >= LT_MAX_HOLDERS_FS)
			return lt_parse_fail(err, errlen,
					     "too many --holders-fs types (at most %d)",
					     LT_MAX_HOLDERS_FS);
		if (len == 0 || len >= LT_FSTYPE_LEN ||
		    strspn(p, "abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789_-") < len)
			return lt_parse_fail(
				err, errlen,
				"invalid --holders-fs '%.*s': a filesystem type as the kernel "
				"names it, 1 to %d letters, digits, '_' or '-' (FUSE is fuse)",
				(int)(len < 64 ? len : 64), p, LT_FSTYPE_LEN - 1);
		memset(list[*n], 0, LT_FSTYPE_LEN);
		memcpy(list[*n], p, len);
		(*n)++;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return LT_PARSE_OK;
}

int lt_parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (*end || v > (~0ULL >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

int lt_parse_opts(int argc, char **argv, bool record, struct lt_opts *opts, char *err,
		  size_t errlen, FILE *out)
{
	bool keep_set = false, fs_set = false;
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->ringbuf_mb = LT_RINGBUF_MB_DEFAULT;
	opts->min_wait_ms = 10;
	opts->record = record;
	opts->sync_interval = 1;
	opts->keep = 4;
	opts->nice = LT_NICE_DEFAULT;
	opts->facts_timeout_ms = LT_FACTS_TIMEOUT_DEFAULT;
	lt_parse_fs_list(LT_HOLDERS_FS_DEFAULT, opts->holders_fs, &opts->nholders_fs, err, errlen);
	optind = 0; /* reset getopt: parse may run more than once (tests) */
	opterr = 0; /* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":p:ajo:wed:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (opts->npatterns >= LT_MAX_PATTERNS)
				return lt_parse_fail(err, errlen, "too many patterns (at most %d)",
						     LT_MAX_PATTERNS);
			if (lt_pattern_compile(optarg, &opts->patterns[opts->npatterns], err,
					       errlen))
				return LT_PARSE_ERROR;
			opts->npatterns++;
			break;
		case 'a':
			opts->all = true;
			break;
		case OPT_PID:
			if (lt_parse_id_list(optarg, "pid", 1, opts->pids, &opts->npids,
					     LT_MAX_PIDS, err, errlen))
				return LT_PARSE_ERROR;
			break;
		case OPT_UID:
			if (lt_parse_id_list(optarg, "uid", 0, opts->uids, &opts->nuids,
					     LT_MAX_UIDS, err, errlen))
				return LT_PARSE_ERROR;
			break;
		case OPT_COMM:
			if (opts->ncomms >= LT_MAX_COMMS)
				return lt_parse_fail(err, errlen,
						     "too many --comm values (at most %d)",
						     LT_MAX_COMMS);
			if (!*optarg || strlen(optarg) >= LT_COMM_LEN)
				return lt_parse_fail(
					err, errlen,
					"invalid --comm '%s': 1 to %d bytes (the kernel keeps "
					"%d)",
					optarg, LT_COMM_LEN - 1, LT_COMM_LEN - 1);
			strncpy(opts->comms[opts->ncomms++], optarg, LT_COMM_LEN - 1);
			break;
		case 'j':
			opts->json = true;
			break;
		case 'o':
			if (!*optarg)
				return lt_parse_fail(err, errlen, "empty --output file name");
			opts->output = optarg;
			break;
		case OPT_FORCE:
			opts->force = true;
			break;
		case 'w':
			opts->wide = true;
			break;
		case 'e':
			opts->explain = true;
			break;
		case 'd':
			if (parse_double(optarg, 0, false, 1e9, &opts->duration))
				return lt_parse_fail(
					err, errlen,
					"invalid --duration '%s': expected seconds > 0", optarg);
			break;
		case OPT_MIN_WAIT:
			if (parse_double(optarg, 0, true, 3.6e6, &opts->min_wait_ms))
				return lt_parse_fail(
					err, errlen,
					"invalid --min-wait '%s': expected milliseconds >= 0",
					optarg);
			break;
		case OPT_MODE:
			if (!strcmp(optarg, "auto"))
				opts->mode = LT_MODE_AUTO;
			else if (!strcmp(optarg, "tracepoint"))
				opts->mode = LT_MODE_TRACEPOINT;
			else if (!strcmp(optarg, "lsm"))
				opts->mode = LT_MODE_LSM;
			else
				return lt_parse_fail(err, errlen,
						     "invalid --mode '%s': auto, tracepoint or lsm",
						     optarg);
			break;
		case OPT_ATTACH:
			if (lt_attach_parse(optarg, &opts->attach))
				return lt_parse_fail(
					err, errlen,
					"invalid --attach '%s': auto, fexit, syscalls or raw",
					optarg);
			break;
		case OPT_RINGBUF:
			if (parse_u32(optarg, 1, LT_RINGBUF_MB_MAX, &opts->ringbuf_mb) ||
			    (opts->ringbuf_mb & (opts->ringbuf_mb - 1)))
				return lt_parse_fail(
					err, errlen,
					"invalid --ringbuf-size '%s': a power of two from 1 to "
					"%d (MiB)",
					optarg, LT_RINGBUF_MB_MAX);
			break;
		case OPT_SYNC:
			if (parse_double(optarg, 0, false, 86400, &opts->sync_interval))
				return lt_parse_fail(
					err, errlen,
					"invalid --sync-interval '%s': expected seconds > 0",
					optarg);
			break;
		case OPT_ROTATE:
			if (lt_parse_size(optarg, &opts->rotate_bytes) || opts->rotate_bytes < 4096)
				return lt_parse_fail(
					err, errlen,
					"invalid --rotate '%s': a size of at least 4096 bytes "
					"(K, M, G suffixes)",
					optarg);
			break;
		case OPT_KEEP:
			if (parse_u32(optarg, 1, 1000, &opts->keep))
				return lt_parse_fail(err, errlen, "invalid --keep '%s': 1 to 1000",
						     optarg);
			keep_set = true;
			break;
		case OPT_NICE: {
			long v;

			if (lt_parse_long(optarg, -20, 19, &v))
				return lt_parse_fail(err, errlen, "invalid --nice '%s': -20 to 19",
						     optarg);
			opts->nice = (int)v;
			break;
		}
		case OPT_FACTS_TIMEOUT: {
			long v;

			if (lt_parse_long(optarg, 1, 60000, &v))
				return lt_parse_fail(
					err, errlen,
					"invalid --facts-timeout '%s': 1 to 60000 (milliseconds)",
					optarg);
			opts->facts_timeout_ms = (__u32)v;
			break;
		}
		case OPT_HOLDERS:
			opts->holders = true;
			break;
		case OPT_HOLDERS_FS:
			if (!fs_set)
				opts->nholders_fs = 0; /* the list given replaces the default */
			fs_set = true;
			opts->holders = true;
			if (lt_parse_fs_list(optarg, opts->holders_fs, &opts->nholders_fs, err,
					     errlen))
				return LT_PARSE_ERROR;
			break;
		case OPT_HOST:
			if (!*optarg || strlen(optarg) > LT_HOST_MAX)
				return lt_parse_fail(err, errlen, "invalid --host: 1 to %d bytes",
						     LT_HOST_MAX);
			opts->host = optarg;
			break;
		case 'v':
			opts->verbose = true;
			break;
		case 'h':
			fputs(lt_usage, out);
			return LT_PARSE_EXIT;
		case OPT_VERSION:
			fprintf(out, "locktrace %s\n", LT_VERSION);
			return LT_PARSE_EXIT;
		case ':':
			return lt_parse_fail(err, errlen,
					     "option '%s' needs an argument (see --help)",
					     argv[optind - 1]);
		default:
			if (optopt)
				return lt_parse_fail(err, errlen,
						     "unknown option '-%c' (see --help)", optopt);
			return lt_parse_fail(err, errlen, "unknown option '%s' (see --help)",
					     argv[optind - 1]);
		}
	}
	if (optind < argc)
		return lt_parse_fail(err, errlen, "unexpected argument '%s' (see --help)",
				     argv[optind]);
	if (opts->force && !opts->output)
		return lt_parse_fail(err, errlen, "--force only applies to --output");
	if (record && !opts->output)
		return lt_parse_fail(err, errlen, "record needs -o FILE");
	if (opts->rotate_bytes && !opts->output)
		return lt_parse_fail(err, errlen, "--rotate only applies to --output");
	if (keep_set && !opts->rotate_bytes)
		return lt_parse_fail(err, errlen, "--keep only applies with --rotate");
	if (opts->host && !opts->output)
		return lt_parse_fail(err, errlen, "--host only applies to --output");
	return LT_PARSE_OK;
}
