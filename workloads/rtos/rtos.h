/*
 * rtos.h — a minimal preemptive scheduler of the project's own, in the
 * shape of an RTOS kernel: fixed-priority tasks (round robin among equal
 * priorities at each tick), a periodic tick from the board's timer,
 * context switches by PendSV, delays, and a mutex that hands over in
 * request order.  It exists so that an RTOS-style image runs on the
 * boards (and on QEMU's mps2-an386) without third-party kernel sources;
 * it is not FreeRTOS or Zephyr.
 */
#ifndef RTOS_H
#define RTOS_H

#include <stddef.h>
#include <stdint.h>

#include "switch.h"

enum rtos_state { RTOS_READY, RTOS_SLEEPING, RTOS_BLOCKED };

struct rtos_task {
    struct task_context ctx;     /* first: switch.c saves the stack pointer there */
    const char *name;
    int prio;                    /* higher runs first */
    enum rtos_state state;
    uint32_t wake;               /* tick to wake at while sleeping */
    struct rtos_task *next;      /* all tasks; */
    struct rtos_task *next_waiter; /* a mutex's queue */
};

struct rtos_mutex {
    struct rtos_task *owner;
    struct rtos_task *head, *tail; /* waiting, in request order */
};

void rtos_task_create(struct rtos_task *t, const char *name, int prio, void (*fn)(void *), void *arg,
                      uint32_t *stack, size_t words);
/* Starts the tick at tick_hz and the highest-priority task; never returns. */
void rtos_start(uint32_t tick_hz) __attribute__((noreturn));
uint32_t rtos_now(void);
/* Sleeps until tick *when (returns at once when it has passed). */
void rtos_delay_until(const uint32_t *when);
void rtos_delay(uint32_t ticks);
void rtos_lock(struct rtos_mutex *m);
void rtos_unlock(struct rtos_mutex *m);
/* printf to the console, a whole line at a time (a mutex around it). */
void rtos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the program with a status once the console has drained. */
void rtos_exit(int status) __attribute__((noreturn));

#endif
