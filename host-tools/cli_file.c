/* File input and output for the command line (see cli_file.h). */
#include "cli_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

/* Files to remove if a terminating signal arrives (staged temporary files, and a new
 * secret file until its request is in place).  Plain stores of pointers, read by the
 * handler: a slot is cleared before its string is freed. */
#define DOOMED_MAX 8
static const char *volatile doomed[DOOMED_MAX];

static void on_terminating_signal(int sig)
{
    for (int i = 0; i < DOOMED_MAX; i++)
        if (doomed[i] != NULL)
            unlink(doomed[i]); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_cleanup_on_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_terminating_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

int cli_doom(const char *path)
{
    for (int i = 0; i < DOOMED_MAX; i++)
        if (doomed[i] == NULL) {
            doomed[i] = path;
            return i;
        }
    return -1;
}

void cli_undoom(int slot)
{
    if (slot >= 0 && slot < DOOMED_MAX)
        doomed[slot] = NULL;
}

static void set_reason(char reason[CLI_REASON_MAX], const char *what, int err)
{
    if (err != 0)
        snprintf(reason, CLI_REASON_MAX, "%s: %s", what, strerror(err));
    else
        snprintf(reason, CLI_REASON_MAX, "%s", what);
}

/* Opens an input: "-" is stdin; otherwise O_NOFOLLOW|O_NONBLOCK (a FIFO must not hang
 * the open) and a regular file is required. */
static int open_input(const char *path, uint64_t *size, int *is_stdin, char reason[CLI_REASON_MAX])
{
    struct stat st;
    int fd;

    *size = 0;
    *is_stdin = 0;
    if (strcmp(path, "-") == 0) {
        *is_stdin = 1;
        return STDIN_FILENO;
    }
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            set_reason(reason, "refusing to follow a symbolic link", 0);
        else
            set_reason(reason, "cannot open", errno);
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        set_reason(reason, "cannot stat", errno);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        set_reason(reason, "not a regular file", 0);
        close(fd);
        return -1;
    }
    /* Back to blocking reads for a regular file. */
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *size = (uint64_t)st.st_size;
    return fd;
}

/* Reads up to cap bytes; returns the count or -1. */
static ssize_t read_up_to(int fd, uint8_t *buf, size_t cap)
{
    size_t got = 0;

    while (got < cap) {
        ssize_t r = read(fd, buf + got, cap - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int read_common(const char *path, size_t max, int whole, uint8_t **buf, size_t *len,
                       uint64_t *file_size, char reason[CLI_REASON_MAX])
{
    uint64_t size;
    int is_stdin, fd;
    uint8_t *b;
    size_t cap;
    ssize_t got;

    *buf = NULL;
    *len = 0;
    fd = open_input(path, &size, &is_stdin, reason);
    if (fd < 0)
        return -1;
    if (whole && !is_stdin && size > max) {
        snprintf(reason, CLI_REASON_MAX, "file too large (%llu bytes, at most %zu)",
                 (unsigned long long)size, max);
        close(fd);
        return -1;
    }
    /* One spare byte detects a file that grew or a stdin over the limit. */
    cap = max + 1;
    b = malloc(cap);
    if (b == NULL) {
        set_reason(reason, "out of memory", 0);
        if (!is_stdin)
            close(fd);
        return -1;
    }
    got = read_up_to(fd, b, whole ? cap : max);
    if (!is_stdin)
        close(fd);
    if (got < 0) {
        set_reason(reason, "read error", errno);
        cli_buf_free(b, cap);
        return -1;
    }
    if (whole && (size_t)got > max) {
        snprintf(reason, CLI_REASON_MAX, "file too large (more than %zu bytes)", max);
        cli_buf_free(b, cap);
        return -1;
    }
    if (file_size != NULL)
        *file_size = is_stdin ? (uint64_t)got : size;
    *buf = b;
    *len = (size_t)got;
    return 0;
}

int cli_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
                  char reason[CLI_REASON_MAX])
{
    return read_common(path, max, 1, buf, len, NULL, reason);
}

int cli_read_prefix(const char *path, size_t max, uint8_t **buf, size_t *len, uint64_t *file_size,
                    char reason[CLI_REASON_MAX])
{
    return read_common(path, max, 0, buf, len, file_size, reason);
}

int cli_read_at(const char *path, uint64_t off, uint8_t *out, size_t len, char reason[CLI_REASON_MAX])
{
    uint64_t size;
    int is_stdin, fd;
    size_t got = 0;

    fd = open_input(path, &size, &is_stdin, reason);
    if (fd < 0)
        return -1;
    if (is_stdin) {
        set_reason(reason, "cannot seek in standard input", 0);
        return -1;
    }
    if (off > size || size - off < len) {
        set_reason(reason, "offset past the end of the file", 0);
        close(fd);
        return -1;
    }
    while (got < len) {
        ssize_t r = pread(fd, out + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            set_reason(reason, "read error", r < 0 ? errno : 0);
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    return 0;
}

void cli_buf_free(uint8_t *buf, size_t len)
{
    if (buf == NULL)
        return;
    uvs_wipe(buf, len);
    free(buf);
}

static int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* "dir/.name.XXXXXX" for path "dir/name". */
static char *temp_name(const char *path, unsigned attempt)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash != NULL ? (size_t)(slash - path + 1) : 0;
    const char *base = path + dlen;
    size_t n = strlen(path) + 32;
    char *t = malloc(n);

    if (t == NULL)
        return NULL;
    snprintf(t, n, "%.*s.%s.tmp%ld_%u", (int)dlen, path, base, (long)getpid(), attempt);
    return t;
}

int cli_stage_file(struct cli_staged *st, const char *path, const void *data, size_t len,
                   enum cli_write_mode mode, char reason[CLI_REASON_MAX])
{
    mode_t perm = mode == CLI_W_SECRET ? 0600 : 0666;
    char *tmp = NULL;
    int fd = -1;

    memset(st, 0, sizeof(*st));
    st->doom_slot = -1;
    st->path = path;
    st->mode = mode;
    if (strcmp(path, "-") == 0) { /* written at commit time */
        st->data = data;
        st->len = len;
        return 0;
    }
    if (path[0] == '\0' || path[strlen(path) - 1] == '/') {
        set_reason(reason, "not a file name", 0);
        return -1;
    }
    if (mode == CLI_W_SECRET && cli_path_exists(path)) {
        set_reason(reason, "file exists; refusing to overwrite a secret file", 0);
        return -1;
    }
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        free(tmp);
        tmp = temp_name(path, attempt);
        if (tmp == NULL) {
            set_reason(reason, "out of memory", 0);
            return -1;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perm);
        if (fd < 0 && errno != EEXIST) {
            set_reason(reason, "cannot create", errno);
            free(tmp);
            return -1;
        }
    }
    if (fd < 0) {
        set_reason(reason, "cannot create a temporary file", EEXIST);
        free(tmp);
        return -1;
    }
    st->doom_slot = cli_doom(tmp);
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        set_reason(reason, "write error", errno);
        close(fd);
        goto fail;
    }
    if (close(fd) != 0) {
        set_reason(reason, "write error", errno);
        goto fail;
    }
    st->tmp = tmp;
    return 0;
fail:
    unlink(tmp);
    cli_undoom(st->doom_slot);
    free(tmp);
    return -1;
}

int cli_commit_file(struct cli_staged *st, char reason[CLI_REASON_MAX])
{
    int rc = 0;

    if (st->tmp == NULL) {
        if (st->data != NULL && write_all(STDOUT_FILENO, st->data, st->len) != 0) {
            set_reason(reason, "write error", errno);
            rc = -1;
        }
        st->data = NULL;
        return rc;
    }
    if (st->mode == CLI_W_SECRET) {
        /* link() never replaces: an existing path (or symlink) makes it fail. */
        if (link(st->tmp, st->path) != 0) {
            set_reason(reason, errno == EEXIST ? "file exists; refusing to overwrite a secret file"
                                               : "cannot create",
                       errno == EEXIST ? 0 : errno);
            rc = -1;
        }
    } else if (rename(st->tmp, st->path) != 0) {
        set_reason(reason, "cannot write", errno);
        rc = -1;
    }
    cli_discard_file(st);
    return rc;
}

void cli_discard_file(struct cli_staged *st)
{
    if (st->tmp != NULL) {
        unlink(st->tmp); /* after a rename, nothing; after link(), the extra name */
        cli_undoom(st->doom_slot);
        free(st->tmp);
        st->tmp = NULL;
    }
    st->data = NULL;
}

int cli_write_file(const char *path, const void *data, size_t len, enum cli_write_mode mode,
                   char reason[CLI_REASON_MAX])
{
    struct cli_staged st;

    if (cli_stage_file(&st, path, data, len, mode, reason) != 0)
        return -1;
    return cli_commit_file(&st, reason);
}

int cli_append_file(const char *path, const char *text, struct cli_append_undo *undo, char reason[CLI_REASON_MAX])
{
    const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    struct stat st;
    int fd;

    undo->old_size = 0;
    undo->created = 0;
    /* Create it exclusively first, so that a failure later knows to remove it. */
    fd = open(path, flags | O_CREAT | O_EXCL, 0666);
    if (fd >= 0)
        undo->created = 1;
    else if (errno == EEXIST)
        fd = open(path, flags);
    if (fd < 0) {
        if (errno == ELOOP)
            set_reason(reason, "refusing to follow a symbolic link", 0);
        else
            set_reason(reason, "cannot open for appending", errno);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_reason(reason, "not a regular file", 0);
        close(fd);
        return -1;
    }
    undo->old_size = undo->created ? 0 : (uint64_t)st.st_size;
    if (write_all(fd, text, strlen(text)) != 0) {
        set_reason(reason, "write error", errno);
        close(fd);
        cli_append_undo(path, undo);
        return -1;
    }
    if (close(fd) != 0) {
        set_reason(reason, "write error", errno);
        cli_append_undo(path, undo);
        return -1;
    }
    return 0;
}

void cli_append_undo(const char *path, const struct cli_append_undo *undo)
{
    struct stat st;
    int fd;

    if (undo->created) {
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            unlink(path);
        return;
    }
    fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= undo->old_size)
        (void)ftruncate(fd, (off_t)undo->old_size);
    close(fd);
}

int cli_path_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* Parent directory of path into out ("." without a slash); 0, or -1 if too long. */
static int parent_of(const char *path, char *out, size_t cap, const char **base)
{
    const char *slash = strrchr(path, '/');
    size_t n;

    if (slash == NULL) {
        *base = path;
        snprintf(out, cap, ".");
        return 0;
    }
    *base = slash + 1;
    n = slash == path ? 1 : (size_t)(slash - path); /* "/x": the root */
    if (n >= cap)
        return -1;
    memcpy(out, path, n);
    out[n] = '\0';
    return 0;
}

int cli_same_entry(const char *a, const char *b)
{
    char da[4096], db[4096];
    const char *ba, *bb;
    struct stat sa, sb;

    if (parent_of(a, da, sizeof(da), &ba) != 0 || parent_of(b, db, sizeof(db), &bb) != 0)
        return strcmp(a, b) == 0;
    if (strcmp(ba, bb) != 0)
        return 0;
    if (stat(da, &sa) != 0 || stat(db, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
