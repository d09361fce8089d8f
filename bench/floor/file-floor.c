// The per-file kernel work of pprov's signing path, without RSA: how cheap can an atomic write of each file be here?
// build: gcc -O2 -pthread -o file-floor bench/floor/file-floor.c
// usage: file-floor VARIANT SRCDIR DSTDIR THREADS   (every *.cnf.xml of SRCDIR; DSTDIR a fresh, empty folder)
// variants:
//   abs      open(abs src) pread close; open(abs dstdir, O_TMPFILE) pwrite linkat(fd,"",AT_FDCWD,abs dst) close   (pprov today)
//   rel      the same relative to open folder descriptors (openat(srcfd,name), openat(dstfd,".",O_TMPFILE), linkat(...,dstfd,name))
//   rename   rel read; openat(dstfd, tmpname, O_CREAT|O_EXCL|O_WRONLY) pwrite close renameat2(NOREPLACE)
//   direct   rel read; openat(dstfd, name, O_CREAT|O_EXCL|O_WRONLY) pwrite close   (NOT atomic: a lower bound only)
//   readonly rel read only
//   writeonly O_TMPFILE rel write+link only (no source read)
//   null     getppid() x 7 per file (the bare system-call cost)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char **names; static int count; static const char *variant, *srcdir, *dstdir; static int threads;
static int srcfd, dstfd;

static void *work(void *arg) {
    long t = (long)arg;
    char buf[65536], path[4096], tmp[320];
    for (int i = t; i < count; i += threads) {
        const char *name = names[i];
        int n = 0;
        if (!strcmp(variant, "null")) { for (int k = 0; k < 7; k++) syscall(SYS_getppid); continue; }
        if (strcmp(variant, "writeonly")) {
            int fd;
            if (!strcmp(variant, "abs")) { snprintf(path, sizeof path, "%s/%s", srcdir, name); fd = open(path, O_RDONLY | O_CLOEXEC); }
            else fd = openat(srcfd, name, O_RDONLY | O_CLOEXEC);
            if (fd < 0) { perror("open src"); exit(1); }
            n = pread(fd, buf, sizeof buf, 0);
            close(fd);
        } else n = 2000;
        if (!strcmp(variant, "readonly")) continue;
        // the .sgn: ~300 bytes of header + payload + 256 signature, as pprov writes
        int len = n + 300;
        char dst[300]; snprintf(dst, sizeof dst, "%s.sgn", name);
        if (!strcmp(variant, "abs") || !strcmp(variant, "rel") || !strcmp(variant, "writeonly")) {
            int fd;
            if (!strcmp(variant, "abs")) fd = open(dstdir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
            else fd = openat(dstfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
            if (fd < 0) { perror("tmpfile"); exit(1); }
            if (pwrite(fd, buf, len, 0) != len) { perror("pwrite"); exit(1); }
            int rc;
            if (!strcmp(variant, "abs")) { snprintf(path, sizeof path, "%s/%s", dstdir, dst); rc = linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH); }
            else rc = linkat(fd, "", dstfd, dst, AT_EMPTY_PATH);
            if (rc) { perror("linkat"); exit(1); }
            close(fd);
        } else if (!strcmp(variant, "rename")) {
            snprintf(tmp, sizeof tmp, ".%s.tmp", dst);
            int fd = openat(dstfd, tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
            if (fd < 0) { perror("create tmp"); exit(1); }
            if (pwrite(fd, buf, len, 0) != len) { perror("pwrite"); exit(1); }
            close(fd);
            if (syscall(SYS_renameat2, dstfd, tmp, dstfd, dst, 1 /*RENAME_NOREPLACE*/)) { perror("renameat2"); exit(1); }
        } else if (!strcmp(variant, "direct")) {
            int fd = openat(dstfd, dst, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
            if (fd < 0) { perror("create"); exit(1); }
            if (pwrite(fd, buf, len, 0) != len) { perror("pwrite"); exit(1); }
            close(fd);
        } else { fprintf(stderr, "unknown variant\n"); exit(2); }
    }
    return NULL;
}

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: floor VARIANT SRCDIR DSTDIR THREADS\n"); return 2; }
    variant = argv[1]; srcdir = argv[2]; dstdir = argv[3]; threads = atoi(argv[4]);
    DIR *d = opendir(srcdir); struct dirent *e; int cap = 1024; names = malloc(cap * sizeof *names);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".cnf.xml")) continue;
        if (count == cap) names = realloc(names, (cap *= 2) * sizeof *names);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    srcfd = open(srcdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); dstfd = open(dstdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct rusage r0, r1; getrusage(RUSAGE_SELF, &r0); double t0 = now();
    pthread_t th[64];
    for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, work, (void *)t);
    for (int t = 0; t < threads; t++) pthread_join(th[t], NULL);
    double t1 = now(); getrusage(RUSAGE_SELF, &r1);
    double u = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6;
    double s = (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    printf("%-9s files %d threads %d: wall %.3f s, user %.3f s, sys %.3f s, CPU %.1f us/file\n", variant, count, threads, t1 - t0, u, s, (u + s) * 1e6 / count);
    return 0;
}
