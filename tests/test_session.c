/*
 * test_session.c — the profiling session as a library (profiler/session.h)
 * and the pieces it is made of: the table of runtime images, the model
 * facts and the flash verdict (model_fit.h).  Each step's contract: a
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

Test(model_fit, slot_header_and_flash_verdict)
{
    uint8_t h[MODEL_SLOT_HEADER_BYTES];
    model_slot_header(0x012345, h);
    static const uint8_t want[MODEL_SLOT_HEADER_BYTES] = {'M', 'D', 'L', '1', 0x45, 0x23, 0x01, 0x00};
    cr_expect_arr_eq(h, want, sizeof want);

    struct board b;
    char err[1024];
    cr_assert_eq(board_find("nano33ble", &b, err, sizeof err), 0, "%s", err);
    struct model_slot slot = {.start = 0x10000, .end = 0x100000}; /* 64 KB of image, 1 MB flash */
    struct flash_fit fit;
    model_flash_fit(&slot, 0x100000 - 0x10000 - MODEL_SLOT_HEADER_BYTES, &b, &fit);
    cr_expect(fit.fits, "a model that fills the slot to the byte fits");
    model_flash_fit(&slot, 0x100000 - 0x10000 - MODEL_SLOT_HEADER_BYTES + 1, &b, &fit);
    cr_expect_not(fit.fits);
    cr_expect_eq(fit.runtime_bytes, 0x10000u);
    cr_expect_eq(fit.free_bytes, 0xF0000u);
    cr_expect_eq(fit.capacity, 0x100000u);
    char text[512];
    flash_fit_text(&fit, "m.tflite", b.name, text, sizeof text);
    cr_expect_str_eq(text, "m.tflite does not fit in flash: the model needs 983041 bytes, 983040 are free after the "
                           "runtime's 65536 bytes (board 'nano33ble' has 1048576)");
}

Test(model_fit, plan_gives_the_facts_and_errors_name_the_file)
{
    struct model_file m;
    char err[1024];
    cr_assert_eq(model_file_read(workload("cnn"), &m, err, sizeof err), 0, "%s", err);
    struct model_plan p;
    cr_assert_eq(model_plan_open(&m, "ref", &p, err, sizeof err), 0, "%s", err);
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
    cr_expect(strstr(s.run.diagnostic, "does not fit in flash: the model needs "), "%s", s.run.diagnostic);
    cr_expect_gt(s.run.flash_model, s.run.flash_capacity);
    session_close(&s);
    /* The whole sequence stops there too, with the same record. */
    cr_expect_eq(session_execute(&s, &job), 0, "%s", s.error);
    cr_expect_str_eq(s.run.status, "nofit");
    cr_expect_eq(s.run.instructions, 0u, "not simulated");
    session_close(&s);
    unlink(model);
}
