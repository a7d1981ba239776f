/*
 * newlib_io.c — an ordinary hosted C program, built with
 * --specs=rdimon.specs: printf, malloc, file I/O through newlib and
 * semihosting, and exit() with a status.  Nothing in it knows mcusim.
 *
 * usage: newlib_io [FILE [STATUS]] — writes and reads back FILE, exits
 * with STATUS (default 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("newlib: hello, %s\n", "world");
    printf("ints %d %u %x, float %.3f\n", -42, 42u, 0xbeefu, 3.14159);
    char *buf = malloc(1000);
    if (!buf) {
        printf("malloc failed\n");
        return 1;
    }
    for (int i = 0; i < 1000; i++)
        buf[i] = (char)('a' + i % 26);
    unsigned sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += (unsigned char)buf[i];
    printf("malloc ok, sum %u\n", sum);
    free(buf);
    if (argc > 1) {
        FILE *f = fopen(argv[1], "w");
        if (!f) {
            printf("fopen for writing failed\n");
            return 1;
        }
        fprintf(f, "line one\nline %d\n", 2);
        fclose(f);
        f = fopen(argv[1], "r");
        char line[64];
        int lines = 0;
        while (f && fgets(line, sizeof line, f))
            lines++;
        if (f)
            fclose(f);
        printf("file round trip: %d lines\n", lines);
    }
    fflush(stdout);
    exit(argc > 2 ? atoi(argv[2]) : 0);
}
