#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static int label_char_ok(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           strchr("#+-.:=@_", c) != NULL || c >= 0x80;
}

int disk_spec_path(const char *root, const char *spec, char *out, size_t cap)
{
    const char *dir = NULL, *val = spec;
    size_t n;

    if (strncmp(spec, "LABEL=", 6) == 0) {
        dir = "/dev/disk/by-label/";
        val = spec + 6;
    } else if (strncmp(spec, "UUID=", 5) == 0) {
        dir = "/dev/disk/by-uuid/";
        val = spec + 5;
    }
    if (!dir)
        return fmt(out, cap, "%s%s", root, spec);
    if (fmt(out, cap, "%s%s", root, dir) != 0)
        return -1;
    n = strlen(out);
    for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
        if (label_char_ok(*p) && *p != '/') {
            if (n + 2 > cap)
                return -1;
            out[n++] = (char)*p;
        } else {
            if (n + 5 > cap)
                return -1;
            snprintf(out + n, 5, "\\x%02x", *p);
            n += 4;
        }
        out[n] = 0;
    }
    return 0;
}

int open_subdir(int base, const char *relpath)
{
    char comp[256];
    const char *p = relpath;
    int fd = dup(base);

    while (fd >= 0 && *p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int next;
        if (n == 0 || n >= sizeof(comp)) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = 0;
        next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        p += n;
        while (*p == '/')
            p++;
    }
    return fd;
}

int disk_open(const char *root, const char *spec, unsigned timeout, const char *mnt, int *dirfd,
              int *mounted, char *why, size_t wl)
{
    static const char *const fstypes[] = DISK_FSTYPES;
    char path[EARLY_PATH_MAX];
    struct stat st;
    struct timespec start, now;
    int err = 0;

    *dirfd = -1;
    *mounted = 0;
    if (disk_spec_path(root, spec, path, sizeof(path)) != 0) {
        snprintf(why, wl, "device name too long");
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (stat(path, &st) == 0)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= (time_t)timeout)
            return 1;
        {
            struct timespec d = { 0, 100 * 1000 * 1000 };
            nanosleep(&d, NULL);
        }
    }
    if (S_ISDIR(st.st_mode)) {
        *dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (*dirfd < 0) {
            snprintf(why, wl, "%s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!S_ISBLK(st.st_mode)) {
        snprintf(why, wl, "%s: not a block device or directory", path);
        return -1;
    }
    if (mkdir(mnt, 0700) != 0 && errno != EEXIST) {
        snprintf(why, wl, "%s: %s", mnt, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++) {
        /* ext4: "noload" so a hostile disk's journal is never replayed (no write at all). */
        const char *data = strcmp(fstypes[i], "ext4") == 0 ? "noload" : NULL;
        if (mount(path, mnt, fstypes[i], MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC, data) == 0) {
            *mounted = 1;
            break;
        }
        /* Keep the most telling error: EINVAL (wrong filesystem) and ENODEV (type not in
         * this kernel) only when nothing better was seen. */
        if (err == 0 || (errno != EINVAL && errno != ENODEV) ||
            (err == ENODEV && errno == EINVAL))
            err = errno;
    }
    if (!*mounted) {
        snprintf(why, wl, "%s: cannot mount read-only as vfat, iso9660 or ext4: %s", path,
                 strerror(err));
        return -1;
    }
    *dirfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*dirfd < 0) {
        snprintf(why, wl, "%s: %s", mnt, strerror(errno));
        umount2(mnt, MNT_DETACH);
        *mounted = 0;
        return -1;
    }
    return 0;
}

void disk_close(const char *mnt, int dirfd, int mounted)
{
    if (dirfd >= 0)
        close(dirfd);
    if (mounted)
        umount2(mnt, MNT_DETACH);
}
