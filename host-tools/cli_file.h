/* File input and output for the command line.  Every input is hostile: regular files
 * only (or stdin for "-"), no symlinks, bounded sizes.  Outputs are written to a
 * temporary file beside the target and renamed into place only when complete. */
#ifndef UVS_CLI_FILE_H
#define UVS_CLI_FILE_H

#include <stddef.h>
#include <stdint.h>

#define CLI_REASON_MAX 160

/* Reads all of path ("-" = stdin) into a fresh buffer of at most max bytes.  Refuses
 * symlinks, non-regular files and files over max.  Returns 0 with *buf (free it with
 * cli_buf_free, which wipes) and *len, or -1 with a reason. */
int cli_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
                  char reason[CLI_REASON_MAX]);
/* Reads at most max bytes from the start of path (a prefix of a large file, e.g. an
 * SE image); *file_size gets the whole file's size (or the bytes read for stdin). */
int cli_read_prefix(const char *path, size_t max, uint8_t **buf, size_t *len, uint64_t *file_size,
                    char reason[CLI_REASON_MAX]);
/* Reads len bytes at offset off of path into out (exactly, or -1). */
int cli_read_at(const char *path, uint64_t off, uint8_t *out, size_t len, char reason[CLI_REASON_MAX]);
void cli_buf_free(uint8_t *buf, size_t len);

enum cli_write_mode {
    CLI_W_REPLACE = 0,       /* create or atomically replace (mode 0666 & ~umask) */
    CLI_W_SECRET = 1,        /* mode 0600 and never replace an existing file       */
};

/* Writes data to path ("-" = stdout): temporary file in the same directory
 * (O_EXCL|O_NOFOLLOW), fsync, then rename (CLI_W_REPLACE) or link (CLI_W_SECRET, fails
 * if path exists).  Never leaves a partial file.  Returns 0 or -1 with a reason. */
int cli_write_file(const char *path, const void *data, size_t len, enum cli_write_mode mode,
                   char reason[CLI_REASON_MAX]);

/* The same in two steps, so that several outputs change together: stage writes the
 * temporary file (path "-": nothing yet), commit renames or links it into place (or
 * writes stdout), discard drops a staged file.  commit always releases the staging. */
struct cli_staged {
    const char *path;
    char *tmp;                /* the complete temporary file; NULL for "-" */
    const void *data;         /* "-": what commit writes to stdout */
    size_t len;
    enum cli_write_mode mode;
    int doom_slot;            /* cli_doom slot of tmp, -1 if none */
};
int cli_stage_file(struct cli_staged *st, const char *path, const void *data, size_t len,
                   enum cli_write_mode mode, char reason[CLI_REASON_MAX]);
int cli_commit_file(struct cli_staged *st, char reason[CLI_REASON_MAX]);
void cli_discard_file(struct cli_staged *st);

/* On SIGINT, SIGTERM, SIGHUP or SIGQUIT: remove every file registered with cli_doom
 * (staged temporary files are registered while they exist), then die of the signal. */
void cli_cleanup_on_signals(void);
/* Registers path (kept, not copied) for that removal: a slot, or -1 if full. */
int cli_doom(const char *path);
void cli_undoom(int slot);

/* What cli_append_undo needs to take an append back. */
struct cli_append_undo {
    uint64_t old_size;       /* size before the append                        */
    int created;             /* the append created the file                   */
};

/* Appends text to path (created 0666 & ~umask if missing; no symlinks, regular files
 * only), filling undo.  Returns 0 or -1 with a reason. */
int cli_append_file(const char *path, const char *text, struct cli_append_undo *undo, char reason[CLI_REASON_MAX]);
/* Undoes an append: removes the file if the append created it, else truncates it back
 * to its old size (a regular file, no symlink). */
void cli_append_undo(const char *path, const struct cli_append_undo *undo);

/* 1 if path names an existing directory entry (no symlink following), else 0. */
int cli_path_exists(const char *path);

/* 1 if the output paths a and b name the same directory entry however they are spelled
 * ("s" and "./s", "d/s" and "link-to-d/s"): same last component and parent directories
 * that are the same directory.  0 otherwise, also if a parent does not exist. */
int cli_same_entry(const char *a, const char *b);

#endif
