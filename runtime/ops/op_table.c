/*
 * op_table.c — which TFLite builtins the runtime knows: their op-level
 * prepare step and whether the output may alias the input.  Kernels for
 * them live in the families (kernels/<family>/family_<family>.c).
 */
#include "rt_ops.h"

static const struct rt_op_def op_defs[] = {
    {TFLITE_OP_ADD, rt_prepare_add, false},
    {TFLITE_OP_AVERAGE_POOL_2D, rt_prepare_pool_2d, false},
    {TFLITE_OP_CONCATENATION, rt_prepare_concatenation, false},
    {TFLITE_OP_CONV_2D, rt_prepare_conv_2d, false},
    {TFLITE_OP_DEPTHWISE_CONV_2D, rt_prepare_depthwise_conv_2d, false},
    {TFLITE_OP_TRANSPOSE_CONV, rt_prepare_transpose_conv, false},
    {TFLITE_OP_BATCH_MATMUL, rt_prepare_batch_matmul, false},
    {TFLITE_OP_CAST, rt_prepare_cast, false},
    {TFLITE_OP_ARG_MAX, rt_prepare_arg_min_max, false},
    {TFLITE_OP_ARG_MIN, rt_prepare_arg_min_max, false},
    {TFLITE_OP_RESIZE_BILINEAR, rt_prepare_resize, false},
    {TFLITE_OP_RESIZE_NEAREST_NEIGHBOR, rt_prepare_resize, false},
    {TFLITE_OP_DEPTH_TO_SPACE, rt_prepare_depth_space, false},
    {TFLITE_OP_SPACE_TO_DEPTH, rt_prepare_depth_space, false},
    {TFLITE_OP_BATCH_TO_SPACE_ND, rt_prepare_space_batch, false},
    {TFLITE_OP_SPACE_TO_BATCH_ND, rt_prepare_space_batch, false},
    {TFLITE_OP_DEQUANTIZE, rt_prepare_dequantize, false},
    {TFLITE_OP_FULLY_CONNECTED, rt_prepare_fully_connected, false},
    {TFLITE_OP_LOGISTIC, rt_prepare_logistic, false},
    {TFLITE_OP_MAX_POOL_2D, rt_prepare_pool_2d, false},
    {TFLITE_OP_MUL, rt_prepare_mul, false},
    {TFLITE_OP_RESHAPE, rt_prepare_reshape, true},
    {TFLITE_OP_SOFTMAX, rt_prepare_softmax, false},
    {TFLITE_OP_TANH, rt_prepare_tanh, false},
    {TFLITE_OP_PAD, rt_prepare_pad, false},
    {TFLITE_OP_PADV2, rt_prepare_pad, false},
    {TFLITE_OP_MIRROR_PAD, rt_prepare_pad, false},
    {TFLITE_OP_MEAN, rt_prepare_mean, false},
    {TFLITE_OP_QUANTIZE, rt_prepare_quantize, false},
    {TFLITE_OP_TRANSPOSE, rt_prepare_transpose, false},
    {TFLITE_OP_SLICE, rt_prepare_slice, false},
    {TFLITE_OP_STRIDED_SLICE, rt_prepare_strided_slice, false},
    {TFLITE_OP_PACK, rt_prepare_pack, false},
    {TFLITE_OP_UNPACK, rt_prepare_split, false},
    {TFLITE_OP_SPLIT, rt_prepare_split, false},
    {TFLITE_OP_SPLIT_V, rt_prepare_split, false},
    {TFLITE_OP_GATHER, rt_prepare_gather, false},
    {TFLITE_OP_SHAPE, rt_prepare_shape, false},
    {TFLITE_OP_SQUEEZE, rt_prepare_reshape, true},
    {TFLITE_OP_EXPAND_DIMS, rt_prepare_reshape, true},
    {TFLITE_OP_RELU, rt_prepare_relu, false},
    {TFLITE_OP_RELU6, rt_prepare_relu, false},
    {TFLITE_OP_LEAKY_RELU, rt_prepare_leaky_relu, false},
    {TFLITE_OP_HARD_SWISH, rt_prepare_hard_swish, false},
    {TFLITE_OP_SUB, rt_prepare_sub, false},
    {TFLITE_OP_DIV, rt_prepare_float_arithmetic, false},
    {TFLITE_OP_MAXIMUM, rt_prepare_min_max, false},
    {TFLITE_OP_MINIMUM, rt_prepare_min_max, false},
    {TFLITE_OP_EQUAL, rt_prepare_comparison, false},
    {TFLITE_OP_NOT_EQUAL, rt_prepare_comparison, false},
    {TFLITE_OP_LESS, rt_prepare_comparison, false},
    {TFLITE_OP_LESS_EQUAL, rt_prepare_comparison, false},
    {TFLITE_OP_GREATER, rt_prepare_comparison, false},
    {TFLITE_OP_GREATER_EQUAL, rt_prepare_comparison, false},
    {TFLITE_OP_PRELU, rt_prepare_prelu, false},
    {TFLITE_OP_SQUARED_DIFFERENCE, rt_prepare_squared_difference, false},
    {TFLITE_OP_SUM, rt_prepare_mean, false},
    {TFLITE_OP_REDUCE_MAX, rt_prepare_mean, false},
    {TFLITE_OP_REDUCE_MIN, rt_prepare_mean, false},
    {TFLITE_OP_ABS, rt_prepare_unary, false},
    {TFLITE_OP_NEG, rt_prepare_unary, false},
    {TFLITE_OP_SQUARE, rt_prepare_unary, false},
    {TFLITE_OP_ZEROS_LIKE, rt_prepare_unary, false},
    {TFLITE_OP_CEIL, rt_prepare_unary, false},
    {TFLITE_OP_FLOOR, rt_prepare_unary, false},
    {TFLITE_OP_ROUND, rt_prepare_unary, false},
};

const struct rt_op_def *rt_op_def_find(int32_t op)
{
    for (size_t i = 0; i < sizeof op_defs / sizeof op_defs[0]; i++)
        if (op_defs[i].op == op)
            return &op_defs[i];
    return NULL;
}

const struct rt_op_def *rt_op_def_at(size_t i)
{
    return i < sizeof op_defs / sizeof op_defs[0] ? &op_defs[i] : NULL;
}

bool rt_op_supported(int32_t op, uint8_t input_type)
{
    return rt_op_def_find(op) && rt_kernel_find(rt_family_default(), op, input_type);
}
