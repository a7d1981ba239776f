/*
 * rt_op_params.h — the parameters each op's prepare step computes once and
 * every kernel family reads at invoke time.  Offsets follow TFLite's
 * convention: input_offset = -input_zero_point, output_offset =
 * output_zero_point; act_min/act_max are the fused activation's bounds in
 * the output's quantized domain.
 */
#ifndef RT_OP_PARAMS_H
#define RT_OP_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "rt_tensor.h"

/* CONV_2D and DEPTHWISE_CONV_2D, int8 with per-channel (or per-tensor) weights. */
struct rt_conv_params {
    int32_t stride_w, stride_h, dilation_w, dilation_h;
    int32_t pad_w, pad_h;        /* leading padding (SAME puts the odd extra at the end) */
    int32_t depth_multiplier;    /* depthwise only */
    int32_t input_offset, output_offset;
    int32_t act_min, act_max;
    const int32_t *multiplier;   /* one per output channel */
    const int8_t *shift;         /* in [-31, 30]: a byte is enough, and saves arena */
};

/* TRANSPOSE_CONV, int8 with per-channel (or per-tensor) weights, and
 * float32: the input scattered through the filter into the output. */
struct rt_transpose_conv_params {
    int32_t stride_w, stride_h, pad_w, pad_h;
    int32_t input_offset, output_offset;
    int32_t act_min, act_max;
    float act_min_f, act_max_f;
    const int32_t *multiplier;   /* one per output channel (int8) */
    const int8_t *shift;
};

/* BATCH_MATMUL, int8 and float32: output[b] = lhs[b] x rhs[b] (either
 * transposed first: adj_x, adj_y) for every batch index b of the
 * broadcast batch dimensions (up to 3, right-aligned; 0 strides repeat). */
#define RT_MATMUL_BATCH_DIMS 3
struct rt_batch_matmul_params {
    int32_t batch_dims[RT_MATMUL_BATCH_DIMS];   /* the output's, leading ones 1 */
    int32_t lhs_stride[RT_MATMUL_BATCH_DIMS];   /* in elements, 0 where broadcast */
    int32_t rhs_stride[RT_MATMUL_BATCH_DIMS];
    int32_t rows, cols, depth;                  /* M, N, K: [M, K] x [K, N] */
    int32_t adj_x, adj_y;
    int32_t lhs_offset, rhs_offset, output_offset;
    int32_t multiplier, shift;
    int32_t act_min, act_max;
};

/* ARG_MAX and ARG_MIN: the index along one axis, for each of outer x
 * inner positions. */
struct rt_arg_params {
    int32_t outer, axis_size, inner;
};

/* RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: the options; the sizes are
 * the tensors' (NHWC). */
struct rt_resize_params {
    int32_t align_corners, half_pixel_centers;
};

/* SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND (NHWC): the block, the leading
 * padding (crops for BATCH_TO_SPACE_ND), and the padding's byte. */
struct rt_space_batch_params {
    int32_t block_h, block_w, pad_top, pad_left;
    int32_t pad_value;
};

/* FULLY_CONNECTED: int8 (per-tensor or per-channel) and float32. */
struct rt_fc_params {
    int32_t batches, in_depth, out_depth;
    int32_t input_offset, filter_offset, output_offset;
    int32_t act_min, act_max;
    const int32_t *multiplier;   /* one per output, or a single entry when per-tensor */
    const int8_t *shift;         /* in [-31, 30]: a byte is enough, and saves arena */
    bool per_channel;
    float act_min_f, act_max_f;  /* float32 */
};

/* AVERAGE_POOL_2D and MAX_POOL_2D, int8. */
struct rt_pool_params {
    int32_t stride_w, stride_h, filter_w, filter_h, pad_w, pad_h;
    int32_t act_min, act_max;
};

/* Broadcast description for two-input elementwise ops, up to 4-D:
 * output index (n,h,w,c) reads input k at sum(index[d] * stride_k[d]). */
struct rt_broadcast {
    int32_t out_dims[4];
    int32_t in1_strides[4], in2_strides[4];
};

struct rt_add_params {
    int32_t input1_offset, input2_offset, output_offset;
    int32_t left_shift;
    int32_t input1_multiplier, input2_multiplier, output_multiplier;
    int input1_shift, input2_shift, output_shift;
    int32_t act_min, act_max;
    struct rt_broadcast bc;
};

struct rt_mul_params {
    int32_t input1_offset, input2_offset, output_offset;
    int32_t output_multiplier;
    int output_shift;
    int32_t act_min, act_max;
    struct rt_broadcast bc;
};

/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128). */
struct rt_softmax_params {
    int32_t input_multiplier, input_left_shift, diff_min;
    int32_t outer, depth;
};

/* LOGISTIC and TANH int8: input rescaled to a Q4 fixed-point number. */
struct rt_sigmoid_params {
    int32_t input_zero_point, input_range_radius, input_multiplier, input_left_shift;
};

/* QUANTIZE (float32 -> int8, or int8 -> int8 requantize) and DEQUANTIZE. */
struct rt_quantize_params {
    float scale;               /* output scale (quantize) or input scale (dequantize) */
    int32_t zero_point;
    int32_t input_zero_point;  /* requantize */
    int32_t multiplier;        /* requantize */
    int shift;
};

/* PAD int8, up to 4-D (leading dimensions padded with 1). */
struct rt_pad_params {
    int32_t in_dims[4], out_dims[4];
    int32_t before[4];
    int32_t pad_value;           /* the element's bits: int8, int16 or float32 */
    int32_t mirror;              /* MIRROR_PAD: 1 REFLECT, 0 SYMMETRIC; -1 constant padding */
};

/* MEAN int8 over any set of axes, up to 4-D. */
struct rt_mean_params {
    int32_t in_dims[4];
    bool reduced[4];
    int32_t num_elements_in_axis;
    int32_t num_outputs;
    bool same_quantization;    /* TFLite then averages raw values with integer division */
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier;        /* input_scale / output_scale, with 1/num folded in */
    int shift;
};

/* CONCATENATION int8 (all inputs quantized like the output, as TFLite requires). */
struct rt_concat_params {
    int32_t outer;             /* product of dimensions before the axis */
    const uint32_t *copy_bytes;  /* per input: axis dim * inner size * element size */
};

/* TRANSPOSE, SLICE and STRIDED_SLICE, any type: output element i, at
 * index (i_0, ..., i_{rank-1}), is input element
 * base + sum(i_d * in_stride[d]) (strides in elements, may be negative). */
struct rt_strided_copy_params {
    int32_t rank;
    int32_t out_dims[RT_MAX_DIMS];
    int32_t in_stride[RT_MAX_DIMS];
    int32_t base;
    uint32_t elem_bytes;
};

/* SPLIT, SPLIT_V and UNPACK, any type: the inverse of CONCATENATION (and
 * PACK, which uses struct rt_concat_params): for each of `outer` slices,
 * output k takes the next copy_bytes[k] bytes of the input. */
struct rt_split_params {
    int32_t outer;
    const uint32_t *copy_bytes; /* per output */
};

/* GATHER, any type (batch_dims 0): output[o][i][r] = input[o][indices[i]][r]. */
struct rt_gather_params {
    int32_t outer, axis_size, inner_bytes;
    uint32_t num_indices;
    bool indices_64;            /* int64 indices, else int32 */
};

/* The other two-input elementwise operators (op_binary.c): float32
 * arithmetic with a fused activation, MAXIMUM/MINIMUM on raw values, SUB
 * on int8/int16 (ADD's rescaling), and the comparisons (int8 rescaled as
 * TFLite's ComparisonWithScaling, other types compared directly). */
struct rt_binary_params {
    struct rt_broadcast bc;
    float act_min_f, act_max_f;
    int32_t input1_offset, input2_offset, output_offset, left_shift;
    int32_t input1_multiplier, input2_multiplier, output_multiplier;
    int input1_shift, input2_shift, output_shift;
    int32_t act_min, act_max;
};

/* RELU, RELU6, LEAKY_RELU and HARD_SWISH (int8, int16, float32), with
 * TFLite Micro's parameters for each. */
struct rt_relu_params {
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier; int shift;             /* input scale / output scale (RELU, LEAKY_RELU >= 0) */
    int32_t alpha_multiplier; int alpha_shift; /* input scale * alpha / output scale (LEAKY_RELU < 0) */
    int32_t act_min, act_max;                  /* RELU: output domain; RELU6: the input's 0 and 6 */
    float alpha;                               /* LEAKY_RELU float32 */
    /* HARD_SWISH int8 (reference_ops::HardSwish): 16-bit multipliers. */
    int16_t hs_output_multiplier, hs_reluish_multiplier;
    int hs_output_exponent, hs_reluish_exponent;
};

#endif
