/*
 * hal_mcusim.c — the HAL pqm4's mupq harnesses (speed.c, hashing.c) call
 * (mupq/common/hal.h), and randombytes(), written for mcusim so that
 * pqm4's sources build unmodified against the project's firmware port
 * (runtime/port: start-up, semihosting) instead of libopencm3.
 *
 * What differs from pqm4's common/hal-opencm3.c on the NUCLEO-L4R5ZI, and
 * why none of it moves a published count by more than a few cycles:
 *   - hal_setup() programs no clock: the board file (stm32l4r5-20mhz) is
 *     the 20 MHz, zero-wait-state configuration pqm4's CLOCK_BENCHMARK sets;
 *   - hal_get_time() reads DWT CYCCNT (extended to 64 bits) where pqm4
 *     counts SysTick reloads in an interrupt; both count core cycles, and
 *     the few instructions around the counter read stay outside or inside
 *     the measured interval alike (tens of cycles in 390,000 or more);
 *   - hal_send_str() writes through semihosting instead of the LPUART;
 *   - randombytes() draws from a fixed xorshift generator instead of the
 *     RNG peripheral, so that every run sees the same bytes: pqm4's loop
 *     (common/randombytes.c) reads one 32-bit word per four bytes from a
 *     register; here a word costs a few ALU instructions instead of a
 *     peripheral read and a wait for DRDY.  ML-KEM key generation asks
 *     for 64 bytes (16 words), so the two differ by a few hundred cycles
 *     at most (under 0.1 % of the smallest operation).
 * The stack-measuring functions exist for the linker; the project measures
 * stack itself (mcusim profile), so they report nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "mcusim.h"
#include "port.h"
#include "randombytes.h"

void hal_setup(const enum clock_mode clock)
{
    (void)clock;
    mcusim_cycles_enable();
}

void hal_send_str(const char *in)
{
    port_puts(in);
    port_puts("\n");
}

/* CYCCNT wraps every 2^32 cycles (3.5 minutes at 20 MHz); the harnesses
 * read the time at least once per operation, far more often. */
static uint32_t time_high, time_last;

uint64_t hal_get_time(void)
{
    uint32_t now = mcusim_cycles();
    if (now < time_last)
        time_high++;
    time_last = now;
    return ((uint64_t)time_high << 32) | now;
}

size_t hal_get_stack_size(void)
{
    return 0;
}

void hal_spraystack(void)
{
}

size_t hal_checkstack(void)
{
    return 0;
}

/* Marsaglia's xorshift32, seeded with a fixed value: the same bytes on
 * every run and every machine. */
static uint32_t rng_state = 0x6d637573u; /* "mcus" */

static uint32_t next_word(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* Four bytes per word, in the order of pqm4's common/randombytes.c. */
int randombytes(uint8_t *out, size_t len)
{
    while (len > 4) {
        uint32_t w = next_word();
        *out++ = (uint8_t)w;
        *out++ = (uint8_t)(w >> 8);
        *out++ = (uint8_t)(w >> 16);
        *out++ = (uint8_t)(w >> 24);
        len -= 4;
    }
    if (len > 0) {
        uint32_t w = next_word();
        for (; len > 0; --len)
            *out++ = (uint8_t)(w >> (8 * (len - 1)));
    }
    return 0;
}
