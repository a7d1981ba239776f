/*
 * exceptions.c — exception entry, return, priorities and fault escalation
 * (ARMv7-M ARM B1.5; ARMv6-M ARM B1.5).
 *
 * Unicorn performs no exception entry of its own, so mcusim does what the
 * hardware does: stack the basic (or extended, with FP) frame on the
 * active stack with 8-byte alignment, switch to Handler mode on the main
 * stack, load LR with EXC_RETURN and the PC from the vector table; on a
 * branch to EXC_RETURN, tail-chain into another pending exception or
 * unstack and return to the mode and stack EXC_RETURN names.  Interrupts
 * are taken at basic-block boundaries.
 */
#include "sim_internal.h"

#include <string.h>

/* The core registers of the basic frame, in stacking order (B1.5.6). */
static const uint8_t frame_regs[6] = {0, 1, 2, 3, 12, 14};

static uint32_t reg(struct sim *s, int id)
{
    uint32_t v = 0;
    uc_reg_read(s->uc, id, &v);
    return v;
}

static void set_reg(struct sim *s, int id, uint32_t v)
{
    uc_reg_write(s->uc, id, &v);
}

static int fixed_priority(int num)
{
    switch (num) {
    case EXC_RESET: return -3;
    case EXC_NMI: return -2;
    case EXC_HARDFAULT: return -1;
    }
    return 256;
}

/* Group priority: the subpriority bits (PRIGROUP) do not preempt. */
static int priority_of(struct sim *s, int num)
{
    int fixed = fixed_priority(num);
    if (fixed < 0)
        return fixed;
    uint32_t sub_mask = (2u << s->scs.aircr_prigroup) - 1;
    return s->scs.nvic.priority[num] & ~sub_mask & 0xFF;
}

static bool enabled(struct sim *s, int num)
{
    switch (num) {
    case EXC_MEMMANAGE: return s->scs.shcsr & (1u << 16);
    case EXC_BUSFAULT: return s->scs.shcsr & (1u << 17);
    case EXC_USAGEFAULT: return s->scs.shcsr & (1u << 18);
    }
    if (num < 16)
        return true;
    return s->scs.nvic.enabled[num];
}

/* The execution priority from active exceptions and the masks; with
 * `primask` false, as if PRIMASK were clear. */
static int execution_priority(struct sim *s, bool primask)
{
    int prio = 256;
    struct nvic *n = &s->scs.nvic;
    for (int i = 0; i < n->n_active; i++) {
        int p = priority_of(s, n->active_stack[i]);
        if (p < prio)
            prio = p;
    }
    if (primask && reg(s, UC_ARM_REG_PRIMASK) & 1 && prio > 0)
        prio = 0;
    if (s->board.core->arch != CORE_ARCH_V6M) {
        if (reg(s, UC_ARM_REG_FAULTMASK) & 1 && prio > -1)
            prio = -1;
        int basepri = (int)(reg(s, UC_ARM_REG_BASEPRI) & 0xFF);
        if (basepri && basepri < prio)
            prio = basepri;
    }
    return prio;
}

int exc_current_priority(struct sim *s)
{
    return execution_priority(s, true);
}

bool exc_pending_wakes(struct sim *s)
{
    struct nvic *n = &s->scs.nvic;
    if (!s->any_pending)
        return false;
    int current = execution_priority(s, false);
    for (int i = 2; i < NUM_EXCEPTIONS; i++)
        if (n->pending[i] && enabled(s, i) && priority_of(s, i) < current)
            return true;
    return false;
}

void exc_set_pending(struct sim *s, int num)
{
    s->scs.nvic.pending[num] = 1;
    s->any_pending = true;
    s->next_event = 0;
}

/* The highest-priority pending exception that may preempt now, or 0. */
int exc_pending_to_take(struct sim *s)
{
    if (!s->any_pending)
        return 0;
    struct nvic *n = &s->scs.nvic;
    int best = 0, best_prio = 1 << 20;
    bool any = false;
    for (int i = 2; i < NUM_EXCEPTIONS; i++) {
        if (!n->pending[i])
            continue;
        any = true;
        if (!enabled(s, i))
            continue;
        int p = priority_of(s, i);
        if (p < best_prio) {
            best = i;
            best_prio = p;
        }
    }
    s->any_pending = any;
    if (!best || best_prio >= exc_current_priority(s))
        return 0;
    return best;
}

static bool write_word(struct sim *s, uint32_t addr, uint32_t v)
{
    uint8_t *p = sim_host_ptr(s, addr, 4);
    const struct board_region *r = board_region_of(&s->board, addr);
    if (!p || !r || r->kind != REGION_RAM)
        return false;
    memcpy(p, &v, 4);
    return true;
}

static bool read_word(struct sim *s, uint32_t addr, uint32_t *v)
{
    const uint8_t *p = sim_host_ptr(s, addr, 4);
    if (!p)
        return false;
    memcpy(v, p, 4);
    return true;
}

/* Does [addr, addr+len) reach into the guard below the main stack? */
static bool in_stack_guard(const struct sim *s, uint32_t addr, uint32_t len)
{
    return s->stack_limit && addr < s->stack_limit && addr + len > s->stack_limit - STACK_GUARD_BYTES;
}

static void stacking_failed(struct sim *s, uint32_t frame, uint32_t pc)
{
    bool overflow = in_stack_guard(s, frame, 32);
    sim_set_fault(s, overflow ? FAULT_STACK_OVERFLOW : FAULT_LOCKUP, pc, frame,
                  overflow ? "stack overflow while stacking an exception frame at 0x%08x"
                           : "exception frame at 0x%08x is not in RAM (bad stack pointer)",
                  frame);
    sim_stop(s, SIM_FAULT);
}

/* Enters exception `num`; execution resumes at return_addr on return. */
int exc_enter(struct sim *s, int num, uint32_t return_addr)
{
    struct nvic *n = &s->scs.nvic;
    uint32_t ipsr = reg(s, UC_ARM_REG_IPSR) & 0x1FF;
    uint32_t control = reg(s, UC_ARM_REG_CONTROL);
    bool on_psp = ipsr == 0 && (control & 2);
    bool fp = s->board.core->fpu && (control & 4) && (s->scs.fpccr & (1u << 31));
    uint32_t sp = reg(s, on_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
    uint32_t words = fp ? 26 : 8;
    uint32_t frame = sp - words * 4;
    uint32_t xpsr = reg(s, UC_ARM_REG_XPSR);
    if (frame & 4) {           /* 8-byte alignment, remembered in xPSR bit 9 */
        frame &= ~7u;
        xpsr |= 1u << 9;
    } else {
        xpsr &= ~(1u << 9);
    }
    if (!on_psp && in_stack_guard(s, frame, words * 4)) {
        stacking_failed(s, frame, return_addr);
        return -1;
    }
    uint32_t vals[8];
    for (int i = 0; i < 6; i++)
        vals[i] = reg(s, core_reg_uc_ids[frame_regs[i]]);
    vals[6] = return_addr & ~1u;
    vals[7] = xpsr;
    for (int i = 0; i < 8; i++) {
        if (!write_word(s, frame + 4u * (uint32_t)i, vals[i])) {
            stacking_failed(s, frame, return_addr);
            return -1;
        }
    }
    if (fp) {
        for (int i = 0; i < 16; i++)
            write_word(s, frame + 32 + 4u * (uint32_t)i, reg(s, UC_ARM_REG_S0 + i));
        write_word(s, frame + 96, reg(s, UC_ARM_REG_FPSCR));
    }
    set_reg(s, on_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, frame);

    uint32_t exc_return = 0xFFFFFFE1u | (fp ? 0 : 0x10) | (ipsr == 0 ? 8 : 0) | (on_psp ? 4 : 0);
    /* Handler mode runs on the main stack with SPSEL and FPCA clear; the
     * CONTROL write switches the banked SP while still in Thread mode. */
    if (control & 6)
        set_reg(s, UC_ARM_REG_CONTROL, control & ~6u);
    set_reg(s, UC_ARM_REG_IPSR, (uint32_t)num);
    set_reg(s, UC_ARM_REG_EPSR, 1u << 24); /* Thumb, outside any IT block */
    set_reg(s, UC_ARM_REG_LR, exc_return);

    n->pending[num] = 0;
    n->active[num] = 1;
    n->active_stack[n->n_active++] = num;
    s->cycles += timing_exception_entry(s->timing, fp);
    if (s->has_obs && s->obs.exception)
        s->obs.exception(s->obs.ctx, num, s->cycles);

    uint32_t handler = 0;
    if (!read_word(s, s->scs.vtor + 4u * (uint32_t)num, &handler) || !(handler & 1) ||
        !sim_host_ptr(s, handler & ~1u, 2)) {
        sim_set_fault(s, FAULT_INVALID_STATE, return_addr, s->scs.vtor + 4u * (uint32_t)num,
                      "exception %d has no valid handler in the vector table (entry 0x%08x)", num, handler);
        sim_stop(s, SIM_FAULT);
        return -1;
    }
    set_reg(s, UC_ARM_REG_PC, handler);
    scs_schedule(s);
    return 0;
}

int exc_return(struct sim *s, uint32_t exc_return)
{
    struct nvic *n = &s->scs.nvic;
    uint32_t ipsr = reg(s, UC_ARM_REG_IPSR) & 0x1FF;
    uint32_t low = exc_return & 0x1F;
    bool valid = (exc_return & 0xFFFFFFE0u) == 0xFFFFFFE0u &&
                 (low == 0x11 || low == 0x19 || low == 0x1D || low == 0x01 || low == 0x09 || low == 0x0D);
    if (!valid || ipsr == 0 || !n->n_active) {
        sim_set_fault(s, FAULT_INVALID_STATE, exc_return, 0,
                      "invalid exception return 0x%08x (IPSR %u)", exc_return, ipsr);
        sim_stop(s, SIM_FAULT);
        return -1;
    }
    n->active[ipsr] = 0;
    for (int i = n->n_active - 1; i >= 0; i--) {
        if (n->active_stack[i] == (int)ipsr) {
            memmove(&n->active_stack[i], &n->active_stack[i + 1], sizeof(int) * (size_t)(n->n_active - i - 1));
            n->n_active--;
            break;
        }
    }
    if (s->has_obs && s->obs.exception)
        s->obs.exception(s->obs.ctx, -(int)ipsr, s->cycles);
    if (ipsr >= 16)
        periph_bus_irq_returned(s->periph, (int)ipsr - 16);

    bool to_thread = exc_return & 8;
    bool use_psp = exc_return & 4;
    bool fp = !(exc_return & 0x10);

    /* Tail-chaining: a pending exception that may run at the priority we
     * return to is entered directly; the stacked frame stays (6 cycles). */
    int next = exc_pending_to_take(s);
    if (next > 0) {
        uint32_t handler = 0;
        if (read_word(s, s->scs.vtor + 4u * (uint32_t)next, &handler) && (handler & 1)) {
            set_reg(s, UC_ARM_REG_IPSR, (uint32_t)next);
            n->pending[next] = 0;
            n->active[next] = 1;
            n->active_stack[n->n_active++] = next;
            s->cycles += 6;
            if (s->has_obs && s->obs.exception)
                s->obs.exception(s->obs.ctx, next, s->cycles);
            set_reg(s, UC_ARM_REG_LR, exc_return);
            set_reg(s, UC_ARM_REG_PC, handler);
            scs_schedule(s);
            return 0;
        }
    }

    uint32_t frame = use_psp ? reg(s, UC_ARM_REG_PSP) : reg(s, UC_ARM_REG_MSP);
    uint32_t vals[8];
    for (int i = 0; i < 8; i++) {
        if (!read_word(s, frame + 4u * (uint32_t)i, &vals[i])) {
            sim_set_fault(s, FAULT_LOCKUP, exc_return, frame,
                          "exception return frame at 0x%08x is not readable", frame);
            sim_stop(s, SIM_FAULT);
            return -1;
        }
    }
    uint32_t words = fp ? 26 : 8;
    if (fp) {
        for (int i = 0; i < 16; i++) {
            uint32_t v = 0;
            read_word(s, frame + 32 + 4u * (uint32_t)i, &v);
            set_reg(s, UC_ARM_REG_S0 + i, v);
        }
        uint32_t fpscr = 0;
        read_word(s, frame + 96, &fpscr);
        set_reg(s, UC_ARM_REG_FPSCR, fpscr);
    }
    uint32_t xpsr = vals[7];
    uint32_t new_sp = frame + words * 4 + ((xpsr & (1u << 9)) ? 4 : 0);
    for (int i = 0; i < 6; i++)
        set_reg(s, core_reg_uc_ids[frame_regs[i]], vals[i]);

    if (to_thread) {
        set_reg(s, UC_ARM_REG_IPSR, 0);
        if (use_psp) {
            set_reg(s, UC_ARM_REG_PSP, new_sp);
            uint32_t control = reg(s, UC_ARM_REG_CONTROL);
            set_reg(s, UC_ARM_REG_CONTROL, control | 2);
        } else {
            set_reg(s, UC_ARM_REG_MSP, new_sp);
        }
    } else {
        set_reg(s, UC_ARM_REG_MSP, new_sp);
    }
    uint32_t control = reg(s, UC_ARM_REG_CONTROL);
    if (s->board.core->fpu)
        set_reg(s, UC_ARM_REG_CONTROL, fp ? (control | 4) : (control & ~4u));
    set_reg(s, UC_ARM_REG_XPSR_NZCVQG, (xpsr & ~(1u << 9)) | (1u << 24));
    s->cycles += timing_exception_return(s->timing, fp);
    set_reg(s, UC_ARM_REG_PC, vals[6] | 1);
    scs_schedule(s);
    return 0;
}

int exc_fault(struct sim *s, int num, uint32_t pc)
{
    int target = num;
    int current = exc_current_priority(s);
    if (s->board.core->arch == CORE_ARCH_V6M || !enabled(s, num) || priority_of(s, num) >= current)
        target = EXC_HARDFAULT;
    if (target == EXC_HARDFAULT && current <= -1) {
        /* A fault in HardFault or NMI cannot be handled: lockup. */
        char where[128];
        elf_image_format_addr(s->img, pc, where, sizeof where);
        snprintf(s->message, sizeof s->message,
                 "lockup: fault at %s inside the fault handler; the first fault was %s at %s: %s",
                 where, sim_fault_name(s->fault.kind), s->fault.symbol, s->fault.detail);
        s->fault.kind = FAULT_LOCKUP;
        return -1;
    }
    uint32_t handler = 0;
    if (!read_word(s, s->scs.vtor + 4u * (uint32_t)target, &handler) || !(handler & 1) ||
        !sim_host_ptr(s, handler & ~1u, 2))
        return -1; /* no handler: report the fault itself */
    switch (s->fault.kind) {
    case FAULT_UNDEFINED: s->scs.cfsr |= 1u << 16; break;       /* UNDEFINSTR */
    case FAULT_INVALID_STATE: s->scs.cfsr |= 1u << 17; break;   /* INVSTATE */
    case FAULT_NO_COPROCESSOR: s->scs.cfsr |= 1u << 19; break;  /* NOCP */
    case FAULT_READ_UNMAPPED:
    case FAULT_WRITE_UNMAPPED:
    case FAULT_WRITE_FLASH:
        s->scs.cfsr |= (1u << 9) | (1u << 15);                   /* PRECISERR, BFARVALID */
        s->scs.bfar = s->fault.address;
        break;
    case FAULT_FETCH_UNMAPPED:
    case FAULT_FETCH_NX: s->scs.cfsr |= 1u << 8; break;          /* IBUSERR */
    default: break;
    }
    if (target == EXC_HARDFAULT && num != EXC_HARDFAULT)
        s->scs.hfsr |= 1u << 30; /* FORCED */
    exc_set_pending(s, target);
    return exc_enter(s, target, pc);
}
