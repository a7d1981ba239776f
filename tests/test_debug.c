/*
 * test_debug.c — a debugger changes nothing the simulation measures.
 *
 * A scripted debugger (the simulator's debug interface, debug.h, as the
 * GDB server drives it) stops the firmware at breakpoints on many
 * functions, single-steps stretches of instructions from each, sets
 * watchpoints that hit, asks for stops while the firmware runs, and reads
 * registers and memory at every stop.  The run it stops thousands of times
 * must give exactly what the same run gives without it: cycles,
 * instructions, every layer's and function's row, the firmware's output
 * (with the DWT CYCCNT counts the micro-benchmarks print).  The stops are
 * counted, so the test fails if the script stopped nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "session.h"
#include "simtest.h"

struct script {
    /* what to do */
    bool step_everything;     /* single-step the whole run */
    int function_stride;      /* a breakpoint on every Nth function (0: none) */
    int hits_per_breakpoint;  /* then it is removed */
    int interrupt_every;      /* polls between interrupt requests (0: never) */
    bool watch;               /* watch the stack word below SP at some stops */
    /* Watch the deepest stack word for the whole run: never written, so
     * every instruction runs with the watchpoints' hooks. */
    bool background_watch;
    /* An access watchpoint on the first word of the tensor arena (the
     * layers read and write it), left in place for its first 40 hits:
     * resuming on a watched access runs it instead of stopping again. */
    bool persistent_watch;
    uint32_t persistent_addr;
    /* state */
    uint64_t rng;
    int steps_left;
    uint32_t *bp;
    int *bp_hits;
    int n_bp;
    int polls;
    bool watching;
    uint32_t watch_addr;
    uint64_t last_cycles;
    /* what happened */
    int stops[STOP_EXITED + 1];
    int watch_hits;
    bool went_backwards;
    bool inspect_failed;
    bool background_set;
};

static uint32_t next_random(struct script *sc)
{
    sc->rng = sc->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(sc->rng >> 33);
}

static void inspect(struct script *sc, struct sim *s)
{
    for (int r = 0; r < SIM_REG_COUNT; r++) {
        uint64_t v;
        if (sim_debug_has_reg(s, (enum sim_reg)r) && sim_debug_read_reg(s, (enum sim_reg)r, &v))
            sc->inspect_failed = true;
    }
    uint64_t sp;
    uint8_t buf[64];
    sim_debug_read_reg(s, SIM_REG_SP, &sp);
    /* The stack's used part, which is never empty below the top. */
    if (sim_debug_read_mem(s, (uint32_t)sp - sizeof buf, buf, sizeof buf) != sizeof buf)
        sc->inspect_failed = true;
    struct sim_debug_position pos;
    sim_debug_position(s, &pos);
    if (pos.cycles < sc->last_cycles)
        sc->went_backwards = true;
    sc->last_cycles = pos.cycles;
}

static void place_breakpoints(struct script *sc, struct sim *s)
{
    const struct elf_image *img = sim_image(s);
    sc->bp = calloc((size_t)img->n_syms, sizeof *sc->bp);
    sc->bp_hits = calloc((size_t)img->n_syms, sizeof *sc->bp_hits);
    int k = 0;
    for (int i = 0; i < img->n_syms; i++) {
        if (!img->syms[i].is_func || k++ % sc->function_stride)
            continue;
        sc->bp[sc->n_bp++] = img->syms[i].addr;
        sim_debug_breakpoint(s, img->syms[i].addr, true);
    }
}

static enum sim_resume script_stopped(void *ctx, struct sim *s, const struct sim_stop *stop)
{
    struct script *sc = ctx;
    sc->stops[stop->kind]++;
    if (stop->kind >= STOP_FAULT)
        return RESUME_CONTINUE;
    inspect(sc, s);
    if (stop->kind == STOP_START && sc->function_stride && !sc->bp)
        place_breakpoints(sc, s);
    uint32_t limit;
    if (stop->kind == STOP_START && sc->background_watch &&
        elf_image_symbol_addr(sim_image(s), "__stack_limit", &limit) == 0)
        sc->background_set = sim_debug_watchpoint(s, WATCH_WRITE, limit, 4, true) == 0;
    if (stop->kind == STOP_START && sc->persistent_watch &&
        elf_image_symbol_addr(sim_image(s), "__arena_start", &sc->persistent_addr) == 0)
        sim_debug_watchpoint(s, WATCH_ACCESS, sc->persistent_addr, 4, true);
    if (stop->kind == STOP_WATCHPOINT && stop->watch_addr == sc->persistent_addr && sc->persistent_addr &&
        sc->watch_hits >= 40)
        sim_debug_watchpoint(s, WATCH_ACCESS, sc->persistent_addr, 4, false);
    if (stop->kind == STOP_WATCHPOINT)
        sc->watch_hits++;
    if (sc->watching) {
        sim_debug_watchpoint(s, WATCH_WRITE, sc->watch_addr, 4, false);
        sc->watching = false;
    }
    if (stop->kind == STOP_BREAKPOINT) {
        for (int i = 0; i < sc->n_bp; i++)
            if (sc->bp[i] == stop->pc && ++sc->bp_hits[i] >= sc->hits_per_breakpoint)
                sim_debug_breakpoint(s, sc->bp[i], false);
        sc->steps_left = (int)(next_random(sc) % 48);
        /* A word the function's prologue is about to push. */
        if (sc->watch && next_random(sc) % 3 == 0) {
            uint64_t sp;
            sim_debug_read_reg(s, SIM_REG_SP, &sp);
            sc->watch_addr = (uint32_t)sp - 4;
            sc->watching = sim_debug_watchpoint(s, WATCH_WRITE, sc->watch_addr, 4, true) == 0;
        }
    }
    if (stop->kind == STOP_INTERRUPT)
        sc->steps_left = (int)(next_random(sc) % 8);
    if (sc->step_everything)
        return RESUME_STEP;
    if (sc->steps_left > 0) {
        sc->steps_left--;
        return RESUME_STEP;
    }
    return RESUME_CONTINUE;
}

static bool script_poll(void *ctx, struct sim *s, enum sim_stop_kind *kind)
{
    struct script *sc = ctx;
    (void)s;
    *kind = STOP_INTERRUPT;
    return sc->interrupt_every && ++sc->polls % sc->interrupt_every == 0;
}

static void script_free(struct script *sc)
{
    free(sc->bp);
    free(sc->bp_hits);
}

static int total_stops(const struct script *sc)
{
    int n = 0;
    for (int i = STOP_START; i < STOP_FAULT; i++)
        n += sc->stops[i];
    return n;
}

/* ---- a firmware run, with and without ---- */

static void run_with(struct fw_result *r, const char *elf, const char *board, struct script *sc)
{
    struct sim_debugger dbg = {.ctx = sc, .stopped = script_stopped, .poll = script_poll};
    memset(r, 0, sizeof *r);
    FILE *out = open_memstream(&r->out, &r->out_len);
    FILE *err = open_memstream(&r->err, &r->err_len);
    struct run_request req;
    run_request_init(&req);
    req.firmware = elf;
    req.board = board;
    req.out = out;
    req.err = err;
    if (sc) {
        req.debugger = &dbg;
        req.debugger_wait = true;
    }
    r->setup_failed = run_firmware(&req, &r->outcome);
    fclose(out);
    fclose(err);
}

static void expect_same_run(const struct fw_result *plain, const struct fw_result *debugged)
{
    cr_assert_not(plain->setup_failed, "%s", plain->outcome.error);
    cr_assert_not(debugged->setup_failed, "%s", debugged->outcome.error);
    const struct sim_result *a = &plain->outcome.result, *b = &debugged->outcome.result;
    cr_expect_eq(b->status, a->status, "%s", b->message);
    cr_expect_eq(b->exit_code, a->exit_code);
    cr_expect_eq(b->cycles, a->cycles, "cycles %llu with the debugger, %llu without",
                 (unsigned long long)b->cycles, (unsigned long long)a->cycles);
    cr_expect_eq(b->instructions, a->instructions);
    cr_expect_eq(b->sleep_cycles, a->sleep_cycles);
    cr_expect_str_eq(debugged->out, plain->out);
    cr_expect_str_eq(debugged->err, plain->err);
}

/* Every instruction of the micro-benchmarks single-stepped: the DWT
 * CYCCNT counts they print (exact to the instruction, also in the middle
 * of blocks) and the totals are those of the run without stops. */
static void step_everything(const char *board)
{
    const char *elf = fw_path("workloads/microbench", "microbench", board);
    struct fw_result plain, debugged;
    struct script sc = {.step_everything = true};
    run_with(&plain, elf, board, NULL);
    run_with(&debugged, elf, board, &sc);
    expect_same_run(&plain, &debugged);
    /* One stop per instruction, but an IT block and the instructions it
     * makes conditional step as one. */
    uint64_t insns = plain.outcome.result.instructions, steps = (uint64_t)sc.stops[STOP_STEP];
    cr_expect(steps <= insns && steps * 10 >= insns * 9, "%llu steps for %llu instructions",
              (unsigned long long)steps, (unsigned long long)insns);
    cr_expect_not(sc.went_backwards, "the position never goes back");
    cr_expect_not(sc.inspect_failed);
    fw_result_free(&plain);
    fw_result_free(&debugged);
}

Test(debug, stepping_every_instruction_m4)
{
    step_everything("nano33ble");
}

Test(debug, stepping_every_instruction_m0plus)
{
    step_everything("pico");
}

Test(debug, stepping_every_instruction_m7)
{
    step_everything("stm32f746disco");
}

/* Board-level firmware on the part's own registers (clock start-up that
 * re-times the flash, UART and timer interrupts, WFI, PendSV switching):
 * breakpoints on every function, stretches of steps after each and
 * interrupt requests while running.  Peripheral state follows the cycle
 * of each access, stopped or not. */
Test(debug, breakpoints_and_steps_on_board_firmware, .timeout = 300)
{
    const char *boards[] = {"mps2-an386", "nano33ble", "pico", "stm32f746disco", "stm32l4r5"};
    for (int i = 0; i < 5; i++) {
        const char *elf = fw_path("tests/firmware", "board_test", boards[i]);
        struct fw_result plain, debugged;
        struct script sc = {.function_stride = 1, .hits_per_breakpoint = 4, .interrupt_every = 1, .rng = 11};
        run_with(&plain, elf, boards[i], NULL);
        run_with(&debugged, elf, boards[i], &sc);
        expect_same_run(&plain, &debugged);
        cr_expect_gt(sc.stops[STOP_BREAKPOINT], 20, "%s: %d breakpoint stops", boards[i], sc.stops[STOP_BREAKPOINT]);
        cr_expect_gt(sc.stops[STOP_STEP], 100, "%s: %d steps", boards[i], sc.stops[STOP_STEP]);
        cr_expect_not(sc.inspect_failed);
        script_free(&sc);
        fw_result_free(&plain);
        fw_result_free(&debugged);
    }
}

/* Breakpoints on functions with stretches of steps after each, and
 * interrupt requests while running, on firmware with interrupts (SysTick,
 * SVC, PendSV) and semihosting. */
Test(debug, breakpoints_steps_and_interrupts_on_exceptions_firmware)
{
    const char *boards[] = {"nano33ble", "pico", "stm32f746disco"};
    for (int i = 0; i < 3; i++) {
        const char *elf = fw_path("tests/firmware", "exceptions", boards[i]);
        struct fw_result plain, debugged;
        struct script sc = {.function_stride = 1, .hits_per_breakpoint = 4, .interrupt_every = 1, .rng = 7};
        run_with(&plain, elf, boards[i], NULL);
        run_with(&debugged, elf, boards[i], &sc);
        expect_same_run(&plain, &debugged);
        cr_expect_gt(sc.stops[STOP_BREAKPOINT], 5, "%s: %d breakpoint stops", boards[i], sc.stops[STOP_BREAKPOINT]);
        cr_expect_gt(sc.stops[STOP_STEP], 20, "%s: %d steps", boards[i], sc.stops[STOP_STEP]);
        cr_expect_eq(sc.stops[STOP_EXITED], 1);
        script_free(&sc);
        fw_result_free(&plain);
        fw_result_free(&debugged);
    }
}

/* ---- a profiled inference, with and without ---- */

static void profile(struct profile_session *ps, struct profile_job *job, const char *board, const char *kernels,
                    struct script *sc)
{
    struct sim_debugger dbg = {.ctx = sc, .stopped = script_stopped, .poll = script_poll};
    static char model[1024];
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", build_root());
    profile_job_init(job);
    job->model = model;
    job->board = board;
    job->kernels = kernels;
    if (sc) {
        job->debugger = &dbg;
        job->debugger_wait = true;
    }
    int rc = session_execute(ps, job);
    cr_assert_eq(rc, 0, "%s", ps->error);
}

#define EXPECT_FIELD(a, b, f, what) \
    cr_expect_eq((a)->f, (b)->f, "%s: " #f " %llu with the debugger, %llu without", what, \
                 (unsigned long long)(b)->f, (unsigned long long)(a)->f)

static void expect_same_profile(const struct prof_run *a, const struct prof_run *b)
{
    cr_expect_str_eq(b->status, a->status, "%s", b->diagnostic);
    EXPECT_FIELD(a, b, cycles, "run");
    EXPECT_FIELD(a, b, instructions, "run");
    EXPECT_FIELD(a, b, inference_cycles, "run");
    EXPECT_FIELD(a, b, inference_instructions, "run");
    EXPECT_FIELD(a, b, ram_stack_peak, "run");
    EXPECT_FIELD(a, b, ram_arena_used, "run");
    cr_expect_eq(b->energy_uj, a->energy_uj);
    cr_assert_eq(b->n_layers, a->n_layers);
    for (int i = 0; i < a->n_layers; i++) {
        const struct prof_layer *x = &a->layers[i], *y = &b->layers[i];
        cr_expect_str_eq(y->name, x->name);
        EXPECT_FIELD(x, y, start_cycle, x->name);
        EXPECT_FIELD(x, y, cycles, x->name);
        EXPECT_FIELD(x, y, instructions, x->name);
        for (int c = 0; c < PROF_CLASS_COUNT; c++)
            EXPECT_FIELD(x, y, classes[c], x->name);
        EXPECT_FIELD(x, y, flash_loads, x->name);
        EXPECT_FIELD(x, y, ram_loads, x->name);
        EXPECT_FIELD(x, y, ram_stores, x->name);
        EXPECT_FIELD(x, y, stack_peak, x->name);
        EXPECT_FIELD(x, y, arena_used, x->name);
    }
    cr_assert_eq(b->n_functions, a->n_functions);
    for (int i = 0; i < a->n_functions; i++) {
        const struct prof_function *x = &a->functions[i], *y = &b->functions[i];
        cr_expect_str_eq(y->name, x->name);
        EXPECT_FIELD(x, y, self_cycles, x->name);
        EXPECT_FIELD(x, y, total_cycles, x->name);
        EXPECT_FIELD(x, y, self_instructions, x->name);
        EXPECT_FIELD(x, y, calls, x->name);
    }
}

static void profile_both(const char *board, const char *kernels, struct script *sc)
{
    struct profile_session plain, debugged;
    struct profile_job job_plain, job_debugged;
    profile(&plain, &job_plain, board, kernels, NULL);
    profile(&debugged, &job_debugged, board, kernels, sc);
    expect_same_profile(&plain.run, &debugged.run);
    cr_expect_str_eq(debugged.output_line, plain.output_line);
    cr_expect_gt(total_stops(sc), 100, "%d stops", total_stops(sc));
    cr_expect_not(sc->went_backwards);
    cr_expect_not(sc->inspect_failed);
    session_close(&plain);
    session_close(&debugged);
}

Test(debug, profiled_inference_m4_opt, .timeout = 300)
{
    struct script sc = {.function_stride = 5, .hits_per_breakpoint = 3, .interrupt_every = 1, .watch = true,
                        .background_watch = true, .rng = 1};
    profile_both("nano33ble", "opt", &sc);
    cr_expect_gt(sc.watch_hits, 3, "%d watchpoint stops", sc.watch_hits);
    cr_expect(sc.background_set, "the whole run was watched");
    script_free(&sc);
}

Test(debug, profiled_inference_m0plus_ref, .timeout = 300)
{
    struct script sc = {.function_stride = 4, .hits_per_breakpoint = 2, .interrupt_every = 3, .watch = true,
                        .persistent_watch = true, .rng = 2};
    profile_both("pico", "ref", &sc);
    cr_expect_geq(sc.watch_hits, 40, "%d watchpoint stops", sc.watch_hits);
    script_free(&sc);
}

Test(debug, profiled_inference_m7_opt, .timeout = 300)
{
    struct script sc = {.function_stride = 6, .hits_per_breakpoint = 3, .interrupt_every = 1, .watch = true,
                        .background_watch = true, .rng = 3};
    profile_both("stm32f746disco", "opt", &sc);
    cr_expect(sc.background_set, "the whole run was watched");
    script_free(&sc);
}
