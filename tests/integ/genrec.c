// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * genrec: a synthetic recording for the report's tests, benchmark and fuzzing
 * seeds, shaped like what locktrace record writes (a header, events of every
 * kind with their causes, lock waits, a trailer).
 *
 *   genrec N [SEED [MIX]] > FILE
 *
 * MIX (comma-separated) puts what a hostile recording may hold in place of
 * some of the N events, each new every time:
 *   kinds    a cause kind nobody else has (events 0, 1, 2 of every 10)
 *   collide  a path whose FNV-1a hash has the same low 24 bits as every
 *            other one's: one chain in a table hashed that way (3, 4, 5)
 *   nul      a path with \u0000 in it, after a prefix seen before (6)
 *   big      a path of 1,000,000 bytes (one event in 4000)
 *   deep     a cause with a member nested 10,000 deep (one in 1000)
 *   hostile  all of them
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static const char *const comms[] = { "dotnet", "kudu", "deploy.sh", "nginx", "php-fpm", "cron" };
static const char *const dirs[] = { "/home/site/locks", "/var/lock", "/run/lock/app",
				    "/srv/app/locks" };
static const char *const names[] = { "status.lock", "deploy.lock", "sync.lck",
				     "LOCK",	    "index.lock",  "cache.lock" };

static void ts(char *buf, size_t len, long long us) /* len >= 40 */
{
	time_t sec = (time_t)(us / 1000000);
	struct tm tm;
	char t[24];

	gmtime_r(&sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06lldZ", t, us % 1000000);
}

static void common(long long us, unsigned pid, unsigned uid, const char *comm, const char *ev,
		   const char *sys, const char *path)
{
	char t[40];

	ts(t, sizeof(t), us);
	printf("{\"time\":\"%s\",\"event\":\"%s\",\"syscall\":\"%s\",\"pid\":%u,\"tid\":%u,"
	       "\"ppid\":1,\"uid\":%u,\"gid\":%u,\"euid\":%u,\"egid\":%u,\"fsuid\":%u,\"fsgid\":%u,"
	       "\"auid\":4294967295,\"groups\":[],\"cap_eff\":\"0x0\",\"comm\":\"%s\",\"path\":\"%s\",",
	       t, ev, sys, pid, pid, uid, uid, uid, uid, uid, uid, comm, path);
}

/* ---- hostile events ------------------------------------------------------ */

enum { MIX_KINDS = 1, MIX_COLLIDE = 2, MIX_NUL = 4, MIX_BIG = 8, MIX_DEEP = 16 };

#define FNV_PRIME 1099511628211ULL
#define FNV_BASIS 1469598103934665603ULL
#define COLLIDE_BITS 24
#define COLLIDE_STAGES 20 /* 2^20 paths */
#define BLOCK 4

/* Low COLLIDE_BITS of FNV-1a: they depend only on the low bits of the
 * state and on the bytes, so a collision there stays one whatever follows. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

struct cand {
	uint32_t low;
	char b[BLOCK];
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->low < y->low ? -1 : x->low > y->low;
}

/* A multicollision (Joux): at each stage two blocks that take the state to
 * the same low bits; any choice of one block a stage gives the same hash. */
static char blocks[COLLIDE_STAGES][2][BLOCK];
static const char collide_prefix[] = "/srv/app/locks/c";

static void make_collisions(void)
{
	static const char alpha[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	enum { NC = 1 << 14 };
	struct cand *c = malloc(NC * sizeof(*c));
	uint64_t h = fnv(FNV_BASIS, collide_prefix, sizeof(collide_prefix) - 1);
	uint64_t mask = (1ULL << COLLIDE_BITS) - 1;

	if (!c)
		exit(1);
	for (int st = 0; st < COLLIDE_STAGES; st++) {
		bool done = false;

		while (!done) {
			for (int i = 0; i < NC; i++) {
				uint64_t r = next();

				for (int k = 0; k < BLOCK; k++)
					c[i].b[k] = alpha[(r >> (8 * k)) % (sizeof(alpha) - 1)];
				c[i].low = (uint32_t)(fnv(h, c[i].b, BLOCK) & mask);
			}
			qsort(c, NC, sizeof(*c), cand_cmp);
			for (int i = 1; i < NC && !done; i++) {
				if (c[i].low != c[i - 1].low || !memcmp(c[i].b, c[i - 1].b, BLOCK))
					continue;
				memcpy(blocks[st][0], c[i - 1].b, BLOCK);
				memcpy(blocks[st][1], c[i].b, BLOCK);
				h = fnv(h, c[i].b, BLOCK);
				done = true;
			}
		}
	}
	free(c);
}

/* The i-th colliding path (i < 2^COLLIDE_STAGES). */
static void collide_path(char *buf, unsigned long i)
{
	char *p = buf + sprintf(buf, "%s", collide_prefix);

	for (int st = 0; st < COLLIDE_STAGES; st++, p += BLOCK)
		memcpy(p, blocks[st][(i >> st) & 1], BLOCK);
	strcpy(p, ".lock");
}

static int parse_mix(const char *s)
{
	static const struct {
		const char *name;
		int bit;
	} parts[] = { { "kinds", MIX_KINDS }, { "collide", MIX_COLLIDE }, { "nul", MIX_NUL },
		      { "big", MIX_BIG },     { "deep", MIX_DEEP },	  { "hostile", 31 } };
	int mix = 0;

	while (*s) {
		size_t len = strcspn(s, ","), k;

		for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
			if (strlen(parts[k].name) == len && !strncmp(parts[k].name, s, len))
				break;
		if (k == sizeof(parts) / sizeof(parts[0])) {
			fprintf(stderr, "genrec: unknown MIX part '%.*s'\n", (int)len, s);
			exit(2);
		}
		mix |= parts[k].bit;
		s += len + (s[len] == ',');
	}
	return mix;
}

/* A refused open of @path with cause @kind (both already JSON-safe). */
static void refused(long long us, const char *path, const char *kind, const char *detail)
{
	common(us, 1234, 4242, "dotnet", "open", "openat", path);
	printf("\"flags\":\"O_RDWR\",\"ret\":-13,\"errno\":13,\"error\":\"EACCES\",\"cgroup_id\":1,"
	       "\"mntns\":4026531832,\"userns\":4026531837,\"cause\":{\"kind\":\"%s\","
	       "\"detail\":\"%s\",\"evidence\":\"post-hoc\",\"fix\":\"look at it\"}}\n",
	       kind, detail);
}

/* The hostile event for event i, if MIX puts one there. */
static bool hostile(int mix, long long i, long long us)
{
	static char *big;
	char path[256], kind[64];

	if ((mix & MIX_BIG) && i % 4000 == 7) {
		size_t n = 1000000;

		if (!big && !(big = malloc(n + 1)))
			exit(1);
		snprintf(path, sizeof(path), "/srv/big/%lld/", i);
		memset(big, 'x', n);
		memcpy(big, path, strlen(path));
		big[n] = '\0';
		refused(us, big, "dac", "a long path");
		return true;
	}
	if ((mix & MIX_DEEP) && i % 1000 == 9) {
		char t[40];

		ts(t, sizeof(t), us);
		printf("{\"time\":\"%s\",\"event\":\"open\",\"path\":\"/srv/deep\",\"ret\":-13,"
		       "\"error\":\"EACCES\",\"cause\":{\"kind\":\"dac\",\"x\":",
		       t);
		for (int k = 0; k < 10000; k++)
			putchar('[');
		for (int k = 0; k < 10000; k++)
			putchar(']');
		printf("}}\n");
		return true;
	}
	switch (i % 10) {
	case 0:
	case 1:
	case 2:
		if (!(mix & MIX_KINDS))
			return false;
		snprintf(kind, sizeof(kind), "kind-%lld", i);
		refused(us, "/srv/app/locks/status.lock", kind, "a kind of its own");
		return true;
	case 3:
	case 4:
	case 5:
		if (!(mix & MIX_COLLIDE))
			return false;
		collide_path(path, (unsigned long)(i / 10 * 3 + i % 10 - 3));
		refused(us, path, "dac", "one hash chain");
		return true;
	case 6:
		if (!(mix & MIX_NUL))
			return false;
		snprintf(path, sizeof(path), "/srv/app/locks/status.lock\\u0000%lld", i);
		refused(us, path, "dac", "a NUL in the path");
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	long long n = argc > 1 ? atoll(argv[1]) : 1000, i;
	long long us = 1795000000000000LL; /* 2026-11-19 */
	int mix = argc > 3 ? parse_mix(argv[3]) : 0;
	char t[40];

	if (argc > 2)
		state ^= strtoull(argv[2], NULL, 10) * 0x2545F4914F6CDD1DULL;
	if (mix & MIX_COLLIDE) {
		uint64_t keep = state;

		make_collisions();
		state = keep; /* the ordinary events stay the same */
	}
	ts(t, sizeof(t), us);
	printf("{\"type\":\"header\",\"format\":1,\"host\":\"web-01\",\"kernel\":\"6.1.0-56-cloud-amd64\","
	       "\"locktrace\":\"bench\",\"tier\":\"tracepoint\",\"start\":\"%s\",\"filters\":{\"all\":false,"
	       "\"patterns\":[\"*.lock\"],\"pids\":[],\"uids\":[],\"comms\":[],\"min_wait_ms\":10}}\n",
	       t);
	for (i = 0; i < n; i++) {
		uint64_t r = next();
		const char *comm = comms[r % 6], *dir = dirs[(r >> 8) % 4],
			   *name = names[(r >> 16) % 6];
		unsigned pid = 1000 + (unsigned)((r >> 24) % 500), uid = (r >> 40) % 3 ? 4242 : 33;
		unsigned kind = (unsigned)((r >> 48) % 10);
		char path[128];

		us += 1 + (long long)((r >> 33) % 2000);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (mix && hostile(mix, i, us))
			continue;
		if (kind < 4) {
			common(us, pid, uid, comm, "open", "openat", path);
			printf("\"flags\":\"O_RDWR|O_CREAT\",\"mode\":\"0644\",\"ret\":-13,\"errno\":13,"
			       "\"error\":\"EACCES\",\"cgroup_id\":1,\"mntns\":4026531832,\"userns\":4026531837,"
			       "\"cause\":{\"kind\":\"dac\",\"detail\":\"mode 0600 uid 0 gid 0 on %s gives other "
			       "(uid %u) no rw-; asked rw-\",\"evidence\":\"post-hoc\",\"object\":{\"path\":\"%s\","
			       "\"mode\":\"0600\",\"uid\":0,\"gid\":0,\"ino\":1234},\"want\":\"rw-\",\"class\":\"other\","
			       "\"fix\":\"give uid %u access: `chown %u %s` or `chmod o+rw %s`\"}}\n",
			       path, uid, path, uid, uid, path, path);
		} else if (kind < 7) {
			common(us, pid, uid, comm, "flock", "flock", path);
			printf("\"flags\":\"LOCK_EX|LOCK_NB\",\"fd\":3,\"ino\":99,\"dev\":\"254:0\",\"ret\":-11,"
			       "\"errno\":11,\"error\":\"EWOULDBLOCK\",\"cgroup_id\":1,\"mntns\":4026531832,"
			       "\"userns\":4026531837,\"cause\":{\"kind\":\"lock_held\",\"detail\":\"held by pid %u "
			       "(deploy.sh, uid 0): exclusive flock\",\"evidence\":\"kernel\",\"holders\":[{\"pid\":%u,"
			       "\"uid\":0,\"comm\":\"deploy.sh\",\"type\":\"F_WRLCK\",\"lock\":\"flock\"}],"
			       "\"fix\":\"wait for pid %u (deploy.sh) to release it, or stop it\"}}\n",
			       700 + (unsigned)(r % 3), 700 + (unsigned)(r % 3),
			       700 + (unsigned)(r % 3));
		} else if (kind < 8) {
			common(us, pid, uid, comm, "lock_wait", "flock", path);
			printf("\"flags\":\"LOCK_EX\",\"fd\":3,\"ino\":99,\"dev\":\"254:0\",\"wait_us\":%llu,"
			       "\"holder\":{\"pid\":%u,\"comm\":\"deploy.sh\"},\"ret\":0,\"errno\":0,"
			       "\"cgroup_id\":1,\"mntns\":4026531832,\"userns\":4026531837}\n",
			       (unsigned long long)(10000 + (r >> 20) % 5000000),
			       700 + (unsigned)(r % 3));
		} else {
			common(us, pid, uid, comm, "open", "openat", path);
			printf("\"flags\":\"O_RDONLY\",\"ret\":-2,\"errno\":2,\"error\":\"ENOENT\",\"cgroup_id\":1,"
			       "\"mntns\":4026531832,\"userns\":4026531837,\"cause\":{\"kind\":\"not_found\","
			       "\"detail\":\"no such file or directory: %s is missing\",\"evidence\":\"post-hoc\","
			       "\"missing\":{\"path\":\"%s\"},\"fix\":\"create the missing directory (`mkdir -p %s`) "
			       "or fix the path\"}}\n",
			       dir, dir, dir);
		}
	}
	printf("{\"type\":\"trailer\",\"end\":\"%s\",\"seen\":%lld,\"written\":%lld,\"dropped_kernel\":0,"
	       "\"dropped_write\":0,\"malformed\":0,\"filtered\":0,\"rotations\":0}\n",
	       t, n, n);
	return 0;
}
