/*
 * console.c — see console.h.  The ring is filled by the program and
 * drained by the UART's transmit interrupt; a full ring makes the writer
 * wait (with WFI) for the interrupt to make room.
 */
#include "console.h"

#include "bsp.h"

#define RING 256

static volatile char ring[RING];
static volatile unsigned head, tail; /* written by the program / the interrupt */
static bool use_interrupts;

int console_next_tx(void)
{
    if (tail == head)
        return -1;
    char c = ring[tail % RING];
    tail++;
    return (unsigned char)c;
}

void console_use_interrupts(bool on)
{
    console_flush();
    use_interrupts = on;
}

void console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!use_interrupts) {
            bsp_console_putc(buf[i]);
            continue;
        }
        while (head - tail >= RING) {
            /* Interrupts off between the test and WFI: one arriving in
             * between would otherwise be slept through.  WFI still wakes
             * on it, and enabling takes it. */
            irq_off();
            if (head - tail >= RING)
                wait_for_interrupt();
            irq_on();
        }
        ring[head % RING] = buf[i];
        head++;
        bsp_console_tx_kick();
    }
}

void console_flush(void)
{
    for (;;) {
        irq_off();
        bool done = head == tail && bsp_console_tx_done();
        if (!done && use_interrupts && head != tail)
            wait_for_interrupt();
        irq_on();
        if (done)
            return;
    }
}
