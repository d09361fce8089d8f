// The kernel's floor for generation's first run: N small files created in one fresh folder with a given
// system-call pattern, on T threads, nothing else (no CSV, no rendering). Prints wall, user and system seconds.
//
//   cc -O2 -pthread -o genfloor bench/floor/genfloor.c
//   ./genfloor PATTERN DIR [N=100000] [THREADS=1] [BYTES=301]
//
// Patterns (every atomic one keeps "never a partial file under the final name"):
//   tmpfile-stat   openat(dir, ".", O_TMPFILE) + pwrite + linkat(fd, "", dir, name, AT_EMPTY_PATH) + statx(fd) + close (pprov today)
//   tmpfile        the same without the statx
//   excl-rename    openat(dir, ".name.tmp", O_CREAT|O_EXCL) + write + renameat2(RENAME_NOREPLACE) + fstat + close
//   python         open(".name.tmp", O_CREAT|O_TRUNC) + write + close + rename(), by full path (the anchor script's calls, less its lseek/ioctl/fstat)
//   plain          openat(dir, name, O_CREAT|O_EXCL) + write + close: NOT atomic, the absolute floor of creating a file
//   split          tmpfile-stat with the folder's calls on one thread: THREADS workers make and write the unnamed files,
//                  one more thread names them (linkat + statx + close), so no two threads contend for the folder's lock
//   trylock        tmpfile-stat where a thread that finds another naming files (a user-space try-lock) keeps its written
//                  unnamed file for later and goes on; whoever holds the lock names its own kept files
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static const char *pattern, *dirpath;
static int n = 100000, threads = 1, bytes = 301, dirfd_;
static char content[4096];

static void fail(const char *what, const char *name) { fprintf(stderr, "%s %s: %s\n", what, name, strerror(errno)); exit(1); }

static void one(int i)
{
    char name[64], tmp[80], full[4096], fulltmp[4096];
    snprintf(name, sizeof name, "000e%08x.xml", i);
    if (!strcmp(pattern, "tmpfile-stat") || !strcmp(pattern, "tmpfile")) {
        int fd = openat(dirfd_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("open", name);
        if (pwrite(fd, content, bytes, 0) != bytes) fail("pwrite", name);
        if (linkat(fd, "", dirfd_, name, AT_EMPTY_PATH) != 0) fail("linkat", name);
        if (pattern[7] == '-') { struct statx st; if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st)) fail("statx", name); }
        close(fd);
    } else if (!strcmp(pattern, "excl-rename")) {
        snprintf(tmp, sizeof tmp, ".%s.tmp", name);
        int fd = openat(dirfd_, tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("open", tmp);
        if (write(fd, content, bytes) != bytes) fail("write", tmp);
        if (renameat2(dirfd_, tmp, dirfd_, name, RENAME_NOREPLACE) != 0) fail("rename", name);
        struct stat st; if (fstat(fd, &st)) fail("fstat", name);
        close(fd);
    } else if (!strcmp(pattern, "python")) {
        snprintf(fulltmp, sizeof fulltmp, "%s/.%s.tmp", dirpath, name);
        snprintf(full, sizeof full, "%s/%s", dirpath, name);
        int fd = open(fulltmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("open", fulltmp);
        if (write(fd, content, bytes) != bytes) fail("write", fulltmp);
        close(fd);
        if (rename(fulltmp, full) != 0) fail("rename", full);
    } else if (!strcmp(pattern, "plain")) {
        int fd = openat(dirfd_, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("open", name);
        if (write(fd, content, bytes) != bytes) fail("write", name);
        close(fd);
    } else { fprintf(stderr, "unknown pattern %s\n", pattern); exit(2); }
}

// split: unnamed, written files handed from the workers to the one naming thread.
static int *queue; static int head, tail; static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;

static void split_make(int i)
{
    int fd = openat(dirfd_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0) fail("open", ".");
    if (pwrite(fd, content, bytes, 0) != bytes) fail("pwrite", ".");
    pthread_mutex_lock(&qlock);
    queue[2 * tail] = i; queue[2 * tail + 1] = fd; tail++;
    pthread_cond_signal(&qcond);
    pthread_mutex_unlock(&qlock);
}

static void *namer(void *arg)
{
    (void)arg;
    for (int done = 0; done < n; done++) {
        pthread_mutex_lock(&qlock);
        while (head == tail) pthread_cond_wait(&qcond, &qlock);
        int i = queue[2 * head], fd = queue[2 * head + 1]; head++;
        pthread_mutex_unlock(&qlock);
        char name[64];
        snprintf(name, sizeof name, "000e%08x.xml", i);
        if (linkat(fd, "", dirfd_, name, AT_EMPTY_PATH) != 0) fail("linkat", name);
        struct statx st; if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st)) fail("statx", name);
        close(fd);
    }
    return NULL;
}

// trylock: the folder's calls of one thread at a time, without waiting for them.
static pthread_mutex_t namelock = PTHREAD_MUTEX_INITIALIZER;

static void name_one(int i, int fd)
{
    char name[64];
    snprintf(name, sizeof name, "000e%08x.xml", i);
    if (linkat(fd, "", dirfd_, name, AT_EMPTY_PATH) != 0) fail("linkat", name);
    struct statx st; if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st)) fail("statx", name);
    close(fd);
}

static void trylock_run(int t)
{
    int kept[2 * 256], nkept = 0;
    for (int i = t; i < n; i += threads) {
        int fd = openat(dirfd_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("open", ".");
        if (pwrite(fd, content, bytes, 0) != bytes) fail("pwrite", ".");
        kept[2 * nkept] = i; kept[2 * nkept + 1] = fd; nkept++;
        if (nkept == 256) pthread_mutex_lock(&namelock);
        else if (pthread_mutex_trylock(&namelock) != 0) continue;
        for (int k = 0; k < nkept; k++) name_one(kept[2 * k], kept[2 * k + 1]);
        nkept = 0;
        pthread_mutex_unlock(&namelock);
    }
    pthread_mutex_lock(&namelock);
    for (int k = 0; k < nkept; k++) name_one(kept[2 * k], kept[2 * k + 1]);
    pthread_mutex_unlock(&namelock);
}

static void *worker(void *arg)
{
    if (!strcmp(pattern, "trylock")) { trylock_run((int)(long)arg); return NULL; }
    if (!strcmp(pattern, "split")) { for (int i = (int)(long)arg; i < n; i += threads) split_make(i); return NULL; }
    long t = (long)arg;
    // Interleaved, as the worker threads of a batch take rows.
    for (int i = (int)t; i < n; i += threads) one(i);
    return NULL;
}

static double secs(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: %s PATTERN DIR [N] [THREADS] [BYTES]\n", argv[0]); return 2; }
    pattern = argv[1]; dirpath = argv[2];
    if (argc > 3) n = atoi(argv[3]);
    if (argc > 4) threads = atoi(argv[4]);
    if (argc > 5) bytes = atoi(argv[5]);
    for (int i = 0; i < bytes; i++) content[i] = "<flat-profile>\n"[i % 15];
    if (mkdir(dirpath, 0755) != 0) fail("mkdir", dirpath);
    dirfd_ = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t th[64], nm;
    if (!strcmp(pattern, "split")) {
        struct rlimit rl = { 200000, 200000 }; setrlimit(RLIMIT_NOFILE, &rl);
        queue = malloc(sizeof(int) * 2 * n); pthread_create(&nm, NULL, namer, NULL);
    }
    for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, worker, (void *)t);
    for (int t = 0; t < threads; t++) pthread_join(th[t], NULL);
    if (!strcmp(pattern, "split")) pthread_join(nm, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%-12s threads=%d n=%d wall=%.3f user=%.3f sys=%.3f cpu=%.3f us/file(cpu)=%.1f files/s=%.0f\n", pattern, threads, n, wall,
           secs(ru.ru_utime), secs(ru.ru_stime), secs(ru.ru_utime) + secs(ru.ru_stime),
           (secs(ru.ru_utime) + secs(ru.ru_stime)) * 1e6 / n, n / wall);
    return 0;
}
