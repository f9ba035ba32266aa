/* Shared by the host-tool and simulator fuzz targets: the input written to a private
 * temporary file (the code under test reads files, so it is fed through one), and
 * the vector directory ($UVS_SHARED, default ../shared). */
#ifndef FUZZ_HOST_TMP_H
#define FUZZ_HOST_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh private directory (once per process). */
static const char *fuzz_tmpdir(void)
{
    static char dir[64];

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/uvs-fuzz-XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
    }
    return dir;
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
