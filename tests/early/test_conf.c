/* Boot configuration: defaults, conf file, kernel command line (quotes, last wins,
 * unknown keys, value checks), list iteration, safe names.  Also run on s390x. */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "tap.h"

static int cl(struct early_conf *c, const char *s)
{
    char err[256];
    int r = conf_parse_cmdline(c, s, strlen(s), err, sizeof(err));
    if (r)
        printf("# cmdline: %s\n", err);
    return r;
}

static int cf(struct early_conf *c, const char *s, char *err, size_t el)
{
    return conf_parse_file(c, s, strlen(s), err, el);
}

int main(void)
{
    struct early_conf c;
    char err[256], item[64];
    size_t pos;

    conf_defaults(&c);
    conf_finish(&c);
    OK(c.enabled == 1 && strcmp(c.disk, "LABEL=UVSECRETS") == 0 && strcmp(c.dir, "uvsecret") == 0 &&
           strcmp(c.bootdev, "none") == 0 && strcmp(c.bootdir, "sics") == 0 && c.timeout == 10 &&
           c.lock == 1 && c.toc[0] == 0 && c.nose == 0,
       "defaults per the boot contract");
    conf_defaults(&c);
    OK(cl(&c, "root=/dev/vda1 rd.uvsecret.required=luks quiet") == 0, "cmdline with required");
    conf_finish(&c);
    OK(c.nose == 1 && strcmp(c.required, "luks") == 0, "required makes nose=fail the default");
    conf_defaults(&c);
    OK(cl(&c, "rd.uvsecret.required=luks rd.uvsecret.nose=ok") == 0, "explicit nose=ok");
    conf_finish(&c);
    OK(c.nose == 0, "explicit nose wins over the derived default");
    /* A secret to retrieve is needed as much as a required one (its key file feeds
     * cryptsetup): without /dev/uv the boot must not go on to a console prompt. */
    conf_defaults(&c);
    OK(cl(&c, "rd.uvsecret.retrieve=luks") == 0, "cmdline with retrieve");
    conf_finish(&c);
    OK(c.nose == 1, "retrieve makes nose=fail the default");
    /* A long word that is not ours (dyndbg="...") must not fail the boot job; a long
     * rd.uvsecret word still does. */
    {
        static char longline[4096];
        size_t l;
        memcpy(longline, "dyndbg=\"", 8);
        memset(longline + 8, 'x', 2000);
        l = 8 + 2000;
        l += (size_t)snprintf(longline + l, sizeof(longline) - l,
                              " a b\" rd.uvsecret.required=luks quiet");
        conf_defaults(&c);
        OK(conf_parse_cmdline(&c, longline, l, err, sizeof(err)) == 0 &&
               strcmp(c.required, "luks") == 0,
           "a long word not ours (with quoted blanks) is skipped, the words after it read");
        memcpy(longline, "rd.uvsecret.required=", 21);
        memset(longline + 21, 'x', 2000);
        conf_defaults(&c);
        OK(conf_parse_cmdline(&c, longline, 2021, err, sizeof(err)) != 0 &&
               strstr(err, "too long") != NULL,
           "a long rd.uvsecret word is still an error");
    }

    conf_defaults(&c);
    OK(cf(&c, "# comment\n\n disk = LABEL=CFG \ntimeout=3\nlock=0\nretrieve=a,b\n", err, sizeof(err)) == 0,
       "conf file parses");
    OK(strcmp(c.disk, "LABEL=CFG") == 0 && c.timeout == 3 && c.lock == 0, "conf file values");
    OK(cl(&c, "rd.uvsecret.disk=UUID=1234-ABCD rd.uvsecret.timeout=7 rd.uvsecret.timeout=9") == 0 &&
           strcmp(c.disk, "UUID=1234-ABCD") == 0 && c.timeout == 9,
       "command line wins over the file, last word wins");
    OK(cl(&c, "rd.uvsecret.retrieve=\"a b,c\" rd.uvsecret.dir=\"x/y\"") == 0 &&
           strcmp(c.retrieve, "a b,c") == 0 && strcmp(c.dir, "x/y") == 0,
       "quoted values");
    OK(cl(&c, "\"rd.uvsecret.toc=toc.asr\"") == 0 && strcmp(c.toc, "toc.asr") == 0, "quoted word");
    OK(cl(&c, "rd.uvsecret=0") == 0 && c.enabled == 0, "rd.uvsecret=0 disables");
    OK(cl(&c, "rd.uvsecret") == 0 && c.enabled == 1, "bare rd.uvsecret enables");
    OK(cl(&c, "rd.uvsecretx=1 rd.uvsecrets.disk=/x") == 0 && strcmp(c.disk, "UUID=1234-ABCD") == 0,
       "other words with the same prefix are ignored");

    conf_defaults(&c);
    OK(conf_parse_cmdline(&c, "rd.uvsecret.requird=x", 21, err, sizeof(err)) != 0 &&
           strstr(err, "unknown") != NULL,
       "misspelt key is an error (fail closed)");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.timeout=301", 23, err, sizeof(err)) != 0, "timeout > 300 refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.timeout=-1", 22, err, sizeof(err)) != 0, "negative timeout refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.lock=2", 18, err, sizeof(err)) != 0, "lock=2 refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.nose=maybe", 22, err, sizeof(err)) != 0, "nose=maybe refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.dir=../x", 20, err, sizeof(err)) != 0, "dir with .. refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.dir=/abs", 20, err, sizeof(err)) != 0, "absolute dir refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.disk=vda", 20, err, sizeof(err)) != 0, "relative device refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.disk=LABEL=", 23, err, sizeof(err)) != 0, "empty label refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.toc=a/b", 19, err, sizeof(err)) != 0, "toc with a slash refused");
    OK(conf_parse_cmdline(&c, "rd.uvsecret.disk", 16, err, sizeof(err)) != 0, "key without value refused");
    OK(cf(&c, "disk\n", err, sizeof(err)) != 0 && strstr(err, "line 1") != NULL, "line without '=' refused");
    OK(cf(&c, "\n\nbogus=1\n", err, sizeof(err)) != 0 && strstr(err, "line 3") != NULL,
       "unknown key refused with its line number");
    {
        char big[CONF_LIST_MAX + 100];
        memset(big, 'a', sizeof(big));
        memcpy(big, "retrieve=", 9);
        big[sizeof(big) - 1] = 0;
        OK(cf(&c, big, err, sizeof(err)) != 0, "over-long line refused");
    }

    pos = 0;
    {
        const char *list = " a, ,b ,,c";
        int n = 0, ok = 1;
        const char *want[] = { "a", "b", "c" };
        while (conf_list_next(list, &pos, item, sizeof(item)) == 1) {
            ok &= n < 3 && strcmp(item, want[n]) == 0;
            n++;
        }
        OK(ok && n == 3, "comma list: empty items and blanks skipped");
    }
    pos = 0;
    OK(conf_list_next("aaaaaaaaaaaaaaaaaaaa", &pos, item, 8) == -1, "over-long list item refused");
    OK(conf_safe_name("luks-key_1.bin") && !conf_safe_name(".hidden") && !conf_safe_name("a/b") &&
           !conf_safe_name("") && !conf_safe_name("a b"),
       "safe key-file names");
    OK(conf_safe_relpath("a/b") && !conf_safe_relpath("a//b") && !conf_safe_relpath("a/./b") &&
           !conf_safe_relpath("a/") && !conf_safe_relpath("/a") && !conf_safe_relpath("a/../b"),
       "safe relative directories");
    return tap_done();
}
