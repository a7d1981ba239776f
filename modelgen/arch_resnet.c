/*
 * arch_resnet.c — a ResNet-8 like MLPerf Tiny's image classifier: a 3x3
 * convolution, three residual stacks of 16, 32 and 64 channels (times
 * `width`; the second and third halve the resolution and add through a 1x1
 * stride-2 shortcut), average pooling, a dense layer and softmax.  Its ADD
 * operators take two int8 inputs with different scales.
 */
#include <stdio.h>

#include "archs.h"

static const struct mg_key resnet_keys[] = {
    {"res", MG_KEY_SIZE, 32, 8, 256, "input height x width (N for NxN)"},
    {"ch", MG_KEY_INT, 3, 1, 64, "input channels"},
    {"width", MG_KEY_FRACTION, MG_FRACTION_ONE, 625, 8 * MG_FRACTION_ONE,
     "channel multiplier on 16/32/64"},
    {"classes", MG_KEY_INT, 10, 2, 1000, "output classes"},
};

static void build_resnet(struct mg_graph *g, const struct mg_spec *s)
{
    int h, w;
    mg_spec_get_size(s, "res", &h, &w);
    int32_t width = mg_spec_get(s, "width");
    int x = mg_add_input(g, "input", h, w, mg_spec_get(s, "ch"));
    x = mg_add_conv2d(g, x, "conv1", mg_scale_channels(16, width), 3, 3, 1, MG_PAD_SAME,
                      MG_ACT_RELU);
    for (int stack = 1; stack <= 3; stack++) {
        int ch = mg_scale_channels(16 << (stack - 1), width);
        int stride = stack == 1 ? 1 : 2;
        char name[24];
        snprintf(name, sizeof name, "stack%d/conv_a", stack);
        int y = mg_add_conv2d(g, x, name, ch, 3, 3, stride, MG_PAD_SAME, MG_ACT_RELU);
        snprintf(name, sizeof name, "stack%d/conv_b", stack);
        y = mg_add_conv2d(g, y, name, ch, 3, 3, 1, MG_PAD_SAME, MG_ACT_NONE);
        int shortcut = x;
        if (stride != 1) {
            snprintf(name, sizeof name, "stack%d/shortcut", stack);
            shortcut = mg_add_conv2d(g, x, name, ch, 1, 1, stride, MG_PAD_SAME, MG_ACT_NONE);
        }
        snprintf(name, sizeof name, "stack%d/add", stack);
        x = mg_add_add(g, shortcut, y, name, MG_ACT_RELU);
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

const struct mg_arch mg_arch_resnet = {
    "resnet", "ResNet-8 (MLPerf Tiny image classification): 3 residual stacks 16/32/64 with ADD",
    resnet_keys, sizeof resnet_keys / sizeof resnet_keys[0], build_resnet,
};
