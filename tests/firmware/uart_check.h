/*
 * uart_check.h — the checks of the board-level test of a part's other
 * UARTs (uarts_<board>.c): a line sent polled, timed against the frames
 * the baud rate gives, and a line sent by interrupt, as the vendor's
 * drivers do it; each board file supplies its UART's register code.
 * What the UARTs send reaches mcusim's console like the console UART's.
 */
#ifndef UART_CHECK_H
#define UART_CHECK_H

#include <string.h>

#include "console.h"
#include "measure.h"

struct uart_under_test {
    const char *name;
    unsigned irq;
    uint32_t frame_cycles;          /* 10 bits at the divisor it sets, in core cycles */
    void (*init)(void);             /* 115200 8N1, transmitter on */
    void (*put)(char c);            /* polled: waits for room, writes one byte */
    bool (*idle)(void);             /* every byte has left the shift register */
    void (*start_tx_interrupts)(void);
    void (*isr)(void);
};

static const char *irq_tx_next;
static volatile bool irq_tx_done;

/* For the board's interrupt handler: the next byte, -1 when all sent. */
static inline int uart_check_next_byte(void)
{
    if (!irq_tx_next || !*irq_tx_next)
        return -1;
    return (unsigned char)*irq_tx_next++;
}

static inline void uart_check_finished(void)
{
    irq_tx_done = true;
}

static inline void uart_check(const struct uart_under_test *u)
{
    char polled[64], by_irq[96];
    snprintf(polled, sizeof polled, "%s polled: 0123456789\n", u->name);
    snprintf(by_irq, sizeof by_irq, "%s interrupt-driven: the quick brown fox jumps over the lazy dog\n", u->name);

    console_flush();
    u->init();
    /* Timed from the first byte's write, which starts its frame. */
    u->put(polled[0]);
    uint32_t t0 = cycles_now();
    for (const char *p = polled + 1; *p; p++)
        u->put(*p);
    while (!u->idle())
        ;
    uint32_t t = cycles_since(t0, cycles_now());

    bsp_set_irq_handler(u->irq, u->isr);
    nvic_enable(u->irq);
    irq_tx_next = by_irq;
    irq_tx_done = false;
    u->start_tx_interrupts();
    while (!irq_tx_done)
        wait_for_interrupt();
    while (!u->idle())
        ;
    nvic_disable(u->irq);

    /* The first byte starts at once, each next one a frame later. */
    char what[64];
    snprintf(what, sizeof what, "%s: %u bytes polled (cycles)", u->name, (unsigned)strlen(polled));
    check_range(what, t, strlen(polled) * u->frame_cycles, 50, 300);
    snprintf(what, sizeof what, "%s: interrupt-driven bytes left", u->name);
    check_equal(what, strlen(irq_tx_next), 0);
}

#endif
