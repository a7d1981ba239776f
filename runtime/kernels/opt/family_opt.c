/*
 * family_opt.c — the dispatch table of the `opt` kernel family: one
 * wrapper per op it accelerates (each picks the kernel that fits the
 * shape).  Ops not listed fall back to `ref` (rt_kernel_find).
 */
#include "opt_kernels.h"

static const struct rt_kernel *const opt_kernels[] = {
    &rt_kernel_conv_wrapper_s8_opt,
    &rt_kernel_depthwise_conv_wrapper_s8_opt,
    &rt_kernel_fully_connected_wrapper_s8_opt,
    &rt_kernel_add_wrapper_s8_opt,
};

const struct rt_kernel_family rt_family_opt = {
    .name = "opt",
    .kernels = opt_kernels,
    .count = sizeof opt_kernels / sizeof opt_kernels[0],
};
