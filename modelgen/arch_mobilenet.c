/*
 * arch_mobilenet.c — MobileNetV1 (Howard et al. 2017, Table 1): a 3x3
 * stride-2 convolution, then 13 depthwise-separable blocks (3x3 depthwise +
 * 1x1 pointwise, each followed by batch norm and ReLU6 — folded here),
 * global average pooling, a dense layer and softmax: 28 layers with
 * weights, counting depthwise and pointwise apart.
 *
 * Channels: 32, 64, ..., 1024 times the width multiplier `alpha`, rounded
 * down as the Keras application does (int(filters * alpha); its
 * _make_divisible rounding belongs to MobileNetV2).  At alpha=1, res=224,
 * classes=1000 this is the paper's 569 M multiply-adds and 4.2 M parameters;
 * Tables 6 and 7 (alpha 0.75/0.5/0.25, res 192/160/128) match as well (the
 * tests hold them to it).  Every stride-2 layer pads SAME as TF-Slim's
 * MobileNet does, which for even sizes is also Keras's ZeroPadding + VALID;
 * any resolution from 32 works, not only multiples of 32.  The paper's
 * Table 1 lists the last depthwise layer as stride 2 on a 7x7 input, which
 * would leave 4x4 before the 7x7 pool: a known misprint, it is stride 1 in
 * every released MobileNetV1.
 *
 * The defaults, alpha=0.25 at 96x96x3 with 2 classes, are the MLPerf Tiny
 * visual wake words model's shape.
 */
#include <stdio.h>

#include "archs.h"

static const struct mg_key mobilenet_keys[] = {
    {"alpha", MG_KEY_FRACTION, 2500, 625, 4 * MG_FRACTION_ONE, "width multiplier"},
    {"res", MG_KEY_SIZE, 96, 32, 4096, "input height x width (N for NxN)"},
    {"ch", MG_KEY_INT, 3, 1, 64, "input channels"},
    {"classes", MG_KEY_INT, 2, 2, 100000, "output classes"},
};

/* Pointwise channels and depthwise stride of the 13 blocks. */
static const struct {
    int channels, stride;
} blocks[13] = {
    {64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},  {512, 1},
    {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1},
};

static void build_mobilenet(struct mg_graph *g, const struct mg_spec *s)
{
    int h, w;
    mg_spec_get_size(s, "res", &h, &w);
    int32_t alpha = mg_spec_get(s, "alpha");
    int x = mg_add_input(g, "input", h, w, mg_spec_get(s, "ch"));
    x = mg_add_conv2d(g, x, "conv1", mg_floor_channels(32, alpha), 3, 3, 2, MG_PAD_SAME,
                      MG_ACT_RELU6);
    for (int i = 0; i < 13; i++) {
        char name[16];
        snprintf(name, sizeof name, "dw%d", i + 1);
        x = mg_add_dwconv2d(g, x, name, 3, 3, blocks[i].stride, MG_PAD_SAME, MG_ACT_RELU6);
        snprintf(name, sizeof name, "pw%d", i + 1);
        x = mg_add_conv2d(g, x, name, mg_floor_channels(blocks[i].channels, alpha), 1, 1, 1,
                          MG_PAD_SAME, MG_ACT_RELU6);
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

const struct mg_arch mg_arch_mobilenet = {
    "mobilenet", "MobileNetV1 (MLPerf Tiny VWW at the defaults): Conv 3x3/2, 13 DW+PW blocks, ReLU6",
    mobilenet_keys, sizeof mobilenet_keys / sizeof mobilenet_keys[0], build_mobilenet,
};
