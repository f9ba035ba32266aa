/* Untrusted request sources: a config disk or the boot media given as LABEL=, UUID=,
 * a device path, or (tests, virtiofs) a directory path used as is. */
#ifndef EARLY_DISK_H
#define EARLY_DISK_H

#include <stddef.h>

/* Filesystems tried, in order, when mounting a block device read-only. */
#define DISK_FSTYPES { "vfat", "iso9660", "ext4" }

/* Path of the device node for spec under root (LABEL=x -> ROOT/dev/disk/by-label/x with
 * udev's \xNN escaping).  0, or -1 if it does not fit. */
int disk_spec_path(const char *root, const char *spec, char *out, size_t cap);

/* Waits up to timeout seconds for spec to appear, then mounts it read-only (nodev,
 * nosuid, noexec) on mnt, or uses it directly when it is a directory.  Returns an fd of
 * the top directory (O_DIRECTORY) and sets *mounted; 1 if it never appeared; -1 with
 * why on any other failure. */
int disk_open(const char *root, const char *spec, unsigned timeout, const char *mnt, int *dirfd,
              int *mounted, char *why, size_t why_len);
void disk_close(const char *mnt, int dirfd, int mounted);

/* Opens relpath below base one component at a time, refusing symlinks everywhere.
 * fd or -1 (errno). */
int open_subdir(int base, const char *relpath);

#endif
