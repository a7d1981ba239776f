/*
 * arch_cnn.c — the classic small CNN of TinyML courses: three 3x3
 * convolutions of 16, 32 and 64 channels (times `width`), each followed by
 * ReLU and 2x2 max pooling, then a dense layer to the classes and softmax.
 *
 * The default input, 32x32x3, keeps the largest activation pair (input +
 * first conv output, 3 KB + 16 KB) far inside the Nano 33 BLE's 256 KB.
 */
#include "archs.h"

static const struct mg_key cnn_keys[] = {
    {"res", MG_KEY_SIZE, 32, 8, 512, "input height x width (N for NxN)"},
    {"ch", MG_KEY_INT, 3, 1, 64, "input channels"},
    {"width", MG_KEY_FRACTION, MG_FRACTION_ONE, 625, 8 * MG_FRACTION_ONE,
     "channel multiplier on 16/32/64"},
    {"classes", MG_KEY_INT, 10, 2, 1000, "output classes"},
};

static void build_cnn(struct mg_graph *g, const struct mg_spec *s)
{
    int h, w;
    mg_spec_get_size(s, "res", &h, &w);
    int32_t width = mg_spec_get(s, "width");
    static const int base_channels[3] = {16, 32, 64};
    static const char *const conv_names[3] = {"conv1", "conv2", "conv3"};
    static const char *const pool_names[3] = {"pool1", "pool2", "pool3"};

    int x = mg_add_input(g, "input", h, w, mg_spec_get(s, "ch"));
    for (int i = 0; i < 3; i++) {
        x = mg_add_conv2d(g, x, conv_names[i], mg_scale_channels(base_channels[i], width), 3, 3,
                          1, MG_PAD_SAME, MG_ACT_RELU);
        x = mg_add_maxpool(g, x, pool_names[i], 2, 2, MG_PAD_VALID);
    }
    x = mg_add_flatten(g, x, "flatten");
    x = mg_add_fully_connected(g, x, "logits", mg_spec_get(s, "classes"), MG_ACT_NONE);
    mg_set_norm(g, MG_LOGIT_GAMMA_LO, MG_LOGIT_GAMMA_HI, MG_LOGIT_BETA_LO, MG_LOGIT_BETA_HI);
    mg_add_softmax(g, x, "softmax");
}

const struct mg_arch mg_arch_cnn = {
    "cnn", "Conv2D 16/32/64 3x3 + 2x2 max pool each, dense, softmax", cnn_keys,
    sizeof cnn_keys / sizeof cnn_keys[0], build_cnn,
};
