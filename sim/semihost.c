/*
 * semihost.c — Arm semihosting (BKPT 0xAB), as a debugger or QEMU serves it.
 *
 * Operation in r0, parameter block address in r1, result in r0 (Arm
 * "Semihosting for AArch32 and AArch64", version 2).  Enough of it for an
 * unmodified newlib program built with --specs=rdimon.specs: console and
 * file I/O, command line, heap layout, clock and exit.  Every guest pointer
 * is checked against the memory map: a bad one makes the call fail, it can
 * never crash the simulator.  Time is simulated time, so runs stay
 * deterministic.
 */
#include "sim_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
    SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0A,
    SYS_FLEN = 0x0C, SYS_TMPNAM = 0x0D, SYS_REMOVE = 0x0E, SYS_RENAME = 0x0F, SYS_CLOCK = 0x10,
    SYS_TIME = 0x11, SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
    SYS_MCUSIM_MARKER = 0x100, /* mcusim.h on cores without an ITM */
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* ":semihosting-features": magic "SHFB" then feature byte 0:
 * EXIT_EXTENDED (bit 0) and STDOUT_STDERR (bit 1). */
static const uint8_t features[5] = {'S', 'H', 'F', 'B', 0x03};
#define FEATURES_HANDLE (SEMIHOST_MAX_FILES + 1)

int semihost_init(struct sim *s)
{
    struct semihost *h = &s->sh;
    memset(h, 0, sizeof *h);
    if (s->opt.cmdline) {
        h->cmdline = strdup(s->opt.cmdline);
        if (!h->cmdline)
            return -1;
    }
    return 0;
}

void semihost_free(struct sim *s)
{
    struct semihost *h = &s->sh;
    for (int i = 0; i < SEMIHOST_MAX_FILES; i++)
        if (h->files[i] && h->owned[i])
            fclose(h->files[i]);
    free(h->cmdline);
    h->cmdline = NULL;
}

static bool arg(struct sim *s, uint32_t block, int i, uint32_t *v)
{
    const uint8_t *p = sim_host_ptr(s, block + 4u * (uint32_t)i, 4);
    if (!p)
        return false;
    memcpy(v, p, 4);
    return true;
}

static int new_handle(struct semihost *h, FILE *f, bool owned)
{
    for (int i = 1; i < SEMIHOST_MAX_FILES; i++) {
        if (!h->files[i]) {
            h->files[i] = f;
            h->owned[i] = owned;
            return i;
        }
    }
    return -1;
}

static FILE *file_of(struct sim *s, uint32_t handle)
{
    if (handle == 0 || handle >= SEMIHOST_MAX_FILES)
        return NULL;
    return s->sh.files[handle];
}

static uint32_t sys_open(struct sim *s, uint32_t block)
{
    uint32_t name_p, mode, len;
    if (!arg(s, block, 0, &name_p) || !arg(s, block, 1, &mode) || !arg(s, block, 2, &len) || mode > 11)
        return (uint32_t)-1;
    const char *name = (const char *)sim_host_ptr(s, name_p, len + 1);
    if (!name || name[len] != '\0')
        return (uint32_t)-1;
    if (!strcmp(name, ":tt")) {
        /* Modes r = stdin, w = stdout, a = stderr (semihosting v2). */
        FILE *f = mode < 4 ? s->opt.in : mode < 8 ? s->opt.out : s->opt.err;
        int fd = new_handle(&s->sh, f, false);
        return (uint32_t)fd;
    }
    if (!strcmp(name, ":semihosting-features"))
        return mode < 4 ? FEATURES_HANDLE : (uint32_t)-1;
    for (const char *const *a = s->opt.file_alias; a && a[0] && a[1]; a += 2) {
        if (!strcmp(name, a[0])) {
            name = a[1];
            break;
        }
    }
    static const char *const modes[12] = {"r", "rb", "r+", "r+b", "w", "wb", "w+", "w+b",
                                           "a", "ab", "a+", "a+b"};
    FILE *f = fopen(name, modes[mode]);
    if (!f) {
        s->sh.last_errno = errno;
        return (uint32_t)-1;
    }
    int fd = new_handle(&s->sh, f, true);
    if (fd < 0) {
        fclose(f);
        s->sh.last_errno = EMFILE;
    }
    return (uint32_t)fd;
}

static uint32_t sys_write(struct sim *s, uint32_t block)
{
    uint32_t handle, buf, len;
    if (!arg(s, block, 0, &handle) || !arg(s, block, 1, &buf) || !arg(s, block, 2, &len))
        return (uint32_t)-1;
    FILE *f = file_of(s, handle);
    const uint8_t *p = sim_host_ptr(s, buf, len);
    if (!f || (!p && len))
        return len;
    size_t n = len ? fwrite(p, 1, len, f) : 0;
    if (f == s->opt.out || f == s->opt.err)
        fflush(f);
    return len - (uint32_t)n; /* bytes not written */
}

static uint32_t sys_read(struct sim *s, uint32_t block)
{
    uint32_t handle, buf, len;
    if (!arg(s, block, 0, &handle) || !arg(s, block, 1, &buf) || !arg(s, block, 2, &len))
        return (uint32_t)-1;
    uint8_t *p = sim_host_ptr(s, buf, len);
    if (!p && len)
        return (uint32_t)-1;
    if (handle == FEATURES_HANDLE) {
        uint32_t pos = s->sh.features_pos;
        uint32_t n = pos >= sizeof features ? 0 : (uint32_t)sizeof features - pos;
        if (n > len)
            n = len;
        memcpy(p, features + pos, n);
        s->sh.features_pos += n;
        return len - n;
    }
    FILE *f = file_of(s, handle);
    if (!f)
        return (uint32_t)-1;
    if (!len)
        return 0;
    size_t n = fread(p, 1, len, f);
    return len - (uint32_t)n; /* bytes not read */
}

static uint32_t sys_heapinfo(struct sim *s, uint32_t block)
{
    uint32_t out;
    if (!arg(s, block, 0, &out))
        return (uint32_t)-1;
    const struct board_region *ram = board_main_region(&s->board, REGION_RAM);
    uint32_t stack_top = ram->base + ram->size;
    uint32_t stack_limit = stack_top - s->board.stack_bytes;
    uint32_t heap_base = 0, v;
    const struct elf_image *img = s->img;
    /* The heap starts after the image's RAM: the linker's "end" symbol, or
     * the end of the highest segment loaded into RAM. */
    if (img && !elf_image_symbol_addr(img, "end", &v))
        heap_base = v;
    for (int i = 0; img && !heap_base && i < img->n_segs; i++) {
        uint32_t end = img->segs[i].vaddr + img->segs[i].memsz;
        if (end > heap_base && board_region_of(&s->board, img->segs[i].vaddr) == ram)
            heap_base = end;
    }
    if (!heap_base)
        heap_base = ram->base;
    if (img && !elf_image_symbol_addr(img, "__stack_top", &v)) {
        stack_top = v;
        if (!elf_image_symbol_addr(img, "__stack_limit", &v))
            stack_limit = v;
    }
    uint32_t info[4] = {(heap_base + 7) & ~7u, stack_limit, stack_top, stack_limit};
    uint8_t *p = sim_host_ptr(s, out, sizeof info);
    if (!p)
        return (uint32_t)-1;
    memcpy(p, info, sizeof info);
    return 0;
}

static void do_exit(struct sim *s, uint32_t reason, uint32_t subcode, bool extended)
{
    if (reason == ADP_STOPPED_APPLICATION_EXIT)
        s->exit_code = extended ? (int)subcode : 0;
    else
        s->exit_code = 1; /* other stop reasons (RunTimeError...) mean failure, as QEMU does */
    sim_stop(s, SIM_EXITED);
}

void semihost_call(struct sim *s)
{
    uint32_t op, a1, ret = (uint32_t)-1, v0, v1;
    uc_reg_read(s->uc, UC_ARM_REG_R0, &op);
    uc_reg_read(s->uc, UC_ARM_REG_R1, &a1);
    struct semihost *h = &s->sh;
    switch (op) {
    case SYS_OPEN: ret = sys_open(s, a1); break;
    case SYS_CLOSE:
        if (arg(s, a1, 0, &v0)) {
            if (v0 == FEATURES_HANDLE) {
                h->features_pos = 0;
                ret = 0;
            } else if (file_of(s, v0)) {
                if (h->owned[v0])
                    fclose(h->files[v0]);
                h->files[v0] = NULL;
                ret = 0;
            }
        }
        break;
    case SYS_WRITEC: {
        const uint8_t *c = sim_host_ptr(s, a1, 1);
        if (c) {
            fputc(*c, s->opt.out);
            fflush(s->opt.out);
        }
        ret = 0;
        break;
    }
    case SYS_WRITE0: {
        char buf[256];
        for (uint32_t addr = a1;; addr += sizeof buf - 1) {
            int rc = sim_read_string(s, addr, buf, sizeof buf);
            fputs(buf, s->opt.out);
            if (rc || strlen(buf) < sizeof buf - 1)
                break;
        }
        fflush(s->opt.out);
        ret = 0;
        break;
    }
    case SYS_WRITE: ret = sys_write(s, a1); break;
    case SYS_READ: ret = sys_read(s, a1); break;
    case SYS_READC: ret = s->opt.in ? (uint32_t)fgetc(s->opt.in) : (uint32_t)-1; break;
    case SYS_ISERROR: ret = 0; break;
    case SYS_ISTTY:
        ret = arg(s, a1, 0, &v0) && file_of(s, v0) && !h->owned[v0] ? 1 : 0;
        break;
    case SYS_SEEK:
        if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1) && v0 == FEATURES_HANDLE) {
            h->features_pos = v1;
            ret = 0;
        } else if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1) && file_of(s, v0))
            ret = fseek(file_of(s, v0), (long)v1, SEEK_SET) ? (uint32_t)-1 : 0;
        break;
    case SYS_FLEN:
        if (arg(s, a1, 0, &v0) && v0 == FEATURES_HANDLE) {
            ret = sizeof features;
        } else if (arg(s, a1, 0, &v0) && file_of(s, v0) && !h->owned[v0]) {
            ret = 0; /* the console has no length (QEMU answers the same) */
        } else if (arg(s, a1, 0, &v0) && file_of(s, v0) && h->owned[v0]) {
            FILE *f = file_of(s, v0);
            long here = ftell(f);
            if (here >= 0 && !fseek(f, 0, SEEK_END)) {
                ret = (uint32_t)ftell(f);
                fseek(f, here, SEEK_SET);
            }
        }
        break;
    case SYS_REMOVE:
        if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1)) {
            const char *name = (const char *)sim_host_ptr(s, v0, v1 + 1);
            if (name && name[v1] == '\0')
                ret = remove(name) ? (uint32_t)errno : 0;
        }
        break;
    case SYS_CLOCK: /* centiseconds; in integers while the board's clock runs */
        ret = s->clock_source[0] ? (uint32_t)(sim_time_at(s, s->cycles) * 100)
                                 : (uint32_t)(s->cycles * 100 / s->board.clock_hz);
        break;
    case SYS_TIME: /* simulated seconds */
        ret = s->clock_source[0] ? (uint32_t)sim_time_at(s, s->cycles) : (uint32_t)(s->cycles / s->board.clock_hz);
        break;
    case SYS_ERRNO: ret = (uint32_t)h->last_errno; break;
    case SYS_GET_CMDLINE:
        if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1)) {
            const char *cmd = h->cmdline ? h->cmdline : "";
            uint32_t need = (uint32_t)strlen(cmd) + 1;
            uint8_t *buf = sim_host_ptr(s, v0, need);
            uint8_t *lenp = sim_host_ptr(s, a1 + 4, 4);
            if (buf && lenp && need <= v1) {
                memcpy(buf, cmd, need);
                uint32_t n = need - 1;
                memcpy(lenp, &n, 4);
                ret = 0;
            }
        }
        break;
    case SYS_HEAPINFO: ret = sys_heapinfo(s, a1); break;
    case SYS_EXIT:
        /* AArch32: r1 holds the reason itself, not a block. */
        do_exit(s, a1, 0, false);
        return;
    case SYS_EXIT_EXTENDED:
        if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1))
            do_exit(s, v0, v1, true);
        else
            do_exit(s, 0, 0, false);
        return;
    case SYS_ELAPSED: {
        uint8_t *p = sim_host_ptr(s, a1, 8);
        if (p) {
            memcpy(p, &s->cycles, 8); /* little-endian host, little-endian target */
            ret = 0;
        }
        break;
    }
    case SYS_TICKFREQ: ret = s->clock_hz; break;
    case SYS_MCUSIM_MARKER:
        /* A profiling marker: what an ITM stimulus write carries, timed at
         * the BKPT, the last instruction of the running block. */
        if (arg(s, a1, 0, &v0) && arg(s, a1, 1, &v1) && s->has_obs && s->obs.itm) {
            uint32_t idx = s->cur && s->cur->n_insns ? s->cur->n_insns - 1 : 0;
            s->obs.itm(s->obs.ctx, v0, v1, sim_now_at(s, (int)idx), s->insns + idx, s->cur, idx);
            ret = 0;
        }
        break;
    default:
        snprintf(s->message, sizeof s->message, "unsupported semihosting operation 0x%x", op);
        ret = (uint32_t)-1;
        break;
    }
    uc_reg_write(s->uc, UC_ARM_REG_R0, &ret);
}
