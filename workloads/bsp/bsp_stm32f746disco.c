/*
 * bsp_stm32f746disco.c — STM32F746G-DISCO: STM32F746NG (Cortex-M7F, up to
 * 216 MHz).  Sources: RM0385 (RCC §5, PWR §4, FLASH §3, USART §34, basic
 * timers §26, GPIO §6; interrupts §10.1), UM1907 (the ST-LINK virtual COM
 * port on USART1, PA9 TX / PB7 RX; a 25 MHz HSE crystal).
 *
 * Start-up as CubeMX's SystemClock_Config does it for 216 MHz: the HSE
 * crystal, the PLL (M 25, N 432, P 2, Q 9), over-drive on, 7 flash wait
 * states, SYSCLK from the PLL with APB1 at /4 and APB2 at /2; then the
 * Cortex-M7 caches on (CMSIS SCB_EnableICache/SCB_EnableDCache).
 */
#include "bsp.h"
#include "stm32_common.h"

#define RCC 0x40023800u
#define RCC_CR REG32(RCC + 0x00)
#define RCC_PLLCFGR REG32(RCC + 0x04)
#define RCC_CFGR REG32(RCC + 0x08)
#define RCC_AHB1ENR REG32(RCC + 0x30)
#define RCC_APB1ENR REG32(RCC + 0x40)
#define RCC_APB2ENR REG32(RCC + 0x44)
#define RCC_DCKCFGR2 REG32(RCC + 0x90)

#define PWR_CR1 REG32(0x40007000u)
#define PWR_CSR1 REG32(0x40007004u)
#define FLASH_ACR REG32(0x40023C00u)

#define GPIOA 0x40020000u
#define GPIOB 0x40020400u
#define USART1 0x40011000u
#define TIM6 0x40001000u

/* Cortex-M7 cache maintenance (ARMv7-M ARM B3.5; Cortex-M7 TRM). */
#define SCB_CCR REG32(0xE000ED14u)
#define SCB_CCSIDR REG32(0xE000ED80u)
#define SCB_CSSELR REG32(0xE000ED84u)
#define SCB_ICIALLU REG32(0xE000EF50u)
#define SCB_DCISW REG32(0xE000EF60u)

enum { USART1_IRQn = 37, TIM6_DAC_IRQn = 54 };

const char bsp_board_name[] = "stm32f746disco";
const char bsp_timer_name[] = "TIM6";

void Reset_Handler(void);
void Default_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
static void usart1_isr(void);
static void tim6_isr(void);
extern char __stack_top[];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 98])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 16 + 97] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + USART1_IRQn] = usart1_isr,
    [16 + TIM6_DAC_IRQn] = tim6_isr,
};
#pragma GCC diagnostic pop

volatile bool stm32_tx_running;

static void enable_caches(void)
{
    __asm volatile("dsb\n isb");
    SCB_ICIALLU = 0;
    __asm volatile("dsb\n isb");
    SCB_CCR |= 1u << 17; /* IC */
    SCB_CSSELR = 0;      /* level 1 data cache */
    __asm volatile("dsb");
    uint32_t ccsidr = SCB_CCSIDR;
    uint32_t sets = ((ccsidr >> 13) & 0x7FFF) + 1, ways = ((ccsidr >> 3) & 0x3FF) + 1;
    for (uint32_t s = 0; s < sets; s++)
        for (uint32_t w = 0; w < ways; w++)
            SCB_DCISW = (s << 5) | (w << 30);
    __asm volatile("dsb");
    SCB_CCR |= 1u << 16; /* DC */
    __asm volatile("dsb\n isb");
}

void SystemInit(void)
{
    SCB_VTOR = (uint32_t)vectors;
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n isb");

    RCC_APB1ENR |= 1u << 28; /* PWREN */
    (void)RCC_APB1ENR;
    PWR_CR1 |= 3u << 14;     /* VOS: scale 1 */

    RCC_CR |= 1u << 16;      /* HSEON */
    while (!(RCC_CR & (1u << 17)))
        ;
    RCC_PLLCFGR = 25u | (432u << 6) | (0u << 16) | (1u << 22) | (9u << 24);
    RCC_CR |= 1u << 24;      /* PLLON */
    while (!(RCC_CR & (1u << 25)))
        ;

    PWR_CR1 |= 1u << 16;     /* ODEN */
    while (!(PWR_CSR1 & (1u << 16)))
        ;
    PWR_CR1 |= 1u << 17;     /* ODSWEN */
    while (!(PWR_CSR1 & (1u << 17)))
        ;

    FLASH_ACR = 7u | (1u << 9); /* 7 wait states, ART on */
    while ((FLASH_ACR & 15u) != 7u)
        ;

    RCC_CFGR = (RCC_CFGR & ~(0xF0u | (7u << 10) | (7u << 13))) | (5u << 10) | (4u << 13); /* APB1 /4, APB2 /2 */
    RCC_CFGR = (RCC_CFGR & ~3u) | 2u; /* SW: PLL */
    while (((RCC_CFGR >> 2) & 3u) != 2u)
        ;
    enable_caches();
}

uint32_t bsp_core_hz(void)
{
    uint32_t cfgr = RCC_CFGR, sysclk;
    switch ((cfgr >> 2) & 3) {
    case 1: sysclk = 25000000u; break;
    case 2: {
        uint32_t pll = RCC_PLLCFGR;
        uint32_t in = (pll & (1u << 22)) ? 25000000u : 16000000u;
        sysclk = in / (pll & 0x3F) * ((pll >> 6) & 0x1FF) / (2 * (((pll >> 16) & 3) + 1));
        break;
    }
    default: sysclk = 16000000u; break;
    }
    static const unsigned ahb[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    uint32_t hpre = (cfgr >> 4) & 15;
    return hpre & 8 ? sysclk / ahb[hpre & 7] : sysclk;
}

static uint32_t apb_hz(unsigned shift)
{
    uint32_t ppre = (RCC_CFGR >> shift) & 7;
    return ppre & 4 ? bsp_core_hz() >> ((ppre & 3) + 1) : bsp_core_hz();
}

void bsp_console_init(uint32_t baud)
{
    RCC_AHB1ENR |= 3u;            /* GPIOAEN, GPIOBEN */
    (void)RCC_AHB1ENR;
    stm32_pin_af(GPIOA, 9, 7);    /* USART1_TX */
    stm32_pin_af(GPIOB, 7, 7);    /* USART1_RX */
    RCC_DCKCFGR2 &= ~3u;          /* USART1SEL: PCLK2 */
    RCC_APB2ENR |= 1u << 4;       /* USART1EN */
    (void)RCC_APB2ENR;
    stm32_usart_enable(USART1, (apb_hz(13) + baud / 2) / baud);
}

void bsp_console_putc(char c)
{
    while (stm32_tx_running)
        ;
    stm32_usart_putc(USART1, c);
}

int bsp_console_getc(void)
{
    return stm32_usart_getc(USART1);
}

void bsp_console_tx_kick(void)
{
    stm32_usart_kick(USART1, USART1_IRQn);
}

static void usart1_isr(void)
{
    stm32_usart_isr(USART1);
}

bool bsp_console_tx_done(void)
{
    return stm32_usart_tx_done(USART1);
}

void bsp_timer_start(uint32_t hz)
{
    RCC_APB1ENR |= 1u << 4; /* TIM6EN */
    (void)RCC_APB1ENR;
    uint32_t pclk1 = apb_hz(10);
    uint32_t timclk = ((RCC_CFGR >> 10) & 4) ? 2 * pclk1 : pclk1;
    stm32_tim_start(TIM6, TIM6_DAC_IRQn, timclk, hz);
}

void bsp_timer_stop(void)
{
    stm32_tim_stop(TIM6, TIM6_DAC_IRQn);
}

static void tim6_isr(void)
{
    stm32_tim_isr(TIM6);
}
