/*
 * console.h — console output through the board's UART (console.c):
 * polled (each byte waits for the transmitter) or interrupt-driven (bytes
 * go into a ring the UART's interrupt drains).  printf and friends reach
 * it through newlib's _write (crt0.c).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

void console_use_interrupts(bool on);
void console_write(const char *buf, size_t len);
/* Waits until every byte written has left the UART. */
void console_flush(void);

#endif
