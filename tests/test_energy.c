/*
 * test_energy.c — the energy model on every board: each board's estimate
 * reproduces its datasheet run current on a known loop, per-layer and
 * per-function energy add up to the run's, and energy budgets gate runs on
 * a board other than nano33ble.
 *
 * The datasheet figures are written here again, apart from the board
 * files, so that a change to a board's coefficients that departs from its
 * source fails here (docs/energy.md lists the sources).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "simtest.h"

static char db_path[256];

static void fresh_db(const char *what)
{
    snprintf(db_path, sizeof db_path, "/tmp/mcusim-energy-%s-%d.db", what, (int)getpid());
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
}

static int mcusim(const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/mcusim %s", build_root(), args);
    return run_command_capture(cmd, out);
}

static double q_double(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    double v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : NAN;
    sqlite3_finalize(st);
    return v;
}

static sqlite3 *open_db(void)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* Run current at the board's clock and the supply the estimate is made at:
 * datasheet µA/MHz × MHz (see each board file for the table). */
static const struct {
    const char *board;
    double supply_v;
    double run_ma;
} datasheet[] = {
    {"nano33ble", 3.0, 3.3},           /* nRF52840 PS v1.7 §5.2 ICPU0, CoreMark, 64 MHz */
    {"stm32l4r5", 3.3, 0.110 * 120},   /* DS12023: 110 µA/MHz, LDO, 120 MHz */
    {"stm32l4r5-20mhz", 3.3, 0.110 * 20}, /* the same figure at pqm4's 20 MHz */
    {"stm32f746disco", 3.3, 102},      /* DS10916 §6.3.6: 216 MHz, peripherals off */
    {"pico", 3.3, 0.227 * 125},        /* RP2040 §5.4 Popcorn DVDD per MHz, 125 MHz */
    {"mps2-an386", 3.0, 0.0516 * 25},  /* no silicon: nRF52840's Cortex-M4F figure, 25 MHz */
};

/* A board added to boards/ must bring its datasheet figure here too. */
Test(energy, every_board_file_has_a_datasheet_figure_here)
{
    struct board *list;
    char err[512];
    int n = board_list(&list, err, sizeof err);
    cr_assert_gt(n, 0, "board_list: %s", err);
    for (int i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < sizeof datasheet / sizeof datasheet[0]; j++)
            found |= !strcmp(datasheet[j].board, list[i].name);
        cr_expect(found, "board %s has no datasheet run current in test_energy.c", list[i].name);
        cr_expect(list[i].energy.present, "board %s has no [energy] section", list[i].name);
    }
    free(list);
}

Test(energy, every_board_reproduces_its_datasheet_run_current, .timeout = 300)
{
    for (size_t i = 0; i < sizeof datasheet / sizeof datasheet[0]; i++) {
        const char *board = datasheet[i].board;
        fresh_db(board);
        char fw[600], args[2048], *out = NULL;
        snprintf(fw, sizeof fw, "%s/workloads/firmware/loop-%s.elf", build_root(), board);
        snprintf(args, sizeof args, "run %s --board %s --profile -q --db %s -- 200", fw, board, db_path);
        cr_assert_eq(mcusim(args, &out), 0, "%s: %s", board, out);
        free(out);
        sqlite3 *db = open_db();
        double uj = q_double(db, "SELECT energy_uj FROM runs");
        double s = q_double(db, "SELECT sim_time_s FROM runs");
        sqlite3_close(db);
        double ma = uj / datasheet[i].supply_v / s / 1000.0; /* µJ / V / s = µA */
        /* The loop reads its data from RAM: on top of the run current only
         * literal-pool reads from flash may add (nano33ble's flash term). */
        cr_expect(ma > datasheet[i].run_ma * 0.9 && ma < datasheet[i].run_ma * 1.15,
                  "%s: average current %.3f mA, datasheet %.3f mA", board, ma, datasheet[i].run_ma);
        unlink(db_path);
    }
}

Test(energy, layers_and_functions_add_up_to_the_run, .timeout = 300)
{
    fresh_db("sums");
    char args[2048], *out = NULL;
    snprintf(args, sizeof args, "profile %s/workloads/cnn_half.tflite --board stm32l4r5 -q --db %s", build_root(),
             db_path);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    free(out);
    sqlite3 *db = open_db();
    double run = q_double(db, "SELECT energy_uj FROM runs");
    double inference = q_double(db, "SELECT inference_energy_uj FROM runs");
    double layers = q_double(db, "SELECT sum(energy_uj) FROM layers WHERE kind = 'layer'");
    cr_expect_gt(run, 0);
    cr_expect_eq(q_double(db, "SELECT count(*) FROM layers WHERE kind = 'layer' AND energy_uj <= 0"), 0,
                 "every layer has energy");
    /* Layers are inside the inference, which is inside the run; the
     * runtime's own work between layers is small. */
    cr_expect_leq(layers, inference * 1.000001);
    cr_expect_geq(layers, inference * 0.9, "layers %.2f of inference %.2f", layers, inference);
    cr_expect_leq(inference, run * 1.000001);
    /* Self energy partitions the run: every cycle and every flash read
     * belongs to one function (a few to code without a symbol). */
    double self = q_double(db, "SELECT sum(self_energy_uj) FROM functions");
    cr_expect(self <= run * 1.000001 && self >= run * 0.99, "functions' self %.3f, run %.3f", self, run);
    cr_expect_eq(q_double(db, "SELECT count(*) FROM functions WHERE total_energy_uj < self_energy_uj"), 0);
    cr_expect_eq(q_double(db, "SELECT count(*) FROM functions WHERE self_cycles > 0 AND self_energy_uj <= 0"), 0);
    /* The entry point's total covers the run. */
    double top = q_double(db, "SELECT max(total_energy_uj) FROM functions");
    cr_expect(top <= run * 1.000001 && top >= run * 0.95, "largest total %.3f, run %.3f", top, run);
    /* A function's energy follows its cycles at the run current. */
    double conv = q_double(db, "SELECT self_energy_uj / self_cycles FROM functions WHERE name = 'conv_s8_ref'");
    double per_cycle = 3.3 * 110 / 1e6; /* V · µA/MHz · 1 µs/MHz-cycle */
    cr_expect(fabs(conv / per_cycle - 1) < 0.01, "conv_s8_ref %.6g uJ/cycle, expected %.6g", conv, per_cycle);
    sqlite3_close(db);

    snprintf(args, sizeof args, "report latest --db %s", db_path);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    cr_expect(strstr(out, "self uJ (est.)") && strstr(out, "total uJ (est.)"), "%s", out);
    free(out);
    snprintf(args, sizeof args, "report latest --db %s --format json", db_path);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    cr_expect(strstr(out, "\"self_energy_uj_est\""), "%s", out);
    free(out);
    unlink(db_path);
}

Test(energy, energy_budget_gates_a_run_on_stm32l4r5, .timeout = 300)
{
    fresh_db("gate");
    char args[2048], *out = NULL;
    snprintf(args, sizeof args, "profile %s/workloads/cnn_half.tflite --board stm32l4r5 --tag half-l4 -q --db %s",
             build_root(), db_path);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    free(out);
    sqlite3 *db = open_db();
    double uj = q_double(db, "SELECT inference_energy_uj FROM runs");
    sqlite3_close(db);
    cr_assert_gt(uj, 0);
    char budget[300];
    snprintf(budget, sizeof budget, "/tmp/mcusim-energy-budget-%d.ini", (int)getpid());
    const double factor[] = {1.1, 0.9};
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(budget, "w");
        cr_assert_not_null(f);
        fprintf(f, "[half-l4]\nboard = stm32l4r5\nmax_energy_uj = %.2f\n", uj * factor[k]);
        fclose(f);
        snprintf(args, sizeof args, "gate --budget %s --db %s", budget, db_path);
        int rc = mcusim(args, &out);
        if (k == 0) {
            cr_expect_eq(rc, 0, "%s", out);
            cr_expect(strstr(out, "PASS  half-l4  energy"), "%s", out);
        } else {
            cr_expect_eq(rc, 1, "%s", out);
            cr_expect(strstr(out, "FAIL  half-l4  energy"), "%s", out);
            /* The failure says where the energy goes. */
            cr_expect(strstr(out, "most energy: layer #") && strstr(out, "function conv_s8_ref"), "%s", out);
        }
        free(out);
    }
    unlink(budget);
    unlink(db_path);
}
