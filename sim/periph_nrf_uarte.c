/*
 * periph_nrf_uarte.c — the nRF52840's UARTE0 and UART0, one peripheral at
 * 0x40002000 whose ENABLE register picks the personality (Product
 * Specification v1.7, "UARTE" and "UART"): 8 the UARTE with EasyDMA, 4
 * the legacy UART.
 *
 * UARTE transmit: STARTTX reads TXD.MAXCNT bytes from TXD.PTR (EasyDMA:
 * the bytes go to the console then) and raises TXSTARTED; each byte takes
 * a frame at the BAUDRATE register's rate (start, 8 data, parity if
 * CONFIG asks, one or two stop bits), TXDRDY follows each byte, and ENDTX
 * (TXD.AMOUNT = MAXCNT) comes when the last one has been sent.  STOPTX
 * ends a transfer early: TXSTOPPED, TXD.AMOUNT the bytes sent.  Receive:
 * STARTRX raises RXSTARTED; received bytes (the console's --uart-in) are
 * written at RXD.PTR one frame apart, with RXDRDY, until RXD.MAXCNT, then
 * ENDRX; STOPRX ends it with ENDRX and RXTO.  SHORTS ENDRX_STARTRX
 * restarts reception.
 *
 * UART: STARTTX, then each byte written to TXD is sent (TXDRDY when it
 * has been); STARTRX, then each received byte is in RXD with RXDRDY.
 * Bytes are received no sooner than firmware has taken the previous one
 * (as with flow control), so none is lost.
 *
 * The BAUDRATE register is a fraction of the 16 MHz clock: the rate is
 * BAUDRATE * 16 MHz / 2^32 (0x01D7E000 is 115200 baud).
 */
#include "periph_nrf.h"

enum {
    STARTRX = 0x000, STOPRX = 0x004, STARTTX = 0x008, STOPTX = 0x00C, FLUSHRX = 0x02C,
    EV_RXDRDY = 0x108, EV_ENDRX = 0x110, EV_TXDRDY = 0x11C, EV_ENDTX = 0x120, EV_RXTO = 0x144,
    EV_RXSTARTED = 0x14C, EV_TXSTARTED = 0x150, EV_TXSTOPPED = 0x158,
    ERRORSRC = 0x480, ENABLE = 0x500, PSEL_RTS = 0x508, PSEL_TXD = 0x50C, PSEL_CTS = 0x510, PSEL_RXD = 0x514,
    UART_RXD = 0x518, UART_TXD = 0x51C, BAUDRATE = 0x524,
    RXD_PTR = 0x534, RXD_MAXCNT = 0x538, RXD_AMOUNT = 0x53C, TXD_PTR = 0x544, TXD_MAXCNT = 0x548,
    TXD_AMOUNT = 0x54C, CONFIG = 0x56C,
};
enum { ENABLE_UART = 4, ENABLE_UARTE = 8 };
enum { SHORT_ENDRX_STARTRX = 1u << 5, SHORT_ENDRX_STOPRX = 1u << 6 };

struct uarte {
    struct nrf_events ev;
    uint32_t shorts, enable, baudrate, config, errorsrc, psel[4];
    uint32_t rxd_ptr, rxd_maxcnt, rxd_amount, txd_ptr, txd_maxcnt, txd_amount;
    /* transmit: a DMA transfer of n bytes from tx_start, or UART bytes */
    bool tx_dma;
    uint64_t tx_start;
    uint32_t tx_n;
    uint64_t tx_end;          /* the cycle the last accepted byte is out; 0: idle */
    bool uart_tx_on;
    /* receive */
    bool rx_on;
    int rx_next_byte;         /* -1: none */
    uint64_t rx_at;
    bool uart_rxd_full;
    uint8_t uart_rxd;
};

static uint64_t frame_cycles(struct periph *p)
{
    struct uarte *u = p->state;
    if (!u->baudrate)
        return PERIPH_NEVER;
    unsigned bits = 1 + 8 + ((u->config >> 1) & 7 ? 1 : 0) + ((u->config >> 4) & 1 ? 2 : 1);
    /* bits * 2^32 / BAUDRATE periods of 16 MHz */
    unsigned __int128 c = ((unsigned __int128)bits << 32) * periph_core_hz(p);
    unsigned __int128 d = (unsigned __int128)u->baudrate * 16000000u;
    return (uint64_t)((c + d - 1) / d);
}

static void schedule_rx(struct periph *p, uint64_t after)
{
    struct uarte *u = p->state;
    if (u->rx_next_byte < 0)
        u->rx_next_byte = periph_console_rx(p);
    uint64_t f = frame_cycles(p);
    u->rx_at = u->rx_next_byte < 0 || f == PERIPH_NEVER ? PERIPH_NEVER : after + f;
}

static void sync(struct periph *p, uint64_t now)
{
    struct uarte *u = p->state;
    if (u->tx_end && u->tx_dma && now >= u->tx_start + frame_cycles(p))
        u->ev.set |= NRF_EVENT_BIT(EV_TXDRDY);
    if (u->tx_end && u->tx_end <= now) {
        u->ev.set |= NRF_EVENT_BIT(EV_TXDRDY);
        if (u->tx_dma) {
            u->txd_amount = u->tx_n;
            u->ev.set |= NRF_EVENT_BIT(EV_ENDTX);
        }
        u->tx_end = 0;
    }
    while (u->rx_on && u->rx_at <= now) {
        uint64_t at = u->rx_at;
        uint8_t byte = (uint8_t)u->rx_next_byte;
        u->rx_next_byte = -1;
        u->ev.set |= NRF_EVENT_BIT(EV_RXDRDY);
        if (u->enable == ENABLE_UART) {
            u->uart_rxd = byte;
            u->uart_rxd_full = true;
            u->rx_at = PERIPH_NEVER; /* the next one after RXD is read */
            break;
        }
        if (u->rxd_amount < u->rxd_maxcnt)
            periph_mem_write(p, u->rxd_ptr + u->rxd_amount, &byte, 1);
        u->rxd_amount++;
        if (u->rxd_amount >= u->rxd_maxcnt) {
            u->ev.set |= NRF_EVENT_BIT(EV_ENDRX);
            if (u->shorts & SHORT_ENDRX_STARTRX) {
                u->rxd_amount = 0;
                u->ev.set |= NRF_EVENT_BIT(EV_RXSTARTED);
            } else {
                u->rx_on = false;
                break;
            }
        }
        schedule_rx(p, at);
    }
    periph_irq(p, 0, nrf_irq_level(&u->ev));
}

static void reset(struct periph *p)
{
    struct uarte *u = p->state;
    *u = (struct uarte){.baudrate = 0x04000000, .rx_next_byte = -1, .rx_at = PERIPH_NEVER};
    for (int i = 0; i < 4; i++)
        u->psel[i] = 0xFFFFFFFFu;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct uarte *u = p->state;
    sync(p, now);
    uint32_t v;
    if (nrf_events_read(&u->ev, off, &v))
        return v;
    switch (off) {
    case NRF_SHORTS: return u->shorts;
    case ERRORSRC: return u->errorsrc;
    case ENABLE: return u->enable;
    case PSEL_RTS:
    case PSEL_TXD:
    case PSEL_CTS:
    case PSEL_RXD: return u->psel[(off - PSEL_RTS) / 4];
    case UART_RXD: {
        uint32_t b = u->uart_rxd;
        if (u->uart_rxd_full) {
            u->uart_rxd_full = false;
            if (u->rx_on)
                schedule_rx(p, now);
        }
        return b;
    }
    case BAUDRATE: return u->baudrate;
    case RXD_PTR: return u->rxd_ptr;
    case RXD_MAXCNT: return u->rxd_maxcnt;
    case RXD_AMOUNT: return u->rxd_amount;
    case TXD_PTR: return u->txd_ptr;
    case TXD_MAXCNT: return u->txd_maxcnt;
    case TXD_AMOUNT: return u->txd_amount;
    case CONFIG: return u->config;
    }
    if (off < 0x100)
        return 0;
    return periph_unmodelled_read(p, off, now);
}

/* The first byte of a transmission starts when the transmitter is free. */
static uint64_t tx_begin(struct uarte *u, uint64_t now)
{
    return u->tx_end > now ? u->tx_end : now;
}

static void start_tx_dma(struct periph *p, uint64_t now)
{
    struct uarte *u = p->state;
    u->ev.set |= NRF_EVENT_BIT(EV_TXSTARTED);
    u->txd_amount = 0;
    uint32_t n = u->txd_maxcnt & 0xFFFF;
    uint8_t buf[256];
    for (uint32_t done = 0; done < n;) {
        uint32_t chunk = n - done < sizeof buf ? n - done : (uint32_t)sizeof buf;
        if (periph_mem_read(p, u->txd_ptr + done, buf, chunk)) {
            n = done; /* EasyDMA outside memory: the rest is not sent */
            break;
        }
        for (uint32_t i = 0; i < chunk; i++)
            periph_console_tx(p, buf[i]);
        done += chunk;
    }
    uint64_t f = frame_cycles(p);
    u->tx_dma = true;
    u->tx_start = tx_begin(u, now);
    u->tx_n = n;
    u->tx_end = f == PERIPH_NEVER ? u->tx_start + 1 : u->tx_start + (uint64_t)n * f;
    if (!u->tx_end)
        u->tx_end = 1;
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct uarte *u = p->state;
    sync(p, now);
    if (nrf_events_write(&u->ev, off, v, mask)) {
        sync(p, now);
        return;
    }
    bool task = nrf_task(v, mask);
    bool on = u->enable == ENABLE_UART || u->enable == ENABLE_UARTE;
    switch (off) {
    case STARTTX:
        if (!task || !on)
            break;
        if (u->enable == ENABLE_UARTE)
            start_tx_dma(p, now);
        else
            u->uart_tx_on = true;
        break;
    case STOPTX:
        if (!task)
            break;
        if (u->tx_end && u->tx_dma) {
            uint64_t f = frame_cycles(p);
            uint64_t sent = now > u->tx_start && f != PERIPH_NEVER ? (now - u->tx_start) / f : 0;
            u->txd_amount = sent < u->tx_n ? (uint32_t)sent : u->tx_n;
            u->tx_end = 0;
        }
        u->uart_tx_on = false;
        if (u->enable == ENABLE_UARTE)
            u->ev.set |= NRF_EVENT_BIT(EV_TXSTOPPED);
        break;
    case STARTRX:
        if (!task || !on)
            break;
        u->rx_on = true;
        u->rxd_amount = 0;
        if (u->enable == ENABLE_UARTE)
            u->ev.set |= NRF_EVENT_BIT(EV_RXSTARTED);
        if (!u->uart_rxd_full)
            schedule_rx(p, now);
        break;
    case STOPRX:
        if (!task || !u->rx_on)
            break;
        u->rx_on = false;
        u->rx_at = PERIPH_NEVER;
        u->ev.set |= NRF_EVENT_BIT(EV_RXTO);
        if (u->enable == ENABLE_UARTE)
            u->ev.set |= NRF_EVENT_BIT(EV_ENDRX);
        break;
    case FLUSHRX:
        break;
    case NRF_SHORTS: u->shorts = periph_merge(u->shorts, v, mask) & (SHORT_ENDRX_STARTRX | SHORT_ENDRX_STOPRX); break;
    case ERRORSRC: u->errorsrc &= ~(v & mask); break;
    case ENABLE: u->enable = periph_merge(u->enable, v, mask) & 0xF; break;
    case PSEL_RTS:
    case PSEL_TXD:
    case PSEL_CTS:
    case PSEL_RXD: u->psel[(off - PSEL_RTS) / 4] = periph_merge(u->psel[(off - PSEL_RTS) / 4], v, mask); break;
    case UART_TXD:
        if (u->enable == ENABLE_UART && u->uart_tx_on) {
            uint64_t f = frame_cycles(p);
            periph_console_tx(p, (uint8_t)v);
            u->tx_dma = false;
            u->tx_end = tx_begin(u, now) + (f == PERIPH_NEVER ? 1 : f);
        }
        break;
    case BAUDRATE: u->baudrate = periph_merge(u->baudrate, v, mask); break;
    case RXD_PTR: u->rxd_ptr = periph_merge(u->rxd_ptr, v, mask); break;
    case RXD_MAXCNT: u->rxd_maxcnt = periph_merge(u->rxd_maxcnt, v, mask) & 0xFFFF; break;
    case TXD_PTR: u->txd_ptr = periph_merge(u->txd_ptr, v, mask); break;
    case TXD_MAXCNT: u->txd_maxcnt = periph_merge(u->txd_maxcnt, v, mask) & 0xFFFF; break;
    case CONFIG: u->config = periph_merge(u->config, v, mask) & 0x1F; break;
    default:
        if (off >= 0x100 || !task)
            periph_unmodelled_write(p, off, v, mask, now);
        break;
    }
    sync(p, now);
}

static uint64_t next_event(struct periph *p)
{
    struct uarte *u = p->state;
    uint64_t next = PERIPH_NEVER;
    if (u->tx_end) {
        next = u->tx_end;
        uint64_t first = u->tx_start + frame_cycles(p);
        if (u->tx_dma && (u->ev.inten & NRF_EVENT_BIT(EV_TXDRDY)) && first < next)
            next = first;
    }
    if (u->rx_on && u->rx_at < next)
        next = u->rx_at;
    return next;
}

const struct periph_model periph_nrf_uarte = {
    .name = "nrf52-uarte",
    .summary = "nRF52840 UARTE (EasyDMA) and legacy UART at one address (ENABLE chooses): frames at the BAUDRATE "
               "register's rate, TX/RX events and interrupts",
    .size = 0x1000,
    .state_size = sizeof(struct uarte),
    .irqs = (const char *const[]){"uarte", NULL},
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = sync,
};
