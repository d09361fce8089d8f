// The whole protection job in C, no runtime: what any implementation of `pprov protect --gzip --key-file` can reach
// on this machine with the same libraries (the zlib-ng inside .NET's libSystem.IO.Compression.Native, OpenSSL 3).
// Per file: open/pread/close the source; gzip it (level 6, a deflate stream set up and torn down per file, as .NET's
// public API does); "Salted__" + a random salt, key and IV by EVP_BytesToKey(MD5, 1 round), AES-256-CBC; SHA-256 of
// the output (pprov prints it); O_TMPFILE + pwrite + linkat from an open folder descriptor + close; one output line.
// Threads: the main thread and THREADS-1 others, one shared index; the lines are printed in input order at the end.
// build: gcc -O2 -pthread -o protect-floor bench/floor/protect-floor.c -lcrypto \
//          -L"$(dirname "$(ls /usr/share/dotnet/shared/Microsoft.NETCore.App/*/libSystem.IO.Compression.Native.so | tail -1)")" \
//          -l:libSystem.IO.Compression.Native.so -Wl,-rpath,"$(dirname "$(ls /usr/share/dotnet/shared/Microsoft.NETCore.App/*/libSystem.IO.Compression.Native.so | tail -1)")"
// usage: protect-floor KEYFILE OUTDIR THREADS LEVEL FILES...   (OUTDIR a fresh, empty folder)
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// libSystem.IO.Compression.Native's stream (pal_zlib.h) and entry points.
typedef struct { uint8_t *nextIn, *nextOut; char *msg; void *internalState; uint32_t availIn, availOut; } PAL_ZStream;
int32_t CompressionNative_DeflateInit2_(PAL_ZStream *s, int32_t level, int32_t method, int32_t windowBits, int32_t memLevel, int32_t strategy);
int32_t CompressionNative_Deflate(PAL_ZStream *s, int32_t flush);
int32_t CompressionNative_DeflateEnd(PAL_ZStream *s);

static unsigned char pass[256]; static int passlen; static int outfd, level; static char **files; static int count;
static atomic_int next; static char *lines; static int *linelen;

static void *work(void *arg) {
  (void)arg;
  unsigned char in[65536], gz[70000], out[70100], kiv[48]; char name[512];
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int i;
  while ((i = atomic_fetch_add(&next, 1)) < count) {
    int fd = open(files[i], O_RDONLY | O_CLOEXEC); int n = pread(fd, in, sizeof in, 0); close(fd);
    PAL_ZStream z = {0};
    CompressionNative_DeflateInit2_(&z, level, 8, 31, 8, 0);               // 31: gzip wrapper, 15-bit window
    z.nextIn = in; z.availIn = n; z.nextOut = gz; z.availOut = sizeof gz;
    CompressionNative_Deflate(&z, 4);                                        // Z_FINISH
    int gl = (int)(sizeof gz - z.availOut); CompressionNative_DeflateEnd(&z);
    memcpy(out, "Salted__", 8); RAND_bytes(out + 8, 8);
    EVP_BytesToKey(EVP_aes_256_cbc(), EVP_md5(), out + 8, pass, passlen, 1, kiv, kiv + 32);
    int l1 = 0, l2 = 0;
    EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, kiv, kiv + 32);
    EVP_EncryptUpdate(c, out + 16, &l1, gz, gl); EVP_EncryptFinal_ex(c, out + 16 + l1, &l2);
    int total = 16 + l1 + l2;
    unsigned char sh[32]; unsigned dl; EVP_Digest(out, total, sh, &dl, EVP_sha256(), NULL);
    int t = openat(outfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666); pwrite(t, out, total, 0);
    const char *base = strrchr(files[i], '/'); base = base ? base + 1 : files[i];
    snprintf(name, sizeof name, "%s", base);
    if (linkat(t, "", outfd, name, AT_EMPTY_PATH)) { perror("linkat"); exit(1); }
    close(t);
    char *L = lines + (size_t)i * 200; int ll = snprintf(L, 200, "Created   %s  (Gzip+OpenSslAes256Cbc, md5, %d bytes, sha256 ", name, total);
    for (int b = 0; b < 32; b++) ll += sprintf(L + ll, "%02x", sh[b]);
    L[ll++] = ')'; L[ll++] = '\n'; linelen[i] = ll;
  }
  EVP_CIPHER_CTX_free(c);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: protect-floor KEYFILE OUTDIR THREADS LEVEL FILES...\n"); return 2; }
  int k = open(argv[1], O_RDONLY); passlen = read(k, pass, sizeof pass); close(k);
  outfd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC); int threads = atoi(argv[3]); level = atoi(argv[4]);
  files = argv + 5; count = argc - 5; lines = malloc((size_t)count * 200); linelen = calloc(count, sizeof(int));
  pthread_t th[16]; for (int t = 1; t < threads; t++) pthread_create(&th[t], NULL, work, NULL);
  work(NULL); for (int t = 1; t < threads; t++) pthread_join(th[t], NULL);
  for (int i = 0; i < count; i++) fwrite(lines + (size_t)i * 200, 1, linelen[i], stdout);
  return 0;
}
