/*
 * inputs.c — smooth pseudo-random input fields (see inputs.h).
 */
#include "inputs.h"

#include <stdlib.h>

/* Stream numbers of the generator: inputs live apart from weights (1). */
#define INPUT_STREAM_BASE 0x1000

int mg_make_input(const struct mg_graph *g, int index, float *out)
{
    const struct mg_shape *s = &g->tensors[g->input].shape;
    int h = 1, w = s->dim[1], c = 1;
    if (s->rank == 4) {
        h = s->dim[1];
        w = s->dim[2];
        c = s->dim[3];
    }
    struct mg_rng r;
    mg_rng_seed(&r, g->seed, INPUT_STREAM_BASE + (uint64_t)index);
    double gain = mg_rng_uniform(&r, 0.5, 1.5);
    double offset = mg_rng_uniform(&r, -0.5, 0.5);

    /* The coarse grid: one random value per 8 cells and channel. */
    int gh = h / 8 + 2, gw = w / 8 + 2;
    double *grid = malloc((size_t)gh * gw * c * sizeof *grid);
    if (!grid)
        return -1;
    for (size_t i = 0; i < (size_t)gh * gw * c; i++)
        grid[i] = mg_rng_uniform(&r, -1.0, 1.0);

    for (int y = 0; y < h; y++) {
        double fy = h > 1 ? (double)y * (gh - 1) / (h - 1) : 0.0;
        int y0 = (int)fy;
        y0 = y0 < gh - 1 ? y0 : gh - 2;
        double ty = fy - y0;
        for (int x = 0; x < w; x++) {
            double fx = w > 1 ? (double)x * (gw - 1) / (w - 1) : 0.0;
            int x0 = (int)fx;
            x0 = x0 < gw - 1 ? x0 : gw - 2;
            double tx = fx - x0;
            for (int k = 0; k < c; k++) {
                double a = grid[((size_t)y0 * gw + x0) * c + k];
                double b = grid[((size_t)y0 * gw + x0 + 1) * c + k];
                double d = grid[((size_t)(y0 + 1) * gw + x0) * c + k];
                double e = grid[((size_t)(y0 + 1) * gw + x0 + 1) * c + k];
                double smooth = (a * (1 - tx) + b * tx) * (1 - ty) + (d * (1 - tx) + e * tx) * ty;
                double noise = mg_rng_uniform(&r, -0.25, 0.25);
                out[((size_t)y * w + x) * c + k] = (float)(gain * (smooth + noise) + offset);
            }
        }
    }
    free(grid);
    return 0;
}
