/*
 * modelgen.c — runs the synthesis pipeline (see modelgen.h).
 */
#include "modelgen.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "quantize.h"
#include "tflite_writer.h"

/* graph.c reports every failure as a message; running out of memory is the
 * only one that is not the spec's fault. */
static int status_of(const struct mg_graph *g)
{
    return strstr(g->errmsg, "out of memory") ? MG_ERR_NOMEM : MG_ERR_SPEC;
}

int modelgen_graph(const char *spec, uint64_t seed, struct mg_graph *g, char *err, size_t errlen)
{
    struct mg_spec s;
    mg_graph_init(g, seed);
    if (mg_spec_parse(spec, &s, err, errlen))
        return MG_ERR_SPEC;
    snprintf(g->description, sizeof g->description, "mcusim modelgen %s seed=%" PRIu64,
             s.canonical, seed);
    s.arch->build(g, &s);
    if (!g->error)
        mg_calibrate(g);
    if (g->error) {
        snprintf(err, errlen, "%s: %s", s.arch->name, g->errmsg);
        int status = status_of(g);
        mg_graph_free(g);
        return status;
    }
    return MG_OK;
}

int modelgen_quantize(const struct mg_graph *g, struct mg_qmodel *m, char *err, size_t errlen)
{
    mg_qmodel_init(m);
    if (mg_quantize(g, m)) {
        mg_qmodel_free(m);
        snprintf(err, errlen, "out of memory while quantizing");
        return MG_ERR_NOMEM;
    }
    return MG_OK;
}

int modelgen_build(const char *spec, uint64_t seed, uint8_t **out, size_t *out_len,
                   struct mg_summary *summary, char *err, size_t errlen)
{
    struct mg_graph g;
    struct mg_qmodel m;
    int rc = modelgen_graph(spec, seed, &g, err, errlen);
    if (rc)
        return rc;
    rc = modelgen_quantize(&g, &m, err, errlen);
    if (rc) {
        mg_graph_free(&g);
        return rc;
    }
    if (mg_write_tflite(&m, out, out_len, err, errlen))
        rc = MG_ERR_NOMEM;
    if (!rc && summary) {
        memset(summary, 0, sizeof *summary);
        struct mg_spec s;
        mg_spec_parse(spec, &s, NULL, 0);
        snprintf(summary->spec, sizeof summary->spec, "%s", s.canonical);
        summary->seed = seed;
        summary->num_ops = m.num_ops;
        for (int i = 0; i < g.num_layers; i++) {
            const struct mg_layer *l = &g.layers[i];
            summary->macs += mg_layer_macs(&g, l);
            if (l->weights)
                summary->params += l->num_weights + (uint64_t)l->out_channels;
        }
        for (int i = 0; i < m.num_tensors; i++)
            summary->weight_bytes += m.tensors[i].data_bytes;
        summary->file_bytes = *out_len;
    }
    mg_qmodel_free(&m);
    mg_graph_free(&g);
    return rc;
}
