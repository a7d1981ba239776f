/*
 * switch.h — context switching with PendSV (switch.c), the way Cortex-M
 * RTOS ports do it: tasks run in Thread mode on the process stack; the
 * PendSV handler, at the lowest priority, saves r4-r11 (and s16-s31 when
 * the task used the FPU) below the hardware's frame, asks the scheduler
 * for the next task and restores it.
 */
#ifndef SWITCH_H
#define SWITCH_H

#include <stdint.h>

struct task_context {
    uint32_t sp;    /* saved process stack pointer; first field: switch.c reads it */
};

/* The scheduler's choice, called by PendSV with interrupts masked:
 * returns the context to run next (may be the current one). */
struct task_context *switch_choose(struct task_context *current);

/* Prepares a stack so that the first switch to it enters fn(arg) in
 * Thread mode; when fn returns, `done` runs. */
void switch_init_task(struct task_context *t, uint32_t *stack_top, void (*fn)(void *), void *arg,
                      void (*done)(void));

/* Starts the first task (never returns): PendSV at the lowest priority,
 * Thread mode on the process stack. */
void switch_start(struct task_context *first) __attribute__((noreturn));

/* Requests a switch at the next opportunity. */
static inline void switch_request(void)
{
    *(volatile uint32_t *)0xE000ED04u = 1u << 28; /* ICSR.PENDSVSET */
}

#endif
