/*
 * periph_stm32_pwr_flash.c — the power controller and the flash interface
 * of the STM32L4+ (RM0432 §5 PWR, §3 FLASH) and the STM32F7 (RM0385 §4
 * PWR, §3 FLASH): the two blocks start-up code programs before raising
 * the clock.
 *
 * PWR: a change of the voltage scaling range (L4+ CR1.VOS) raises
 * SR2.VOSF for `vos_us` (VOSF clear means the regulator is ready); the
 * L4+ boost mode (CR5.R1MODE) is a plain bit.  On the F7, CR1.ODEN and
 * ODSWEN raise CSR1.ODRDY and ODSWRDY after `od_us`, and CSR1.VOSRDY reads
 * ready.  Everything else is plain registers.
 *
 * FLASH ACR: LATENCY sets the wait states of the cycle model, and on the
 * L4+ ICEN and DCEN turn the ART's instruction and data caches (whose
 * geometry the board file gives) on and off.  The F7's ART serves only
 * the ITCM interface, which the board's memory map does not use, so only
 * LATENCY matters there.  The board file describes the flash as start-up
 * code leaves it: its timing holds until firmware writes ACR, and then
 * follows ACR (the run reports it).  The registers read their silicon
 * reset values until written.  Programming and erasing flash are not
 * modelled (CR.LOCK reads locked; the unmodelled mode reports the rest).
 */
#include "periph.h"

#include <string.h>

struct plain_reg {
    uint16_t off;
    uint32_t reset, writable;
};

#define MAX_REGS 32

/* ---- PWR ---- */

static const struct plain_reg l4_pwr[] = {
    {0x00, 0x00000200, 0x00004707}, /* CR1: LPMS, DBP, VOS, LPR */
    {0x04, 0x00000000, 0x000007FF}, /* CR2 */
    {0x08, 0x00008000, 0x0000871F}, /* CR3 */
    {0x0C, 0x00000000, 0x0000031F}, /* CR4 */
    {0x10, 0x00000000, 0},          /* SR1 */
    {0x14, 0x00000000, 0},          /* SR2: VOSF computed */
    {0x18, 0x00000000, 0},          /* SCR (write 1 to clear SR1 flags) */
    {0x20, 0, 0xFFFFFFFF}, {0x24, 0, 0xFFFFFFFF}, {0x28, 0, 0xFFFFFFFF}, {0x2C, 0, 0xFFFFFFFF}, /* PUCRA/PDCRA.. */
    {0x30, 0, 0xFFFFFFFF}, {0x34, 0, 0xFFFFFFFF}, {0x38, 0, 0xFFFFFFFF}, {0x3C, 0, 0xFFFFFFFF},
    {0x40, 0, 0xFFFFFFFF}, {0x44, 0, 0xFFFFFFFF}, {0x48, 0, 0xFFFFFFFF}, {0x4C, 0, 0xFFFFFFFF},
    {0x50, 0, 0xFFFFFFFF}, {0x54, 0, 0xFFFFFFFF}, {0x58, 0, 0xFFFFFFFF}, {0x5C, 0, 0xFFFFFFFF},
    {0x60, 0, 0xFFFFFFFF}, {0x64, 0, 0xFFFFFFFF},
    {0x80, 0x00000100, 0x00000100}, /* CR5: R1MODE (1: range 1 normal, 0: boost) */
};

static const struct plain_reg f7_pwr[] = {
    {0x00, 0x0000C000, 0x000FEFFF}, /* CR1: ..., VOS, ODEN, ODSWEN, UDEN */
    {0x04, 0x00000000, 0x00000300}, /* CSR1: ready bits computed */
    {0x08, 0x00000000, 0x00003F3F}, /* CR2 */
    {0x0C, 0x00000000, 0x00003F00}, /* CSR2 */
};

enum pwr_kind { PWR_L4, PWR_F7 };

struct pwr {
    enum pwr_kind kind;
    uint32_t vos_us, od_us;
    uint32_t regs[MAX_REGS];
    uint64_t vos_done, od_at, odsw_at; /* cycles: VOSF clears; ODEN / ODSWEN were set (NEVER: clear) */
};

static const struct plain_reg *pwr_table(const struct pwr *w, int *n)
{
    if (w->kind == PWR_L4) {
        *n = sizeof l4_pwr / sizeof l4_pwr[0];
        return l4_pwr;
    }
    *n = sizeof f7_pwr / sizeof f7_pwr[0];
    return f7_pwr;
}

static int reg_index(const struct plain_reg *t, int n, uint32_t off)
{
    for (int i = 0; i < n; i++)
        if (t[i].off == off)
            return i;
    return -1;
}

static int pwr_init(struct periph *p, char *err, size_t errlen)
{
    struct pwr *w = p->state;
    w->kind = !strcmp(p->model->name, "stm32l4-pwr") ? PWR_L4 : PWR_F7;
    /* Typical figures: voltage scaling settles in tens of microseconds,
     * the F7's over-drive mode about as fast. */
    return periph_param_u32(p, "vos_us", 20, &w->vos_us, err, errlen) ||
                   periph_param_u32(p, "od_us", 50, &w->od_us, err, errlen)
               ? -1
               : 0;
}

static void pwr_reset(struct periph *p)
{
    struct pwr *w = p->state;
    int n;
    const struct plain_reg *t = pwr_table(w, &n);
    for (int i = 0; i < n; i++)
        w->regs[i] = t[i].reset;
    w->vos_done = 0;
    w->od_at = w->odsw_at = PERIPH_NEVER;
}

static uint64_t after_us(struct periph *p, uint64_t at, uint32_t us)
{
    return at == PERIPH_NEVER ? PERIPH_NEVER : at + periph_cycles_for(us, 1000000, periph_core_hz(p));
}

static uint32_t pwr_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct pwr *w = p->state;
    int n;
    const struct plain_reg *t = pwr_table(w, &n);
    int i = reg_index(t, n, off);
    if (i < 0)
        return periph_unmodelled_read(p, off, now);
    uint32_t v = w->regs[i];
    if (w->kind == PWR_L4 && off == 0x14 && now < w->vos_done)
        v |= 1u << 10; /* VOSF */
    if (w->kind == PWR_F7 && off == 0x04) {
        v |= 1u << 14; /* VOSRDY */
        if (now >= after_us(p, w->od_at, w->od_us))
            v |= 1u << 16; /* ODRDY */
        if (now >= after_us(p, w->odsw_at, w->od_us))
            v |= 1u << 17; /* ODSWRDY */
    }
    return v;
}

static void pwr_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct pwr *w = p->state;
    int n;
    const struct plain_reg *t = pwr_table(w, &n);
    int i = reg_index(t, n, off);
    if (i < 0) {
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    uint32_t before = w->regs[i];
    w->regs[i] = periph_merge(before, v, mask & t[i].writable);
    uint32_t after = w->regs[i];
    if (w->kind == PWR_L4 && off == 0x00 && ((before ^ after) & (3u << 9)))
        w->vos_done = after_us(p, now, w->vos_us);
    if (w->kind == PWR_F7 && off == 0x00) {
        if ((after & (1u << 16)) && !(before & (1u << 16)))
            w->od_at = now;
        else if (!(after & (1u << 16)))
            w->od_at = PERIPH_NEVER;
        if ((after & (1u << 17)) && !(before & (1u << 17)))
            w->odsw_at = now;
        else if (!(after & (1u << 17)))
            w->odsw_at = PERIPH_NEVER;
    }
}

const struct periph_model periph_stm32l4_pwr = {
    .name = "stm32l4-pwr",
    .summary = "STM32L4+ PWR (RM0432 5): VOS changes raise VOSF while the regulator settles; CR5 boost mode",
    .size = 0x400,
    .state_size = sizeof(struct pwr),
    .params = (const char *const[]){"vos_us", "od_us", NULL},
    .init = pwr_init,
    .reset = pwr_reset,
    .read = pwr_read,
    .write = pwr_write,
};

const struct periph_model periph_stm32f7_pwr = {
    .name = "stm32f7-pwr",
    .summary = "STM32F7 PWR (RM0385 4): over-drive (ODEN/ODSWEN) with ODRDY/ODSWRDY, VOSRDY",
    .size = 0x400,
    .state_size = sizeof(struct pwr),
    .params = (const char *const[]){"vos_us", "od_us", NULL},
    .init = pwr_init,
    .reset = pwr_reset,
    .read = pwr_read,
    .write = pwr_write,
};

/* ---- FLASH ---- */

static const struct plain_reg l4_flash[] = {
    {0x00, 0x00000600, 0x00007F0F}, /* ACR */
    {0x04, 0, 0},                   /* PDKEYR */
    {0x08, 0, 0},                   /* KEYR */
    {0x0C, 0, 0},                   /* OPTKEYR */
    {0x10, 0x00000000, 0},          /* SR: never busy */
    {0x14, 0xC0000000, 0},          /* CR: LOCK, OPTLOCK (programming is not modelled) */
    {0x18, 0x00000000, 0},          /* ECCR */
    {0x20, 0xFFEFF8AA, 0},          /* OPTR */
    {0x24, 0xFFFFFFFF, 0}, {0x28, 0xFFFFFFFF, 0}, {0x2C, 0xFFFFFFFF, 0}, {0x30, 0xFFFFFFFF, 0}, /* PCROP, WRP */
    {0x44, 0xFFFFFFFF, 0}, {0x48, 0xFFFFFFFF, 0}, {0x4C, 0xFFFFFFFF, 0}, {0x50, 0xFFFFFFFF, 0},
};

static const struct plain_reg f7_flash[] = {
    {0x00, 0x00000000, 0x00000B0F}, /* ACR */
    {0x04, 0, 0},                   /* KEYR */
    {0x08, 0, 0},                   /* OPTKEYR */
    {0x0C, 0x00000000, 0},          /* SR */
    {0x10, 0x80000000, 0},          /* CR: LOCK */
    {0x14, 0xC0AAFFFD, 0},          /* OPTCR */
    {0x18, 0x00400080, 0},          /* OPTCR1 */
};

struct flash {
    bool l4;
    uint32_t regs[MAX_REGS];
};

static const struct plain_reg *flash_table(const struct flash *f, int *n)
{
    if (f->l4) {
        *n = sizeof l4_flash / sizeof l4_flash[0];
        return l4_flash;
    }
    *n = sizeof f7_flash / sizeof f7_flash[0];
    return f7_flash;
}

static int flash_init(struct periph *p, char *err, size_t errlen)
{
    struct flash *f = p->state;
    (void)err;
    (void)errlen;
    f->l4 = !strcmp(p->model->name, "stm32l4-flash");
    return 0;
}

static void flash_reset(struct periph *p)
{
    struct flash *f = p->state;
    int n;
    const struct plain_reg *t = flash_table(f, &n);
    for (int i = 0; i < n; i++)
        f->regs[i] = t[i].reset;
}

static uint32_t flash_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct flash *f = p->state;
    int n;
    const struct plain_reg *t = flash_table(f, &n);
    int i = reg_index(t, n, off);
    return i < 0 ? periph_unmodelled_read(p, off, now) : f->regs[i];
}

/* ACR written: the cycle model takes the firmware's wait states and caches. */
static void acr_written(struct periph *p, uint32_t acr)
{
    struct flash *f = p->state;
    const struct board_timing *board = &p->board->timing;
    struct board_timing t = *periph_memory_timing(p);
    char why[160];
    t.flash_wait_states = acr & 15;
    if (f->l4) {
        t.icache = (acr & (1u << 9)) && board->icache_bytes;
        t.dcache = (acr & (1u << 10)) && board->dcache_bytes;
        snprintf(why, sizeof why, "FLASH ACR: %u wait states, ART instruction cache %s, data cache %s", acr & 15,
                 t.icache ? "on" : "off", t.dcache ? "on" : "off");
    } else {
        snprintf(why, sizeof why, "FLASH ACR: %u wait states", acr & 15);
    }
    periph_set_memory_timing(p, &t, why);
}

static void flash_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct flash *f = p->state;
    int n;
    const struct plain_reg *t = flash_table(f, &n);
    int i = reg_index(t, n, off);
    if (i < 0 || (!t[i].writable && off != 0x00)) {
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    f->regs[i] = periph_merge(f->regs[i], v, mask & t[i].writable);
    if (off == 0x00)
        acr_written(p, f->regs[i]);
}

const struct periph_model periph_stm32l4_flash = {
    .name = "stm32l4-flash",
    .summary = "STM32L4+ FLASH interface (RM0432 3): ACR LATENCY and ART ICEN/DCEN drive the cycle model",
    .size = 0x400,
    .state_size = sizeof(struct flash),
    .init = flash_init,
    .reset = flash_reset,
    .read = flash_read,
    .write = flash_write,
};

const struct periph_model periph_stm32f7_flash = {
    .name = "stm32f7-flash",
    .summary = "STM32F7 FLASH interface (RM0385 3): ACR LATENCY drives the cycle model's wait states",
    .size = 0x400,
    .state_size = sizeof(struct flash),
    .init = flash_init,
    .reset = flash_reset,
    .read = flash_read,
    .write = flash_write,
};
