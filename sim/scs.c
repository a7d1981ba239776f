/*
 * scs.c — the Private Peripheral Bus: ITM, DWT, SysTick, NVIC and SCB.
 *
 * Unicorn maps no System Control Space, so every core peripheral firmware
 * touches lives here, behind one MMIO region at 0xE0000000 (ARMv7-M ARM
 * chapter B3, ARMv6-M ARM chapter B3).  Registers that depend on time
 * (DWT CYCCNT, SysTick's current value) are computed from the simulated
 * cycle count at the exact reading instruction: MMIO callbacks only know
 * the block, so locate.c finds the instruction inside it.
 *
 * ITM stimulus port writes are forwarded to the observer (profiling
 * markers); port 0 also prints to the console.  The ITM reports itself as
 * enabled, as if a debugger had set it up.
 */
#include "sim_internal.h"

#include <string.h>

#define POLL_CYCLES (1ull << 22)

/* Offsets from 0xE0000000. */
enum {
    ITM_STIM0 = 0x00000, ITM_STIM31 = 0x0007C, ITM_TER = 0x00E00, ITM_TPR = 0x00E40,
    ITM_TCR = 0x00E80, ITM_LSR = 0x00FB4,
    DWT_CTRL = 0x01000, DWT_CYCCNT = 0x01004,
    ICTR = 0x0E004, SYST_CSR = 0x0E010, SYST_RVR = 0x0E014, SYST_CVR = 0x0E018, SYST_CALIB = 0x0E01C,
    NVIC_ISER = 0x0E100, NVIC_ICER = 0x0E180, NVIC_ISPR = 0x0E200, NVIC_ICPR = 0x0E280,
    NVIC_IABR = 0x0E300, NVIC_IPR = 0x0E400, NVIC_IPR_END = 0x0E47F,
    CPUID = 0x0ED00, ICSR = 0x0ED04, VTOR = 0x0ED08, AIRCR = 0x0ED0C, SCR = 0x0ED10, CCR = 0x0ED14,
    SHPR1 = 0x0ED18, SHPR3_END = 0x0ED23, SHCSR = 0x0ED24, CFSR = 0x0ED28, HFSR = 0x0ED2C,
    MMFAR = 0x0ED34, BFAR = 0x0ED38, CPACR = 0x0ED88, DHCSR = 0x0EDF0, DEMCR = 0x0EDFC,
    STIR = 0x0EF00, FPCCR = 0x0EF34, FPCAR = 0x0EF38, MVFR0 = 0x0EF40, MVFR1 = 0x0EF44,
};

uint32_t scs_cpuid(const struct sim *s)
{
    return s->board.core->cpuid;
}

void scs_reset(struct sim *s)
{
    struct scs *c = &s->scs;
    memset(c, 0, sizeof *c);
    c->vtor = s->board.vtor;
    c->ccr = 0x200;           /* STKALIGN */
    c->fpccr = 0xC0000000u;   /* ASPEN | LSPEN */
    c->itm_tcr = 1;           /* ITMENA: as if a debugger enabled the ITM */
    c->itm_ter = 0xFFFFFFFFu;
    for (int i = 0; i < NUM_EXCEPTIONS; i++)
        c->nvic.priority[i] = 0;
}

static bool is_v6m(const struct sim *s)
{
    return s->board.core->arch == CORE_ARCH_V6M;
}

/* The instruction of the running block that made this access. */
static int access_index(struct sim *s, uint32_t addr, bool write)
{
    return s->cur ? locate_access(s, s->cur, addr, write) : -1;
}

/* ---- SysTick ---- */

static uint64_t systick_period(const struct systick *t)
{
    return (uint64_t)(t->reload & 0xFFFFFF) + 1;
}

static bool systick_running(const struct systick *t)
{
    return (t->csr & 1) && (t->reload & 0xFFFFFF);
}

/* First cycle after `after` at which the counter reaches 0. */
static uint64_t systick_next_zero(const struct systick *t, uint64_t after)
{
    uint64_t period = systick_period(t);
    uint64_t first = t->start + (t->reload & 0xFFFFFF);
    if (after < first)
        return first;
    uint64_t k = (after - first) / period + 1;
    return first + k * period;
}

static uint32_t systick_value(const struct systick *t, uint64_t now)
{
    if (!systick_running(t))
        return 0;
    return (uint32_t)((t->reload & 0xFFFFFF) - (now - t->start) % systick_period(t));
}

void scs_tick(struct sim *s)
{
    struct systick *t = &s->scs.systick;
    if (systick_running(t)) {
        /* Zeros reached since the last tick: flag and pend (once is enough,
         * a pending exception cannot be pending twice). */
        uint64_t zero = systick_next_zero(t, t->last_tick);
        if (zero <= s->cycles) {
            t->countflag = true;
            if (t->csr & 2)
                exc_set_pending(s, EXC_SYSTICK);
        }
        t->last_tick = s->cycles;
    }
    periph_bus_tick(s->periph, s->cycles);
    if (s->cycles >= s->next_poll) {
        s->next_poll = s->cycles + POLL_CYCLES;
        s->poll_due = true;
    }
}

void scs_schedule(struct sim *s)
{
    uint64_t next = s->next_poll;
    struct systick *t = &s->scs.systick;
    if (systick_running(t)) {
        uint64_t zero = systick_next_zero(t, s->cycles);
        if (zero < next)
            next = zero;
    }
    uint64_t periph = periph_bus_next_event(s->periph);
    if (periph < next)
        next = periph;
    if (s->any_pending)
        next = 0; /* re-check at every block until it can be taken */
    s->next_event = next;
}

uint64_t scs_next_wakeup(struct sim *s)
{
    struct systick *t = &s->scs.systick;
    uint64_t next = periph_bus_next_wakeup(s->periph);
    if (systick_running(t) && (t->csr & 2)) {
        uint64_t zero = systick_next_zero(t, s->cycles);
        if (zero < next)
            next = zero;
    }
    return next;
}

/* ---- registers ---- */

static uint32_t icsr_read(struct sim *s)
{
    struct nvic *n = &s->scs.nvic;
    uint32_t v = 0;
    if (n->n_active)
        v |= (uint32_t)n->active_stack[n->n_active - 1] & 0x1FF;
    int pend = 0;
    for (int i = 2; i < NUM_EXCEPTIONS; i++) {
        if (n->pending[i]) {
            pend = i;
            break;
        }
    }
    v |= (uint32_t)pend << 12;
    if (n->pending[EXC_SYSTICK])
        v |= 1u << 26;
    if (n->pending[EXC_PENDSV])
        v |= 1u << 28;
    if (n->n_active <= 1)
        v |= 1u << 11; /* RETTOBASE */
    return v;
}

static void icsr_write(struct sim *s, uint32_t v)
{
    struct nvic *n = &s->scs.nvic;
    if (v & (1u << 31))
        exc_set_pending(s, EXC_NMI);
    if (v & (1u << 28))
        exc_set_pending(s, EXC_PENDSV);
    if (v & (1u << 27))
        n->pending[EXC_PENDSV] = 0;
    if (v & (1u << 26))
        exc_set_pending(s, EXC_SYSTICK);
    if (v & (1u << 25))
        n->pending[EXC_SYSTICK] = 0;
    scs_schedule(s);
}

static uint32_t nvic_bits(const uint8_t *arr, uint32_t word)
{
    uint32_t v = 0;
    for (int b = 0; b < 32; b++) {
        uint32_t irq = word * 32 + (uint32_t)b;
        if (16 + irq < NUM_EXCEPTIONS && arr[16 + irq])
            v |= 1u << b;
    }
    return v;
}

static void nvic_set_bits(struct sim *s, uint8_t *arr, uint32_t word, uint32_t v, uint8_t value)
{
    for (int b = 0; b < 32; b++) {
        uint32_t irq = word * 32 + (uint32_t)b;
        if ((v >> b & 1) && 16 + irq < NUM_EXCEPTIONS) {
            if (arr == s->scs.nvic.pending && value)
                exc_set_pending(s, (int)(16 + irq));
            else
                arr[16 + irq] = value;
        }
    }
}

/* Byte-addressed priority registers: IPR for IRQs, SHPR1-3 for system
 * exceptions 4-15.  Unimplemented low bits read as zero. */
static uint8_t *priority_byte(struct sim *s, uint32_t off)
{
    if (off >= NVIC_IPR && off <= NVIC_IPR_END && 16 + (off - NVIC_IPR) < NUM_EXCEPTIONS)
        return &s->scs.nvic.priority[16 + (off - NVIC_IPR)];
    if (off >= SHPR1 && off <= SHPR3_END)
        return &s->scs.nvic.priority[4 + (off - SHPR1)];
    return NULL;
}

static uint8_t priority_mask(const struct sim *s)
{
    return is_v6m(s) ? 0xC0 : 0xE0; /* 2 bits on ARMv6-M, 3 on the ARMv7-M boards */
}

uint64_t scs_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct sim *s = user;
    struct scs *c = &s->scs;
    uint32_t off = (uint32_t)offset;
    (void)uc;
    if (priority_byte(s, off & ~3u)) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; i++) {
            uint8_t *p = priority_byte(s, (off & ~3u) + i);
            v |= (uint32_t)(p ? *p : 0) << (8 * i);
        }
        return (v >> (8 * (off & 3))) & (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1);
    }
    if (off <= ITM_STIM31)
        return is_v6m(s) ? 0 : 1; /* FIFO ready */
    switch (off) {
    case ITM_TER: return is_v6m(s) ? 0 : c->itm_ter;
    case ITM_TPR: return c->itm_tpr;
    case ITM_TCR: return is_v6m(s) ? 0 : c->itm_tcr;
    case ITM_LSR: return 0;
    case DWT_CTRL: return is_v6m(s) ? 0 : (0x40000000u | c->dwt_ctrl); /* NUMCOMP = 4 */
    case DWT_CYCCNT: {
        if (is_v6m(s))
            return 0;
        if (!(c->dwt_ctrl & 1))
            return c->cyccnt_frozen;
        int idx = access_index(s, 0xE0000000u + off, false);
        return (uint32_t)(sim_now_at(s, idx) - c->cyccnt_base);
    }
    case ICTR: return BOARD_MAX_IRQS / 32 - 1; /* INTLINESNUM: 128 interrupt lines */
    case SYST_CSR: {
        uint32_t v = c->systick.csr & 7;
        scs_tick(s);
        if (c->systick.countflag)
            v |= 1u << 16;
        c->systick.countflag = false; /* COUNTFLAG clears on read */
        return v;
    }
    case SYST_RVR: return c->systick.reload;
    case SYST_CVR: {
        int idx = access_index(s, 0xE0000000u + off, false);
        return systick_value(&c->systick, sim_now_at(s, idx));
    }
    case SYST_CALIB: return 0x80000000u | (s->clock_hz / 100 - 1); /* NOREF, 10 ms */
    case CPUID: return scs_cpuid(s);
    case ICSR: return icsr_read(s);
    case VTOR: return c->vtor;
    case AIRCR: return 0xFA050000u | (c->aircr_prigroup << 8);
    case SCR: return c->scr;
    case CCR: return c->ccr;
    case SHCSR: return c->shcsr;
    case CFSR: return c->cfsr;
    case HFSR: return c->hfsr;
    case MMFAR: return c->mmfar;
    case BFAR: return c->bfar;
    case CPACR: return c->cpacr;
    case DHCSR: return 1; /* C_DEBUGEN: a debugger is attached (semihosting works) */
    case DEMCR: return c->demcr;
    case FPCCR: return c->fpccr;
    case FPCAR: return c->fpcar;
    case MVFR0: return s->board.core->fpu ? 0x10110021u : 0;
    case MVFR1: return s->board.core->fpu ? 0x11000011u : 0;
    }
    if (off >= NVIC_ISER && off < NVIC_ISER + BOARD_MAX_IRQS / 8)
        return nvic_bits(c->nvic.enabled, (off - NVIC_ISER) / 4);
    if (off >= NVIC_ICER && off < NVIC_ICER + BOARD_MAX_IRQS / 8)
        return nvic_bits(c->nvic.enabled, (off - NVIC_ICER) / 4);
    if (off >= NVIC_ISPR && off < NVIC_ISPR + BOARD_MAX_IRQS / 8)
        return nvic_bits(c->nvic.pending, (off - NVIC_ISPR) / 4);
    if (off >= NVIC_ICPR && off < NVIC_ICPR + BOARD_MAX_IRQS / 8)
        return nvic_bits(c->nvic.pending, (off - NVIC_ICPR) / 4);
    if (off >= NVIC_IABR && off < NVIC_IABR + BOARD_MAX_IRQS / 8)
        return nvic_bits(c->nvic.active, (off - NVIC_IABR) / 4);
    return 0; /* reserved and unmodelled registers read as zero */
}

static void itm_write(struct sim *s, uint32_t port, uint32_t value, unsigned size)
{
    struct scs *c = &s->scs;
    if (is_v6m(s) || !(c->itm_tcr & 1) || !(c->itm_ter >> port & 1))
        return;
    if (port == 0) {
        for (unsigned i = 0; i < size; i++)
            fputc((int)(value >> (8 * i) & 0xFF), s->opt.out);
    }
    if (s->has_obs && s->obs.itm) {
        int idx = access_index(s, 0xE0000000u + port * 4, true);
        uint64_t cycles = sim_now_at(s, idx);
        uint64_t insns = s->insns + (uint64_t)(idx > 0 ? idx : 0);
        s->obs.itm(s->obs.ctx, port, value, cycles, insns, s->cur, idx > 0 ? (uint32_t)idx : 0);
    }
}

void scs_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value64, void *user)
{
    struct sim *s = user;
    struct scs *c = &s->scs;
    uint32_t off = (uint32_t)offset;
    uint32_t v = (uint32_t)value64;
    (void)uc;
    if (priority_byte(s, off)) {
        for (unsigned i = 0; i < size; i++) {
            uint8_t *p = priority_byte(s, off + i);
            if (p)
                *p = (uint8_t)(v >> (8 * i)) & priority_mask(s);
        }
        return;
    }
    if (off <= ITM_STIM31) {
        itm_write(s, off / 4, v, size);
        return;
    }
    switch (off) {
    case ITM_TER: c->itm_ter = v; return;
    case ITM_TPR: c->itm_tpr = v; return;
    case ITM_TCR: c->itm_tcr = v; return;
    case DWT_CTRL: {
        bool was = c->dwt_ctrl & 1;
        int idx = access_index(s, 0xE0000000u + off, true);
        uint64_t now = sim_now_at(s, idx);
        if (was && !(v & 1))
            c->cyccnt_frozen = (uint32_t)(now - c->cyccnt_base);
        if (!was && (v & 1))
            c->cyccnt_base = now - c->cyccnt_frozen;
        c->dwt_ctrl = v & 0x1FFF;
        return;
    }
    case DWT_CYCCNT: {
        int idx = access_index(s, 0xE0000000u + off, true);
        /* The counter holds v after this store; the store itself is the
         * instruction that follows in the count. */
        uint64_t now = sim_now_at(s, idx);
        c->cyccnt_base = now - v;
        c->cyccnt_frozen = v;
        return;
    }
    case SYST_CSR: {
        struct systick *t = &c->systick;
        bool was = t->csr & 1;
        t->csr = v & 7;
        if (!was && (v & 1)) {
            int idx = access_index(s, 0xE0000000u + off, true);
            t->start = sim_now_at(s, idx);
            t->last_tick = t->start;
        }
        scs_schedule(s);
        return;
    }
    case SYST_RVR: c->systick.reload = v & 0xFFFFFF; scs_schedule(s); return;
    case SYST_CVR: {
        int idx = access_index(s, 0xE0000000u + off, true);
        c->systick.start = sim_now_at(s, idx) + 1; /* cleared; reloads on the next tick */
        c->systick.last_tick = c->systick.start;
        c->systick.countflag = false;
        scs_schedule(s);
        return;
    }
    case ICSR: icsr_write(s, v); return;
    case VTOR: c->vtor = v & 0xFFFFFF80u; return;
    case AIRCR:
        if ((v >> 16) != 0x05FA)
            return; /* writes without VECTKEY are ignored */
        c->aircr_prigroup = (v >> 8) & 7;
        if (v & 4) {
            snprintf(s->message, sizeof s->message, "firmware requested a system reset (AIRCR.SYSRESETREQ)");
            s->exit_code = 0;
            sim_stop(s, SIM_EXITED);
        }
        return;
    case SCR: c->scr = v & 0x16; return;
    case CCR: c->ccr = (v & 0x31B) | 0x200; return;
    case SHCSR: c->shcsr = v & 0x7FFFF; return;
    case CFSR: c->cfsr &= ~v; return;   /* write one to clear */
    case HFSR: c->hfsr &= ~v; return;
    case MMFAR: c->mmfar = v; return;
    case BFAR: c->bfar = v; return;
    case CPACR: c->cpacr = s->board.core->fpu ? (v & 0x00F00000u) : 0; return;
    case DEMCR: c->demcr = v; return;
    case STIR:
        if (16 + (v & 0x1FF) < NUM_EXCEPTIONS)
            exc_set_pending(s, (int)(16 + (v & 0x1FF)));
        return;
    case FPCCR: c->fpccr = v; return;
    case FPCAR: c->fpcar = v & ~7u; return;
    }
    if (off >= NVIC_ISER && off < NVIC_ISER + BOARD_MAX_IRQS / 8) {
        nvic_set_bits(s, c->nvic.enabled, (off - NVIC_ISER) / 4, v, 1);
        scs_schedule(s);
    } else if (off >= NVIC_ICER && off < NVIC_ICER + BOARD_MAX_IRQS / 8) {
        nvic_set_bits(s, c->nvic.enabled, (off - NVIC_ICER) / 4, v, 0);
    } else if (off >= NVIC_ISPR && off < NVIC_ISPR + BOARD_MAX_IRQS / 8) {
        nvic_set_bits(s, c->nvic.pending, (off - NVIC_ISPR) / 4, v, 1);
    } else if (off >= NVIC_ICPR && off < NVIC_ICPR + BOARD_MAX_IRQS / 8) {
        nvic_set_bits(s, c->nvic.pending, (off - NVIC_ICPR) / 4, v, 0);
    }
    /* other writes: reserved or unmodelled, ignored */
}
