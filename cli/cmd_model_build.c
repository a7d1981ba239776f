/*
 * cmd_model_build.c — 'mcusim model build SPEC -o FILE.tflite [--seed N]':
 * synthesizes an int8 or float32 .tflite model with modelgen
 * (modelgen/modelgen.h) and writes it; '--size' tells how large it would be
 * without building it; '--list' shows the architectures with their default
 * specs.
 *
 * All the work is in modelgen; this file parses the command line, writes
 * the file (through a temporary name, so a build never sees half a model)
 * and prints one summary line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "inputs.h"
#include "modelgen.h"
#include "opmodel.h"

static void print_key_line(FILE *out, const struct mg_key *k)
{
    char def[32], lo[32], hi[32], assign[48];
    mg_format_value(k, k->def, k->def, def, sizeof def);
    mg_format_value(k, k->min, k->min, lo, sizeof lo);
    mg_format_value(k, k->max, k->max, hi, sizeof hi);
    snprintf(assign, sizeof assign, "%s=%s", k->name, def);
    fprintf(out, "      %-16s %s (%s..%s)\n", assign, k->help, lo, hi);
}

static void usage(FILE *out)
{
    int n;
    const struct mg_arch *const *archs = mg_archs(&n);
    fprintf(out,
            "usage: mcusim model build SPEC -o FILE.tflite [--seed N]\n"
            "       mcusim model build SPEC --size [--seed N]\n"
            "       mcusim model build --list\n"
            "\n"
            "Synthesizes a TensorFlow Lite model: deterministic weights, calibrated on\n"
            "deterministic inputs and quantized as the TFLite converter does (int8\n"
            "activations, per-channel int8 conv weights, int32 biases), or with\n"
            "dtype=float32 the same network with float32 tensors.  The same SPEC and\n"
            "seed give the same bytes on every machine.\n"
            "\n"
            "SPEC is NAME[:key=value,...]; keys not given take the defaults shown.\n"
            "Sizes are N or HxW; fractions have at most 4 decimals.  Every architecture\n"
            "also takes dtype=int8 (the default) or dtype=float32.\n"
            "\n"
            "How large a model may be: modelgen sizes the spec first and refuses one\n"
            "whose build would take more than %.0f GiB of memory (weights and the\n"
            "activations of %d calibration inputs at once), or whose file would pass\n"
            "the 2 GiB a flatbuffer holds.  MACs do not count; MobileNetV1 1.0/224\n"
            "(569 M MACs) builds in seconds.\n"
            "\n"
            "options:\n"
            "  -o, --output FILE   where to write the model\n"
            "  --size              print the model's size (MACs, parameters, weight and\n"
            "                      file bytes, peak activation bytes, build memory)\n"
            "                      without building it\n"
            "  --seed N            weight seed, default %d\n"
            "  --list              list the architectures with their default specs\n"
            "  -h, --help          this text\n"
            "\n"
            "architectures and keys (default, range):\n",
            MG_MAX_BUILD_BYTES / 1073741824.0, MG_NORMALIZATION_INPUTS, MG_DEFAULT_SEED);
    for (int i = 0; i < n; i++) {
        fprintf(out, "  %-12s %s\n", archs[i]->name, archs[i]->summary);
        for (int k = 0; k < archs[i]->num_keys; k++)
            print_key_line(out, &archs[i]->keys[k]);
    }
    fprintf(out, "\n");
    mg_op_list(out);
    fprintf(out, "\nexamples:\n"
                 "  mcusim model build cnn -o cnn.tflite\n"
                 "  mcusim model build cnn:width=0.5,res=48 -o cnn_small.tflite\n"
                 "  mcusim model build dscnn:blocks=6 --seed 7 -o kws.tflite\n"
                 "  mcusim model build mobilenet:alpha=1,res=224,classes=1000 -o mobilenet_v1.tflite\n"
                 "  mcusim model build mobilenet:alpha=1,res=224,classes=1000,dtype=float32 --size\n"
                 "  mcusim model build op:ADD,in=1x5x7x3,in2=1x1x7x1,act=relu6 -o add.tflite\n");
}

static int list_archs(void)
{
    int n;
    const struct mg_arch *const *archs = mg_archs(&n);
    for (int i = 0; i < n; i++) {
        struct mg_spec s;
        mg_spec_parse(archs[i]->name, &s, NULL, 0);
        printf("%-12s %s\n%-12s   %s\n", archs[i]->name, archs[i]->summary, "", s.canonical);
    }
    printf("\n");
    mg_op_list(stdout);
    return 0;
}

static int parse_seed(const char *text, uint64_t *seed)
{
    if (!*text || *text == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return -1;
    *seed = v;
    return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    size_t tmp_len = strlen(path) + 8;
    char *tmp = malloc(tmp_len);
    if (!tmp)
        return -1;
    snprintf(tmp, tmp_len, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f))
        ok = 0;
    if (ok && rename(tmp, path))
        ok = 0;
    if (!ok) {
        int saved = errno;
        remove(tmp);
        errno = saved;
    }
    free(tmp);
    return ok ? 0 : -1;
}

/* n with a metric prefix for reading at a glance: "568.7 M". */
static const char *human(uint64_t n, char *buf, size_t len)
{
    if (n < 1000)
        snprintf(buf, len, "%" PRIu64, n);
    else if (n < 1000000)
        snprintf(buf, len, "%.1f k", n / 1e3);
    else if (n < 1000000000)
        snprintf(buf, len, "%.1f M", n / 1e6);
    else
        snprintf(buf, len, "%.1f G", n / 1e9);
    return buf;
}

static int print_size(const char *spec, uint64_t seed)
{
    struct mg_sizing sz;
    char err[512];
    int rc = modelgen_size(spec, seed, &sz, err, sizeof err);
    if (rc) {
        fprintf(stderr, "mcusim model build: %s\n", err);
        return rc == MG_ERR_SPEC ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    char p[32], m[32], f[32], b[32];
    printf("%s seed=%" PRIu64 ": %d layers, %" PRIu64 " params (%s), %" PRIu64 " MACs (%s), "
           "%" PRIu64 " weight bytes, %" PRIu64 " bytes (%sB), %" PRIu64
           " bytes of activations at the peak; building it takes about %sB of memory%s\n",
           sz.spec, seed, sz.num_ops, sz.params, human(sz.params, p, sizeof p), sz.macs,
           human(sz.macs, m, sizeof m), sz.weight_bytes, sz.file_bytes,
           human(sz.file_bytes, f, sizeof f), sz.peak_activation_bytes,
           human(sz.build_bytes, b, sizeof b),
           sz.build_bytes > MG_MAX_BUILD_BYTES ? ", more than modelgen's limit" : "");
    mg_sizing_free(&sz);
    return 0;
}

int cmd_model_build(int argc, char **argv)
{
    const char *spec = NULL, *output = NULL;
    uint64_t seed = MG_DEFAULT_SEED;
    int size_only = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--list")) {
            return list_archs();
        } else if (!strcmp(a, "--size")) {
            size_only = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--seed")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mcusim model build: %s needs a value\n", a);
                return EXIT_BAD_INPUT;
            }
            if (!strcmp(a, "--seed")) {
                if (parse_seed(argv[++i], &seed)) {
                    fprintf(stderr, "mcusim model build: --seed wants a non-negative integer, got '%s'\n",
                            argv[i]);
                    return EXIT_BAD_INPUT;
                }
            } else {
                output = argv[++i];
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "mcusim model build: unknown option '%s' (see --help)\n", a);
            return EXIT_BAD_INPUT;
        } else if (spec) {
            fprintf(stderr, "mcusim model build: more than one spec ('%s' and '%s')\n", spec, a);
            return EXIT_BAD_INPUT;
        } else {
            spec = a;
        }
    }
    if (spec && size_only && !output)
        return print_size(spec, seed);
    if (size_only) {
        fprintf(stderr, "mcusim model build: --size writes no file; leave out -o\n");
        return EXIT_BAD_INPUT;
    }
    if (!spec || !output) {
        fprintf(stderr, "mcusim model build: %s (usage: mcusim model build SPEC -o FILE.tflite; "
                        "see --help)\n",
                !spec ? "no model spec given" : "no output file given (-o FILE.tflite)");
        return EXIT_BAD_INPUT;
    }

    uint8_t *bytes = NULL;
    size_t len = 0;
    struct mg_summary sum;
    char err[512];
    int rc = modelgen_build(spec, seed, &bytes, &len, &sum, err, sizeof err);
    if (rc) {
        fprintf(stderr, "mcusim model build: %s\n", err);
        return rc == MG_ERR_SPEC ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    if (write_file(output, bytes, len)) {
        fprintf(stderr, "mcusim model build: cannot write '%s': %s\n", output, strerror(errno));
        free(bytes);
        return EXIT_INTERNAL;
    }
    free(bytes);
    char p[32], m[32], f[32];
    printf("wrote %s: %s seed=%" PRIu64 ": %d layers, %" PRIu64 " params (%s), %" PRIu64
           " MACs (%s), %" PRIu64 " weight bytes, %" PRIu64 " bytes (%sB)\n",
           output, sum.spec, sum.seed, sum.num_ops, sum.params, human(sum.params, p, sizeof p),
           sum.macs, human(sum.macs, m, sizeof m), sum.weight_bytes, sum.file_bytes,
           human(sum.file_bytes, f, sizeof f));
    return 0;
}
