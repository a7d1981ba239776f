/*
 * periph_pl011.c — the Arm PrimeCell UART PL011 (TRM DDI0183, r1p5), the
 * RP2040's UART0 and UART1 (RP2040 datasheet §4.2).
 *
 * DR 0x000, RSR/ECR 0x004, FR 0x018 (BUSY, RXFE, TXFF, RXFF, TXFE), ILPR,
 * IBRD 0x024, FBRD 0x028, LCR_H 0x02C (word length, FIFOs, stop bits,
 * parity), CR 0x030 (UARTEN, TXE, RXE), IFLS 0x034, IMSC 0x038, RIS
 * 0x03C, MIS 0x040, ICR 0x044, DMACR 0x048, identification 0xFE0-0xFFC.
 *
 * Transmit: with LCR_H.FEN a 32-byte FIFO, else a one-byte holding
 * register, in front of the shift register.  A frame (start bit, WLEN
 * data bits, parity if PEN, one or two stop bits) lasts 16 * (IBRD +
 * FBRD/64) cycles of UARTCLK (`clock =`, the RP2040's clk_peri).  The
 * transmit interrupt (RIS.TX) is raised when the FIFO falls to the IFLS
 * trigger level (or the holding register empties) and cleared by ICR or by
 * writes that fill the FIFO above it.  Bytes go to the console when DR
 * takes them.
 *
 * Receive (the board's console only): bytes of --uart-in arrive one frame
 * apart once RXE is set, no sooner than firmware has read the previous
 * one, so none is lost; RIS.RX is raised for each.  The receive timeout
 * and the error flags are not modelled.
 */
#include "periph.h"

enum { DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02C, CR = 0x030,
       IFLS = 0x034, IMSC = 0x038, RIS = 0x03C, MIS = 0x040, ICR = 0x044, DMACR = 0x048, PID0 = 0xFE0,
       CID3 = 0xFFC };
enum { FR_BUSY = 1u << 3, FR_RXFE = 1u << 4, FR_TXFF = 1u << 5, FR_RXFF = 1u << 6, FR_TXFE = 1u << 7 };
enum { UARTEN = 1u << 0, TXE = 1u << 8, RXE = 1u << 9 };
enum { INT_RX = 1u << 4, INT_TX = 1u << 5 };
#define FIFO 32

/* PeriphID0-3, PCellID0-3 (TRM 3.3.14-15; the RP2040's UART reads the same). */
static const uint8_t ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

struct pl011 {
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
    uint32_t queued;           /* bytes waiting for the shifter */
    uint64_t shift_end;        /* the cycle the shifter finishes; <= now: idle */
    bool tx_ris;               /* RIS.TX */
    bool rx_ris;               /* RIS.RX */
    bool rx_full;
    uint8_t rx_data;
    int rx_next_byte;
    uint64_t rx_at;
};

static uint32_t depth(const struct pl011 *u)
{
    return (u->lcr_h & (1u << 4)) ? FIFO : 1;
}

/* The TX trigger: the interrupt comes when the queue is at or below it. */
static uint32_t tx_trigger(const struct pl011 *u)
{
    static const uint32_t eighths[5] = {1, 2, 4, 6, 7};
    if (depth(u) == 1)
        return 0;
    uint32_t sel = u->ifls & 7;
    return FIFO * eighths[sel < 5 ? sel : 4] / 8;
}

static uint64_t frame_cycles(struct periph *p)
{
    struct pl011 *u = p->state;
    uint64_t div64 = (uint64_t)u->ibrd * 64 + (u->fbrd & 63); /* baud divisor in 1/64ths */
    uint64_t uartclk = periph_clock_hz(p);
    if (!div64 || !uartclk)
        return 1;
    unsigned bits = 1 + 5 + ((u->lcr_h >> 5) & 3) + ((u->lcr_h >> 1) & 1) + ((u->lcr_h >> 3) & 1 ? 2 : 1);
    /* bits * 16 * div64 / 64 UARTCLK periods */
    unsigned __int128 n = (unsigned __int128)bits * div64 * periph_core_hz(p);
    uint64_t d = 4 * uartclk;
    return (uint64_t)((n + d - 1) / d);
}

static bool sending(const struct pl011 *u)
{
    return (u->cr & UARTEN) && (u->cr & TXE);
}

static bool receiving(const struct pl011 *u)
{
    return (u->cr & UARTEN) && (u->cr & RXE);
}

static void schedule_rx(struct periph *p, uint64_t after)
{
    struct pl011 *u = p->state;
    if (u->rx_next_byte < 0)
        u->rx_next_byte = periph_console_rx(p);
    u->rx_at = u->rx_next_byte < 0 ? PERIPH_NEVER : after + frame_cycles(p);
}

static void sync(struct periph *p, uint64_t now)
{
    struct pl011 *u = p->state;
    if (u->queued && u->shift_end <= now && sending(u)) {
        uint64_t f = frame_cycles(p);
        uint32_t before = u->queued;
        uint64_t entered = (now - u->shift_end) / f + 1;
        if (entered >= u->queued) {
            u->shift_end += (uint64_t)u->queued * f;
            u->queued = 0;
        } else {
            u->shift_end += entered * f;
            u->queued -= (uint32_t)entered;
        }
        if (before > tx_trigger(u) && u->queued <= tx_trigger(u))
            u->tx_ris = true; /* the level passed through the trigger */
    }
    if (receiving(u) && !u->rx_full && u->rx_at <= now) {
        u->rx_data = (uint8_t)u->rx_next_byte;
        u->rx_next_byte = -1;
        u->rx_full = true;
        u->rx_ris = true;
        u->rx_at = PERIPH_NEVER;
    }
}

static uint32_t ris(const struct pl011 *u)
{
    return (u->tx_ris ? INT_TX : 0) | (u->rx_ris ? INT_RX : 0);
}

static void update_irq(struct periph *p)
{
    struct pl011 *u = p->state;
    periph_irq(p, 0, (ris(u) & u->imsc) != 0);
}

static void reset(struct periph *p)
{
    struct pl011 *u = p->state;
    *u = (struct pl011){.cr = TXE | RXE, .ifls = 0x12, .rx_next_byte = -1, .rx_at = PERIPH_NEVER};
}

static uint32_t peek(struct periph *p, uint32_t off)
{
    struct pl011 *u = p->state;
    switch (off) {
    case ILPR: return u->ilpr;
    case IBRD: return u->ibrd;
    case FBRD: return u->fbrd;
    case LCR_H: return u->lcr_h;
    case CR: return u->cr;
    case IFLS: return u->ifls;
    case IMSC: return u->imsc;
    case RIS: return ris(u);
    case MIS: return ris(u) & u->imsc;
    case DMACR: return u->dmacr;
    }
    return 0;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct pl011 *u = p->state;
    sync(p, now);
    uint32_t v;
    switch (off) {
    case DR:
        v = u->rx_data;
        if (u->rx_full) {
            u->rx_full = false;
            u->rx_ris = false;
            if (receiving(u))
                schedule_rx(p, now);
        }
        break;
    case RSR: v = 0; break;
    case FR: {
        bool busy = u->queued || u->shift_end > now;
        v = (busy ? FR_BUSY : 0) | (u->rx_full ? (depth(u) == 1 ? FR_RXFF : 0) : FR_RXFE) |
            (u->queued >= depth(u) ? FR_TXFF : 0) | (u->queued ? 0 : FR_TXFE);
        break;
    }
    case ICR: v = 0; break;
    default:
        if (off >= PID0 && off <= CID3)
            return ids[(off - PID0) / 4];
        if (off <= DMACR && off != 0x8 && off != 0xC && off != 0x10 && off != 0x14 && off != 0x1C)
            return peek(p, off);
        return periph_unmodelled_read(p, off, now);
    }
    update_irq(p);
    return v;
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct pl011 *u = p->state;
    sync(p, now);
    switch (off) {
    case DR:
        if (!sending(u) || u->queued >= depth(u))
            break; /* the byte is lost */
        periph_console_tx(p, (uint8_t)v);
        if (u->shift_end <= now && !u->queued)
            u->shift_end = now + frame_cycles(p);
        else
            u->queued++;
        if (u->queued > tx_trigger(u))
            u->tx_ris = false;
        break;
    case RSR: break; /* ECR: clears error flags, none are raised */
    case ILPR: u->ilpr = periph_merge(u->ilpr, v, mask) & 0xFF; break;
    case IBRD: u->ibrd = periph_merge(u->ibrd, v, mask) & 0xFFFF; break;
    case FBRD: u->fbrd = periph_merge(u->fbrd, v, mask) & 0x3F; break;
    case LCR_H: u->lcr_h = periph_merge(u->lcr_h, v, mask) & 0xFF; break;
    case CR: {
        bool was_rx = receiving(u);
        u->cr = periph_merge(u->cr, v, mask) & 0xFF87;
        if (receiving(u) && !was_rx && !u->rx_full)
            schedule_rx(p, now);
        sync(p, now);
        break;
    }
    case IFLS: u->ifls = periph_merge(u->ifls, v, mask) & 0x3F; break;
    case IMSC: u->imsc = periph_merge(u->imsc, v, mask) & 0x7FF; break;
    case ICR:
        if (v & mask & INT_TX)
            u->tx_ris = false;
        if (v & mask & INT_RX)
            u->rx_ris = false;
        break;
    case DMACR: u->dmacr = periph_merge(u->dmacr, v, mask) & 7; break;
    default:
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    /* Without a FIFO the holding register empties into the idle shifter
     * at once: that is the transmit interrupt's edge too. */
    if (off == DR && depth(u) == 1 && !u->queued)
        u->tx_ris = true;
    update_irq(p);
}

static uint64_t next_event(struct periph *p)
{
    struct pl011 *u = p->state;
    uint64_t next = PERIPH_NEVER;
    if ((u->imsc & INT_TX) && !u->tx_ris && u->queued > tx_trigger(u) && sending(u)) {
        /* The level falls to the trigger when queued - trigger bytes have
         * entered the shifter. */
        next = u->shift_end + (uint64_t)(u->queued - tx_trigger(u) - 1) * frame_cycles(p);
    }
    if ((u->imsc & INT_RX) && receiving(u) && !u->rx_full && u->rx_at < next)
        next = u->rx_at;
    return next;
}

static void event(struct periph *p, uint64_t now)
{
    sync(p, now);
    update_irq(p);
}

const struct periph_model periph_pl011 = {
    .name = "pl011",
    .summary = "Arm PL011 UART (DDI0183; RP2040 UART0/1): 32-byte FIFOs, 16x(IBRD+FBRD/64) baud divisor, TX/RX "
               "interrupts at the FIFO trigger levels",
    .size = 0x1000,
    .state_size = sizeof(struct pl011),
    .irqs = (const char *const[]){"uart", NULL},
    .reset = reset,
    .peek = peek,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = event,
};
