/*
 * qmodel.c — storage for the int8 model description (see qmodel.h).
 */
#include "qmodel.h"

#include <stdlib.h>
#include <string.h>

void mg_qmodel_init(struct mg_qmodel *m)
{
    memset(m, 0, sizeof *m);
    m->input = m->output = -1;
}

void mg_qmodel_free(struct mg_qmodel *m)
{
    for (int i = 0; i < m->num_tensors; i++) {
        free(m->tensors[i].data);
        free(m->tensors[i].scales);
        free(m->tensors[i].zero_points);
    }
    free(m->tensors);
    free(m->ops);
    memset(m, 0, sizeof *m);
}

static int grow(void **items, int *cap, int count, size_t item_size)
{
    if (count < *cap)
        return 0;
    int n = *cap ? 2 * *cap : 32;
    void *ni = realloc(*items, (size_t)n * item_size);
    if (!ni)
        return -1;
    *items = ni;
    *cap = n;
    return 0;
}

int mg_qmodel_add_tensor(struct mg_qmodel *m)
{
    if (grow((void **)&m->tensors, &m->cap_tensors, m->num_tensors, sizeof *m->tensors))
        return -1;
    memset(&m->tensors[m->num_tensors], 0, sizeof *m->tensors);
    return m->num_tensors++;
}

int mg_qmodel_add_op(struct mg_qmodel *m)
{
    if (grow((void **)&m->ops, &m->cap_ops, m->num_ops, sizeof *m->ops))
        return -1;
    memset(&m->ops[m->num_ops], 0, sizeof *m->ops);
    return m->num_ops++;
}

int mg_qtensor_set_quant(struct mg_qtensor *t, int n, const float *scales,
                         const int64_t *zero_points, int32_t quantized_dimension)
{
    free(t->scales);
    free(t->zero_points);
    t->scales = malloc((size_t)n * sizeof *t->scales);
    t->zero_points = malloc((size_t)n * sizeof *t->zero_points);
    if (!t->scales || !t->zero_points) {
        free(t->scales);
        free(t->zero_points);
        t->scales = NULL;
        t->zero_points = NULL;
        t->num_scales = 0;
        return -1;
    }
    memcpy(t->scales, scales, (size_t)n * sizeof *scales);
    memcpy(t->zero_points, zero_points, (size_t)n * sizeof *zero_points);
    t->num_scales = n;
    t->quantized_dimension = quantized_dimension;
    return 0;
}
