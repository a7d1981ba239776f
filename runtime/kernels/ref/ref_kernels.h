/*
 * ref_kernels.h — the `ref` kernel family: portable C that follows TFLite's
 * reference int8 arithmetic exactly, one kernel per file, named
 * <op>_<type>_ref.c like CMSIS-NN's arm_<op>_<type>.c.  family_ref.c lists
 * them in the family's dispatch table.  An optimized family is tested
 * against this one and falls back to it for the ops it does not implement.
 */
#ifndef RT_REF_KERNELS_H
#define RT_REF_KERNELS_H

#include "rt_fixedpoint.h"
#include "rt_kernel.h"
#include "rt_op_params.h"

extern const struct rt_kernel rt_kernel_conv_s8_ref;
extern const struct rt_kernel rt_kernel_depthwise_conv_s8_ref;
extern const struct rt_kernel rt_kernel_transpose_conv_s8_ref;
extern const struct rt_kernel rt_kernel_transpose_conv_f32_ref;
extern const struct rt_kernel rt_kernel_batch_matmul_s8_ref;
extern const struct rt_kernel rt_kernel_batch_matmul_f32_ref;
extern const struct rt_kernel rt_kernel_cast_ref;
extern const struct rt_kernel rt_kernel_arg_max_s8_ref;
extern const struct rt_kernel rt_kernel_arg_max_f32_ref;
extern const struct rt_kernel rt_kernel_arg_min_s8_ref;
extern const struct rt_kernel rt_kernel_arg_min_f32_ref;
extern const struct rt_kernel rt_kernel_resize_bilinear_s8_ref;
extern const struct rt_kernel rt_kernel_resize_bilinear_f32_ref;
extern const struct rt_kernel rt_kernel_resize_nearest_ref;
extern const struct rt_kernel rt_kernel_depth_to_space_s8_ref;
extern const struct rt_kernel rt_kernel_depth_to_space_f32_ref;
extern const struct rt_kernel rt_kernel_space_to_depth_s8_ref;
extern const struct rt_kernel rt_kernel_space_to_depth_f32_ref;
extern const struct rt_kernel rt_kernel_batch_to_space_nd_s8_ref;
extern const struct rt_kernel rt_kernel_batch_to_space_nd_f32_ref;
extern const struct rt_kernel rt_kernel_space_to_batch_nd_s8_ref;
extern const struct rt_kernel rt_kernel_space_to_batch_nd_f32_ref;
extern const struct rt_kernel rt_kernel_fully_connected_s8_ref;
extern const struct rt_kernel rt_kernel_fully_connected_f32_ref;
extern const struct rt_kernel rt_kernel_avgpool_s8_ref;
extern const struct rt_kernel rt_kernel_maxpool_s8_ref;
extern const struct rt_kernel rt_kernel_add_s8_ref;
extern const struct rt_kernel rt_kernel_mul_s8_ref;
extern const struct rt_kernel rt_kernel_reshape_ref;
extern const struct rt_kernel rt_kernel_softmax_s8_ref;
extern const struct rt_kernel rt_kernel_logistic_s8_ref;
extern const struct rt_kernel rt_kernel_tanh_s8_ref;
extern const struct rt_kernel rt_kernel_quantize_f32_s8_ref;
extern const struct rt_kernel rt_kernel_quantize_s8_s8_ref;
extern const struct rt_kernel rt_kernel_dequantize_s8_f32_ref;
extern const struct rt_kernel rt_kernel_quantize_s16_ref;
extern const struct rt_kernel rt_kernel_dequantize_s16_f32_ref;
extern const struct rt_kernel rt_kernel_pad_s8_ref;
extern const struct rt_kernel rt_kernel_pad_s16_ref;
extern const struct rt_kernel rt_kernel_pad_f32_ref;
extern const struct rt_kernel rt_kernel_padv2_s8_ref;
extern const struct rt_kernel rt_kernel_padv2_s16_ref;
extern const struct rt_kernel rt_kernel_padv2_f32_ref;
extern const struct rt_kernel rt_kernel_mirror_pad_s8_ref;
extern const struct rt_kernel rt_kernel_mirror_pad_f32_ref;
extern const struct rt_kernel rt_kernel_mean_s8_ref;
extern const struct rt_kernel rt_kernel_concatenation_ref;
extern const struct rt_kernel rt_kernel_transpose_ref;
extern const struct rt_kernel rt_kernel_slice_ref;
extern const struct rt_kernel rt_kernel_strided_slice_ref;
extern const struct rt_kernel rt_kernel_pack_ref;
extern const struct rt_kernel rt_kernel_split_ref;
extern const struct rt_kernel rt_kernel_split_v_ref;
extern const struct rt_kernel rt_kernel_unpack_ref;
extern const struct rt_kernel rt_kernel_gather_ref;
extern const struct rt_kernel rt_kernel_shape_ref;
extern const struct rt_kernel rt_kernel_squeeze_ref;
extern const struct rt_kernel rt_kernel_expand_dims_ref;
extern const struct rt_kernel rt_kernel_relu_ref;
extern const struct rt_kernel rt_kernel_relu6_ref;
extern const struct rt_kernel rt_kernel_leaky_relu_ref;
extern const struct rt_kernel rt_kernel_hard_swish_s8_ref;
extern const struct rt_kernel rt_kernel_hard_swish_f32_ref;
extern const struct rt_kernel rt_kernel_add_f32_ref;
extern const struct rt_kernel rt_kernel_sub_f32_ref;
extern const struct rt_kernel rt_kernel_mul_f32_ref;
extern const struct rt_kernel rt_kernel_div_f32_ref;
extern const struct rt_kernel rt_kernel_sub_s8_ref;
extern const struct rt_kernel rt_kernel_sub_s16_ref;
extern const struct rt_kernel rt_kernel_maximum_ref;
extern const struct rt_kernel rt_kernel_minimum_ref;
extern const struct rt_kernel rt_kernel_equal_s8_ref;
extern const struct rt_kernel rt_kernel_not_equal_s8_ref;
extern const struct rt_kernel rt_kernel_less_s8_ref;
extern const struct rt_kernel rt_kernel_less_equal_s8_ref;
extern const struct rt_kernel rt_kernel_greater_s8_ref;
extern const struct rt_kernel rt_kernel_greater_equal_s8_ref;
extern const struct rt_kernel rt_kernel_equal_s32_ref;
extern const struct rt_kernel rt_kernel_not_equal_s32_ref;
extern const struct rt_kernel rt_kernel_less_s32_ref;
extern const struct rt_kernel rt_kernel_less_equal_s32_ref;
extern const struct rt_kernel rt_kernel_greater_s32_ref;
extern const struct rt_kernel rt_kernel_greater_equal_s32_ref;
extern const struct rt_kernel rt_kernel_equal_f32_ref;
extern const struct rt_kernel rt_kernel_not_equal_f32_ref;
extern const struct rt_kernel rt_kernel_less_f32_ref;
extern const struct rt_kernel rt_kernel_less_equal_f32_ref;
extern const struct rt_kernel rt_kernel_greater_f32_ref;
extern const struct rt_kernel rt_kernel_greater_equal_f32_ref;
extern const struct rt_kernel rt_kernel_prelu_s8_ref;
extern const struct rt_kernel rt_kernel_prelu_s16_ref;
extern const struct rt_kernel rt_kernel_prelu_f32_ref;
extern const struct rt_kernel rt_kernel_squared_difference_f32_ref;
extern const struct rt_kernel rt_kernel_sum_s8_ref;
extern const struct rt_kernel rt_kernel_reduce_max_s8_ref;
extern const struct rt_kernel rt_kernel_reduce_max_f32_ref;
extern const struct rt_kernel rt_kernel_reduce_min_s8_ref;
extern const struct rt_kernel rt_kernel_reduce_min_f32_ref;
extern const struct rt_kernel rt_kernel_abs_ref;
extern const struct rt_kernel rt_kernel_neg_f32_ref;
extern const struct rt_kernel rt_kernel_square_f32_ref;
extern const struct rt_kernel rt_kernel_zeros_like_ref;
extern const struct rt_kernel rt_kernel_ceil_f32_ref;
extern const struct rt_kernel rt_kernel_floor_f32_ref;
extern const struct rt_kernel rt_kernel_round_f32_ref;

extern const struct rt_kernel_family rt_family_ref;

static inline int32_t rt_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

#endif
