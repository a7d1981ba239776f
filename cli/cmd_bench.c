/*
 * cmd_bench.c — 'mcusim bench': how fast the simulator is, measured side
 * by side in one run.
 *
 * For each workload (a compute-bound firmware loop, and one inference of
 * each project model with every runtime and kernel family built: mcusim's
 * ref and opt, and another runtime's when its images are there, so that
 * the cost of profiling it shows beside the own one's) it times the same
 * ELF four
 * ways: Unicorn with no block hook (the engine's ceiling), mcusim with the
 * cycle model, mcusim with full profiling, and QEMU (when installed and
 * the board is QEMU's machine, mps2-an386).  Each is the best of a few
 * repetitions (these machines are shared and noisy).  Then cost growth:
 * the loop at two lengths, comparing host time, peak memory (in a child
 * process) and the database's size.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "exitcodes.h"
#include "model_fit.h"
#include "runtime_images.h"
#include "session.h"
#include "wall_time.h"

#ifndef MCUSIM_BUILD_ROOT
#define MCUSIM_BUILD_ROOT "."
#endif

struct bench_row {
    char name[96];
    char kernels[16];
    uint64_t instructions;
    /* Best simulation wall times (the engine running, no setup). */
    double engine_s, hook_s, cycles_s, full_s;
    /* Best whole-command wall times (ELF, symbols, DWARF, database). */
    double cycles_cmd_s, full_cmd_s;
    double qemu_s;            /* QEMU's whole command; 0 when absent */
    double qemu_startup_s;
};

struct bench_opts {
    const char *board;
    const char *runtime;      /* NULL: every runtime built */
    int reps;
    bool qemu;
    bool quick;
};

static void usage(FILE *out)
{
    char runtimes[64];
    runtime_names_text(", ", " or ", runtimes, sizeof runtimes);
    fprintf(out,
            "usage: mcusim bench [options]\n\n"
            "Measures simulation speed in one run: for each workload, MIPS of the bare\n"
            "Unicorn engine on the ELF (the ceiling), of mcusim with the cycle model, of\n"
            "full profiling, and QEMU's wall time on the same ELF; then how costs grow\n"
            "with run length (host time, peak memory, database size).\n\n"
            "options:\n"
            "  -b, --board NAME   board (default: mps2-an386, QEMU's machine, so QEMU\n"
            "                     runs the very same ELF; other boards: no QEMU column)\n"
            "  -r, --runtime NAME the inferences with this runtime only (%s; default:\n"
            "                     every runtime whose images are built, each kernel family)\n"
            "      --quick        fewer repetitions and smaller workloads\n"
            "      --no-qemu      skip QEMU\n"
            "      --json PATH    write the results as JSON\n"
            "  -h, --help         this help\n",
            runtimes);
}

/* Best-of-N simulation time (and whole-command time) of one profiling
 * session; the firmware's console is dropped. */
static int time_mode(const struct profile_job *base, enum profile_mode mode, int reps, double *best,
                     double *best_cmd, uint64_t *insns, char *err, size_t errlen)
{
    *best = 1e30;
    if (best_cmd)
        *best_cmd = 1e30;
    for (int r = 0; r < reps; r++) {
        struct profile_job job = *base;
        job.mode = mode;
        job.out = job.err = NULL;
        struct profile_session s;
        double t0 = wall_time_s();
        int rc = session_execute(&s, &job);
        double t = wall_time_s() - t0;
        if (rc || strcmp(s.run.status, "ok")) {
            snprintf(err, errlen, "%s", rc ? s.error : s.run.diagnostic);
            session_close(&s);
            return -1;
        }
        if (mode != PROFILE_ENGINE && mode != PROFILE_EMPTY_HOOK && insns)
            *insns = s.run.instructions;
        if (s.run.wall_s < *best)
            *best = s.run.wall_s;
        session_close(&s);
        if (best_cmd && t < *best_cmd)
            *best_cmd = t;
    }
    return 0;
}

static bool have_qemu(void)
{
    return system("qemu-system-arm --version >/dev/null 2>&1") == 0;
}

/* QEMU wall time for an ELF with optional model blob at addr. */
static double time_qemu(const char *elf, const char *blob, uint32_t addr, char **args, int n_args, int reps)
{
    char cmd[8192];
    int len = snprintf(cmd, sizeof cmd,
                       "qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
                       "-semihosting-config enable=on,target=native,arg=%s",
                       elf);
    for (int i = 0; i < n_args; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, ",arg=%s", args[i]);
    if (blob)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " -device loader,file=%s,addr=0x%x", blob, addr);
    snprintf(cmd + len, sizeof cmd - (size_t)len, " -kernel %s >/dev/null 2>&1", elf);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = wall_time_s();
        int rc = system(cmd);
        double t = wall_time_s() - t0;
        if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
            return 0;
        if (t < best)
            best = t;
    }
    return best;
}

static const char *fw_path(const char *name, const char *board, char *buf, size_t len)
{
    snprintf(buf, len, "%s/workloads/firmware/%s-%s.elf", MCUSIM_BUILD_ROOT, name, board);
    return buf;
}

/* Writes the model slot image (header + model) QEMU's loader places. */
static int write_blob(const char *model, const char *blob)
{
    FILE *in = fopen(model, "rb"), *out = fopen(blob, "wb");
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return -1;
    }
    fseek(in, 0, SEEK_END);
    size_t size = (size_t)ftell(in);
    rewind(in);
    uint8_t header[MODEL_SLOT_HEADER_BYTES];
    model_slot_header(size, header);
    fwrite(header, 1, sizeof header, out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

static int slot_address(const char *elf, const char *reader_symbol, uint32_t *addr)
{
    struct elf_image img;
    struct model_slot slot;
    char err[1024];
    if (elf_image_load(elf, &img, err, sizeof err))
        return -1;
    int rc = model_slot_find(&img, reader_symbol, &slot, err, sizeof err);
    elf_image_free(&img);
    *addr = slot.start;
    return rc;
}

static double mips(uint64_t insns, double s)
{
    return s > 0 ? insns / s / 1e6 : 0;
}

static void print_row(const struct bench_row *r)
{
    double ceiling = mips(r->instructions, r->engine_s), hook = mips(r->instructions, r->hook_s);
    double cyc = mips(r->instructions, r->cycles_s), full = mips(r->instructions, r->full_s);
    printf("%-22s %11llu %8.1f %8.1f %4.0f%% %8.1f %4.0f%% %8.1f %4.0f%% %6.2fx", r->name,
           (unsigned long long)r->instructions, ceiling, hook, 100 * hook / ceiling, cyc, 100 * cyc / ceiling, full,
           100 * full / ceiling, r->full_cmd_s / r->cycles_cmd_s);
    if (r->qemu_s > 0) {
        double net = r->qemu_s - r->qemu_startup_s;
        if (net > r->qemu_startup_s * 0.5)
            printf(" %8.3f s %8.1f %5.2fx", r->qemu_s, mips(r->instructions, net), cyc / mips(r->instructions, net));
        else
            printf(" %8.3f s %8s %6s", r->qemu_s, "(short)", "-");
    }
    printf("\n");
    fflush(stdout);
}

static cJSON *row_json(const struct bench_row *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "workload", r->name);
    cJSON_AddNumberToObject(o, "instructions", (double)r->instructions);
    cJSON_AddNumberToObject(o, "engine_s", r->engine_s);
    cJSON_AddNumberToObject(o, "cycle_model_s", r->cycles_s);
    cJSON_AddNumberToObject(o, "full_profile_s", r->full_s);
    cJSON_AddNumberToObject(o, "engine_mips", mips(r->instructions, r->engine_s));
    cJSON_AddNumberToObject(o, "empty_hook_s", r->hook_s);
    cJSON_AddNumberToObject(o, "empty_hook_mips", mips(r->instructions, r->hook_s));
    cJSON_AddNumberToObject(o, "cycle_model_mips", mips(r->instructions, r->cycles_s));
    cJSON_AddNumberToObject(o, "full_profile_mips", mips(r->instructions, r->full_s));
    cJSON_AddNumberToObject(o, "cycle_model_vs_engine", r->engine_s / r->cycles_s);
    cJSON_AddNumberToObject(o, "full_profile_vs_engine", r->engine_s / r->full_s);
    cJSON_AddNumberToObject(o, "full_profile_vs_cycle_model", r->full_s / r->cycles_s);
    cJSON_AddNumberToObject(o, "cycle_model_command_s", r->cycles_cmd_s);
    cJSON_AddNumberToObject(o, "full_profile_command_s", r->full_cmd_s);
    cJSON_AddNumberToObject(o, "full_profile_command_vs_run", r->full_cmd_s / r->cycles_cmd_s);
    if (r->qemu_s > 0) {
        cJSON_AddNumberToObject(o, "qemu_wall_s", r->qemu_s);
        cJSON_AddNumberToObject(o, "qemu_startup_s", r->qemu_startup_s);
        cJSON_AddNumberToObject(o, "qemu_mips", mips(r->instructions, r->qemu_s - r->qemu_startup_s));
    }
    return o;
}

/* Peak RSS (KB) and wall time of `mcusim run --profile` in a child. */
static int child_run(const char *elf, const char *board, const char *reps, const char *db, long *rss_kb, double *wall)
{
    double t0 = wall_time_s();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl("/proc/self/exe", "mcusim", "run", elf, "--board", board, "--profile", "-q", "--db", db, "--",
              reps, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    *wall = wall_time_s() - t0;
    *rss_kb = ru.ru_maxrss;
    return 0;
}

/* Wall time of 'mcusim sweep MANIFEST -j J' into a fresh database. */
static double time_sweep(const char *manifest, const char *dir, const char *name, int jobs, int reps)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        char db[512], jarg[16];
        snprintf(db, sizeof db, "%s/%s-j%d-%d.db", dir, name, jobs, r);
        snprintf(jarg, sizeof jarg, "%d", jobs);
        double t0 = wall_time_s();
        pid_t pid = fork();
        if (pid < 0)
            return 0;
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            char work[512];
            snprintf(work, sizeof work, "%s/work", dir);
            execl("/proc/self/exe", "mcusim", "sweep", manifest, "-j", jarg, "--db", db, "--work-dir", work, "-q",
                  (char *)NULL);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
            return 0;
        double t = wall_time_s() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) ? 0 : (long)sb.st_size;
}

int cmd_bench(int argc, char **argv)
{
    struct bench_opts o = {.board = "mps2-an386", .reps = 3, .qemu = true};
    const char *json_path = NULL;
    static const struct option opts[] = {
        {"board", required_argument, 0, 'b'}, {"quick", no_argument, 0, 'Q'},
        {"runtime", required_argument, 0, 'r'},
        {"no-qemu", no_argument, 0, 'N'},     {"json", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': o.board = optarg; break;
        case 'r': o.runtime = optarg; break;
        case 'Q': o.quick = true; o.reps = 1; break;
        case 'N': o.qemu = false; break;
        case 'j': json_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    char why_runtime[512];
    if (o.runtime && !runtime_image_resolve(o.runtime, NULL, why_runtime, sizeof why_runtime)) {
        fprintf(stderr, "mcusim bench: %s\n", why_runtime);
        return EXIT_BAD_INPUT;
    }
    bool qemu = o.qemu && !strcmp(o.board, "mps2-an386") && have_qemu();
    cJSON *root = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(root, "workloads");
    cJSON_AddStringToObject(root, "board", o.board);
    cJSON_AddNumberToObject(root, "repetitions", o.reps);
    char err[1024];

    printf("mcusim bench on %s, best of %d.  MIPS = simulated instructions per second of simulation.\n"
           "engine: Unicorn with no block hook (the ceiling); hook: Unicorn calling an empty block hook\n"
           "(what any block-level accounting costs in Unicorn); cycles: mcusim with the cycle model;\n"
           "profile: full profiling; %% = share of the engine's MIPS; cmd x = whole-command time of full\n"
           "profiling over a cycle-model run; qemu: QEMU on the same ELF, MIPS net of its start-up\n",
           o.board, o.reps);
    printf("%-22s %11s %8s %8s %5s %8s %5s %8s %5s %7s", "workload", "instructions", "engine", "hook", "", "cycles",
           "", "profile", "", "cmd x");
    if (qemu)
        printf(" %10s %8s %6s", "qemu wall", "qemu", "ratio");
    printf("\n");

    /* QEMU's fixed cost: start and exit with a trivial program. */
    double qemu_startup = 0;
    char path[1024];
    if (qemu)
        qemu_startup = time_qemu(fw_path("hello", o.board, path, sizeof path), NULL, 0, NULL, 0, o.reps);

    /* 1. The compute-bound loop. */
    char loop_elf[1024];
    fw_path("loop", o.board, loop_elf, sizeof loop_elf);
    const char *loop_reps = o.quick ? "2000" : "20000";
    char *loop_args[] = {(char *)loop_reps};
    struct profile_job base;
    profile_job_init(&base);
    base.firmware = loop_elf;
    base.board = o.board;
    base.args = loop_args;
    base.n_args = 1;
    base.timeout_s = 600;
    struct bench_row row = {.qemu_startup_s = qemu_startup};
    snprintf(row.name, sizeof row.name, "loop (%s)", loop_reps);
    if (time_mode(&base, PROFILE_CYCLES, o.reps, &row.cycles_s, &row.cycles_cmd_s, &row.instructions, err,
                  sizeof err) ||
        time_mode(&base, PROFILE_ENGINE, o.reps, &row.engine_s, NULL, NULL, err, sizeof err) ||
        time_mode(&base, PROFILE_EMPTY_HOOK, o.reps, &row.hook_s, NULL, NULL, err, sizeof err) ||
        time_mode(&base, PROFILE_FULL, o.reps, &row.full_s, &row.full_cmd_s, NULL, err, sizeof err)) {
        fprintf(stderr, "mcusim bench: %s\n", err);
        cJSON_Delete(root);
        return EXIT_INTERNAL;
    }
    if (qemu)
        row.qemu_s = time_qemu(loop_elf, NULL, 0, loop_args, 1, o.reps);
    print_row(&row);
    cJSON_AddItemToArray(rows, row_json(&row));

    /* 2. One inference of each project workload with each runtime and
     * kernel family whose image is built (mcusim's ref and opt always). */
    static const char *models[] = {"cnn", "dscnn", "autoencoder", "mobilenet", "resnet"};
    size_t n_models = o.quick ? 2 : sizeof models / sizeof models[0];
    for (size_t m = 0; m < n_models; m++) {
        const struct runtime_image *image;
        for (size_t k = 0; (image = runtime_image_at(k)); k++) {
            if (o.runtime && strcmp(image->runtime, o.runtime))
                continue;
            const char *kernels = image->kernels;
            /* The own runtime's rows keep their names ("cnn ref"). */
            char flavor[40];
            if (strcmp(image->runtime, RUNTIME_DEFAULT))
                snprintf(flavor, sizeof flavor, "%s/%s", image->runtime, kernels);
            else
                snprintf(flavor, sizeof flavor, "%s", kernels);
            char model[1024], rt[1024], why[1024];
            snprintf(model, sizeof model, "%s/workloads/%s.tflite", MCUSIM_BUILD_ROOT, models[m]);
            if (runtime_image_path(image, o.board, rt, sizeof rt, why, sizeof why))
                continue; /* that family is not built */
            struct profile_job job;
            profile_job_init(&job);
            job.model = model;
            job.board = o.board;
            job.runtime = image->runtime;
            job.kernels = kernels;
            job.timeout_s = 600;
            struct bench_row r = {.qemu_startup_s = qemu_startup};
            snprintf(r.name, sizeof r.name, "%s %s", models[m], flavor);
            snprintf(r.kernels, sizeof r.kernels, "%s", kernels);
            if (time_mode(&job, PROFILE_CYCLES, o.reps, &r.cycles_s, &r.cycles_cmd_s, &r.instructions, err,
                          sizeof err) ||
                time_mode(&job, PROFILE_ENGINE, o.reps, &r.engine_s, NULL, NULL, err, sizeof err) ||
                time_mode(&job, PROFILE_EMPTY_HOOK, o.reps, &r.hook_s, NULL, NULL, err, sizeof err) ||
                time_mode(&job, PROFILE_FULL, o.reps, &r.full_s, &r.full_cmd_s, NULL, err, sizeof err)) {
                fprintf(stderr, "mcusim bench: %s %s: %s\n", models[m], flavor, err);
                continue;
            }
            uint32_t slot;
            char blob[256];
            snprintf(blob, sizeof blob, "/tmp/mcusim-bench-%d.bin", (int)getpid());
            if (qemu && !slot_address(rt, image->reader_symbol, &slot) && !write_blob(model, blob)) {
                char *args[] = {"--kernels", (char *)kernels};
                r.qemu_s = time_qemu(rt, blob, slot, args, 2, o.reps);
                unlink(blob);
            }
            print_row(&r);
            cJSON_AddItemToArray(rows, row_json(&r));
        }
    }

    /* 3. Cost growth with run length: loop at N and 10 N, profiled. */
    const char *sizes[2] = {o.quick ? "1000" : "5000", o.quick ? "10000" : "50000"};
    long rss[2] = {0, 0}, dbsize[2] = {0, 0};
    double wall[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        char db[256];
        snprintf(db, sizeof db, "/tmp/mcusim-bench-%d-%d.db", (int)getpid(), i);
        unlink(db);
        if (child_run(loop_elf, o.board, sizes[i], db, &rss[i], &wall[i])) {
            fprintf(stderr, "mcusim bench: profiling the loop in a child failed\n");
            break;
        }
        /* Fold the WAL into the file so its size is the data's. */
        char cmd[512];
        snprintf(cmd, sizeof cmd, "sqlite3 %s 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1", db);
        if (system(cmd) != 0) { /* size then includes the WAL */ }
        dbsize[i] = file_size(db);
        char wal[300];
        snprintf(wal, sizeof wal, "%s-wal", db);
        dbsize[i] += file_size(wal);
        unlink(db);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", db);
        unlink(wal);
    }
    printf("\ncost growth, loop profiled at %s and %s repetitions (10x the instructions):\n", sizes[0], sizes[1]);
    printf("  host time %.3f s -> %.3f s (x%.2f)\n", wall[0], wall[1], wall[0] > 0 ? wall[1] / wall[0] : 0);
    printf("  peak RSS  %ld KB -> %ld KB (x%.3f)\n", rss[0], rss[1], rss[0] ? (double)rss[1] / rss[0] : 0);
    printf("  database  %ld B -> %ld B (x%.3f)\n", dbsize[0], dbsize[1], dbsize[0] ? (double)dbsize[1] / dbsize[0] : 0);
    cJSON *growth = cJSON_AddObjectToObject(root, "growth");
    cJSON_AddNumberToObject(growth, "wall_ratio", wall[0] > 0 ? wall[1] / wall[0] : 0);
    cJSON_AddNumberToObject(growth, "rss_ratio", rss[0] ? (double)rss[1] / rss[0] : 0);
    cJSON_AddNumberToObject(growth, "db_ratio", dbsize[0] ? (double)dbsize[1] / dbsize[0] : 0);
    cJSON_AddNumberToObject(growth, "rss_small_kb", (double)rss[0]);
    cJSON_AddNumberToObject(growth, "rss_large_kb", (double)rss[1]);
    cJSON_AddNumberToObject(growth, "db_small_bytes", (double)dbsize[0]);
    cJSON_AddNumberToObject(growth, "db_large_bytes", (double)dbsize[1]);

    /* 4. Scaling of sweeps: the same sweep with one worker and with two.
     * The models are synthesized by a first, untimed pass. */
    char dir[] = "/tmp/mcusim-bench-sweep-XXXXXX";
    if (mkdtemp(dir)) {
        char manifest[512];
        snprintf(manifest, sizeof manifest, "%s/sweep.ini", dir);
        FILE *f = fopen(manifest, "w");
        if (f) {
            fprintf(f, "[sweep]\ntag = bench\nboards = %s\nkernels = ref\n[models]\n"
                       "m1 = dscnn:width=0.5\nm2 = cnn:width=0.5\nm3 = cnn:width=0.5,res=24\n"
                       "m4 = dscnn:width=0.5,blocks=2\nm5 = cnn:width=0.25\nm6 = mlp\n"
                       "m7 = autoencoder:hidden=64\nm8 = cnn:width=0.25,res=24\n",
                    strcmp(o.board, "mps2-an386") ? o.board : "nano33ble");
            fclose(f);
        }
        time_sweep(manifest, dir, "warm", 2, 1); /* synthesizes the models, untimed */
        double t1 = time_sweep(manifest, dir, "timed", 1, o.reps);
        double t2 = time_sweep(manifest, dir, "timed", 2, o.reps);
        printf("\nsweep scaling, 8 runs: -j1 %.2f s, -j2 %.2f s: %.2fx with two workers (%ld CPUs online)\n", t1,
               t2, t2 > 0 ? t1 / t2 : 0, sysconf(_SC_NPROCESSORS_ONLN));
        cJSON *sw = cJSON_AddObjectToObject(root, "sweep_scaling");
        cJSON_AddNumberToObject(sw, "j1_s", t1);
        cJSON_AddNumberToObject(sw, "j2_s", t2);
        cJSON_AddNumberToObject(sw, "speedup", t2 > 0 ? t1 / t2 : 0);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0) { /* a leftover temporary directory is harmless */ }
    }

    int status = 0;
    if (json_path) {
        char *text = cJSON_Print(root);
        FILE *f = strcmp(json_path, "-") ? fopen(json_path, "w") : stdout;
        if (!text || !f || fputs(text, f) < 0) {
            fprintf(stderr, "mcusim bench: %s: cannot write: %s\n", json_path, strerror(errno));
            status = EXIT_INTERNAL;
        }
        if (f && f != stdout)
            fclose(f);
        free(text);
    }
    cJSON_Delete(root);
    return status;
}
