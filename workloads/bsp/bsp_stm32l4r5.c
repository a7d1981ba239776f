/*
 * bsp_stm32l4r5.c — NUCLEO-L4R5ZI: STM32L4R5ZI (Cortex-M4F, up to 120
 * MHz).  Sources: RM0432 (RCC §6, PWR §5, FLASH §3, LPUART §51, basic
 * timers §41, GPIO §8; interrupts §14.3), UM2179 (the ST-LINK virtual
 * COM port on LPUART1, PG7 TX / PG8 RX; port G needs VDDIO2).
 *
 * Start-up as CubeMX's SystemClock_Config does it for 120 MHz: range 1
 * boost voltage scaling, 5 flash wait states, the PLL from the 4 MHz MSI
 * (M 1, N 60, R 2), SYSCLK switched to it through an AHB prescaler of 2
 * (RM0432 §6.2.9: the step above 80 MHz), then HCLK undivided.
 */
#include "bsp.h"
#include "stm32_common.h"

#define RCC 0x40021000u
#define RCC_CR REG32(RCC + 0x00)
#define RCC_CFGR REG32(RCC + 0x08)
#define RCC_PLLCFGR REG32(RCC + 0x0C)
#define RCC_AHB2ENR REG32(RCC + 0x4C)
#define RCC_APB1ENR1 REG32(RCC + 0x58)
#define RCC_APB1ENR2 REG32(RCC + 0x5C)
#define RCC_CCIPR REG32(RCC + 0x88)
#define CR_PLLON (1u << 24)
#define CR_PLLRDY (1u << 25)

#define PWR 0x40007000u
#define PWR_CR1 REG32(PWR + 0x00)
#define PWR_CR2 REG32(PWR + 0x04)
#define PWR_SR2 REG32(PWR + 0x14)
#define PWR_CR5 REG32(PWR + 0x80)

#define FLASH_ACR REG32(0x40022000u)

#define GPIOG 0x48001800u
#define LPUART1 0x40008000u
#define TIM6 0x40001000u

enum { TIM6_DAC_IRQn = 54, LPUART1_IRQn = 70 };

const char bsp_board_name[] = "stm32l4r5";
const char bsp_timer_name[] = "TIM6";

void Reset_Handler(void);
void Default_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
static void lpuart1_isr(void);
static void tim6_isr(void);
extern char __stack_top[];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 95])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 16 + 94] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + LPUART1_IRQn] = lpuart1_isr,
    [16 + TIM6_DAC_IRQn] = tim6_isr,
};
#pragma GCC diagnostic pop

volatile bool stm32_tx_running;

static void wait_us(unsigned us)
{
    /* At most 120 cycles per µs: a loop of 3+ cycles per turn suffices. */
    for (volatile unsigned i = 0; i < us * 40; i++)
        ;
}

void SystemInit(void)
{
    SCB_VTOR = (uint32_t)vectors;
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n isb");

    RCC_APB1ENR1 |= 1u << 28; /* PWREN */
    (void)RCC_APB1ENR1;
    PWR_CR1 = (PWR_CR1 & ~(3u << 9)) | (1u << 9); /* VOS: range 1 */
    while (PWR_SR2 & (1u << 10))                 /* VOSF */
        ;
    PWR_CR5 &= ~(1u << 8);                       /* R1MODE = 0: boost */

    FLASH_ACR = (FLASH_ACR & ~15u) | 5u;         /* 5 wait states, ART caches kept on */
    while ((FLASH_ACR & 15u) != 5u)
        ;

    RCC_PLLCFGR = 1u                             /* PLLSRC: MSI */
                  | (0u << 4)                    /* PLLM: /1 */
                  | (60u << 8)                   /* PLLN: x60 -> 240 MHz VCO */
                  | (0u << 25)                   /* PLLR: /2 -> 120 MHz */
                  | (1u << 24);                  /* PLLREN */
    RCC_CR |= CR_PLLON;
    while (!(RCC_CR & CR_PLLRDY))
        ;

    RCC_CFGR = (RCC_CFGR & ~0xF0u) | (8u << 4);  /* HPRE: /2 for the switch */
    RCC_CFGR = (RCC_CFGR & ~3u) | 3u;            /* SW: PLL */
    while (((RCC_CFGR >> 2) & 3u) != 3u)
        ;
    wait_us(1);
    RCC_CFGR &= ~(0xF0u | (7u << 8) | (7u << 11)); /* HPRE, PPRE1, PPRE2: /1 */
}

static const uint32_t msi_range_hz[12] = {100000, 200000, 400000, 800000, 1000000, 2000000,
                                          4000000, 8000000, 16000000, 24000000, 32000000, 48000000};

uint32_t bsp_core_hz(void)
{
    uint32_t cfgr = RCC_CFGR, sysclk;
    uint32_t msi = (RCC_CR & (1u << 3)) ? msi_range_hz[(RCC_CR >> 4) & 15] : 4000000u;
    switch ((cfgr >> 2) & 3) {
    case 0: sysclk = msi; break;
    case 1: sysclk = 16000000u; break;
    case 2: sysclk = 8000000u; break;
    default: {
        uint32_t pll = RCC_PLLCFGR;
        uint32_t in = (pll & 3) == 1 ? msi : (pll & 3) == 2 ? 16000000u : 8000000u;
        sysclk = in / (((pll >> 4) & 15) + 1) * ((pll >> 8) & 0x7F) / (2 * (((pll >> 25) & 3) + 1));
    }
    }
    static const unsigned ahb[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    uint32_t hpre = (cfgr >> 4) & 15;
    return hpre & 8 ? sysclk / ahb[hpre & 7] : sysclk;
}

void bsp_console_init(uint32_t baud)
{
    RCC_APB1ENR1 |= 1u << 28;           /* PWREN */
    PWR_CR2 |= 1u << 9;                 /* IOSV: VDDIO2 for port G */
    RCC_AHB2ENR |= 1u << 6;             /* GPIOGEN */
    (void)RCC_AHB2ENR;
    stm32_pin_af(GPIOG, 7, 8);          /* LPUART1_TX */
    stm32_pin_af(GPIOG, 8, 8);          /* LPUART1_RX */
    RCC_CCIPR &= ~(3u << 10);           /* LPUART1SEL: PCLK1 */
    RCC_APB1ENR2 |= 1u << 0;            /* LPUART1EN */
    (void)RCC_APB1ENR2;
    uint64_t brr = (256ull * bsp_core_hz() + baud / 2) / baud; /* PCLK1 = HCLK */
    stm32_usart_enable(LPUART1, (uint32_t)brr);
}

void bsp_console_putc(char c)
{
    while (stm32_tx_running)
        ;
    stm32_usart_putc(LPUART1, c);
}

int bsp_console_getc(void)
{
    return stm32_usart_getc(LPUART1);
}

void bsp_console_tx_kick(void)
{
    stm32_usart_kick(LPUART1, LPUART1_IRQn);
}

static void lpuart1_isr(void)
{
    stm32_usart_isr(LPUART1);
}

bool bsp_console_tx_done(void)
{
    return stm32_usart_tx_done(LPUART1);
}

void bsp_timer_start(uint32_t hz)
{
    RCC_APB1ENR1 |= 1u << 4; /* TIM6EN */
    (void)RCC_APB1ENR1;
    stm32_tim_start(TIM6, TIM6_DAC_IRQn, bsp_core_hz(), hz); /* APB1 undivided: TIM6 at HCLK */
}

void bsp_timer_stop(void)
{
    stm32_tim_stop(TIM6, TIM6_DAC_IRQn);
}

static void tim6_isr(void)
{
    stm32_tim_isr(TIM6);
}

/* board_timing: the ART's instruction and data caches (FLASH ACR ICEN,
 * DCEN; reset while off, as RM0432 §3.3.4 asks before turning them on). */
int bsp_flash_cache(bool on)
{
    if (on) {
        FLASH_ACR |= (1u << 11) | (1u << 12);   /* ICRST, DCRST */
        FLASH_ACR &= ~((1u << 11) | (1u << 12));
        FLASH_ACR |= (1u << 9) | (1u << 10);    /* ICEN, DCEN */
    } else {
        FLASH_ACR &= ~((1u << 9) | (1u << 10));
    }
    return 0;
}
