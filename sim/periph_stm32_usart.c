/*
 * periph_stm32_usart.c — the STM32 USART and LPUART of the L4+ and F7
 * families (RM0432 §50-51, RM0385 §34): one register layout, CR1 0x00,
 * CR2 0x04, CR3 0x08, BRR 0x0C, GTPR 0x10, RTOR 0x14, RQR 0x18, ISR 0x1C,
 * ICR 0x20, RDR 0x24, TDR 0x28 and, on the L4+, PRESC 0x2C.
 *
 * Transmit: TDR (or, on the L4+ with CR1.FIFOEN, an 8-byte FIFO) in front
 * of the shift register.  A byte written when the shifter is idle starts
 * at once; others wait their turn.  Each takes a frame (start bit, the
 * CR1.M word, CR2.STOP stop bits) at the baud rate BRR gives: the kernel
 * clock (`clock =`, prescaled by PRESC on the L4+) over BRR, over BRR/2
 * with OVER8, or 256 times it over BRR on the LPUART.  ISR.TXE (TXFNF)
 * says there is room, TC that the last frame has left, TEACK/REACK follow
 * TE/RE; the interrupt line is the OR of TXE&TXEIE, TC&TCIE, RXNE&RXNEIE
 * and TXFE&TXFEIE.  Bytes go to the console when TDR takes them.
 *
 * Receive (the board's console only): bytes of --uart-in arrive one frame
 * apart once RE is set, no sooner than firmware has read the previous one
 * from RDR, so none is lost.  Idle-line, break, parity and noise
 * detection, LIN, smartcard, IrDA and the auto-baud are not modelled.
 */
#include "periph.h"

#include <string.h>

enum { CR1 = 0x00, CR2 = 0x04, CR3 = 0x08, BRR = 0x0C, GTPR = 0x10, RTOR = 0x14, RQR = 0x18, ISR = 0x1C,
       ICR = 0x20, RDR = 0x24, TDR = 0x28, PRESC = 0x2C };
enum { UE = 1u << 0, RE = 1u << 2, TE = 1u << 3, RXNEIE = 1u << 5, TCIE = 1u << 6, TXEIE = 1u << 7,
       M0 = 1u << 12, OVER8 = 1u << 15, M1 = 1u << 28, FIFOEN = 1u << 29, TXFEIE = 1u << 30 };
enum { ISR_RXNE = 1u << 5, ISR_TC = 1u << 6, ISR_TXE = 1u << 7, ISR_TEACK = 1u << 21, ISR_REACK = 1u << 22,
       ISR_TXFE = 1u << 23 };
enum { IRQ_USART };

struct usart {
    bool lpuart, fifo;       /* model and L4+ features (FIFO, PRESC) */
    uint32_t cr1, cr2, cr3, brr, gtpr, rtor, presc;
    uint32_t queued;         /* bytes waiting for the shifter */
    uint64_t shift_end;      /* the cycle the shifter finishes; <= now: idle */
    uint64_t tc_cleared;     /* TCCF written at this cycle (TC stays clear until a later completion) */
    bool tc_was_cleared;
    bool rx_full;
    uint8_t rdr;
    int rx_next_byte;
    uint64_t rx_at;
    uint64_t synced;         /* the cycle the state was last brought up to */
};

static uint32_t depth(const struct usart *u)
{
    return u->fifo && (u->cr1 & FIFOEN) ? 8 : 1;
}

static uint64_t frame_cycles(struct periph *p)
{
    struct usart *u = p->state;
    static const uint32_t presc_div[12] = {1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256};
    uint64_t fck = periph_clock_hz(p);
    if (u->fifo)
        fck /= presc_div[u->presc < 12 ? u->presc : 11];
    unsigned word = (u->cr1 & M1) ? 7 : (u->cr1 & M0) ? 9 : 8;
    static const unsigned stop_halves[4] = {2, 1, 4, 3};
    unsigned halves = 2 * (1 + word) + stop_halves[(u->cr2 >> 12) & 3];
    /* One bit lasts bit_num / bit_den kernel clocks. */
    uint64_t bit_num, bit_den;
    if (u->lpuart) {
        bit_num = u->brr & 0xFFFFF;
        bit_den = 256;
    } else if (u->cr1 & OVER8) {
        bit_num = (u->brr & 0xFFF0) | ((u->brr & 7) << 1);
        bit_den = 2;
    } else {
        bit_num = u->brr & 0xFFFF;
        bit_den = 1;
    }
    if (!bit_num || !fck)
        return 1; /* not programmed: no time */
    unsigned __int128 n = (unsigned __int128)halves * bit_num * periph_core_hz(p);
    unsigned __int128 d = (unsigned __int128)2 * bit_den * fck;
    return (uint64_t)((n + d - 1) / d);
}

static void schedule_rx(struct periph *p, uint64_t after)
{
    struct usart *u = p->state;
    if (u->rx_next_byte < 0)
        u->rx_next_byte = periph_console_rx(p);
    u->rx_at = u->rx_next_byte < 0 ? PERIPH_NEVER : after + frame_cycles(p);
}

static bool receiving(const struct usart *u)
{
    return (u->cr1 & UE) && (u->cr1 & RE);
}

static void sync(struct periph *p, uint64_t now)
{
    struct usart *u = p->state;
    if (now > u->synced)
        u->synced = now;
    if (u->queued && u->shift_end <= now) {
        uint64_t f = frame_cycles(p);
        uint64_t done = (now - u->shift_end) / f + 1; /* frames finished since */
        if (done >= u->queued) {
            u->shift_end += u->queued * f;
            u->queued = 0;
        } else {
            u->shift_end += done * f;
            u->queued -= (uint32_t)done;
        }
    }
    if (receiving(u) && !u->rx_full && u->rx_at <= now) {
        u->rdr = (uint8_t)u->rx_next_byte;
        u->rx_next_byte = -1;
        u->rx_full = true;
        u->rx_at = PERIPH_NEVER;
    }
}

static bool tc(const struct usart *u, uint64_t now)
{
    return !u->queued && u->shift_end <= now && !(u->tc_was_cleared && u->tc_cleared >= u->shift_end);
}

static uint32_t isr(const struct usart *u, uint64_t now)
{
    uint32_t v = 0;
    if (u->queued < depth(u))
        v |= ISR_TXE;
    if (!u->queued)
        v |= ISR_TXFE;
    if (tc(u, now))
        v |= ISR_TC;
    if (u->rx_full)
        v |= ISR_RXNE;
    if ((u->cr1 & UE) && (u->cr1 & TE))
        v |= ISR_TEACK;
    if (receiving(u))
        v |= ISR_REACK;
    return v;
}

static void update_irq(struct periph *p, uint64_t now)
{
    struct usart *u = p->state;
    uint32_t s = isr(u, now);
    bool level = ((u->cr1 & TXEIE) && (s & ISR_TXE)) || ((u->cr1 & TCIE) && (s & ISR_TC)) ||
                 ((u->cr1 & RXNEIE) && (s & ISR_RXNE)) || (u->fifo && (u->cr1 & TXFEIE) && (s & ISR_TXFE));
    periph_irq(p, IRQ_USART, level);
}

static int init(struct periph *p, char *err, size_t errlen)
{
    struct usart *u = p->state;
    u->lpuart = !strcmp(p->model->name, "stm32-lpuart");
    const char *fifo = periph_param(p, "fifo");
    if (fifo && strcmp(fifo, "yes") && strcmp(fifo, "no")) {
        snprintf(err, errlen, "'fifo' is yes (the L4+ USART: FIFO and PRESC) or no, not '%s'", fifo);
        p->err_line = periph_param_line(p, "fifo");
        return -1;
    }
    u->fifo = fifo && !strcmp(fifo, "yes");
    return 0;
}

static void reset(struct periph *p)
{
    struct usart *u = p->state;
    bool lp = u->lpuart, fifo = u->fifo;
    *u = (struct usart){.lpuart = lp, .fifo = fifo, .rx_next_byte = -1, .rx_at = PERIPH_NEVER};
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct usart *u = p->state;
    sync(p, now);
    uint32_t v;
    switch (off) {
    case CR1: v = u->cr1; break;
    case CR2: v = u->cr2; break;
    case CR3: v = u->cr3; break;
    case BRR: v = u->brr; break;
    case GTPR: v = u->lpuart ? periph_unmodelled_read(p, off, now) : u->gtpr; break;
    case RTOR: v = u->lpuart ? periph_unmodelled_read(p, off, now) : u->rtor; break;
    case RQR: v = 0; break;
    case ISR: v = isr(u, now); break;
    case ICR: v = 0; break;
    case RDR:
        v = u->rdr;
        if (u->rx_full) {
            u->rx_full = false;
            if (receiving(u))
                schedule_rx(p, now);
        }
        break;
    case TDR: v = 0; break;
    case PRESC:
        if (u->fifo) {
            v = u->presc;
            break;
        }
        /* fall through */
    default: return periph_unmodelled_read(p, off, now);
    }
    update_irq(p, now);
    return v;
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct usart *u = p->state;
    sync(p, now);
    switch (off) {
    case CR1: {
        bool was_rx = receiving(u);
        u->cr1 = periph_merge(u->cr1, v, mask);
        if (!(u->cr1 & UE)) {
            u->queued = 0; /* disabling the USART drops what waits */
            u->rx_full = false;
        }
        if (receiving(u) && !was_rx && !u->rx_full)
            schedule_rx(p, now);
        break;
    }
    case CR2: u->cr2 = periph_merge(u->cr2, v, mask); break;
    case CR3: u->cr3 = periph_merge(u->cr3, v, mask); break;
    case BRR: u->brr = periph_merge(u->brr, v, mask) & (u->lpuart ? 0xFFFFF : 0xFFFF); break;
    case GTPR:
    case RTOR:
        if (u->lpuart) {
            periph_unmodelled_write(p, off, v, mask, now);
            return;
        }
        if (off == GTPR)
            u->gtpr = periph_merge(u->gtpr, v, mask) & 0xFFFF;
        else
            u->rtor = periph_merge(u->rtor, v, mask);
        break;
    case RQR:
        if (v & mask & (1u << 3))
            u->rx_full = false; /* RXFRQ */
        if (v & mask & (1u << 4))
            u->queued = 0;      /* TXFRQ */
        break;
    case ICR:
        if (v & mask & ISR_TC) {
            u->tc_cleared = now;
            u->tc_was_cleared = true;
        }
        break;
    case TDR:
        if (!(u->cr1 & UE) || !(u->cr1 & TE) || u->queued >= depth(u))
            break; /* not transmitting, or no room: the byte is lost */
        periph_console_tx(p, (uint8_t)v);
        if (u->shift_end <= now && !u->queued)
            u->shift_end = now + frame_cycles(p);
        else
            u->queued++;
        break;
    case PRESC:
        if (u->fifo) {
            u->presc = periph_merge(u->presc, v, mask) & 15;
            break;
        }
        /* fall through */
    default:
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    update_irq(p, now);
}

static uint64_t next_event(struct periph *p)
{
    struct usart *u = p->state;
    uint64_t next = PERIPH_NEVER, f = frame_cycles(p);
    if ((u->cr1 & TXEIE) && u->queued >= depth(u))
        next = u->shift_end; /* room again when the next byte enters the shifter */
    if ((u->cr1 & TXFEIE) && u->fifo && u->queued) {
        uint64_t empty = u->shift_end + (uint64_t)(u->queued - 1) * f;
        if (empty < next)
            next = empty;
    }
    if ((u->cr1 & TCIE) && (u->queued || u->shift_end > u->synced)) {
        uint64_t done = u->shift_end + (uint64_t)u->queued * f;
        if (done < next)
            next = done;
    }
    if ((u->cr1 & RXNEIE) && receiving(u) && !u->rx_full && u->rx_at < next)
        next = u->rx_at;
    return next;
}

static void event(struct periph *p, uint64_t now)
{
    sync(p, now);
    update_irq(p, now);
}

const struct periph_model periph_stm32_usart = {
    .name = "stm32-usart",
    .summary = "STM32 USART (RM0432 50, RM0385 34): TDR or 8-byte FIFO and shift register at BRR's rate, TXE/TC/RXNE "
               "interrupts",
    .size = 0x400,
    .state_size = sizeof(struct usart),
    .irqs = (const char *const[]){"usart", NULL},
    .params = (const char *const[]){"fifo", NULL},
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = event,
};

const struct periph_model periph_stm32_lpuart = {
    .name = "stm32-lpuart",
    .summary = "STM32 LPUART (RM0432 51): the USART's registers, 256 * fck / BRR baud",
    .size = 0x400,
    .state_size = sizeof(struct usart),
    .irqs = (const char *const[]){"lpuart", NULL},
    .params = (const char *const[]){"fifo", NULL},
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = event,
};
