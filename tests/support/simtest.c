/*
 * simtest.c — see simtest.h.
 */
#include "simtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

const char *build_root(void)
{
    const char *b = getenv("MCUSIM_BUILD_ROOT");
    return b ? b : ".";
}

const char *source_root(void)
{
    const char *s = getenv("MCUSIM_SOURCE_ROOT");
    return s ? s : "..";
}

const char *fw_path(const char *dir, const char *name, const char *board)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s-%s.elf", build_root(), dir, name, board);
    return path;
}

void fw_run(struct fw_result *r, const char *elf, const char *board, const char *const *args,
            uint64_t max_instructions, bool vector_faults)
{
    memset(r, 0, sizeof *r);
    FILE *out = open_memstream(&r->out, &r->out_len);
    FILE *err = open_memstream(&r->err, &r->err_len);
    struct run_request req;
    run_request_init(&req);
    req.firmware = elf;
    req.board = board;
    int n = 0;
    while (args && args[n])
        n++;
    req.args = (char **)args;
    req.n_args = n;
    if (max_instructions)
        req.max_instructions = max_instructions;
    req.vector_faults = vector_faults;
    req.out = out;
    req.err = err;
    r->setup_failed = run_firmware(&req, &r->outcome) != 0;
    fclose(out);
    fclose(err);
}

void fw_result_free(struct fw_result *r)
{
    run_outcome_free(&r->outcome);
    free(r->out);
    free(r->err);
}

int run_command_capture(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (buf)
        buf[len] = '\0';
    int status = pclose(p);
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
