/*
 * bsp.h — what the project's board-level firmware (the peripheral tests,
 * the RTOS demo) needs from a board, written once per board in
 * bsp_<board>.c against the part's reference manual: its registers, its
 * interrupt numbers, its clock start-up as the vendor's start-up code
 * does it.  Nothing here knows mcusim: the same images run on the board
 * (and the mps2-an386 ones on QEMU).
 *
 * The parts the programs share are crt0.c (reset, C run time, newlib's
 * system calls on the console UART), console.c (polled and
 * interrupt-driven output) and switch.c (PendSV context switching).
 */
#ifndef BSP_H
#define BSP_H

#include <stdbool.h>
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

/* Cortex-M System Control Space (ARMv6-M / ARMv7-M ARM, B3). */
#define SCB_ICSR REG32(0xE000ED04u)
#define SCB_VTOR REG32(0xE000ED08u)
#define SCB_SHPR3 REG32(0xE000ED20u)
#define SCB_CPACR REG32(0xE000ED88u)
#define NVIC_ISER(n) REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * (n))
#define NVIC_IPR_BYTE(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define ICSR_PENDSVSET (1u << 28)

static inline void nvic_enable(unsigned irq)
{
    NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

static inline void nvic_disable(unsigned irq)
{
    NVIC_ICER(irq / 32) = 1u << (irq % 32);
}

/* ARMv6-M has word access only to the priority registers. */
static inline void nvic_priority(unsigned irq, uint8_t prio)
{
    volatile uint32_t *ipr = (volatile uint32_t *)(0xE000E400u + (irq & ~3u));
    unsigned shift = 8 * (irq & 3);
    *ipr = (*ipr & ~(0xFFu << shift)) | ((uint32_t)prio << shift);
}

static inline void irq_off(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_on(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm volatile("wfi" ::: "memory"); }

/* ---- what each board provides (bsp_<board>.c) ---- */

extern const char bsp_board_name[];

/* Clock start-up, called by the reset handler before the C run time
 * (CMSIS's SystemInit): oscillators, PLL, flash wait states, caches. */
void SystemInit(void);
/* The core clock as the clock registers now say. */
uint32_t bsp_core_hz(void);

/* The console UART: 8N1 at `baud`, transmitter on, interrupts off. */
void bsp_console_init(uint32_t baud);
void bsp_console_putc(char c);          /* waits until the transmitter takes it */
/* Interrupt-driven transmission: the UART's interrupt handler sends what
 * console_next_tx() gives and stops at -1. */
void bsp_console_tx_kick(void);
bool bsp_console_tx_done(void);         /* every byte has left the shift register */
int bsp_console_getc(void);             /* a received byte, or -1 (polled) */

/* A periodic interrupt at `hz` from the part's own timer; its handler
 * calls bsp_timer_tick().  bsp_timer_name names the timer. */
extern const char bsp_timer_name[];
void bsp_timer_start(uint32_t hz);
void bsp_timer_stop(void);

/* Turns the part's flash cache on or off; -1 when it has none that
 * software switches (defined by the boards that have one). */
int bsp_flash_cache(bool on);

/* Installs an interrupt handler at run time (crt0.c: the vector table is
 * copied to RAM the first time). */
void bsp_set_irq_handler(unsigned irq, void (*handler)(void));

/* ---- what the programs provide to the boards ---- */

int console_next_tx(void);              /* console.c: next byte to send, -1: none */
void bsp_timer_tick(void);              /* the program's tick (weak default: counts) */

/* Ends the run with a status (semihosting exit: the debugger, QEMU or
 * mcusim gets it; a board without one stops at a breakpoint). */
void bsp_exit(int status) __attribute__((noreturn));

#endif
