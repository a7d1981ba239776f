/*
 * periph_cmsdk_uart.c — the Arm CMSDK APB UART (Cortex-M System Design Kit
 * TRM, DDI0479C, §4.4), the console of the MPS2 FPGA images and of QEMU's
 * mps2 machines.
 *
 * Registers: DATA 0x00, STATE 0x04 (TXFULL, RXFULL, TX/RX overrun, W1C),
 * CTRL 0x08 (TX/RX enable, TX/RX and overrun interrupt enables),
 * INTSTATUS/INTCLEAR 0x0C, BAUDDIV 0x10, identification 0xFD0-0xFFC.
 *
 * Transmit: a one-byte buffer in front of the shift register.  A byte
 * written while the shifter is idle moves into it at once (TXFULL stays
 * clear) and takes 10 bit times of BAUDDIV PCLK cycles (8N1); a byte
 * written while it shifts waits in the buffer (TXFULL).  Each move from
 * the buffer to the shifter raises the TX interrupt when TXINTEN is set —
 * "the buffer changed from full to not full" — as does the write that
 * finds the shifter idle.  A byte written to a full buffer is lost
 * (TXOVERRUN).  Bytes go to the console when they are accepted.  With
 * BAUDDIV below 16 (not programmed) bytes take no time, as in QEMU.
 *
 * Receive (the board's console UART only): bytes of --uart-in arrive one
 * frame apart once RXEN is set, and no sooner than firmware has read the
 * previous one (as if the sender used flow control, so none is lost).
 */
#include "periph.h"

enum {
    DATA = 0x00, STATE = 0x04, CTRL = 0x08, INTSTATUS = 0x0C, BAUDDIV = 0x10,
    PID4 = 0xFD0, CID3 = 0xFFC,
};
enum { STATE_TXFULL = 1, STATE_RXFULL = 2, STATE_TXOVR = 4, STATE_RXOVR = 8 };
enum { CTRL_TXEN = 1, CTRL_RXEN = 2, CTRL_TXINTEN = 4, CTRL_RXINTEN = 8, CTRL_TXOINTEN = 16, CTRL_RXOINTEN = 32 };
enum { INT_TX = 1, INT_RX = 2, INT_TXO = 4, INT_RXO = 8 };
enum { IRQ_RX, IRQ_TX, IRQ_OVERRUN };

/* PID4-7, PID0-3, CID0-3 (TRM §4.4, Table 4-9). */
static const uint8_t ids[12] = {0x04, 0x00, 0x00, 0x00, 0x21, 0xB8, 0x1B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

struct uart {
    uint32_t ctrl, intstatus, bauddiv, overrun;
    bool buffered;           /* a byte waits in the transmit buffer */
    uint8_t buffer;
    uint64_t shift_end;      /* the cycle the shifter finishes its byte */
    bool rx_full;
    uint8_t rx_data;
    int rx_next_byte;        /* the next input byte, -1: none (yet) */
    uint64_t rx_at;          /* the cycle it arrives */
};

static uint64_t frame_cycles(struct periph *p)
{
    struct uart *u = p->state;
    if (u->bauddiv < 16)
        return 0;
    return periph_cycles_for(10ull * u->bauddiv, periph_clock_hz(p), periph_core_hz(p));
}

static void update_irqs(struct periph *p)
{
    struct uart *u = p->state;
    periph_irq(p, IRQ_RX, u->intstatus & INT_RX);
    periph_irq(p, IRQ_TX, u->intstatus & INT_TX);
    periph_irq(p, IRQ_OVERRUN, u->intstatus & (INT_TXO | INT_RXO));
}

/* The overrun interrupt bits follow the STATE bits and their enables. */
static void overrun_status(struct uart *u)
{
    u->intstatus &= ~(uint32_t)(INT_TXO | INT_RXO);
    u->intstatus |= u->overrun & (u->ctrl >> 2) & (INT_TXO | INT_RXO);
}

static void start_shifting(struct periph *p, uint8_t byte, uint64_t at)
{
    struct uart *u = p->state;
    periph_console_tx(p, byte);
    u->shift_end = at + frame_cycles(p);
    if (u->ctrl & CTRL_TXINTEN)
        u->intstatus |= INT_TX;
}

static void schedule_rx(struct periph *p, uint64_t after)
{
    struct uart *u = p->state;
    if (u->rx_next_byte < 0)
        u->rx_next_byte = periph_console_rx(p);
    u->rx_at = u->rx_next_byte < 0 ? PERIPH_NEVER : after + frame_cycles(p);
}

/* Everything that happened up to `now`. */
static void sync(struct periph *p, uint64_t now)
{
    struct uart *u = p->state;
    if (u->buffered && (u->ctrl & CTRL_TXEN) && u->shift_end <= now) {
        u->buffered = false;
        start_shifting(p, u->buffer, u->shift_end);
    }
    if (!u->rx_full && (u->ctrl & CTRL_RXEN) && u->rx_at <= now) {
        u->rx_full = true;
        u->rx_data = (uint8_t)u->rx_next_byte;
        u->rx_next_byte = -1;
        if (u->ctrl & CTRL_RXINTEN)
            u->intstatus |= INT_RX;
        schedule_rx(p, u->rx_at);
    }
}

static void reset(struct periph *p)
{
    struct uart *u = p->state;
    *u = (struct uart){.rx_next_byte = -1, .rx_at = PERIPH_NEVER};
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct uart *u = p->state;
    sync(p, now);
    switch (off) {
    case DATA: {
        uint32_t v = u->rx_data;
        if (u->rx_full) {
            u->rx_full = false;
            if (u->rx_at < now)
                u->rx_at = now; /* held by flow control until read */
        }
        return v;
    }
    case STATE:
        return (u->buffered ? STATE_TXFULL : 0) | (u->rx_full ? STATE_RXFULL : 0) | u->overrun;
    case CTRL: return u->ctrl;
    case INTSTATUS: return u->intstatus;
    case BAUDDIV: return u->bauddiv;
    }
    if (off >= PID4 && off <= CID3)
        return ids[(off - PID4) / 4];
    return periph_unmodelled_read(p, off, now);
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct uart *u = p->state;
    sync(p, now);
    switch (off) {
    case DATA:
        if (!(u->ctrl & CTRL_TXEN) || u->shift_end > now) {
            if (u->buffered) {
                u->overrun |= STATE_TXOVR; /* the new byte is lost */
            } else {
                u->buffered = true;
                u->buffer = (uint8_t)v;
            }
        } else {
            start_shifting(p, (uint8_t)v, now);
        }
        break;
    case STATE:
        u->overrun &= ~(v & mask & (STATE_TXOVR | STATE_RXOVR));
        break;
    case CTRL: {
        uint32_t was = u->ctrl;
        u->ctrl = periph_merge(u->ctrl, v, mask) & 0x7F;
        if ((u->ctrl & CTRL_RXEN) && !(was & CTRL_RXEN) && !u->rx_full)
            schedule_rx(p, now);
        sync(p, now); /* a byte held while TX was off starts now */
        break;
    }
    case INTSTATUS:
        u->overrun &= ~(v & mask & (INT_TXO | INT_RXO));
        u->intstatus &= ~(v & mask);
        break;
    case BAUDDIV:
        u->bauddiv = periph_merge(u->bauddiv, v, mask) & 0xFFFFF;
        break;
    default:
        if (off < PID4 || off > CID3)
            periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    overrun_status(u);
    update_irqs(p);
}

static uint64_t next_event(struct periph *p)
{
    struct uart *u = p->state;
    uint64_t next = PERIPH_NEVER;
    if (u->buffered && (u->ctrl & CTRL_TXEN) && (u->ctrl & CTRL_TXINTEN))
        next = u->shift_end;
    if (!u->rx_full && (u->ctrl & CTRL_RXEN) && (u->ctrl & CTRL_RXINTEN) && u->rx_at < next)
        next = u->rx_at;
    return next;
}

static void event(struct periph *p, uint64_t now)
{
    sync(p, now);
    overrun_status(p->state);
    update_irqs(p);
}

const struct periph_model periph_cmsdk_uart = {
    .name = "cmsdk-uart",
    .summary = "Arm CMSDK APB UART (DDI0479C 4.4): 8N1 at PCLK/BAUDDIV, one-byte TX buffer, RX/TX/overrun interrupts",
    .size = 0x1000,
    .state_size = sizeof(struct uart),
    .irqs = (const char *const[]){"rx", "tx", "overrun", NULL},
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = event,
};
