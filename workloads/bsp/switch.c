/*
 * switch.c — see switch.h.  The saved frame below a task's hardware
 * frame: r4-r11, then EXC_RETURN (so that a task that used the FPU comes
 * back with its extended frame), then s16-s31 when that frame is
 * extended.  ARMv6-M has no STMDB of high registers, hence two versions.
 */
#include "switch.h"

#include "bsp.h"

static struct task_context *current;

/* Programs without tasks never pend PendSV; their vector table still
 * names the handler. */
__attribute__((weak)) struct task_context *switch_choose(struct task_context *t)
{
    return t;
}

/* Called from the PendSV handler with the outgoing task's SP. */
uint32_t switch_next_sp(uint32_t sp)
{
    current->sp = sp;
    current = switch_choose(current);
    return current->sp;
}

#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

void switch_init_task(struct task_context *t, uint32_t *stack_top, void (*fn)(void *), void *arg,
                      void (*done)(void))
{
    uint32_t *sp = (uint32_t *)((uintptr_t)stack_top & ~7u);
    *--sp = 1u << 24;                 /* xPSR: Thumb */
    *--sp = (uint32_t)fn | 1u;        /* PC */
    *--sp = (uint32_t)done | 1u;      /* LR */
    *--sp = 0;                        /* r12 */
    *--sp = 0;                        /* r3 */
    *--sp = 0;                        /* r2 */
    *--sp = 0;                        /* r1 */
    *--sp = (uint32_t)arg;            /* r0 */
    *--sp = EXC_RETURN_THREAD_PSP;    /* EXC_RETURN */
    for (int i = 0; i < 8; i++)
        *--sp = 0;                    /* r4-r11 */
    t->sp = (uint32_t)sp;
}

#if defined(__ARM_ARCH_6M__)
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile(
        ".syntax unified\n"
        "cpsid i\n"
        "mrs r0, psp\n"
        "subs r0, #36\n"              /* r4-r11 and EXC_RETURN */
        "mov r1, r0\n"
        "stmia r1!, {r4-r7}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "stmia r1!, {r4-r7}\n"
        "mov r2, lr\n"
        "str r2, [r1]\n"
        "bl switch_next_sp\n"
        "mov r1, r0\n"
        "adds r1, #16\n"
        "ldmia r1!, {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "ldr r2, [r1]\n"
        "adds r1, #4\n"
        "ldmia r0!, {r4-r7}\n"
        "msr psp, r1\n"
        "cpsie i\n"
        "bx r2\n");
}
#else
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile(
        "cpsid i\n"
        "mrs r0, psp\n"
#if defined(__ARM_FP)
        "tst lr, #0x10\n"
        "it eq\n"
        "vstmdbeq r0!, {s16-s31}\n"
#endif
        "stmdb r0!, {r4-r11, lr}\n"
        "bl switch_next_sp\n"
        "ldmia r0!, {r4-r11, lr}\n"
#if defined(__ARM_FP)
        "tst lr, #0x10\n"
        "it eq\n"
        "vldmiaeq r0!, {s16-s31}\n"
#endif
        "msr psp, r0\n"
        "cpsie i\n"
        "bx lr\n");
}
#endif

/* Enters fn(arg) in Thread mode on the process stack at psp, with `done`
 * as its return address; interrupts on. */
__attribute__((naked, noreturn)) static void enter_thread(uint32_t psp, uint32_t fn, uint32_t arg, uint32_t done)
{
    __asm volatile(
        ".syntax unified\n"
        "msr psp, r0\n"
        "movs r0, #2\n"
        "msr control, r0\n"          /* SPSEL: Thread mode uses PSP from here */
        "isb\n"
        "mov lr, r3\n"
        "mov r0, r2\n"
        "cpsie i\n"
        "bx r1\n");
}

void switch_start(struct task_context *first)
{
    current = first;
    SCB_SHPR3 |= 0xFFu << 16; /* PendSV at the lowest priority */
    /* The first task starts from the top of its prepared stack: the
     * hardware frame switch_init_task made says where and with what. */
    uint32_t *frame = (uint32_t *)(first->sp + 36);
    irq_off();
    enter_thread((uint32_t)(frame + 8), frame[6], frame[0], frame[5]);
}
