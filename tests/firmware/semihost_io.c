/*
 * semihost_io.c — exercises the semihosting calls one by one through the
 * port layer and raw BKPT calls, and exits with the status in argv[1].
 */
#include <stdint.h>
#include <string.h>

#include "mcusim.h"
#include "port.h"

static int semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static int fail(const char *what)
{
    port_puts("FAIL ");
    port_puts(what);
    port_puts("\n");
    return 1;
}

int main(int argc, char **argv)
{
    char c = '!';
    semihost(0x03, &c);           /* SYS_WRITEC */
    semihost(0x04, "\nwrite0\n"); /* SYS_WRITE0 */
    port_puts("argc ");
    port_puti(argc);
    port_puts("\n");
    port_eputs("to stderr\n");
#if !defined(__ARM_ARCH_6M__)
    /* ITM stimulus port 0 is console text too (byte writes, as CMSIS's
     * ITM_SendChar does). */
    for (const char *p = "itm port 0\n"; *p; p++)
        *(volatile uint8_t *)0xE0000000u = (uint8_t)*p;
#endif
    if (argc > 2) {
        const char *path = argv[2];
        int fd = port_open(path, PORT_OPEN_WRITE);
        if (fd < 0)
            return fail("open for writing");
        if (port_write(fd, "0123456789", 10))
            return fail("write");
        port_close(fd);
        fd = port_open(path, PORT_OPEN_READ);
        if (fd < 0)
            return fail("open for reading");
        if (port_flen(fd) != 10)
            return fail("flen");
        uint32_t seek[2] = {(uint32_t)fd, 4};
        if (semihost(0x0A, seek)) /* SYS_SEEK */
            return fail("seek");
        char buf[8] = {0};
        if (port_read(fd, buf, 3) != 3 || memcmp(buf, "456", 3))
            return fail("read after seek");
        port_close(fd);
        port_puts("file ok\n");
    }
    uint32_t istty[1] = {1};
    (void)istty;
    int clock = semihost(0x10, 0); /* SYS_CLOCK: centiseconds of simulated time */
    if (clock < 0)
        return fail("clock");
    uint32_t heap[4];
    uint32_t block[1] = {(uint32_t)(uintptr_t)heap};
    if (semihost(0x16, block) || heap[2] <= heap[0])
        return fail("heapinfo");
    port_puts("heapinfo ok\n");
    int status = 0;
    if (argc > 1)
        for (const char *p = argv[1]; *p; p++)
            status = status * 10 + (*p - '0');
    return status;
}
