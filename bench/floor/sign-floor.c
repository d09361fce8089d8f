// The whole signing job in C, no runtime: what any implementation of `pprov protect --sign` can reach on this VM.
// Per file (the bytes written are not a valid .sgn: a header of the same size stands in): open/pread/close the source, SHA-1 of (header+payload), RSA-2048 PKCS#1 sign, SHA-256 of the output,
// O_TMPFILE + pwrite + linkat + close, one output line. Threads: the main thread and N-1 others, one shared index.
// build: gcc -O2 -pthread -o sign-floor bench/floor/sign-floor.c -lcrypto
// usage: sign-floor KEY.pem OUTDIR THREADS FILES...   (OUTDIR a fresh, empty folder; compare with openssl speed -multi 2 rsa2048)
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static EVP_PKEY *key; static int outfd; static char **files; static int count; static atomic_int next;
static char *lines; static int *linelen;
static void *work(void *arg) {
  EVP_PKEY *k = EVP_PKEY_dup(key);
  EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(k, NULL); EVP_PKEY_sign_init(c); EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(c, EVP_sha1());
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned char in[65536], out[70000]; char name[512];
  int i;
  while ((i = atomic_fetch_add(&next, 1)) < count) {
    int fd = open(files[i], O_RDONLY | O_CLOEXEC); int n = pread(fd, in, sizeof in, 0); close(fd);
    int h = 400; memset(out, 0x11, h); memcpy(out + h, in, n);             // header stand-in (same size class)
    unsigned char dg[64]; unsigned dl;
    EVP_DigestInit_ex(md, EVP_sha1(), NULL); EVP_DigestUpdate(md, out, h); EVP_DigestUpdate(md, in, n); EVP_DigestFinal_ex(md, dg, &dl);
    size_t sl = 256; EVP_PKEY_sign(c, out + 100, &sl, dg, dl);             // signature into the header
    int total = h + n;
    unsigned char sh[32]; EVP_Digest(out, total, sh, &dl, EVP_sha256(), NULL);
    int t = openat(outfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666); pwrite(t, out, total, 0);
    const char *base = strrchr(files[i], '/'); base = base ? base + 1 : files[i];
    snprintf(name, sizeof name, "%s.sgn", base);
    if (linkat(t, "", outfd, name, AT_EMPTY_PATH)) { perror("linkat"); exit(1); }
    close(t);
    char *L = lines + (size_t)i * 200; int ll = snprintf(L, 200, "Created   %s  (CiscoSgn, %d bytes, sha256 ", name, total);
    for (int b = 0; b < 32; b++) ll += sprintf(L + ll, "%02x", sh[b]);
    L[ll++] = ')'; L[ll++] = '\n'; linelen[i] = ll;
  }
  return NULL;
}
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "r"); key = PEM_read_PrivateKey(f, NULL, NULL, NULL); fclose(f);
  outfd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC); int threads = atoi(argv[3]);
  files = argv + 4; count = argc - 4; lines = malloc((size_t)count * 200); linelen = calloc(count, sizeof(int));
  pthread_t th[16]; for (int t = 1; t < threads; t++) pthread_create(&th[t], NULL, work, NULL);
  work(NULL); for (int t = 1; t < threads; t++) pthread_join(th[t], NULL);
  for (int i = 0; i < count; i++) fwrite(lines + (size_t)i * 200, 1, linelen[i], stdout);
  return 0;
}
