/*
 * modelgen.c — runs the synthesis pipeline (see modelgen.h), after sizing
 * the spec to decide whether it may run at all.
 */
#include "modelgen.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "fb_builder.h"
#include "fkernels.h"
#include "float_model.h"
#include "forward.h"
#include "inputs.h"
#include "opmodel.h"
#include "../runtime/tflite_schema.h"
#include "quantize.h"
#include "tflite_writer.h"

/* graph.c reports every failure as a message; running out of memory is the
 * only one that is not the spec's fault. */
static int status_of(const struct mg_graph *g)
{
    return strstr(g->errmsg, "out of memory") ? MG_ERR_NOMEM : MG_ERR_SPEC;
}

/* Builds s's network into g (initialized by this); shapes only, or with
 * its initial weights.  On failure g is freed and err says why. */
static int describe(const struct mg_spec *s, uint64_t seed, int shapes_only, struct mg_graph *g,
                    char *err, size_t errlen)
{
    mg_graph_init(g, seed);
    g->shapes_only = shapes_only;
    snprintf(g->description, sizeof g->description, "mcusim modelgen %s seed=%" PRIu64,
             s->canonical, seed);
    s->arch->build(g, s);
    if (!g->error)
        return MG_OK;
    snprintf(err, errlen, "%s: %s", s->arch->name, g->errmsg);
    int status = status_of(g);
    mg_graph_free(g);
    return status;
}

int modelgen_model(const struct mg_graph *g, enum mg_dtype dtype, struct mg_qmodel *m, char *err,
                   size_t errlen)
{
    mg_qmodel_init(m);
    if (dtype == MG_DTYPE_INT8 ? mg_quantize(g, m) : mg_float_model(g, m)) {
        mg_qmodel_free(m);
        snprintf(err, errlen, "out of memory while making the %s model", mg_dtype_name(dtype));
        return MG_ERR_NOMEM;
    }
    return MG_OK;
}

int modelgen_quantize(const struct mg_graph *g, struct mg_qmodel *m, char *err, size_t errlen)
{
    return modelgen_model(g, MG_DTYPE_INT8, m, err, errlen);
}

/* ---- sizing ---- */

/* Activation tensors with their lifetimes (see struct mg_tensor_size), and
 * the peak of their sum over the operators, at elem_bytes per value. */
static int plan_tensors(const struct mg_graph *g, size_t elem_bytes, struct mg_tensor_size **out,
                        uint64_t *peak)
{
    int *last = mg_last_uses(g);
    struct mg_tensor_size *t = calloc((size_t)g->num_tensors, sizeof *t);
    if (!last || !t) {
        free(last);
        free(t);
        return -1;
    }
    for (int i = 0; i < g->num_tensors; i++) {
        t[i].bytes = mg_shape_elems(&g->tensors[i].shape) * elem_bytes;
        t[i].first_op = 0;
        t[i].last_op = last[i] < 0 ? 0 : last[i] >= g->num_layers ? g->num_layers - 1 : last[i];
    }
    for (int i = 0; i < g->num_layers; i++)
        t[g->layers[i].output].first_op = i;
    *peak = 0;
    for (int op = 0; op < g->num_layers; op++) {
        uint64_t live = 0;
        for (int i = 0; i < g->num_tensors; i++)
            if (t[i].first_op <= op && op <= t[i].last_op)
                live += t[i].bytes;
        *peak = live > *peak ? live : *peak;
    }
    free(last);
    *out = t;
    return 0;
}

/* What modelgen_build holds at its peak.  While calibrating: the float
 * weights and biases, their packed double copies (fkernels.h, output
 * channels padded to a block) and the activations of
 * MG_NORMALIZATION_INPUTS inputs at once.  While writing: the float
 * weights, the model's constant data, and the flatbuffer — which grows by
 * doubling, so up to twice the file next to the half it grew from, and
 * then the file's copy. */
static uint64_t build_bytes(const struct mg_graph *g, uint64_t params, uint64_t weight_bytes,
                            uint64_t file_bytes, uint64_t peak_float_activations)
{
    uint64_t packed = 0;
    for (int i = 0; i < g->num_layers; i++) {
        const struct mg_layer *l = &g->layers[i];
        if (!l->num_weights)
            continue;
        uint64_t rows = l->num_weights / (uint64_t)l->out_channels;
        uint64_t cols = l->op == MG_OP_DWCONV2D
                            ? (uint64_t)l->out_channels
                            : ((uint64_t)l->out_channels + FK_CHANNEL_BLOCK - 1) /
                                  FK_CHANNEL_BLOCK * FK_CHANNEL_BLOCK;
        packed += (rows + 1) * cols * sizeof(double);
    }
    uint64_t graph = params * sizeof(float);
    uint64_t calibrating = graph + packed + MG_NORMALIZATION_INPUTS * peak_float_activations;
    uint64_t writing = graph + weight_bytes + 3 * file_bytes;
    return calibrating > writing ? calibrating : writing;
}

static int size_spec(const struct mg_spec *s, uint64_t seed, struct mg_sizing *sz, char *err,
                     size_t errlen)
{
    struct mg_graph g;
    memset(sz, 0, sizeof *sz);
    int rc = describe(s, seed, 1, &g, err, errlen);
    if (rc)
        return rc;
    snprintf(sz->spec, sizeof sz->spec, "%s", s->canonical);
    sz->dtype = s->dtype;
    sz->num_ops = g.num_layers;
    for (int i = 0; i < g.num_layers; i++) {
        sz->macs += mg_layer_macs(&g, &g.layers[i]);
        sz->params += mg_layer_params(&g.layers[i]);
    }
    size_t elem = s->dtype == MG_DTYPE_INT8 ? 1 : 4;
    if (plan_tensors(&g, elem, &sz->tensors, &sz->peak_activation_bytes)) {
        mg_graph_free(&g);
        snprintf(err, errlen, "out of memory");
        return MG_ERR_NOMEM;
    }
    sz->num_tensors = g.num_tensors;
    /* Calibration holds every activation in float. */
    uint64_t peak_float = sz->peak_activation_bytes / elem * sizeof(float);

    /* The model without its constant data, measured as it would be
     * written. */
    struct mg_qmodel m;
    rc = modelgen_model(&g, s->dtype, &m, err, errlen);
    if (!rc) {
        for (int i = 0; i < m.num_tensors; i++)
            sz->weight_bytes += m.tensors[i].data_bytes;
        size_t len = 0;
        char why[160];
        if (mg_tflite_size(&m, &len, why, sizeof why)) {
            if (sz->weight_bytes >= FB_MAX_BYTES) {
                snprintf(err, errlen,
                         "%s: the model file would hold %" PRIu64 " bytes of weights, more than "
                         "the %u bytes a TFLite flatbuffer can hold",
                         s->arch->name, sz->weight_bytes, FB_MAX_BYTES);
                rc = MG_ERR_SPEC;
            } else {
                snprintf(err, errlen, "%s: %s", s->arch->name, why);
                rc = MG_ERR_NOMEM;
            }
        }
        sz->file_bytes = len;
        mg_qmodel_free(&m);
    }
    if (!rc)
        sz->build_bytes = build_bytes(&g, sz->params, sz->weight_bytes, sz->file_bytes, peak_float);
    else
        mg_sizing_free(sz);
    mg_graph_free(&g);
    return rc;
}

int modelgen_size(const char *spec, uint64_t seed, struct mg_sizing *sz, char *err, size_t errlen)
{
    struct mg_spec s;
    memset(sz, 0, sizeof *sz);
    if (mg_is_op_spec(spec)) {
        snprintf(err, errlen, "%s: --size is for architecture specs; build the single-operator model instead", spec);
        return MG_ERR_SPEC;
    }
    if (mg_spec_parse(spec, &s, err, errlen))
        return MG_ERR_SPEC;
    return size_spec(&s, seed, sz, err, errlen);
}

void mg_sizing_free(struct mg_sizing *sz)
{
    free(sz->tensors);
    sz->tensors = NULL;
    sz->num_tensors = 0;
}

/* ---- building ---- */

/* Sizes s and refuses it if its build would take too much memory. */
static int check_size(const struct mg_spec *s, uint64_t seed, char *err, size_t errlen)
{
    struct mg_sizing sz;
    int rc = size_spec(s, seed, &sz, err, errlen);
    if (rc)
        return rc;
    mg_sizing_free(&sz);
    if (sz.build_bytes > MG_MAX_BUILD_BYTES) {
        snprintf(err, errlen,
                 "%s: building it would take about %.1f GiB of memory (%" PRIu64 " bytes, "
                 "for %" PRIu64 " parameters and the activations of %d calibration inputs), "
                 "more than modelgen's limit of %.1f GiB (%llu bytes)",
                 s->arch->name, sz.build_bytes / 1073741824.0, sz.build_bytes, sz.params,
                 MG_NORMALIZATION_INPUTS, MG_MAX_BUILD_BYTES / 1073741824.0,
                 (unsigned long long)MG_MAX_BUILD_BYTES);
        return MG_ERR_SPEC;
    }
    return MG_OK;
}

int modelgen_graph(const char *spec, uint64_t seed, struct mg_graph *g, char *err, size_t errlen)
{
    struct mg_spec s;
    mg_graph_init(g, seed);
    if (mg_spec_parse(spec, &s, err, errlen))
        return MG_ERR_SPEC;
    int rc = check_size(&s, seed, err, errlen);
    if (!rc)
        rc = describe(&s, seed, 0, g, err, errlen);
    if (rc) {
        mg_graph_init(g, seed);
        return rc;
    }
    if (mg_calibrate(g, s.dtype == MG_DTYPE_INT8)) {
        snprintf(err, errlen, "%s: %s", s.arch->name, g->errmsg);
        rc = status_of(g);
        mg_graph_free(g);
        return rc;
    }
    return MG_OK;
}

/* A single-operator model (opmodel.h): no float network, no calibration. */
static int build_op_model(const char *spec, uint64_t seed, uint8_t **out, size_t *out_len,
                          struct mg_summary *summary, char *err, size_t errlen)
{
    struct mg_qmodel m;
    if (mg_op_model(spec, seed, &m, err, errlen))
        return strstr(err, "out of memory") ? MG_ERR_NOMEM : MG_ERR_SPEC;
    int rc = mg_write_tflite(&m, out, out_len, err, errlen) ? MG_ERR_NOMEM : MG_OK;
    if (!rc && summary) {
        memset(summary, 0, sizeof *summary);
        snprintf(summary->spec, sizeof summary->spec, "%s", spec);
        summary->seed = seed;
        summary->num_ops = m.num_ops;
        for (int i = 0; i < m.num_tensors; i++)
            if (m.tensors[i].data_bytes) {
                summary->weight_bytes += m.tensors[i].data_bytes;
                summary->params += m.tensors[i].data_bytes / (m.tensors[i].type == TFLITE_TYPE_INT8 ? 1 : 4);
            }
        summary->file_bytes = *out_len;
    }
    mg_qmodel_free(&m);
    return rc;
}

int modelgen_build(const char *spec, uint64_t seed, uint8_t **out, size_t *out_len,
                   struct mg_summary *summary, char *err, size_t errlen)
{
    struct mg_graph g;
    struct mg_qmodel m;
    struct mg_spec s;
    *out = NULL;
    if (mg_is_op_spec(spec))
        return build_op_model(spec, seed, out, out_len, summary, err, errlen);
    if (mg_spec_parse(spec, &s, err, errlen))
        return MG_ERR_SPEC;
    int rc = modelgen_graph(spec, seed, &g, err, errlen);
    if (rc)
        return rc;
    rc = modelgen_model(&g, s.dtype, &m, err, errlen);
    if (rc) {
        mg_graph_free(&g);
        return rc;
    }
    if (mg_write_tflite(&m, out, out_len, err, errlen))
        rc = MG_ERR_NOMEM;
    if (!rc && summary) {
        memset(summary, 0, sizeof *summary);
        snprintf(summary->spec, sizeof summary->spec, "%s", s.canonical);
        summary->seed = seed;
        summary->num_ops = m.num_ops;
        for (int i = 0; i < g.num_layers; i++) {
            summary->macs += mg_layer_macs(&g, &g.layers[i]);
            summary->params += mg_layer_params(&g.layers[i]);
        }
        for (int i = 0; i < m.num_tensors; i++)
            summary->weight_bytes += m.tensors[i].data_bytes;
        summary->file_bytes = *out_len;
    }
    mg_qmodel_free(&m);
    mg_graph_free(&g);
    return rc;
}
