/*
 * batch_matmul_ref.c — BATCH_MATMUL (int8, float32) as TFLite's
 * reference_ops::BatchMatMul: per output element, the products over the
 * inner dimension summed in order from 0 (int32 for int8; float for
 * float32, so the same bits), then for int8 one requantization, the zero
 * point and the type's range.
 */
#include "ref_kernels.h"

static enum rt_status batch_matmul_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_batch_matmul_params *p = node->params;
    const struct rt_tensor *lhs = rt_node_input(tensors, node, 0), *rhs = rt_node_input(tensors, node, 1);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const uint8_t type = lhs->type;
    const int32_t m = p->rows, n = p->cols, k = p->depth;
    /* Element (i, d) of lhs and (d, j) of rhs, either stored transposed. */
    const int32_t li = p->adj_x ? 1 : k, ld = p->adj_x ? m : 1;
    const int32_t rd = p->adj_y ? 1 : n, rj = p->adj_y ? k : 1;
    int32_t o = 0;
    for (int32_t b0 = 0; b0 < p->batch_dims[0]; b0++)
        for (int32_t b1 = 0; b1 < p->batch_dims[1]; b1++)
            for (int32_t b2 = 0; b2 < p->batch_dims[2]; b2++) {
                const int32_t lb = b0 * p->lhs_stride[0] + b1 * p->lhs_stride[1] + b2 * p->lhs_stride[2];
                const int32_t rb = b0 * p->rhs_stride[0] + b1 * p->rhs_stride[1] + b2 * p->rhs_stride[2];
                for (int32_t i = 0; i < m; i++)
                    for (int32_t j = 0; j < n; j++, o++) {
                        const int32_t l0 = lb + i * li, r0 = rb + j * rj;
                        if (type == TFLITE_TYPE_FLOAT32) {
                            const float *x = (const float *)(const void *)lhs->data;
                            const float *y = (const float *)(const void *)rhs->data;
                            float total = 0.0f;
                            for (int32_t d = 0; d < k; d++)
                                total += y[r0 + d * rd] * x[l0 + d * ld];
                            ((float *)(void *)out->data)[o] = total;
                        } else {
                            const int8_t *x = (const int8_t *)lhs->data, *y = (const int8_t *)rhs->data;
                            int32_t total = 0;
                            for (int32_t d = 0; d < k; d++)
                                total += (y[r0 + d * rd] + p->rhs_offset) * (x[l0 + d * ld] + p->lhs_offset);
                            int32_t v = rt_mul_by_quantized_multiplier(total, p->multiplier, p->shift);
                            ((int8_t *)out->data)[o] = (int8_t)rt_clamp(v + p->output_offset, p->act_min, p->act_max);
                        }
                    }
            }
    return RT_OK;
}

const struct rt_kernel rt_kernel_batch_matmul_s8_ref = {
    .name = "batch_matmul_s8_ref", .op = TFLITE_OP_BATCH_MATMUL, .type = TFLITE_TYPE_INT8, .invoke = batch_matmul_ref,
};
const struct rt_kernel rt_kernel_batch_matmul_f32_ref = {
    .name = "batch_matmul_f32_ref", .op = TFLITE_OP_BATCH_MATMUL, .type = TFLITE_TYPE_FLOAT32,
    .invoke = batch_matmul_ref,
};
