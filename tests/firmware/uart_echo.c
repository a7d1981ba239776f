/*
 * uart_echo.c — board-level firmware that reads the console UART (polled)
 * and answers each line upper-cased, until no byte has come for 50 ms of
 * the board timer's ticks: what mcusim's --uart-in feeds it comes back.
 */
#include <stdio.h>

#include "bsp.h"

static volatile unsigned ticks;

void bsp_timer_tick(void)
{
    ticks++;
}

int main(void)
{
    bsp_console_init(115200);
    bsp_timer_start(1000);
    char line[80];
    unsigned n = 0, lines = 0, last = 0;
    while (ticks - last < 50) {
        int c = bsp_console_getc();
        if (c < 0)
            continue;
        last = ticks;
        if (c != '\n' && n + 1 < sizeof line) {
            line[n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            continue;
        }
        line[n] = 0;
        printf("echo %u: %s\n", ++lines, line);
        n = 0;
    }
    bsp_timer_stop();
    printf("%u lines\n", lines);
    return 0;
}
