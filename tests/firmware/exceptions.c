/*
 * exceptions.c — interrupt delivery and exception return, checked from
 * inside the firmware: SysTick interrupts arriving in the middle of a
 * computation that keeps many registers live, PendSV pended by software,
 * SVC with an argument and a result passed through the stacked frame,
 * Thread mode on the process stack (PSP), and priorities (a higher
 * priority SysTick preempting a PendSV handler).  Prints each check and
 * exits 0 when all pass.  Runs on ARMv6-M and ARMv7-M.
 */
#include <stdint.h>

#include "port.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define ICSR REG(0xE000ED04u)
#define SHPR3 REG(0xE000ED20u)

static volatile uint32_t ticks, pendsv_runs, preempted_in_pendsv;
static volatile uint32_t in_pendsv;

void SysTick_Handler(void)
{
    ticks++;
    if (in_pendsv)
        preempted_in_pendsv++;
}

void PendSV_Handler(void)
{
    in_pendsv = 1;
    uint32_t start = ticks;
    while (ticks < start + 2) /* SysTick has the higher priority: it preempts */
        ;
    in_pendsv = 0;
    pendsv_runs++;
}

/* SVC: r0 in the stacked frame is the argument and becomes the result. */
__attribute__((naked)) void SVC_Handler(void)
{
    __asm__ volatile(
        ".syntax unified\n"
        "movs r0, #4\n"
        "mov r1, lr\n"
        "tst r0, r1\n"
        "beq 1f\n"
        "mrs r0, psp\n"
        "b 2f\n"
        "1: mrs r0, msp\n"
        "2: ldr r1, [r0]\n"
        "adds r1, #100\n"
        "str r1, [r0]\n"
        "bx lr\n");
}

__attribute__((noinline)) static uint32_t svc_call(uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = arg;
    __asm__ volatile("svc #5" : "+r"(r0) : : "memory");
    return r0;
}

static int check(const char *what, int ok)
{
    port_puts(ok ? "ok   " : "FAIL ");
    port_puts(what);
    port_puts("\n");
    return ok ? 0 : 1;
}

/* Many live values: an interrupt that corrupted any register shows here. */
__attribute__((noinline)) static uint32_t busy_sum(uint32_t n)
{
    uint32_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    for (uint32_t i = 0; i < n; i++) {
        a += b ^ i;
        b += c + (i >> 1);
        c ^= d + i;
        d += e;
        e ^= f + 3;
        f += g;
        g ^= h + i;
        h += a;
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

static volatile uint32_t work = 20000; /* not a constant: keeps busy_sum real */
static uint32_t process_stack[256] __attribute__((aligned(8)));

/* Runs fn in Thread mode on the process stack and comes back to the main
 * stack; the switch happens in assembly so no C frame spans two stacks. */
__attribute__((naked, noinline)) static uint32_t call_on_psp(uint32_t (*fn)(void), uint32_t psp_top)
{
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4, lr}\n"
        "msr psp, r1\n"
        "movs r4, #2\n"
        "msr control, r4\n"
        "isb\n"
        "blx r0\n"
        "movs r4, #0\n"
        "msr control, r4\n"
        "isb\n"
        "pop {r4, pc}\n");
}

static uint32_t psp_checks(void)
{
    uint32_t failures = 0;
    uint32_t top = (uint32_t)(uintptr_t)&process_stack[256];
    uint32_t before = ticks;
    uint32_t got = busy_sum(work / 4);
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    failures += (uint32_t)check("on the process stack", sp < top && sp >= (uint32_t)(uintptr_t)process_stack);
    failures += (uint32_t)check("interrupts taken on PSP", ticks > before);
    failures += (uint32_t)check("svc from PSP", svc_call(7) == 107);
    failures += (uint32_t)check("registers survive on PSP", got == busy_sum(work / 4));
    return failures;
}

int main(void)
{
    int failures = 0;
    uint32_t expect = busy_sum(work);

    /* SysTick every 500 cycles, lowest priority for PendSV, SysTick higher. */
    SHPR3 = (0x80u << 24) | (0xC0u << 16); /* SysTick 0x80, PendSV 0xC0 */
    SYST_RVR = 499;
    SYST_CVR = 0;
    SYST_CSR = 7; /* ENABLE | TICKINT | CLKSOURCE */
    uint32_t got = busy_sum(work);
    uint32_t seen = ticks;
    failures += check("systick interrupts arrived", seen > 10);
    failures += check("registers survive interrupts", got == expect);

    ICSR = 1u << 28; /* PENDSVSET */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (volatile int i = 0; i < 10; i++)
        ;
    failures += check("pendsv ran", pendsv_runs == 1);
    failures += check("systick preempted pendsv", preempted_in_pendsv >= 1);

    failures += check("svc argument and result", svc_call(23) == 123);

    /* Thread mode on the process stack: interrupts stack on the PSP and
     * return to it. */
    failures += (int)call_on_psp(psp_checks, (uint32_t)(uintptr_t)&process_stack[256]);
    SYST_CSR = 0;
    port_puts(failures ? "exceptions: FAILED\n" : "exceptions: all passed\n");
    return failures;
}
