/*
 * loop.c — a compute-bound firmware loop for speed measurements.
 *
 * An int8 dot-product and CRC-32 workload over a buffer in RAM, repeated
 * N times (argv[1], default 1000): the inner loops of TinyML kernels
 * (loads, multiply-accumulates, branches) without any model.  Prints a
 * checksum so that every simulator can be checked for the same result.
 */
#include <stdint.h>

#include "port.h"

#define N 1024

static int8_t a[N], b[N];

static uint32_t crc32_update(uint32_t crc, uint8_t byte)
{
    crc ^= byte;
    for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    return crc;
}

static uint32_t parse_u32(const char *s, uint32_t fallback)
{
    uint32_t v = 0;
    if (!s || !*s)
        return fallback;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return fallback;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    return v;
}

int main(int argc, char **argv)
{
    uint32_t reps = parse_u32(argc > 1 ? argv[1] : 0, 1000);
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        a[i] = (int8_t)(x >> 16);
        b[i] = (int8_t)(x >> 24);
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t r = 0; r < reps; r++) {
        int32_t acc = 0;
        for (int i = 0; i < N; i++)
            acc += a[i] * b[i];
        for (int k = 0; k < 4; k++)
            crc = crc32_update(crc, (uint8_t)(acc >> (8 * k)));
        a[r % N] = (int8_t)acc;
    }
    port_puts("checksum ");
    port_putu(~crc);
    port_puts("\n");
    return 0;
}
