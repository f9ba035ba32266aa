/* libFuzzer target: `uvsecret-early list` rendering and name lookups (early/cmd_store.c,
 * early/ids.c) over an arbitrary secret-list buffer as the device could hand it back
 * (at most UVCALL_LIST_CAP bytes).  Every such list fits the command's 96 KiB output
 * buffer in every format, and the output is exactly as long as reported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "cmd.h"
#include "ids.h"
#include "uvabi.h"
#include "uvcall.h"

static char out[98304];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = { "human", "yaml", "json" };
    struct uvlist_view v;
    uint8_t *copy, id[32];
    size_t pos;

    if (size > UVCALL_LIST_CAP)
        return 0;
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (uvlist_parse(copy, size, &v) == 0) {
        for (size_t f = 0; f < 3; f++) {
            memset(out, 0x55, sizeof(out));
            if (list_render(&v, formats[f], out, sizeof(out), &pos) != 0 || pos >= sizeof(out) ||
                out[pos] != 0 || strlen(out) != pos)
                abort();
        }
        for (unsigned i = 0; i < v.num_stored; i++) {
            struct uvlist_entry e;
            char name[ID_RENDER_MAX];
            uvlist_entry_at(&v, i, &e);
            id_render(e.id, name);
            if (id_is_text(e.id)) {
                /* A text ID is found by its own name. */
                char txt[33];
                memcpy(txt, e.id, 32);
                txt[32] = 0;
                if (id_find_name(&v, txt, id) < 0)
                    abort();
            }
        }
        (void)id_find_name(&v, "luks-passphrase", id);
    }
    free(copy);
    return 0;
}
