/*
 * semihost.c — port.h over Arm semihosting (BKPT 0xAB).
 *
 * The same calls work under mcusim, QEMU (-semihosting) and a debug probe.
 */
#include <string.h>

#include "port.h"

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE = 0x05, SYS_READ = 0x06,
       SYS_FLEN = 0x0C, SYS_GET_CMDLINE = 0x15, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20 };

static int semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int port_open(const char *path, int mode)
{
    uint32_t block[3] = {(uint32_t)(uintptr_t)path, (uint32_t)mode, (uint32_t)strlen(path)};
    return semihost(SYS_OPEN, block);
}

int port_read(int fd, void *buf, size_t len)
{
    uint32_t block[3] = {(uint32_t)fd, (uint32_t)(uintptr_t)buf, (uint32_t)len};
    int left = semihost(SYS_READ, block);
    return left < 0 ? -1 : (int)len - left;
}

int port_write(int fd, const void *buf, size_t len)
{
    uint32_t block[3] = {(uint32_t)fd, (uint32_t)(uintptr_t)buf, (uint32_t)len};
    return semihost(SYS_WRITE, block) == 0 ? 0 : -1;
}

int port_close(int fd)
{
    uint32_t block[1] = {(uint32_t)fd};
    return semihost(SYS_CLOSE, block);
}

long port_flen(int fd)
{
    uint32_t block[1] = {(uint32_t)fd};
    return semihost(SYS_FLEN, block);
}

/* ":tt" opened for writing is stdout, for appending is stderr
 * (semihosting v2); each is opened once. */
static int console(int is_stderr)
{
    static int fds[2] = {-1, -1};
    if (fds[is_stderr] < 0)
        fds[is_stderr] = port_open(":tt", is_stderr ? 8 : 4);
    return fds[is_stderr];
}

void port_puts(const char *s)
{
    port_write(console(0), s, strlen(s));
}

void port_eputs(const char *s)
{
    port_write(console(1), s, strlen(s));
}

static const char *decimal(uint32_t value, char buf[11])
{
    int i = 10;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return &buf[i];
}

void port_putu(uint32_t value)
{
    char buf[11];
    port_puts(decimal(value, buf));
}

void port_eputu(uint32_t value)
{
    char buf[11];
    port_eputs(decimal(value, buf));
}

void port_puti(int32_t value)
{
    if (value < 0) {
        port_puts("-");
        port_putu(0u - (uint32_t)value);
    } else {
        port_putu((uint32_t)value);
    }
}

int port_args(char *buf, size_t len, char **argv, int max_args)
{
    uint32_t block[2] = {(uint32_t)(uintptr_t)buf, (uint32_t)len};
    if (semihost(SYS_GET_CMDLINE, block) != 0 || !len)
        return 0;
    buf[len - 1] = '\0';
    int argc = 0;
    char *p = buf;
    while (*p && argc < max_args) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return argc;
}

void port_exit(int status)
{
    uint32_t block[2] = {0x20026u, (uint32_t)status}; /* ADP_Stopped_ApplicationExit */
    semihost(SYS_EXIT_EXTENDED, block);
    for (;;)
        ;
}
