/*
 * resize_ref.c — RESIZE_BILINEAR (int8 in TFLite's 10-bit fixed point,
 * float32 in float) and RESIZE_NEAREST_NEIGHBOR (any element size), as
 * TFLite's reference_ops::ResizeBilinearInteger, ResizeBilinear and
 * ResizeNearestNeighbor, same float operations in the same order.
 */
#include <string.h>

#include "ref_kernels.h"
#include "rt_quant.h"

/* std::floor and std::ceil of a float, as an int32 (|v| < 2^31). */
static int32_t floor_int(float v)
{
    int32_t i = (int32_t)v;
    return (float)i > v ? i - 1 : i;
}

static int32_t ceil_int(float v)
{
    int32_t i = (int32_t)v;
    return (float)i < v ? i + 1 : i;
}

static int32_t min_i32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int32_t nearest(int32_t value, int32_t in_size, int32_t out_size, const struct rt_resize_params *p)
{
    const float scale = p->align_corners && out_size > 1 ? (float)(in_size - 1) / (float)(out_size - 1)
                                                         : (float)in_size / (float)out_size;
    const float offset = p->half_pixel_centers ? 0.5f : 0.0f;
    const float x = ((float)value + offset) * scale;
    int32_t v = min_i32(p->align_corners ? (int32_t)rt_roundf(x) : floor_int(x), in_size - 1);
    return p->half_pixel_centers && v < 0 ? 0 : v;
}

static enum rt_status resize_nearest_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_resize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int32_t h = in->dims[1], w = in->dims[2], oh = out->dims[1], ow = out->dims[2];
    const uint32_t pixel = in->bytes / rt_tensor_elements(in) * (uint32_t)in->dims[3];
    uint8_t *dst = out->data;
    for (int32_t b = 0; b < in->dims[0]; b++)
        for (int32_t y = 0; y < oh; y++) {
            const int32_t iy = nearest(y, h, oh, p);
            for (int32_t x = 0; x < ow; x++, dst += pixel) {
                const int32_t ix = nearest(x, w, ow, p);
                memcpy(dst, in->data + ((uint32_t)((b * h + iy) * w + ix)) * pixel, pixel);
            }
        }
    return RT_OK;
}

static void interpolation_values(int32_t value, float scale, bool half, int32_t size, float *scaled, int32_t *lo,
                                 int32_t *hi)
{
    *scaled = half ? ((float)value + 0.5f) * scale - 0.5f : (float)value * scale;
    int32_t f = floor_int(*scaled);
    *lo = f > 0 ? f : 0;
    *hi = min_i32(ceil_int(*scaled), size - 1);
}

static enum rt_status resize_bilinear_f32_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_resize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int32_t h = in->dims[1], w = in->dims[2], oh = out->dims[1], ow = out->dims[2], c = in->dims[3];
    const float *x = (const float *)(const void *)in->data;
    float *y = (float *)(void *)out->data;
    float hs = (float)h / (float)oh, ws = (float)w / (float)ow;
    if (p->align_corners && oh > 1)
        hs = (float)(h - 1) / (float)(oh - 1);
    if (p->align_corners && ow > 1)
        ws = (float)(w - 1) / (float)(ow - 1);
    for (int32_t b = 0; b < in->dims[0]; b++)
        for (int32_t oy = 0; oy < oh; oy++) {
            float iy;
            int32_t y0, y1;
            interpolation_values(oy, hs, p->half_pixel_centers, h, &iy, &y0, &y1);
            for (int32_t ox = 0; ox < ow; ox++) {
                float ix;
                int32_t x0, x1;
                interpolation_values(ox, ws, p->half_pixel_centers, w, &ix, &x0, &x1);
                const float dy = iy - (float)y0, dx = ix - (float)x0;
                const float *r00 = x + ((b * h + y0) * w + x0) * c, *r10 = x + ((b * h + y1) * w + x0) * c;
                const float *r01 = x + ((b * h + y0) * w + x1) * c, *r11 = x + ((b * h + y1) * w + x1) * c;
                for (int32_t k = 0; k < c; k++)
                    *y++ = r00[k] * (1.0f - dy) * (1.0f - dx) + r10[k] * dy * (1.0f - dx) +
                           r01[k] * (1.0f - dy) * dx + r11[k] * dy * dx + 0.0f;
            }
        }
    return RT_OK;
}

static void interpolation_values_10(int32_t value, int32_t scale_10, bool half, int32_t size, int32_t *scaled,
                                    int32_t *lo, int32_t *hi)
{
    *scaled = half ? value * scale_10 + scale_10 / 2 - (1 << 9) : value * scale_10;
    int32_t l = *scaled / (1 << 10);
    *lo = l > 0 ? l : 0;
    *hi = min_i32((*scaled + (1 << 10) - 1) / (1 << 10), size - 1);
}

static enum rt_status resize_bilinear_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_resize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int32_t h = in->dims[1], w = in->dims[2], oh = out->dims[1], ow = out->dims[2], c = in->dims[3];
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    int32_t hs = ((1 << 10) * h + oh / 2) / oh, ws = ((1 << 10) * w + ow / 2) / ow;
    if (p->align_corners && oh > 1)
        hs = ((1 << 10) * (h - 1) + (oh - 1) / 2) / (oh - 1);
    if (p->align_corners && ow > 1)
        ws = ((1 << 10) * (w - 1) + (ow - 1) / 2) / (ow - 1);
    for (int32_t b = 0; b < in->dims[0]; b++)
        for (int32_t oy = 0; oy < oh; oy++) {
            int32_t iy, y0, y1;
            interpolation_values_10(oy, hs, p->half_pixel_centers, h, &iy, &y0, &y1);
            for (int32_t ox = 0; ox < ow; ox++) {
                int32_t ix, x0, x1;
                interpolation_values_10(ox, ws, p->half_pixel_centers, w, &ix, &x0, &x1);
                const int64_t dy = iy - (1 << 10) * y0, dx = ix - (1 << 10) * x0;
                const int8_t *r00 = x + ((b * h + y0) * w + x0) * c, *r10 = x + ((b * h + y1) * w + x0) * c;
                const int8_t *r01 = x + ((b * h + y0) * w + x1) * c, *r11 = x + ((b * h + y1) * w + x1) * c;
                for (int32_t k = 0; k < c; k++) {
                    const int64_t v = (int64_t)r00[k] * ((1 << 10) - dy) * ((1 << 10) - dx) +
                                      (int64_t)r10[k] * dy * ((1 << 10) - dx) +
                                      (int64_t)r01[k] * ((1 << 10) - dy) * dx + (int64_t)r11[k] * dy * dx;
#ifndef RT_SINGLE_ROUNDING
                    /* Rounded half away from zero, then divided toward zero. */
                    *y++ = (int8_t)((v + (v > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20));
#else
                    *y++ = (int8_t)((v + (1 << 19)) >> 20);
#endif
                }
            }
        }
    return RT_OK;
}

const struct rt_kernel rt_kernel_resize_bilinear_s8_ref = {
    .name = "resize_bilinear_s8_ref", .op = TFLITE_OP_RESIZE_BILINEAR, .type = TFLITE_TYPE_INT8,
    .invoke = resize_bilinear_s8_ref,
};
const struct rt_kernel rt_kernel_resize_bilinear_f32_ref = {
    .name = "resize_bilinear_f32_ref", .op = TFLITE_OP_RESIZE_BILINEAR, .type = TFLITE_TYPE_FLOAT32,
    .invoke = resize_bilinear_f32_ref,
};
const struct rt_kernel rt_kernel_resize_nearest_ref = {
    .name = "resize_nearest_ref", .op = TFLITE_OP_RESIZE_NEAREST_NEIGHBOR, .type = RT_TYPE_ANY,
    .invoke = resize_nearest_ref,
};
