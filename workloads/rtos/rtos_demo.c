/*
 * rtos_demo.c — an RTOS-style image (the project's own kernel, rtos.h):
 * three tasks of different priorities woken by the board timer's tick,
 * printing through the console UART under a mutex.  Every line carries
 * the tick it was due at, and each task's work fits well inside its
 * period, so the output is the same however fast the machine runs it: on
 * QEMU's mps2-an386 and on mcusim, byte for byte.
 */
#include <stdio.h>

#include "bsp.h"
#include "rtos.h"

#define STACK_WORDS 512

static struct rtos_task blink_task, worker_task, reporter_task;
static uint32_t blink_stack[STACK_WORDS] __attribute__((aligned(8)));
static uint32_t worker_stack[STACK_WORDS] __attribute__((aligned(8)));
static uint32_t reporter_stack[STACK_WORDS] __attribute__((aligned(8)));
static volatile int blinks, chunks;

static void blink(void *arg)
{
    (void)arg;
    uint32_t next = 0;
    for (int i = 0; i < 5; i++) {
        next += 10;
        rtos_delay_until(&next);
        rtos_printf("[%4lu] blink %d\n", (unsigned long)next, i);
        blinks++;
    }
    for (;;)
        rtos_delay(1000);
}

static int primes_below(int n)
{
    int count = 0;
    for (int k = 2; k < n; k++) {
        int prime = 1;
        for (int d = 2; d * d <= k && prime; d++)
            prime = k % d != 0;
        count += prime;
    }
    return count;
}

static void worker(void *arg)
{
    (void)arg;
    uint32_t next = 0;
    for (int chunk = 1; chunk <= 4; chunk++) {
        next += 25;
        rtos_delay_until(&next);
        int n = primes_below(chunk * 500);
        rtos_printf("[%4lu] worker: %d primes below %d\n", (unsigned long)next, n, chunk * 500);
        chunks++;
    }
    for (;;)
        rtos_delay(1000);
}

static void reporter(void *arg)
{
    (void)arg;
    uint32_t when = 120;
    rtos_delay_until(&when);
    rtos_printf("[%4lu] reporter: %d blinks, %d chunks, stopping\n", (unsigned long)when, blinks, chunks);
    rtos_exit(blinks == 5 && chunks == 4 ? 0 : 1);
}

int main(void)
{
    bsp_console_init(115200);
    printf("rtos demo on %s: 3 tasks, tick from %s at 1000 Hz\n", bsp_board_name, bsp_timer_name);
    rtos_task_create(&worker_task, "worker", 1, worker, NULL, worker_stack, STACK_WORDS);
    rtos_task_create(&blink_task, "blink", 2, blink, NULL, blink_stack, STACK_WORDS);
    rtos_task_create(&reporter_task, "reporter", 3, reporter, NULL, reporter_stack, STACK_WORDS);
    rtos_start(1000);
}
