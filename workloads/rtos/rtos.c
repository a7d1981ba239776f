/*
 * rtos.c — see rtos.h.  Scheduler state is touched with interrupts off
 * in Thread mode, and from the tick interrupt and PendSV; the tick only
 * wakes sleepers and asks for a switch, PendSV (switch.c) makes it, asking
 * switch_choose() here which task runs.
 */
#include "rtos.h"

#include <stdarg.h>
#include <stdio.h>

#include "bsp.h"
#include "console.h"

static struct rtos_task *tasks;      /* every task, idle last */
static struct rtos_task *current;
static volatile uint32_t ticks;
static struct rtos_task idle;
static uint32_t idle_stack[256] __attribute__((aligned(8)));
static struct rtos_mutex console_lock;

static void task_returned(void)
{
    rtos_exit(0);
}

void rtos_task_create(struct rtos_task *t, const char *name, int prio, void (*fn)(void *), void *arg,
                      uint32_t *stack, size_t words)
{
    t->name = name;
    t->prio = prio;
    t->state = RTOS_READY;
    t->next_waiter = NULL;
    switch_init_task(&t->ctx, stack + words, fn, arg, task_returned);
    t->next = tasks;
    tasks = t;
}

uint32_t rtos_now(void)
{
    return ticks;
}

/* The highest-priority ready task; among equals, the first after
 * `after` in the list (round robin). */
static struct rtos_task *highest_ready(struct rtos_task *after)
{
    struct rtos_task *best = NULL;
    struct rtos_task *start = after && after->next ? after->next : tasks;
    struct rtos_task *t = start;
    do {
        if (t->state == RTOS_READY && (!best || t->prio > best->prio))
            best = t;
        t = t->next ? t->next : tasks;
    } while (t != start);
    return best;
}

struct task_context *switch_choose(struct task_context *ctx)
{
    (void)ctx;
    current = highest_ready(current);
    return &current->ctx;
}

void bsp_timer_tick(void)
{
    ticks++;
    for (struct rtos_task *t = tasks; t; t = t->next)
        if (t->state == RTOS_SLEEPING && (int32_t)(ticks - t->wake) >= 0)
            t->state = RTOS_READY;
    switch_request(); /* preempt: a woken task may outrank the running one, equals take turns */
}

/* Leaves the CPU until the scheduler picks the current task again. */
static void reschedule(void)
{
    switch_request();
    irq_on();
    while (current->state != RTOS_READY)
        ;
}

void rtos_delay_until(const uint32_t *when)
{
    irq_off();
    if ((int32_t)(*when - ticks) <= 0) {
        irq_on();
        return;
    }
    current->wake = *when;
    current->state = RTOS_SLEEPING;
    reschedule();
}

void rtos_delay(uint32_t n)
{
    uint32_t when = ticks + n;
    rtos_delay_until(&when);
}

void rtos_lock(struct rtos_mutex *m)
{
    irq_off();
    if (!m->owner) {
        m->owner = current;
        irq_on();
        return;
    }
    current->next_waiter = NULL;
    if (m->tail)
        m->tail->next_waiter = current;
    else
        m->head = current;
    m->tail = current;
    current->state = RTOS_BLOCKED;
    reschedule(); /* rtos_unlock() makes us the owner */
}

void rtos_unlock(struct rtos_mutex *m)
{
    irq_off();
    struct rtos_task *next = m->head;
    m->owner = next;
    if (next) {
        m->head = next->next_waiter;
        if (!m->head)
            m->tail = NULL;
        next->state = RTOS_READY;
        switch_request();
    }
    irq_on();
}

void rtos_printf(const char *fmt, ...)
{
    char line[128];
    rtos_lock(&console_lock);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    console_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
    rtos_unlock(&console_lock);
}

void rtos_exit(int status)
{
    irq_off();
    bsp_timer_stop();
    irq_on();
    bsp_exit(status);
}

static void idle_task(void *arg)
{
    (void)arg;
    for (;;)
        wait_for_interrupt();
}

void rtos_start(uint32_t tick_hz)
{
    rtos_task_create(&idle, "idle", -1, idle_task, NULL, idle_stack, sizeof idle_stack / sizeof idle_stack[0]);
    current = highest_ready(NULL);
    irq_off(); /* switch_start enables interrupts on the first task's stack */
    bsp_timer_start(tick_hz);
    switch_start(&current->ctx);
}
