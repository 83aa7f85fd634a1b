// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * genrec: a synthetic recording for the report's tests, benchmark and fuzzing
 * seeds, shaped like what locktrace record writes (a header, events of every
 * kind with their causes, lock waits, a trailer).
 *
 *   genrec N [SEED] > FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	long long n = argc > 1 ? atoll(argv[1]) : 1000, i;
	long long us = 1795000000000000LL; /* 2026-11-19 */
	char t[40];

	if (argc > 2)
		state ^= strtoull(argv[2], NULL, 10) * 0x2545F4914F6CDD1DULL;
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
