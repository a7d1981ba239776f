/*
 * arch_dscnn.c — a depthwise-separable CNN keyword spotter like MLPerf
 * Tiny's DS-CNN: 49x10x1 MFCC input, a 10x4 stride-2 convolution, `blocks`
 * depthwise-separable blocks (3x3 depthwise + 1x1 pointwise, each with
 * ReLU), average pooling over the whole map, a dense layer and softmax.
 * 64 channels at width=1, 12 classes (MLPerf's keywords + silence +
 * unknown).
 */
#include <stdio.h>

#include "archs.h"

static const struct mg_key dscnn_keys[] = {
    {"width", MG_KEY_FRACTION, MG_FRACTION_ONE, 625, 8 * MG_FRACTION_ONE,
     "channel multiplier on 64"},
    {"blocks", MG_KEY_INT, 4, 1, 16, "depthwise-separable blocks"},
    {"classes", MG_KEY_INT, 12, 2, 1000, "output classes"},
};

static void build_dscnn(struct mg_graph *g, const struct mg_spec *s)
{
    int ch = mg_scale_channels(64, mg_spec_get(s, "width"));
    int x = mg_add_input(g, "input", 49, 10, 1);
    x = mg_add_conv2d(g, x, "conv1", ch, 10, 4, 2, MG_PAD_SAME, MG_ACT_RELU);
    for (int i = 1; i <= mg_spec_get(s, "blocks"); i++) {
        char name[16];
        snprintf(name, sizeof name, "dw%d", i);
        x = mg_add_dwconv2d(g, x, name, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU);
        snprintf(name, sizeof name, "pw%d", i);
        x = mg_add_conv2d(g, x, name, ch, 1, 1, 1, MG_PAD_SAME, MG_ACT_RELU);
    }
    if (!g->error) {
        const struct mg_shape *sh = &g->tensors[x].shape;
        x = mg_add_avgpool(g, x, "avgpool", sh->dim[1], sh->dim[2], 0, MG_PAD_VALID);
    }
    x = mg_add_flatten(g, x, "flatten");
    x = mg_add_fully_connected(g, x, "logits", mg_spec_get(s, "classes"), MG_ACT_NONE);
    mg_set_norm(g, MG_LOGIT_GAMMA_LO, MG_LOGIT_GAMMA_HI, MG_LOGIT_BETA_LO, MG_LOGIT_BETA_HI);
    mg_add_softmax(g, x, "softmax");
}

const struct mg_arch mg_arch_dscnn = {
    "dscnn", "DS-CNN keyword spotter (MLPerf Tiny KWS): 49x10 input, Conv 10x4/2, DW+PW blocks",
    dscnn_keys, sizeof dscnn_keys / sizeof dscnn_keys[0], build_dscnn,
};
