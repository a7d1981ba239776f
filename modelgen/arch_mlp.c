/*
 * arch_mlp.c — a multilayer perceptron: `layers` dense ReLU layers of
 * `hidden` units, a dense layer to the classes and softmax.  The smallest
 * workload; useful for sensor-feature classifiers and quick runs.
 */
#include <stdio.h>

#include "archs.h"

static const struct mg_key mlp_keys[] = {
    {"input", MG_KEY_INT, 64, 1, 65536, "input length"},
    {"hidden", MG_KEY_INT, 32, 1, 4096, "units of each hidden layer"},
    {"layers", MG_KEY_INT, 2, 1, 16, "hidden layers"},
    {"classes", MG_KEY_INT, 10, 2, 1000, "output classes"},
};

static void build_mlp(struct mg_graph *g, const struct mg_spec *s)
{
    int x = mg_add_input(g, "input", 0, mg_spec_get(s, "input"), 0);
    for (int i = 1; i <= mg_spec_get(s, "layers"); i++) {
        char name[16];
        snprintf(name, sizeof name, "fc%d", i);
        x = mg_add_fully_connected(g, x, name, mg_spec_get(s, "hidden"), MG_ACT_RELU);
    }
    x = mg_add_fully_connected(g, x, "logits", mg_spec_get(s, "classes"), MG_ACT_NONE);
    mg_set_norm(g, MG_LOGIT_GAMMA_LO, MG_LOGIT_GAMMA_HI, MG_LOGIT_BETA_LO, MG_LOGIT_BETA_HI);
    mg_add_softmax(g, x, "softmax");
}

const struct mg_arch mg_arch_mlp = {
    "mlp", "multilayer perceptron: dense ReLU layers, dense to classes, softmax", mlp_keys,
    sizeof mlp_keys / sizeof mlp_keys[0], build_mlp,
};
