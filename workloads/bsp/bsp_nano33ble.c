/*
 * bsp_nano33ble.c — Arduino Nano 33 BLE Sense: Nordic nRF52840
 * (Cortex-M4F at 64 MHz).  Sources: nRF52840 Product Specification v1.7
 * (CLOCK, NVMC, UART, UARTE, TIMER; interrupt numbers from the
 * instantiation table); the Nano 33 BLE schematic (console on P1.03 TX,
 * P1.10 RX; no 32.768 kHz crystal).
 *
 * Start-up as nRF start-up code does it: FPU on, the instruction cache on
 * (NVMC ICACHECNF, as Zephyr's SoC init does), the 64 MHz crystal started
 * and waited for, LFCLK started from the RC oscillator and waited for.
 * The console is UART0 (the legacy UART, polled) and UARTE0 (EasyDMA,
 * interrupt-driven): one peripheral, the ENABLE register picks which.
 */
#include "bsp.h"

#define CLOCK 0x40000000u
#define CLOCK_TASKS_HFCLKSTART REG32(CLOCK + 0x000)
#define CLOCK_TASKS_LFCLKSTART REG32(CLOCK + 0x008)
#define CLOCK_EVENTS_HFCLKSTARTED REG32(CLOCK + 0x100)
#define CLOCK_EVENTS_LFCLKSTARTED REG32(CLOCK + 0x104)
#define CLOCK_HFCLKSTAT REG32(CLOCK + 0x40C)
#define CLOCK_LFCLKSTAT REG32(CLOCK + 0x418)
#define CLOCK_LFCLKSRC REG32(CLOCK + 0x518)

#define NVMC_ICACHECNF REG32(0x4001E000u + 0x540)

#define UART0 0x40002000u
#define UART_TASKS_STARTRX REG32(UART0 + 0x000)
#define UART_TASKS_STARTTX REG32(UART0 + 0x008)
#define UART_EVENTS_RXDRDY REG32(UART0 + 0x108)
#define UART_EVENTS_TXDRDY REG32(UART0 + 0x11C)
#define UARTE_EVENTS_ENDTX REG32(UART0 + 0x120)
#define UART_INTENSET REG32(UART0 + 0x304)
#define UART_INTENCLR REG32(UART0 + 0x308)
#define UART_ENABLE REG32(UART0 + 0x500)
#define UART_PSEL_TXD REG32(UART0 + 0x50C)
#define UART_PSEL_RXD REG32(UART0 + 0x514)
#define UART_RXD REG32(UART0 + 0x518)
#define UART_TXD REG32(UART0 + 0x51C)
#define UART_BAUDRATE REG32(UART0 + 0x524)
#define UARTE_TXD_PTR REG32(UART0 + 0x544)
#define UARTE_TXD_MAXCNT REG32(UART0 + 0x548)
#define UART_CONFIG REG32(UART0 + 0x56C)
#define ENABLE_UART 4u
#define ENABLE_UARTE 8u
#define INT_ENDTX (1u << 8)
#define BAUD_115200 0x01D7E000u

#define TIMER1 0x40009000u
#define TIMER_TASKS_START REG32(TIMER1 + 0x000)
#define TIMER_TASKS_STOP REG32(TIMER1 + 0x004)
#define TIMER_TASKS_CLEAR REG32(TIMER1 + 0x00C)
#define TIMER_EVENTS_COMPARE0 REG32(TIMER1 + 0x140)
#define TIMER_SHORTS REG32(TIMER1 + 0x200)
#define TIMER_INTENSET REG32(TIMER1 + 0x304)
#define TIMER_MODE REG32(TIMER1 + 0x504)
#define TIMER_BITMODE REG32(TIMER1 + 0x508)
#define TIMER_PRESCALER REG32(TIMER1 + 0x510)
#define TIMER_CC0 REG32(TIMER1 + 0x540)

enum { UARTE0_UART0_IRQn = 2, TIMER1_IRQn = 9 };

const char bsp_board_name[] = "nano33ble";
const char bsp_timer_name[] = "TIMER1";

void Reset_Handler(void);
void Default_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
static void uarte0_isr(void);
static void timer1_isr(void);
extern char __stack_top[];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 48])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 16 + 47] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + UARTE0_UART0_IRQn] = uarte0_isr,
    [16 + TIMER1_IRQn] = timer1_isr,
};
#pragma GCC diagnostic pop

void SystemInit(void)
{
    SCB_VTOR = (uint32_t)vectors;
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n isb");
    NVMC_ICACHECNF = 1; /* CACHEEN */

    CLOCK_EVENTS_HFCLKSTARTED = 0;
    CLOCK_TASKS_HFCLKSTART = 1;
    while (!CLOCK_EVENTS_HFCLKSTARTED)
        ;
    CLOCK_LFCLKSRC = 0; /* RC oscillator */
    CLOCK_EVENTS_LFCLKSTARTED = 0;
    CLOCK_TASKS_LFCLKSTART = 1;
    while (!CLOCK_EVENTS_LFCLKSTARTED)
        ;
}

uint32_t bsp_core_hz(void)
{
    /* HCLK is 64 MHz from either source; HFCLKSTAT says the crystal runs. */
    return (CLOCK_HFCLKSTAT & 0x10001u) == 0x10001u ? 64000000u : 0;
}

static volatile bool tx_running;

static void use_uart(void)
{
    if (UART_ENABLE != ENABLE_UART) {
        UART_ENABLE = 0;
        UART_ENABLE = ENABLE_UART;
        UART_TASKS_STARTTX = 1;
        UART_TASKS_STARTRX = 1;
    }
}

void bsp_console_init(uint32_t baud)
{
    (void)baud; /* the register takes a fraction of 16 MHz: 115200 only here */
    UART_PSEL_TXD = (1u << 5) | 3;  /* P1.03 */
    UART_PSEL_RXD = (1u << 5) | 10; /* P1.10 */
    UART_BAUDRATE = BAUD_115200;
    UART_CONFIG = 0;                 /* 8N1, no flow control */
    use_uart();
}

void bsp_console_putc(char c)
{
    while (tx_running)
        ;
    use_uart();
    UART_EVENTS_TXDRDY = 0;
    UART_TXD = (uint8_t)c;
    while (!UART_EVENTS_TXDRDY)
        ;
}

int bsp_console_getc(void)
{
    if (UART_ENABLE != ENABLE_UART || !UART_EVENTS_RXDRDY)
        return -1;
    UART_EVENTS_RXDRDY = 0;
    return (int)(UART_RXD & 0xFF);
}

/* EasyDMA reads from RAM: a chunk of the ring at a time. */
static uint8_t dma_buf[32];

static bool send_chunk(void)
{
    unsigned n = 0;
    int c;
    while (n < sizeof dma_buf && (c = console_next_tx()) >= 0)
        dma_buf[n++] = (uint8_t)c;
    if (!n)
        return false;
    UARTE_TXD_PTR = (uint32_t)dma_buf;
    UARTE_TXD_MAXCNT = n;
    UARTE_EVENTS_ENDTX = 0;
    UART_TASKS_STARTTX = 1;
    return true;
}

void bsp_console_tx_kick(void)
{
    irq_off();
    if (!tx_running) {
        UART_ENABLE = 0;
        UART_ENABLE = ENABLE_UARTE;
        UART_INTENSET = INT_ENDTX;
        nvic_enable(UARTE0_UART0_IRQn);
        tx_running = send_chunk();
    }
    irq_on();
}

static void uarte0_isr(void)
{
    if (UARTE_EVENTS_ENDTX) {
        UARTE_EVENTS_ENDTX = 0;
        if (!send_chunk()) {
            UART_INTENCLR = INT_ENDTX;
            tx_running = false;
        }
    }
}

bool bsp_console_tx_done(void)
{
    return !tx_running;
}

void bsp_timer_start(uint32_t hz)
{
    TIMER_TASKS_STOP = 1;
    TIMER_TASKS_CLEAR = 1;
    TIMER_MODE = 0;             /* timer */
    TIMER_BITMODE = 3;          /* 32 bits */
    TIMER_PRESCALER = 4;        /* 16 MHz / 2^4 = 1 MHz */
    TIMER_CC0 = 1000000u / hz;
    TIMER_SHORTS = 1;           /* COMPARE0_CLEAR */
    TIMER_EVENTS_COMPARE0 = 0;
    TIMER_INTENSET = 1u << 16;  /* COMPARE0 */
    nvic_enable(TIMER1_IRQn);
    TIMER_TASKS_START = 1;
}

void bsp_timer_stop(void)
{
    TIMER_TASKS_STOP = 1;
    nvic_disable(TIMER1_IRQn);
}

static void timer1_isr(void)
{
    TIMER_EVENTS_COMPARE0 = 0;
    (void)TIMER_EVENTS_COMPARE0; /* the write reaches the peripheral before the return */
    bsp_timer_tick();
}

/* board_timing: the NVMC's instruction cache (ICACHECNF.CACHEEN). */
int bsp_flash_cache(bool on)
{
    NVMC_ICACHECNF = on ? 1 : 0;
    return 0;
}
