/*
 * op_elementwise.c — prepare steps of the two-input int8 elementwise ops
 * ADD and MUL (numpy broadcasting up to 4-D, fused activation), as
 * TFLite's add/mul Prepare: ADD rescales both inputs to a common scale
 * with 20 bits of headroom, MUL folds both input scales into one output
 * multiplier.  MACs = output elements.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"
#include "rt_quant.h"

struct binary_tensors {
    struct rt_tensor *in1, *in2, *out;
};

static enum rt_status get_binary(struct rt_prepare_ctx *ctx, const struct rt_node *node, struct binary_tensors *t,
                                 uint8_t options_type, unsigned activation_field, uint8_t *activation,
                                 struct rt_broadcast *bc)
{
    struct fb_table opt;
    bool present;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &t->in1)) != RT_OK || (st = rt_get_input(ctx, node, 1, &t->in2)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &t->out)) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, t->in1, "input 1")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, t->in2, "input 2")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, t->out, "output")) != RT_OK ||
        (st = rt_options(ctx, options_type, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, activation_field, 0, activation)) != RT_OK)
        return st;
    return rt_broadcast_4d(ctx, t->in1, t->in2, t->out, bc);
}

enum rt_status rt_prepare_add(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct binary_tensors t;
    uint8_t activation;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &t.in1)) != RT_OK)
        return st;
    if (t.in1->type == TFLITE_TYPE_FLOAT32)
        return rt_prepare_float_arithmetic(ctx, node);
    struct rt_add_params *p = RT_PERSISTENT_NEW(ctx, struct rt_add_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = get_binary(ctx, node, &t, TFLITE_OPTIONS_ADD, TFLITE_ADD_FUSED_ACTIVATION, &activation, &p->bc)) != RT_OK ||
        (st = rt_activation_range_s8(ctx, activation, t.out, &p->act_min, &p->act_max)) != RT_OK)
        return st;
    p->input1_offset = -t.in1->zero_point;
    p->input2_offset = -t.in2->zero_point;
    p->output_offset = t.out->zero_point;
    p->left_shift = 20;
    float max_scale = t.in1->scale > t.in2->scale ? t.in1->scale : t.in2->scale;
    double twice_max_input_scale = 2.0 * (double)max_scale;
    double real_input1 = (double)t.in1->scale / twice_max_input_scale;
    double real_input2 = (double)t.in2->scale / twice_max_input_scale;
    double real_output = twice_max_input_scale / ((double)(1 << p->left_shift) * (double)t.out->scale);
    rt_quantize_multiplier(real_input1, &p->input1_multiplier, &p->input1_shift);
    rt_quantize_multiplier(real_input2, &p->input2_multiplier, &p->input2_shift);
    rt_quantize_multiplier(real_output, &p->output_multiplier, &p->output_shift);
    node->params = p;
    node->macs = rt_tensor_elements(t.out);
    return RT_OK;
}

enum rt_status rt_prepare_mul(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct binary_tensors t;
    uint8_t activation;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &t.in1)) != RT_OK)
        return st;
    if (t.in1->type == TFLITE_TYPE_FLOAT32)
        return rt_prepare_float_arithmetic(ctx, node);
    struct rt_mul_params *p = RT_PERSISTENT_NEW(ctx, struct rt_mul_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = get_binary(ctx, node, &t, TFLITE_OPTIONS_MUL, TFLITE_MUL_FUSED_ACTIVATION, &activation, &p->bc)) != RT_OK ||
        (st = rt_activation_range_s8(ctx, activation, t.out, &p->act_min, &p->act_max)) != RT_OK)
        return st;
    p->input1_offset = -t.in1->zero_point;
    p->input2_offset = -t.in2->zero_point;
    p->output_offset = t.out->zero_point;
    double real = (double)t.in1->scale * (double)t.in2->scale / (double)t.out->scale;
    rt_quantize_multiplier(real, &p->output_multiplier, &p->output_shift);
    node->params = p;
    node->macs = rt_tensor_elements(t.out);
    return RT_OK;
}
