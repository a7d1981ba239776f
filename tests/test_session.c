/*
 * test_session.c — the profiling session as a library (profiler/session.h)
 * and the pieces it is made of: the table of runtime images, the model
 * facts (model_fit.h) and the verdict, flash and RAM (fit_verdict.h).  Each step's contract: a
 * one-line error with its exit status when it cannot go on, a model that
 * does not fit as a result rather than an error, and nothing printed but
 * the firmware's console, to the streams the caller gives.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "fit_verdict.h"
#include "model_fit.h"
#include "runtime_images.h"
#include "session.h"
#include "simtest.h"

static const char *workload(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/workloads/%s.tflite", build_root(), name);
    return path;
}

/* ---- the table of runtime images ---- */

Test(runtime_images, one_row_per_runtime_and_kernel_family)
{
    const struct runtime_image *ref = runtime_image_find("mcusim", "ref");
    const struct runtime_image *opt = runtime_image_find("mcusim", "opt");
    cr_assert(ref && opt);
    cr_expect_str_eq(ref->host_family, "ref");
    cr_expect_str_eq(opt->host_family, "opt");
    cr_expect_null(runtime_image_find("mcusim", "fast"));
    cr_expect_null(runtime_image_find("other", "ref"));
    cr_expect_eq(runtime_image_find(RUNTIME_DEFAULT, RUNTIME_DEFAULT_KERNELS), ref);
    /* The own runtime's two families; every row a pair of its own, found
     * by runtime_image_find (other runtimes' rows may follow). */
    size_t own = 0;
    for (size_t i = 0; runtime_image_at(i); i++) {
        const struct runtime_image *ri = runtime_image_at(i);
        own += !strcmp(ri->runtime, "mcusim");
        cr_expect_eq(runtime_image_find(ri->runtime, ri->kernels), ri, "%s/%s", ri->runtime, ri->kernels);
    }
    cr_expect_eq(own, 2u);
    char text[64];
    runtime_kernels_text("mcusim", ", ", " or ", text, sizeof text);
    cr_expect_str_eq(text, "ref or opt");
    runtime_kernels_text("mcusim", "|", "|", text, sizeof text);
    cr_expect_str_eq(text, "ref|opt");
    runtime_kernels_text("other", ", ", " or ", text, sizeof text);
    cr_expect_str_eq(text, "");
}

/* Whether the build makes the images of a runtime (meson.build's
 * runtimes_built, e.g. "mcusim,tflm"). */
static bool runtime_built(const char *runtime)
{
    const char *list = MCUSIM_RUNTIMES_BUILT;
    size_t n = strlen(runtime);
    for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
        if (strcspn(p, ",") == n && !strncmp(p, runtime, n))
            return true;
    }
    return false;
}

Test(runtime_images, every_board_has_its_images_and_a_missing_one_is_named)
{
    char path[1024], err[1024];
    static const char *const boards[] = {"nano33ble", "stm32l4r5", "stm32f746disco", "pico", "mps2-an386"};
    cr_expect(runtime_built("mcusim"), "%s", MCUSIM_RUNTIMES_BUILT);
    cr_expect_not(runtime_built("mcusi"));
    for (size_t b = 0; b < sizeof boards / sizeof boards[0]; b++)
        for (size_t i = 0; runtime_image_at(i); i++) {
            const struct runtime_image *ri = runtime_image_at(i);
            int rc = runtime_image_path(ri, boards[b], path, sizeof path, err, sizeof err);
            if (runtime_built(ri->runtime)) {
                cr_expect_eq(rc, 0, "%s", err);
                cr_expect_eq(access(path, R_OK), 0, "%s", path);
            } else {
                /* Left out of this build (its sources were not found):
                 * one line saying so and how to get it. */
                cr_expect_eq(rc, -1, "%s", path);
                cr_expect(strstr(err, "is not built into this mcusim ("), "%s", err);
            }
        }
    cr_expect_eq(runtime_image_path(runtime_image_find("mcusim", "opt"), "myboard", path, sizeof path, err,
                                    sizeof err),
                 -1);
    cr_expect(strstr(err, "no mcusim firmware for board 'myboard' with kernels 'opt'"), "%s", err);
    cr_expect(strstr(err, "runtime-<board>-opt.elf"), "%s", err);
}

Test(runtime_images, the_slot_is_found_only_with_the_rows_model_reader)
{
    const struct runtime_image *ref = runtime_image_find("mcusim", "ref");
    char path[1024], err[1024];
    cr_assert_eq(runtime_image_path(ref, "nano33ble", path, sizeof path, err, sizeof err), 0, "%s", err);
    struct elf_image img;
    cr_assert_eq(elf_image_load(path, &img, err, sizeof err), 0, "%s", err);
    struct model_slot slot;
    cr_expect_eq(model_slot_find(&img, ref->reader_symbol, &slot, err, sizeof err), 0, "%s", err);
    cr_expect_gt(slot.end, slot.start);
    /* Another runtime's reader is not in this image: refused. */
    cr_expect_eq(model_slot_find(&img, "no_such_model_reader", &slot, err, sizeof err), -1);
    cr_expect(strstr(err, ": not a runtime image (no model slot, or no model reader)"), "%s", err);
    elf_image_free(&img);
}

/* ---- model facts and the flash verdict ---- */

Test(model_fit, slot_header)
{
    uint8_t h[MODEL_SLOT_HEADER_BYTES];
    model_slot_header(0x012345, h);
    static const uint8_t want[MODEL_SLOT_HEADER_BYTES] = {'M', 'D', 'L', '1', 0x45, 0x23, 0x01, 0x00};
    cr_expect_arr_eq(h, want, sizeof want);
}

/* ---- the verdict: flash and RAM against the board ---- */

/* The room of the built runtime image for a board and kernel family. */
static void room_of(const char *board, const char *kernels, struct board *b, struct image_room *room)
{
    char err[1024], path[1024];
    cr_assert_eq(board_find(board, b, err, sizeof err), 0, "%s", err);
    cr_assert_eq(runtime_image_path(runtime_image_find("mcusim", kernels), b->name, path, sizeof path, err,
                                    sizeof err),
                 0, "%s", err);
    struct elf_image img;
    cr_assert_eq(elf_image_load(path, &img, err, sizeof err), 0, "%s", err);
    cr_assert_eq(image_room_read(&img, "rt_model_open", b, room, err, sizeof err), 0, "%s", err);
    elf_image_free(&img);
}

/* A model synthesized into a temporary file (removed by the caller). */
static void synthesize(const char *spec, char *path, size_t len)
{
    snprintf(path, len, "/tmp/mcusim-verdict-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    char cmd[2048], *out;
    snprintf(cmd, sizeof cmd, "'%s/mcusim' model build '%s' -o %s", build_root(), spec, path);
    cr_assert_eq(run_command_capture(cmd, &out), 0, "%s", out);
    free(out);
}

static void verdict_of(const char *model, const char *board, const char *kernels, struct fit_verdict *v)
{
    struct board b;
    struct image_room room;
    room_of(board, kernels, &b, &room);
    struct model_file m;
    char err[1024];
    cr_assert_eq(model_file_read(model, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(fit_verdict_make(&m, kernels, &b, &room, v, err, sizeof err), 0, "%s", err);
    model_file_free(&m);
}

Test(fit_verdict, the_room_of_an_image_adds_up_to_the_board)
{
    static const char *const boards[] = {"nano33ble", "stm32l4r5", "stm32f746disco", "pico", "mps2-an386"};
    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++) {
        struct board b;
        struct image_room r;
        room_of(boards[i], "opt", &b, &r);
        cr_expect_eq(r.flash_capacity, board_main_region(&b, REGION_FLASH)->size, "%s", boards[i]);
        cr_expect_eq(r.flash_image + r.slot_bytes, r.flash_capacity, "%s: the slot runs to the end of flash",
                     boards[i]);
        cr_expect_gt(r.flash_image, 16u * 1024, "%s: the runtime's code", boards[i]);
        cr_expect_eq(r.ram_capacity, board_main_region(&b, REGION_RAM)->size, "%s", boards[i]);
        cr_expect_eq(r.ram_static + r.arena_capacity + r.ram_stack, r.ram_capacity, "%s", boards[i]);
        cr_expect_eq(r.ram_stack, r.stack_reserved + STACK_GUARD_BYTES, "%s", boards[i]);
        cr_expect_geq(r.stack_reserved, b.stack_bytes, "%s", boards[i]);
    }
}

Test(fit_verdict, a_model_that_fits_has_the_firmwares_numbers)
{
    struct fit_verdict v;
    verdict_of(workload("cnn"), "nano33ble", "ref", &v);
    cr_expect(v.fits && v.flash_fits && v.ram_fits && v.planned);
    cr_expect_eq(v.layers, 9u);
    cr_expect_gt(v.macs, 2000000u);
    cr_expect_eq(v.flash_needed, (uint64_t)v.room.flash_image + MODEL_SLOT_HEADER_BYTES + v.model_bytes);
    cr_expect_eq(v.ram_needed, (uint64_t)v.room.ram_static + v.arena + v.room.ram_stack);
    cr_expect_eq(fit_verdict_flash_over(&v), 0u);
    cr_expect_eq(fit_verdict_ram_over(&v), 0u);
}

Test(fit_verdict, both_resources_over_are_both_named_with_their_numbers, .timeout = 120)
{
    char model[64];
    synthesize("mobilenet:alpha=0.5,res=224,classes=1000", model, sizeof model);
    struct fit_verdict v;
    verdict_of(model, "nano33ble", "ref", &v);
    cr_expect_not(v.fits);
    cr_expect_not(v.flash_fits);
    cr_expect_not(v.ram_fits);
    cr_expect(v.planned);
    cr_expect_eq(fit_verdict_flash_over(&v), v.flash_needed - v.room.flash_capacity);
    cr_expect_eq(fit_verdict_ram_over(&v), v.ram_needed - v.room.ram_capacity);
    char text[1024], want[512];
    fit_verdict_text(&v, "m.tflite", "nano33ble", text, sizeof text);
    snprintf(want, sizeof want,
             "m.tflite does not fit nano33ble: flash needs %llu bytes of 1048576 (%llu over: image %u + model %llu), "
             "RAM needs %llu bytes of 262144 (%llu over: static %u + arena %llu + stack %u)",
             (unsigned long long)v.flash_needed, (unsigned long long)fit_verdict_flash_over(&v), v.room.flash_image,
             (unsigned long long)v.model_bytes + MODEL_SLOT_HEADER_BYTES, (unsigned long long)v.ram_needed,
             (unsigned long long)fit_verdict_ram_over(&v), v.room.ram_static, (unsigned long long)v.arena,
             v.room.ram_stack);
    cr_expect_str_eq(text, want);

    /* The same model on a board with room for both. */
    verdict_of(model, "mps2-an386", "ref", &v);
    cr_expect(v.fits, "4 MB of flash and of RAM");
    unlink(model);
}

Test(fit_verdict, a_model_the_runtime_cannot_run_is_judged_by_its_sizes, .timeout = 120)
{
    char big[64], small[64];
    synthesize("mobilenet:alpha=0.5,res=160,dtype=float32", big, sizeof big);
    synthesize("mobilenet:alpha=0.25,res=96,dtype=float32", small, sizeof small);
    struct fit_verdict v;
    verdict_of(big, "nano33ble", "ref", &v);
    cr_expect_not(v.planned);
    cr_expect_not(v.fits);
    cr_expect_not(v.flash_fits);
    cr_expect_not(v.ram_fits, "float32 activations: 80x80x32 of them at once, 4 bytes each");
    cr_expect_eq(v.macs, 0u, "not prepared: no MACs");
    cr_expect_eq(v.layers, 31u);
    const char *lacking = "unsupported operators: CONV_2D (3) with float32 input at layers 0, 2, 4, ";
    cr_expect(!strncmp(v.why, lacking, strlen(lacking)), "every unsupported operator is named: %s", v.why);
    cr_expect_geq(v.arena, 80u * 80 * (16 + 32) * 4, "the first pointwise layer's input and output");
    char text[1024];
    fit_verdict_text(&v, "f.tflite", "nano33ble", text, sizeof text);
    cr_expect(strstr(text, "RAM needs at least "), "%s", text);
    cr_expect(strstr(text, "; and the runtime cannot run it: unsupported operators: CONV_2D (3) with float32 input "
                           "at layers 0, 2, 4, "),
              "%s", text);

    /* Small enough: the verdict is that it fits, and the session refuses
     * it for what it is, an unsupported operator (exit 2). */
    verdict_of(small, "nano33ble", "ref", &v);
    cr_expect(v.fits && !v.planned);
    struct profile_job job;
    profile_job_init(&job);
    job.model = small;
    struct profile_session s;
    cr_assert_eq(session_open(&s, &job), 0, "%s", s.error);
    cr_expect_eq(session_check(&s), -1);
    cr_expect_eq(s.exit_status, EXIT_BAD_INPUT);
    char want[256];
    snprintf(want, sizeof want, "%s: unsupported operators: CONV_2D (3) with float32 input at layers 0, 2, 4, ", small);
    cr_expect(!strncmp(s.error, want, strlen(want)), "%s", s.error);
    session_close(&s);
    unlink(big);
    unlink(small);
}

/* The lower bound is one: never more than the firmware's plan, and at
 * least half of it for the project's models (the rest is parameters,
 * scratch and the planner's gaps). */
Test(fit_verdict, the_arena_lower_bound_is_below_the_plan)
{
    static const char *const workloads[] = {"cnn", "cnn_half", "dscnn", "autoencoder", "mobilenet", "resnet"};
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++) {
        struct fit_verdict v;
        verdict_of(workload(workloads[i]), "nano33ble", "opt", &v);
        struct model_file m;
        char err[1024];
        cr_assert_eq(model_file_read(workload(workloads[i]), &m, err, sizeof err), 0, "%s", err);
        uint64_t bound;
        cr_assert_eq(fit_arena_lower_bound(&m, &bound, err, sizeof err), 0, "%s", err);
        cr_expect_leq(bound, v.arena, "%s: bound %llu, plan %llu", workloads[i], (unsigned long long)bound,
                      (unsigned long long)v.arena);
        cr_expect_geq(bound, v.arena / 2, "%s: bound %llu, plan %llu", workloads[i], (unsigned long long)bound,
                      (unsigned long long)v.arena);
        model_file_free(&m);
    }
}

Test(model_fit, plan_gives_the_facts_and_errors_name_the_file)
{
    struct model_file m;
    char err[1024];
    cr_assert_eq(model_file_read(workload("cnn"), &m, err, sizeof err), 0, "%s", err);
    struct model_plan p;
    struct board b;
    cr_assert_eq(board_find("nano33ble", &b, err, sizeof err), 0, "%s", err);
    cr_assert_eq(model_plan_open(&m, "ref", &b, &p, err, sizeof err), 0, "%s", err);
    cr_expect_eq(p.interp.num_nodes, 9u);
    cr_expect_gt(p.interp.total_macs, 0u);
    cr_expect_gt(p.interp.arena_needed, 0u);
    model_plan_close(&p);
    cr_expect_eq(model_verify(&m, "opt", err, sizeof err), 0, "%s", err);
    cr_expect_eq(model_verify(&m, "fast", err, sizeof err), -1);
    cr_expect(strstr(err, "kernel family 'fast' is not built"), "%s", err);
    model_file_free(&m);

    cr_expect_eq(model_file_read("/nonexistent.tflite", &m, err, sizeof err), -1);
    cr_expect_str_eq(err, "/nonexistent.tflite: cannot open: No such file or directory");
    char bad[] = "/tmp/mcusim-session-XXXXXX";
    int fd = mkstemp(bad);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "not a model at all", 18), 18);
    close(fd);
    cr_assert_eq(model_file_read(bad, &m, err, sizeof err), 0, "%s", err);
    cr_expect_eq(model_verify(&m, "ref", err, sizeof err), -1);
    cr_expect(strstr(err, bad) == err && strstr(err, "not a TFLite model"), "%s", err);
    model_file_free(&m);
    unlink(bad);
}

/* The host plans for the firmware: the arena it says the image will need
 * is, to the byte, the one the image's runtime plans on the target (its
 * tables are smaller there: 4-byte pointers, rt_target_sizes.h), for every
 * workload and shared model, both kernel families, on an M4 and on the M0+
 * (where the opt family takes its plain C paths). */
static void expect_host_plan_is_the_targets(const char *model, const char *board, const char *kernels)
{
    struct model_file m;
    struct model_plan p;
    char err[1024];
    cr_assert_eq(model_file_read(model, &m, err, sizeof err), 0, "%s", err);
    struct board b;
    cr_assert_eq(board_find(board, &b, err, sizeof err), 0, "%s", err);
    cr_assert_eq(model_plan_open(&m, kernels, &b, &p, err, sizeof err), 0, "%s", err);
    struct profile_job job;
    profile_job_init(&job);
    job.model = model;
    job.board = board;
    job.kernels = kernels;
    struct profile_session s;
    cr_assert_eq(session_execute(&s, &job), 0, "%s: %s", model, s.error);
    cr_expect_str_eq(s.run.status, "ok", "%s on %s (%s): %s", model, board, kernels, s.run.diagnostic);
    cr_expect_eq(s.run.ram_arena_planned, p.interp.target_arena_needed, "%s on %s (%s): target %u, host says %zu",
                 model, board, kernels, s.run.ram_arena_planned, p.interp.target_arena_needed);
    cr_expect_leq(p.interp.target_arena_needed, p.interp.arena_needed);
    /* Its scratch is sized for the board's core: the plan does not run here. */
    struct rt_error rerr;
    cr_expect_eq(rt_interp_invoke(&p.interp, &rerr), RT_BAD_ARG);
    cr_expect_str_eq(rerr.msg, "interpreter planned for another core");
    session_close(&s);
    model_plan_close(&p);
    model_file_free(&m);
}

Test(model_fit, the_host_plans_the_arena_of_the_firmware, .timeout = 900)
{
    static const char *const workloads[] = {"cnn", "cnn_half", "dscnn", "autoencoder", "mobilenet", "resnet"};
    static const char *const shared[] = {"ad_autoencoder", "hello_world_float", "hello_world_int8", "ic_resnet8",
                                         "kws_dscnn", "micro_speech", "person_detect", "vww_mobilenet"};
    static const char *const kernels[] = {"ref", "opt"};
    const char *dir = getenv("MCUSIM_SHARED_MODELS");
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++) {
            expect_host_plan_is_the_targets(workload(workloads[i]), "nano33ble", kernels[k]);
            expect_host_plan_is_the_targets(workload(workloads[i]), "pico", kernels[k]);
        }
        for (size_t i = 0; dir && i < sizeof shared / sizeof shared[0]; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s.tflite", dir, shared[i]);
            expect_host_plan_is_the_targets(path, "nano33ble", kernels[k]);
        }
    }
}

/* ---- the session ---- */

/* The job every test starts from: a model, no database, console captured. */
static void model_job(struct profile_job *job, const char *model, FILE *console)
{
    profile_job_init(job);
    job->model = model;
    job->mode = PROFILE_CYCLES;
    job->out = job->err = console;
}

Test(session, runs_a_model_and_prints_only_the_console_it_is_given)
{
    char *console = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&console, &len);
    struct profile_job job;
    model_job(&job, workload("cnn"), f);
    job.mode = PROFILE_FULL;
    /* Anything the library wrote to stdout or stderr itself would land
     * in this file. */
    char leak[] = "/tmp/mcusim-session-out-XXXXXX";
    int fd = mkstemp(leak);
    cr_assert_geq(fd, 0);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    struct profile_session s;
    int rc = session_execute(&s, &job);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    fclose(f);
    cr_expect_eq(lseek(fd, 0, SEEK_END), 0, "the session printed nothing of its own");
    close(fd);
    unlink(leak);
    cr_assert_eq(rc, 0, "%s", s.error);
    cr_expect_eq(s.exit_status, EXIT_OK_STATUS);
    cr_expect_str_eq(s.run.status, "ok");
    cr_expect_str_eq(s.run.kernels, "ref");
    cr_expect_str_eq(s.run.board, "nano33ble");
    cr_expect_gt(s.run.inference_cycles, 0u);
    cr_expect_eq(s.run.n_layers, 10, "9 layers and the inference");
    cr_expect_eq(s.run_id, 0, "no database: not stored");
    cr_expect(strncmp(s.output_line, "output: ", 8) == 0, "%s", s.output_line);
    cr_expect(strstr(console, s.output_line), "the console went to the caller's stream:\n%s", console);
    session_close(&s);
    free(console);
}

Test(session, each_step_fails_with_one_line_and_its_status)
{
    struct profile_job job;
    struct profile_session s;
    model_job(&job, workload("cnn"), NULL);
    job.board = "nano34";
    cr_expect_eq(session_open(&s, &job), -1);
    cr_expect_eq(s.exit_status, EXIT_BAD_INPUT);
    cr_expect(strstr(s.error, "nano34: unknown board"), "%s", s.error);
    cr_expect_null(strchr(s.error, '\n'));
    session_close(&s);

    model_job(&job, workload("cnn"), NULL);
    job.kernels = "fast";
    cr_expect_eq(session_open(&s, &job), -1);
    cr_expect_str_eq(s.error, "runtime 'mcusim' has no kernel family 'fast' (ref or opt)");
    session_close(&s);

    /* Any other firmware has no model slot: not a runtime image. */
    model_job(&job, workload("cnn"), NULL);
    job.firmware = fw_path("workloads/firmware", "hello", "nano33ble");
    cr_expect_eq(session_open(&s, &job), -1);
    cr_expect(strstr(s.error, "not a runtime image"), "%s", s.error);
    session_close(&s);

    /* A file that is no model passes open and stops at check. */
    char bad[] = "/tmp/mcusim-session-XXXXXX";
    int fd = mkstemp(bad);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "TFL3 but not really a model, just text", 38), 38);
    close(fd);
    model_job(&job, bad, NULL);
    cr_assert_eq(session_open(&s, &job), 0, "%s", s.error);
    cr_expect_eq(session_check(&s), -1);
    cr_expect_eq(s.exit_status, EXIT_BAD_INPUT);
    cr_expect(strstr(s.error, bad) == s.error, "%s", s.error);
    session_close(&s);
    unlink(bad);
}

Test(session, a_model_too_big_for_the_flash_is_a_result_with_the_numbers, .timeout = 120)
{
    char model[] = "/tmp/mcusim-session-big-XXXXXX", cmd[2048], *out;
    int fd = mkstemp(model);
    cr_assert_geq(fd, 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "'%s/mcusim' model build autoencoder:hidden=1024 -o %s", build_root(), model);
    cr_assert_eq(run_command_capture(cmd, &out), 0, "%s", out);
    free(out);
    struct profile_job job;
    model_job(&job, model, NULL);
    struct profile_session s;
    cr_assert_eq(session_open(&s, &job), 0, "%s", s.error);
    cr_assert_eq(session_check(&s), 0, "%s", s.error);
    cr_expect(s.done, "nothing left to run");
    cr_expect_eq(s.exit_status, EXIT_NO_FIT);
    cr_expect_str_eq(s.run.status, "nofit");
    cr_expect(strstr(s.run.diagnostic, "does not fit nano33ble: flash needs "), "%s", s.run.diagnostic);
    cr_expect_null(strstr(s.run.diagnostic, "RAM needs"), "RAM fits: %s", s.run.diagnostic);
    cr_expect_gt(s.run.flash_model, s.run.flash_capacity);
    session_close(&s);
    /* The whole sequence stops there too, with the same record. */
    cr_expect_eq(session_execute(&s, &job), 0, "%s", s.error);
    cr_expect_str_eq(s.run.status, "nofit");
    cr_expect_eq(s.run.instructions, 0u, "not simulated");
    session_close(&s);
    unlink(model);
}

Test(session, a_model_too_big_for_the_ram_is_not_simulated_either, .timeout = 120)
{
    char model[64];
    synthesize("mobilenet:alpha=0.25,res=224", model, sizeof model);
    struct fit_verdict v;
    verdict_of(model, "nano33ble", "opt", &v);
    cr_assert(v.flash_fits && !v.ram_fits && v.planned);
    struct profile_job job;
    model_job(&job, model, NULL);
    job.kernels = "opt";
    struct profile_session s;
    cr_expect_eq(session_execute(&s, &job), 0, "%s", s.error);
    cr_expect_eq(s.exit_status, EXIT_NO_FIT);
    cr_expect_str_eq(s.run.status, "nofit");
    cr_expect_eq(s.run.instructions, 0u, "not simulated");
    cr_expect(strstr(s.run.diagnostic, "does not fit nano33ble: RAM needs "), "%s", s.run.diagnostic);
    cr_expect_eq(s.run.ram_arena_planned, v.arena);
    cr_expect_eq(s.run.ram_arena_capacity, v.room.arena_capacity);
    cr_expect_eq(s.run.ram_stack_capacity, v.room.stack_reserved);
    session_close(&s);
    unlink(model);
}
