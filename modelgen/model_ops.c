/*
 * model_ops.c — layers to TFLite operators (see model_ops.h).
 */
#include "model_ops.h"

#include <string.h>

#include "../runtime/tflite_schema.h"

static uint8_t tflite_activation(enum mg_act act)
{
    return act == MG_ACT_RELU ? TFLITE_ACT_RELU
           : act == MG_ACT_RELU6 ? TFLITE_ACT_RELU6
                                 : TFLITE_ACT_NONE;
}

void mg_describe_op(const struct mg_graph *g, const struct mg_layer *l, enum mg_dtype dtype,
                    struct mg_qop *op)
{
    int int8 = dtype == MG_DTYPE_INT8;
    op->activation = tflite_activation(l->act);
    op->padding = l->padding == MG_PAD_SAME ? TFLITE_PADDING_SAME : TFLITE_PADDING_VALID;
    op->stride_w = l->stride_w;
    op->stride_h = l->stride_h;
    switch (l->op) {
    case MG_OP_CONV2D:
        op->builtin_op = TFLITE_OP_CONV_2D, op->version = int8 ? 3 : 1;
        break;
    case MG_OP_DWCONV2D:
        op->builtin_op = TFLITE_OP_DEPTHWISE_CONV_2D, op->version = int8 ? 3 : 1;
        op->depth_multiplier = 1;
        break;
    case MG_OP_FULLY_CONNECTED:
        op->builtin_op = TFLITE_OP_FULLY_CONNECTED, op->version = int8 ? 4 : 1;
        break;
    case MG_OP_MAXPOOL:
    case MG_OP_AVGPOOL:
        op->builtin_op = l->op == MG_OP_MAXPOOL ? TFLITE_OP_MAX_POOL_2D : TFLITE_OP_AVERAGE_POOL_2D;
        op->version = int8 ? 2 : 1;
        op->filter_w = l->kw;
        op->filter_h = l->kh;
        break;
    case MG_OP_RESHAPE: {
        const struct mg_shape *os = &g->tensors[l->output].shape;
        op->builtin_op = TFLITE_OP_RESHAPE, op->version = 1;
        op->new_shape_rank = os->rank;
        memcpy(op->new_shape, os->dim, (size_t)os->rank * sizeof *os->dim);
        break;
    }
    case MG_OP_SOFTMAX:
        op->builtin_op = TFLITE_OP_SOFTMAX, op->version = int8 ? 2 : 1;
        op->beta = 1.0f;
        break;
    case MG_OP_ADD:
        op->builtin_op = TFLITE_OP_ADD, op->version = int8 ? 2 : 1;
        break;
    }
}
