/*
 * board_test.c — the board-level test firmware: what a vendor image does
 * first, on the part's own registers (workloads/bsp/bsp_<board>.c),
 * printing through the console UART:
 *   1. clock start-up (SystemInit, before main) and the clock it reached;
 *   2. printf, polled;
 *   3. printf, interrupt-driven;
 *   4. a timer interrupt at 1 kHz, counted for 10 ticks (WFI between);
 *   5. two tasks switched by PendSV from that tick, preemptively.
 * The output depends on nothing timed, so QEMU prints the same bytes.
 */
#include <stdio.h>

#include "bsp.h"
#include "console.h"
#include "switch.h"

static volatile unsigned ticks;
static volatile bool preempt;

void bsp_timer_tick(void)
{
    ticks++;
    if (preempt)
        switch_request();
}

/* ---- tasks ---- */

#define ROUNDS 3

static struct task_context tasks[3]; /* A, B, and main's continuation */
static uint32_t stacks[2][512] __attribute__((aligned(8)));
static volatile int turn;           /* whose round it is: 0 A, 1 B */
static volatile int finished;
static char log_buf[64];
static volatile unsigned log_len;

static void note(const char *s)
{
    while (*s)
        log_buf[log_len++] = *s++;
}

/* Each task waits for its turn, spinning until the tick preempts it. */
static void task(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int round = 0; round < ROUNDS; round++) {
        while (turn != me)
            ;
        char s[4] = {me ? 'B' : 'A', (char)('0' + round), ' ', 0};
        note(s);
        turn = !me;
    }
    finished++;
    for (;;)
        ;
}

static int running = -1;

struct task_context *switch_choose(struct task_context *current)
{
    (void)current;
    if (finished == 2) {
        preempt = false;
        return &tasks[2];
    }
    running = (running + 1) % 2;
    return &tasks[running];
}

static void after_tasks(void *arg)
{
    (void)arg;
    bsp_timer_stop();
    log_buf[log_len] = 0;
    console_use_interrupts(false);
    printf("tasks: %s\n", log_buf);
    printf("done\n");
    bsp_exit(0);
}

int main(void)
{
    bsp_console_init(115200);
    printf("%s: clock %lu Hz\n", bsp_board_name, (unsigned long)bsp_core_hz());
    printf("polled: %d + %d = %d\n", 2, 3, 2 + 3);

    console_use_interrupts(true);
    printf("interrupt-driven: the quick brown fox jumps over the lazy dog %x\n", 0xC0FFEEu);
    console_flush();
    console_use_interrupts(false);

    bsp_timer_start(1000);
    while (ticks < 10)
        wait_for_interrupt();
    bsp_timer_stop();
    printf("timer: %s, %u ticks\n", bsp_timer_name, ticks >= 10 ? 10u : ticks);

    switch_init_task(&tasks[0], stacks[0] + 512, task, (void *)0, 0);
    switch_init_task(&tasks[1], stacks[1] + 512, task, (void *)1, 0);
    static uint32_t last_stack[512] __attribute__((aligned(8)));
    switch_init_task(&tasks[2], last_stack + 512, after_tasks, 0, 0);
    /* No tick may switch before the first task runs: switch_start enables
     * interrupts once it is on the task's stack. */
    irq_off();
    preempt = true;
    bsp_timer_start(1000);
    running = 0;
    switch_start(&tasks[0]);
}
