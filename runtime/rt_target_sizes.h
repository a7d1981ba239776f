/*
 * rt_target_sizes.h — how many bytes each table and parameter block the
 * runtime keeps in the arena's persistent tail takes on the target, a
 * 32-bit Cortex-M (AAPCS: 4-byte pointers, 8-byte alignment for 64-bit
 * values).
 *
 * The host build of the runtime plans a model for mcusim (model info, the
 * fit verdict) before anything is simulated; its structs hold 8-byte
 * pointers, so its tail is larger than the firmware's.  Every persistent
 * allocation therefore says what it takes on the target too
 * (RT_PERSISTENT_NEW), and the interpreter adds up both: the host knows, to
 * the byte, the arena the firmware will ask for.
 *
 * Every type allocated in the tail is listed (a type that is not fails to
 * compile).  op_util.c checks the numbers: on the target every size, on
 * the host those of the types without pointers, which must be the same on
 * both — so adding a pointer to one of them fails the host build until
 * its target size moves to the first group.
 */
#ifndef RT_TARGET_SIZES_H
#define RT_TARGET_SIZES_H

#include <stddef.h>
#include <stdint.h>

#include "rt_kernel.h"
#include "rt_op_params.h"
#include "rt_tensor.h"

/* Types with pointers: smaller on the target than on a 64-bit host. */
#define RT_TARGET_SIZEOF_TENSOR 60u
#define RT_TARGET_SIZEOF_NODE 56u
#define RT_TARGET_SIZEOF_CONV_PARAMS 52u
#define RT_TARGET_SIZEOF_FC_PARAMS 52u
#define RT_TARGET_SIZEOF_CONCAT_PARAMS 8u
#define RT_TARGET_SIZEOF_SPLIT_PARAMS 8u
#define RT_TARGET_SIZEOF_TRANSPOSE_CONV_PARAMS 48u

/* Types without pointers: the same size on the host and the target. */
#define RT_TARGET_SIZEOF_POOL_PARAMS 32u
#define RT_TARGET_SIZEOF_ADD_PARAMS 96u
#define RT_TARGET_SIZEOF_MUL_PARAMS 76u
#define RT_TARGET_SIZEOF_SOFTMAX_PARAMS 20u
#define RT_TARGET_SIZEOF_SIGMOID_PARAMS 16u
#define RT_TARGET_SIZEOF_QUANTIZE_PARAMS 20u
#define RT_TARGET_SIZEOF_PAD_PARAMS 56u
#define RT_TARGET_SIZEOF_MEAN_PARAMS 48u
#define RT_TARGET_SIZEOF_STRIDED_COPY_PARAMS 60u
#define RT_TARGET_SIZEOF_GATHER_PARAMS 20u
#define RT_TARGET_SIZEOF_BINARY_PARAMS 104u
#define RT_TARGET_SIZEOF_RELU_PARAMS 48u
#define RT_TARGET_SIZEOF_BATCH_MATMUL_PARAMS 84u
#define RT_TARGET_SIZEOF_ARG_PARAMS 12u
#define RT_TARGET_SIZEOF_RESIZE_PARAMS 8u
#define RT_TARGET_SIZEOF_SPACE_BATCH_PARAMS 20u

#define RT_TARGET_SIZEOF(type)                                          \
    _Generic((type *)0,                                                 \
        struct rt_tensor *: RT_TARGET_SIZEOF_TENSOR,                    \
        struct rt_node *: RT_TARGET_SIZEOF_NODE,                        \
        struct rt_conv_params *: RT_TARGET_SIZEOF_CONV_PARAMS,          \
        struct rt_fc_params *: RT_TARGET_SIZEOF_FC_PARAMS,              \
        struct rt_concat_params *: RT_TARGET_SIZEOF_CONCAT_PARAMS,      \
        struct rt_pool_params *: RT_TARGET_SIZEOF_POOL_PARAMS,          \
        struct rt_add_params *: RT_TARGET_SIZEOF_ADD_PARAMS,            \
        struct rt_mul_params *: RT_TARGET_SIZEOF_MUL_PARAMS,            \
        struct rt_softmax_params *: RT_TARGET_SIZEOF_SOFTMAX_PARAMS,    \
        struct rt_sigmoid_params *: RT_TARGET_SIZEOF_SIGMOID_PARAMS,    \
        struct rt_quantize_params *: RT_TARGET_SIZEOF_QUANTIZE_PARAMS,  \
        struct rt_pad_params *: RT_TARGET_SIZEOF_PAD_PARAMS,            \
        struct rt_mean_params *: RT_TARGET_SIZEOF_MEAN_PARAMS,          \
        struct rt_split_params *: RT_TARGET_SIZEOF_SPLIT_PARAMS,        \
        struct rt_transpose_conv_params *: RT_TARGET_SIZEOF_TRANSPOSE_CONV_PARAMS, \
        struct rt_strided_copy_params *: RT_TARGET_SIZEOF_STRIDED_COPY_PARAMS, \
        struct rt_gather_params *: RT_TARGET_SIZEOF_GATHER_PARAMS,      \
        struct rt_binary_params *: RT_TARGET_SIZEOF_BINARY_PARAMS,      \
        struct rt_relu_params *: RT_TARGET_SIZEOF_RELU_PARAMS,          \
        struct rt_batch_matmul_params *: RT_TARGET_SIZEOF_BATCH_MATMUL_PARAMS, \
        struct rt_arg_params *: RT_TARGET_SIZEOF_ARG_PARAMS,            \
        struct rt_resize_params *: RT_TARGET_SIZEOF_RESIZE_PARAMS,      \
        struct rt_space_batch_params *: RT_TARGET_SIZEOF_SPACE_BATCH_PARAMS, \
        int32_t *: 4u,                                                  \
        uint32_t *: 4u,                                                 \
        int8_t *: 1u)

/* n objects of type in the persistent tail (rt_persistent_alloc), zeroed;
 * NULL with the error set when the arena is full. */
#define RT_PERSISTENT_NEW(ctx, type, n) \
    ((type *)rt_persistent_alloc((ctx), sizeof(type) * (size_t)(n), (size_t)RT_TARGET_SIZEOF(type) * (size_t)(n)))

#endif
