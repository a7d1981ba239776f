/*
 * mcusim.h — the firmware side of the firmware <-> simulator contract.
 *
 * Firmware includes this header to print, exit, read the cycle counter and
 * mark regions (layers, inferences) for the profiler.  Every mechanism here
 * also exists on real hardware, so the same image runs on a board, on QEMU
 * and on mcusim:
 *   - console and exit go through Arm semihosting (BKPT 0xAB);
 *   - region markers are 32-bit writes to ITM stimulus ports, skipped when
 *     no debugger enabled the ITM (as on a board without a probe attached);
 *   - the cycle counter is DWT CYCCNT.
 *
 * Marker protocol (read by profiler/, decoded from simulated memory):
 *   ITM port 0  console text, one byte per write (optional; semihosting is
 *               the primary console).
 * ARMv6-M cores (Cortex-M0+) have no ITM: there the same port/value pair
 * goes through semihosting operation 0x100 (r1 -> {port, value}), from the
 * range Arm reserves for applications; QEMU and debug probes answer it
 * with -1 and carry on.
 *   ITM port 1  region begin: the address of a struct mcusim_region.
 *   ITM port 2  region end: the address of the same struct.
 *   ITM port 3  information record: the address of a struct mcusim_info.
 * All structs are little-endian, 32-bit fields, pointers are 32-bit target
 * addresses; strings are NUL-terminated and at most 63 bytes are read.
 *
 * Header only, freestanding: no libc needed.
 */
#ifndef MCUSIM_H
#define MCUSIM_H

#include <stdint.h>

/* The region and information records (host-safe, shared with the runtime
 * core compiled for the host): */
#include "mcusim_records.h"

/* ---- ITM (ARMv7-M ARM C1.7; ARMv6-M has no ITM: the guard reads 0) ---- */

#define MCUSIM_ITM_PORT(n) (*(volatile uint32_t *)(0xE0000000u + 4u * (n)))
#define MCUSIM_ITM_TER (*(volatile uint32_t *)0xE0000E00u)
#define MCUSIM_ITM_TCR (*(volatile uint32_t *)0xE0000E80u)

#define MCUSIM_SYS_MARKER 0x100

static inline int mcusim_itm_enabled(uint32_t port)
{
#if defined(__ARM_ARCH_6M__)
    (void)port;
    return 0;
#else
    return (MCUSIM_ITM_TCR & 1u) && (MCUSIM_ITM_TER & (1u << port));
#endif
}

static inline void mcusim_itm_write(uint32_t port, uint32_t value)
{
#if defined(__ARM_ARCH_6M__)
    uint32_t block[2] = {port, value};
    register uint32_t r0 __asm__("r0") = MCUSIM_SYS_MARKER;
    register const void *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
    if (!mcusim_itm_enabled(port))
        return;
    while (MCUSIM_ITM_PORT(port) == 0) /* FIFO full on real SWO */
        ;
    MCUSIM_ITM_PORT(port) = value;
#endif
}

static inline void mcusim_region_begin(const struct mcusim_region *r)
{
    mcusim_itm_write(1, (uint32_t)(uintptr_t)r);
}

static inline void mcusim_region_end(const struct mcusim_region *r)
{
    mcusim_itm_write(2, (uint32_t)(uintptr_t)r);
}

static inline void mcusim_info(const struct mcusim_info *i)
{
    mcusim_itm_write(3, (uint32_t)(uintptr_t)i);
}

/* ---- DWT cycle counter ---- */

#define MCUSIM_DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define MCUSIM_DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define MCUSIM_DEMCR (*(volatile uint32_t *)0xE000EDFCu)

static inline void mcusim_cycles_enable(void)
{
#if !defined(__ARM_ARCH_6M__)
    MCUSIM_DEMCR |= 1u << 24; /* TRCENA */
    MCUSIM_DWT_CYCCNT = 0;
    MCUSIM_DWT_CTRL |= 1u;    /* CYCCNTENA */
#endif
}

static inline uint32_t mcusim_cycles(void)
{
#if defined(__ARM_ARCH_6M__)
    return 0; /* ARMv6-M has no DWT cycle counter */
#else
    return MCUSIM_DWT_CYCCNT;
#endif
}

/* ---- Arm semihosting ---- */

#define MCUSIM_SYS_WRITEC 0x03
#define MCUSIM_SYS_WRITE0 0x04
#define MCUSIM_SYS_EXIT 0x18
#define MCUSIM_SYS_EXIT_EXTENDED 0x20
#define MCUSIM_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static inline uint32_t mcusim_semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static inline void mcusim_puts(const char *s)
{
    mcusim_semihost(MCUSIM_SYS_WRITE0, s);
}

/* Ends the program with a status, as exit() does on a hosted system. */
static inline void mcusim_exit(int status)
{
    uint32_t block[2] = {MCUSIM_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    mcusim_semihost(MCUSIM_SYS_EXIT_EXTENDED, block);
    for (;;)
        ;
}

#endif /* MCUSIM_H */
