/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ltwork: the workload the integration tests trace; what its files share. */
#ifndef LTWORK_H
#define LTWORK_H

#define CREAT_MODE 0600

extern const char *prog;

/* main.c */
void usage(void) __attribute__((noreturn));

/* what every subcommand uses (util.c) */
void landlock_no_writes(void);
void bad(const char *what, const char *arg) __attribute__((noreturn));
void result(long ret, int err);
void setup_failed(const char *what, int err) __attribute__((noreturn));
long long parse_num(const char *what, const char *s, long long min, long long max);
int parse_open_flags2(int argc, char **argv, unsigned long long *resolve);
int parse_open_flags(int argc, char **argv);
void sleep_ms(long ms);
void wait_for_go(const char *file);
void set_identity(long long uid, long long gid);
long sys_openat(int dirfd, const char *name, int flags);
int open_or_die(const char *path, int flags);

/* opens (open.c) */
int cmd_open(int argc, char **argv);
int cmd_sys_open(int argc, char **argv);
int cmd_creat(int argc, char **argv);
int cmd_openat2(int argc, char **argv);
int cmd_openat(int argc, char **argv);
int cmd_burst(int argc, char **argv);
int cmd_repeat(int argc, char **argv);

/* lock calls and holders (lock.c) */
int cmd_flock(int argc, char **argv);
long setlk_at(void *where, int fd, int cmd, short type, long long start, long long len, int f64);
long setlk_nr(int cmd, int f64);
long setlk(int fd, int cmd, short type, long long start, long long len);
int cmd_setlk(int argc, char **argv);
int cmd_getlk(int argc, char **argv);
void hold(int fd, long long ms, void (*release)(int fd));
int cmd_hold_flock(int argc, char **argv);
int cmd_hold_fcntl(int argc, char **argv);
int cmd_hold_ranges(int argc, char **argv);
int cmd_hold_flocks(int argc, char **argv);
int cmd_flock_burst(int argc, char **argv);
int cmd_holds(int argc, char **argv);

/* blocking calls (wait.c) */
int cmd_vanish(int argc, char **argv);
int cmd_badptr(int argc, char **argv);
int cmd_waits(int argc, char **argv);
int cmd_crowd(int argc, char **argv);

/* I/O after open (io.c) */
int cmd_io(int argc, char **argv);
int cmd_dotnet(int argc, char **argv);

#endif /* LTWORK_H */
