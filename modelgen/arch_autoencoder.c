/*
 * arch_autoencoder.c — a fully connected autoencoder like MLPerf Tiny's
 * anomaly detector: input -> hidden x layers -> bottleneck -> hidden x
 * layers -> input, ReLU everywhere but the linear reconstruction.  The
 * defaults (640 -> 128x4 -> 8 -> 128x4 -> 640, ten FULLY_CONNECTED
 * operators, about 270k parameters) match the MLPerf reference.
 */
#include <stdio.h>

#include "archs.h"

static const struct mg_key autoencoder_keys[] = {
    {"input", MG_KEY_INT, 640, 2, 65536, "input (and output) length"},
    {"hidden", MG_KEY_INT, 128, 1, 4096, "units of each hidden layer"},
    {"bottleneck", MG_KEY_INT, 8, 1, 4096, "units of the bottleneck"},
    {"layers", MG_KEY_INT, 4, 1, 16, "hidden layers on each side of the bottleneck"},
};

static void build_autoencoder(struct mg_graph *g, const struct mg_spec *s)
{
    int n = mg_spec_get(s, "input"), hidden = mg_spec_get(s, "hidden");
    int layers = mg_spec_get(s, "layers");
    char name[16];
    int x = mg_add_input(g, "input", 0, n, 0);
    for (int i = 1; i <= layers; i++) {
        snprintf(name, sizeof name, "enc%d", i);
        x = mg_add_fully_connected(g, x, name, hidden, MG_ACT_RELU);
    }
    x = mg_add_fully_connected(g, x, "bottleneck", mg_spec_get(s, "bottleneck"), MG_ACT_RELU);
    for (int i = 1; i <= layers; i++) {
        snprintf(name, sizeof name, "dec%d", i);
        x = mg_add_fully_connected(g, x, name, hidden, MG_ACT_RELU);
    }
    mg_add_fully_connected(g, x, "reconstruction", n, MG_ACT_NONE);
}

const struct mg_arch mg_arch_autoencoder = {
    "autoencoder", "FC autoencoder (MLPerf Tiny anomaly detection): in -> hidden xN -> bottleneck -> hidden xN -> in",
    autoencoder_keys, sizeof autoencoder_keys / sizeof autoencoder_keys[0], build_autoencoder,
};
