/*
 * cmd_ops.c — 'mcusim ops': which operators the runtime runs, for which
 * input type, and in which kernel family, read from the runtime's own
 * registration (runtime/ops/op_table.c and the families' dispatch tables),
 * so the table cannot drift from the code.  The rows are TFLite Micro's
 * operator set (the builtins its MicroMutableOpResolver registers, at the
 * version in ../shared/third_party) and any other operator the runtime has.
 * `--markdown` writes the table README.md holds; tests/test_ops_table.sh
 * checks that README's copy is current.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "rt_kernel.h"
#include "rt_model.h"
#include "rt_ops.h"

/* TFLite Micro's MicroMutableOpResolver (micro_mutable_op_resolver.h):
 * every builtin it can register, CUSTOM left out. */
static const char *const tflm_ops[] = {
    "ABS", "ADD", "ADD_N", "ARG_MAX", "ARG_MIN", "ASSIGN_VARIABLE", "AVERAGE_POOL_2D", "BATCH_MATMUL",
    "BATCH_TO_SPACE_ND", "BROADCAST_ARGS", "BROADCAST_TO", "CALL_ONCE", "CAST", "CEIL", "CONCATENATION",
    "CONV_2D", "COS", "CUMSUM", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE", "DIV",
    "DYNAMIC_UPDATE_SLICE", "ELU", "EMBEDDING_LOOKUP", "EQUAL", "EXP", "EXPAND_DIMS", "FILL", "FLOOR",
    "FLOOR_DIV", "FLOOR_MOD", "FULLY_CONNECTED", "GATHER", "GATHER_ND", "GREATER", "GREATER_EQUAL",
    "HARD_SWISH", "IF", "L2_NORMALIZATION", "L2_POOL_2D", "LEAKY_RELU", "LESS", "LESS_EQUAL", "LOG",
    "LOGICAL_AND", "LOGICAL_NOT", "LOGICAL_OR", "LOGISTIC", "LOG_SOFTMAX", "MAXIMUM", "MAX_POOL_2D", "MEAN",
    "MINIMUM", "MIRROR_PAD", "MUL", "NEG", "NOT_EQUAL", "PACK", "PAD", "PADV2", "PRELU", "QUANTIZE",
    "READ_VARIABLE", "REDUCE_ALL", "REDUCE_MAX", "REDUCE_MIN", "RELU", "RELU6", "RESHAPE", "RESIZE_BILINEAR",
    "RESIZE_NEAREST_NEIGHBOR", "REVERSE_V2", "ROUND", "RSQRT", "SELECT_V2", "SHAPE", "SIN", "SLICE", "SOFTMAX",
    "SPACE_TO_BATCH_ND", "SPACE_TO_DEPTH", "SPLIT", "SPLIT_V", "SQRT", "SQUARE", "SQUARED_DIFFERENCE",
    "SQUEEZE", "STRIDED_SLICE", "SUB", "SUM", "SVDF", "TANH", "TRANSPOSE", "TRANSPOSE_CONV",
    "UNIDIRECTIONAL_SEQUENCE_LSTM", "UNPACK", "VAR_HANDLE", "WHILE", "ZEROS_LIKE",
};
#define NUM_TFLM_OPS (sizeof tflm_ops / sizeof tflm_ops[0])

/* The table's columns: input types (int16 is TFLite's int16x8: int16
 * activations, int8 weights). */
static const struct {
    const char *name;
    uint8_t type;
} types[] = {{"int8", TFLITE_TYPE_INT8}, {"int16x8", TFLITE_TYPE_INT16}, {"float32", TFLITE_TYPE_FLOAT32}};
#define NUM_TYPES (sizeof types / sizeof types[0])

static int32_t op_code(const char *name)
{
    for (int32_t op = 0; op <= TFLITE_OP_LAST_KNOWN; op++)
        if (rt_op_name(op) && !strcmp(rt_op_name(op), name))
            return op;
    return -1;
}

/* Whether family has a kernel of its own (no fallback) for op and type. */
static bool family_has(const struct rt_kernel_family *family, int32_t op, uint8_t type)
{
    if (!family || !rt_op_def_find(op))
        return false;
    for (size_t i = 0; i < family->count; i++)
        if (family->kernels[i]->op == op && (family->kernels[i]->type == type || family->kernels[i]->type == RT_TYPE_ANY))
            return true;
    return false;
}

/* "ref+opt", "ref" or "-" for one cell. */
static const char *cell(int32_t op, uint8_t type)
{
    bool ref = family_has(rt_family_find("ref"), op, type);
    bool opt = family_has(rt_family_find("opt"), op, type);
    return ref && opt ? "ref+opt" : ref ? "ref" : opt ? "opt" : "-";
}

static bool in_tflm(int32_t op)
{
    for (size_t i = 0; i < NUM_TFLM_OPS; i++)
        if (op_code(tflm_ops[i]) == op)
            return true;
    return false;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: mcusim ops [--markdown] [--missing]\n\n"
                 "The operators mcusim's runtime runs: one row per operator of TFLite Micro's\n"
                 "MicroMutableOpResolver (and any other the runtime has), one column per input\n"
                 "type (int8, int16x8 = int16 activations with int8 weights, float32); a cell\n"
                 "says which kernel families implement it: ref (portable, TFLite's reference\n"
                 "arithmetic), opt (Cortex-M DSP kernels, falling back to ref elsewhere), or\n"
                 "'-' when the runtime refuses that combination.  Read from the runtime's own\n"
                 "registration tables.\n\n"
                 "  --markdown  the table as README.md holds it\n"
                 "  --missing   only the TFLite Micro operators the runtime lacks in every type\n");
}

int cmd_ops(int argc, char **argv)
{
    bool markdown = false, missing_only = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--markdown")) {
            markdown = true;
        } else if (!strcmp(argv[i], "--missing")) {
            missing_only = true;
        } else {
            fprintf(stderr, "mcusim ops: unexpected argument '%s' (see --help)\n", argv[i]);
            return EXIT_BAD_INPUT;
        }
    }
    /* Rows: TFLM's operators, then the runtime's others, each once. */
    int32_t rows[NUM_TFLM_OPS + 64];
    size_t num_rows = 0, covered = 0;
    for (size_t i = 0; i < NUM_TFLM_OPS; i++)
        if (op_code(tflm_ops[i]) >= 0)
            rows[num_rows++] = op_code(tflm_ops[i]);
    for (size_t i = 0; rt_op_def_at(i) && num_rows < sizeof rows / sizeof rows[0]; i++)
        if (!in_tflm(rt_op_def_at(i)->op))
            rows[num_rows++] = rt_op_def_at(i)->op;

    if (missing_only) {
        for (size_t r = 0; r < NUM_TFLM_OPS && r < num_rows; r++) {
            bool any = false;
            for (size_t t = 0; t < NUM_TYPES; t++)
                any |= strcmp(cell(rows[r], types[t].type), "-") != 0;
            if (!any)
                printf("%s\n", rt_op_name(rows[r]));
        }
        return 0;
    }
    if (markdown)
        printf("| operator | int8 | int16x8 | float32 |\n|---|---|---|---|\n");
    else
        printf("%-30s %-8s %-8s %-8s\n", "operator", "int8", "int16x8", "float32");
    for (size_t r = 0; r < num_rows; r++) {
        bool any = false;
        for (size_t t = 0; t < NUM_TYPES; t++)
            any |= strcmp(cell(rows[r], types[t].type), "-") != 0;
        covered += any && in_tflm(rows[r]);
        const char *name = rt_op_name(rows[r]);
        if (markdown)
            printf("| %s%s | %s | %s | %s |\n", name, in_tflm(rows[r]) ? "" : " (not in TFLM)",
                   cell(rows[r], TFLITE_TYPE_INT8), cell(rows[r], TFLITE_TYPE_INT16), cell(rows[r], TFLITE_TYPE_FLOAT32));
        else
            printf("%-30s %-8s %-8s %-8s\n", name, cell(rows[r], TFLITE_TYPE_INT8), cell(rows[r], TFLITE_TYPE_INT16),
                   cell(rows[r], TFLITE_TYPE_FLOAT32));
    }
    printf("%s%zu of TFLite Micro's %zu operators run in at least one type.\n", markdown ? "\n" : "", covered,
           (size_t)NUM_TFLM_OPS);
    return 0;
}
