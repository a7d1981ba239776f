/*
 * family_ref.c — the dispatch table of the `ref` kernel family: every op
 * the runtime supports, for every input type it supports.
 */
#include "ref_kernels.h"

static const struct rt_kernel *const ref_kernels[] = {
    &rt_kernel_conv_s8_ref,
    &rt_kernel_depthwise_conv_s8_ref,
    &rt_kernel_fully_connected_s8_ref,
    &rt_kernel_fully_connected_f32_ref,
    &rt_kernel_avgpool_s8_ref,
    &rt_kernel_maxpool_s8_ref,
    &rt_kernel_add_s8_ref,
    &rt_kernel_mul_s8_ref,
    &rt_kernel_reshape_ref,
    &rt_kernel_softmax_s8_ref,
    &rt_kernel_logistic_s8_ref,
    &rt_kernel_tanh_s8_ref,
    &rt_kernel_quantize_f32_s8_ref,
    &rt_kernel_quantize_s8_s8_ref,
    &rt_kernel_dequantize_s8_f32_ref,
    &rt_kernel_pad_s8_ref,
    &rt_kernel_mean_s8_ref,
    &rt_kernel_concatenation_ref,
    &rt_kernel_transpose_ref,
    &rt_kernel_slice_ref,
    &rt_kernel_strided_slice_ref,
    &rt_kernel_pack_ref,
    &rt_kernel_split_ref,
    &rt_kernel_split_v_ref,
    &rt_kernel_unpack_ref,
    &rt_kernel_gather_ref,
    &rt_kernel_shape_ref,
    &rt_kernel_squeeze_ref,
    &rt_kernel_expand_dims_ref,
    &rt_kernel_relu_ref,
    &rt_kernel_relu6_ref,
    &rt_kernel_leaky_relu_ref,
    &rt_kernel_hard_swish_s8_ref,
    &rt_kernel_hard_swish_f32_ref,
};

const struct rt_kernel_family rt_family_ref = {
    .name = "ref",
    .kernels = ref_kernels,
    .count = sizeof ref_kernels / sizeof ref_kernels[0],
};
