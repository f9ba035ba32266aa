/* Shared by the host-tool and simulator fuzz targets: the input written to a private
 * temporary file (the code under test reads files, so it is fed through one), and
 * the vector directory ($UVS_SHARED, default ../shared). */
#ifndef FUZZ_HOST_TMP_H
#define FUZZ_HOST_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>
#include <fcntl.h>

static char fuzz_dir[64];

/* Removes what is below dirfd (the targets make files and, for simulator state, one
 * level of directories), then closes it. */
static void fuzz_rm_below(int dirfd, int depth)
{
    DIR *d = fdopendir(dirfd);
    struct dirent *e;

    if (d == NULL) {
        close(dirfd);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd, e->d_name, 0) == 0)
            continue;
        int sub = depth < 4 ? openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (sub >= 0) {
            fuzz_rm_below(sub, depth + 1);
            unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
        }
    }
    closedir(d);
}

/* At exit (libFuzzer ends with exit()), the private directory goes away. */
static void fuzz_tmp_cleanup(void)
{
    int fd = open(fuzz_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd >= 0)
        fuzz_rm_below(fd, 0);
    rmdir(fuzz_dir);
}

/* A fresh private directory (once per process), removed at exit. */
static const char *fuzz_tmpdir(void)
{
    if (fuzz_dir[0] == '\0') {
        snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/uvs-fuzz-XXXXXX");
        if (mkdtemp(fuzz_dir) == NULL)
            abort();
        atexit(fuzz_tmp_cleanup);
    }
    return fuzz_dir;
}

/* Writes data to DIR/name (replacing it) and returns the path (static buffer). */
static const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
    f = fopen(path, "wb");
    if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return path;
}

/* $UVS_SHARED/vectors/rel (static buffer). */
static const char *fuzz_vector(const char *rel)
{
    static char path[512];
    const char *base = getenv("UVS_SHARED");

    snprintf(path, sizeof(path), "%s/vectors/%s", base != NULL ? base : "../shared", rel);
    return path;
}

#endif
