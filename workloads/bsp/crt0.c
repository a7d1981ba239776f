/*
 * crt0.c — reset and C run time for the board-level firmware: the reset
 * handler (clock start-up, .data and .bss, newlib's constructors, main),
 * the default exception handler, and the newlib system calls a program
 * that prints needs, on the console UART.  The linker script is the one
 * mcusim derives from the board file (its symbols: __data_start,
 * __data_end, __data_load, __bss_start__, __bss_end__, end, __stack_limit).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "bsp.h"
#include "console.h"

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start__[], __bss_end__[];
extern char end[], __stack_limit[];
extern void __libc_init_array(void);
int main(void);

/* Linked without crti.o: newlib's __libc_init_array still calls these. */
void _init(void) {}
void _fini(void) {}

__attribute__((noreturn)) void Reset_Handler(void)
{
    SystemInit();
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    __libc_init_array();
    bsp_exit(main());
}

/* Anything unexpected: report the exception number and stop. */
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    static const char msg[] = "\r\nunexpected exception ";
    for (const char *p = msg; *p; p++)
        bsp_console_putc(*p);
    bsp_console_putc((char)('0' + ipsr / 10 % 10));
    bsp_console_putc((char)('0' + ipsr % 10));
    bsp_console_putc('\n');
    bsp_exit(100 + (int)ipsr);
}

/* Handlers installed at run time live in a copy of the vector table in
 * RAM, which VTOR then points at (CMSIS's NVIC_SetVector does the same).
 * 16 system exceptions + 128 lines, aligned as VTOR requires. */
static void (*ram_vectors[16 + 128])(void) __attribute__((aligned(1024)));
static bool vectors_in_ram;

void bsp_set_irq_handler(unsigned irq, void (*handler)(void))
{
    if (!vectors_in_ram) {
        void (*const *flash)(void) = (void (*const *)(void))SCB_VTOR;
        for (unsigned i = 0; i < 16 + 128; i++)
            ram_vectors[i] = flash[i];
        SCB_VTOR = (uint32_t)ram_vectors;
        __asm volatile("dsb\n isb" ::: "memory");
        vectors_in_ram = true;
    }
    ram_vectors[16 + irq] = handler;
}

/* A program that ticks from SysTick defines it. */
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

__attribute__((weak)) void bsp_timer_tick(void)
{
}

/* Semihosting SYS_EXIT_EXTENDED: ADP_Stopped_ApplicationExit and the
 * status (ARM semihosting 2.0, operation 0x20). */
void bsp_exit(int status)
{
    console_flush();
    volatile uint32_t block[2] = {0x20026u, (uint32_t)status};
    register uint32_t r0 __asm("r0") = 0x20;
    register volatile uint32_t *r1 __asm("r1") = block;
    __asm volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
    for (;;)
        __asm volatile("bkpt 0x00");
}

/* ---- newlib ---- */

int _write(int fd, const char *buf, int len)
{
    (void)fd;
    console_write(buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    int n = 0;
    while (n < len) {
        int c = bsp_console_getc();
        if (c < 0)
            break;
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    return n;
}

void *_sbrk(ptrdiff_t incr)
{
    static char *brk = end;
    if (incr > __stack_limit - brk - 4096) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += incr;
    return old;
}

int _close(int fd) { (void)fd; return -1; }
int _fstat(int fd, struct stat *st) { (void)fd; st->st_mode = S_IFCHR; return 0; }
int _isatty(int fd) { (void)fd; return 1; }
int _lseek(int fd, int off, int whence) { (void)fd; (void)off; (void)whence; return 0; }
int _kill(int pid, int sig) { (void)pid; (void)sig; errno = EINVAL; return -1; }
int _getpid(void) { return 1; }
void _exit(int status) { bsp_exit(status); }
