/*
 * rt_interp.c — building and running the graph (see rt_interp.h).
 *
 * init, in order:
 *   1. tensor and node tables in the persistent tail;
 *   2. graph analysis: who writes and who last reads each tensor, with the
 *      checks that make a model runnable (no tensor read before it is
 *      written, none written twice, no constant overwritten);
 *   3. per node: the op's prepare step, the family's kernel (falling back
 *      to ref), its own prepare and its scratch size;
 *   4. RESHAPE outputs alias their input's buffer when legal;
 *   5. the greedy planner places every live buffer and every scratch;
 *   6. data pointers are set and variable tensors zeroed.
 */
#include <string.h>

#include "rt_interp.h"
#include "rt_ops.h"
#include "rt_planner.h"
#include "rt_port.h"
#include "rt_target_sizes.h"

/* Per-tensor bookkeeping while planning, kept in the arena's head. */
struct tensor_use {
    int32_t first_use; /* -1: never live */
    int32_t last_use;
    int32_t alias_of;  /* -1, or the tensor whose buffer this one shares */
    int32_t buffer;    /* index into the plan, -1 if none */
};

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static enum rt_status layer_error(struct rt_error *err, enum rt_status st, uint32_t i, int32_t op)
{
    struct rt_error prefix;
    rt_error_clear(&prefix);
    rt_error_add(&prefix, "layer ");
    rt_error_add_uint(&prefix, i);
    rt_error_add(&prefix, " (");
    rt_error_add_op(&prefix, op);
    rt_error_add(&prefix, "): ");
    rt_error_prefix(err, prefix.msg);
    return st;
}

static enum rt_status graph_error(struct rt_error *err, uint32_t layer, const char *what, int32_t tensor)
{
    rt_error_clear(err);
    rt_error_add(err, "corrupt model: layer ");
    rt_error_add_uint(err, layer);
    rt_error_add(err, what);
    rt_error_add_int(err, tensor);
    return RT_BAD_MODEL;
}

static enum rt_status no_memory(struct rt_interp *it, struct rt_error *err)
{
    rt_error_clear(err);
    rt_error_add(err, "arena too small: needs ");
    rt_error_add_uint(err, it->arena_needed);
    rt_error_add(err, " bytes, has ");
    rt_error_add_uint(err, it->capacity);
    return RT_NO_MEMORY;
}

/* Step 1 and 2: tables and lifetimes. */
static enum rt_status analyse_graph(struct rt_interp *it, struct rt_prepare_ctx *ctx, struct tensor_use *use,
                                    struct rt_error *err)
{
    const struct rt_model *m = it->model;
    enum rt_status st;
    for (uint32_t t = 0; t < it->num_tensors; t++) {
        if ((st = rt_model_tensor(m, t, &it->tensors[t], err)) != RT_OK)
            return st;
        use[t].first_use = -1;
        use[t].last_use = -1;
        use[t].alias_of = -1;
        use[t].buffer = -1;
    }
    /* Graph inputs and variables are live from before the first node. */
    for (uint32_t k = 0; k < rt_model_num_inputs(m); k++) {
        int32_t t = rt_model_input(m, k);
        if (!it->tensors[t].is_constant)
            use[t].first_use = use[t].last_use = 0;
    }
    for (uint32_t t = 0; t < it->num_tensors; t++)
        if (it->tensors[t].is_variable && !it->tensors[t].is_constant)
            use[t].first_use = use[t].last_use = 0;

    for (uint32_t i = 0; i < it->num_nodes; i++) {
        struct rt_op_info info;
        struct rt_node *node = &it->nodes[i];
        if ((st = rt_model_op(m, i, &info, err)) != RT_OK)
            return st;
        node->index = i;
        node->op = info.op;
        node->num_inputs = (uint8_t)info.inputs.count;
        node->num_outputs = (uint8_t)info.outputs.count;
        int32_t *ins = RT_PERSISTENT_NEW(ctx, int32_t, info.inputs.count + info.outputs.count);
        if (!ins)
            return RT_NO_MEMORY;
        for (uint32_t k = 0; k < info.inputs.count; k++) {
            int32_t t = ins[k] = rt_op_input(m, &info, k);
            if (t < 0 || it->tensors[t].is_constant)
                continue;
            if (use[t].first_use < 0)
                return graph_error(err, i, " reads a tensor no earlier layer writes: tensor ", t);
            use[t].last_use = (int32_t)i;
        }
        for (uint32_t k = 0; k < info.outputs.count; k++) {
            int32_t t = ins[info.inputs.count + k] = rt_op_output(m, &info, k);
            if (it->tensors[t].is_constant)
                return graph_error(err, i, " writes a constant tensor: tensor ", t);
            if (use[t].first_use >= 0)
                return graph_error(err, i, " writes a tensor written before: tensor ", t);
            use[t].first_use = use[t].last_use = (int32_t)i;
        }
        node->inputs = ins;
        node->outputs = ins + info.inputs.count;
    }
    /* Graph outputs must exist and stay live to the end. */
    int32_t last = it->num_nodes ? (int32_t)it->num_nodes - 1 : 0;
    for (uint32_t k = 0; k < rt_model_num_outputs(m); k++) {
        int32_t t = rt_model_output(m, k);
        if (it->tensors[t].is_constant)
            continue;
        if (use[t].first_use < 0)
            return graph_error(err, last, ": a graph output is never written: tensor ", t);
        use[t].last_use = last;
    }
    for (uint32_t t = 0; t < it->num_tensors; t++)
        if (it->tensors[t].is_variable && use[t].first_use >= 0)
            use[t].last_use = last;
    return RT_OK;
}

/* Step 3 and 4: prepare every node, choose kernels, alias RESHAPEs. */
static enum rt_status prepare_nodes(struct rt_interp *it, struct rt_prepare_ctx *ctx, struct tensor_use *use,
                                    struct rt_error *err)
{
    enum rt_status st;
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        struct rt_node *node = &it->nodes[i];
        struct rt_op_info info;
        if ((st = rt_model_op(it->model, i, &info, err)) != RT_OK)
            return st;
        const struct rt_op_def *def = rt_op_def_find(node->op);
        uint32_t data = rt_op_data_input(node->op);
        uint8_t type = node->num_inputs > data && node->inputs[data] >= 0 ? it->tensors[node->inputs[data]].type
                                                                           : RT_TYPE_ANY;
        node->kernel = def ? rt_kernel_find(it->family, node->op, type) : NULL;
        if (!node->kernel)
            return layer_error(err, rt_fail(err, RT_UNSUPPORTED, "operator not supported for this input type"), i,
                               node->op);
        ctx->info = &info;
        st = def->prepare(ctx, node);
        if (st == RT_OK && node->kernel->prepare)
            st = node->kernel->prepare(ctx, node);
        if (st != RT_OK)
            return layer_error(err, st, i, node->op);
        node->scratch_bytes =
            node->kernel->scratch_size ? node->kernel->scratch_size(it->tensors, node, &it->target) : 0;
        it->total_macs += node->macs;

        if (def->output_aliases_input) {
            int32_t in = node->inputs[0], out = node->outputs[0];
            if (in >= 0 && !it->tensors[in].is_constant && !it->tensors[in].is_variable &&
                it->tensors[in].bytes == it->tensors[out].bytes) {
                int32_t root = use[in].alias_of >= 0 ? use[in].alias_of : in;
                use[out].alias_of = root;
            }
        }
    }
    return RT_OK;
}

/* Step 5 and 6. */
static enum rt_status plan_arena(struct rt_interp *it, struct tensor_use *use, struct rt_plan_buffer *buffers,
                                 uint32_t *order, size_t temp_bytes, struct rt_error *err)
{
    /* An alias group lives from its root's first use to its members' last. */
    for (uint32_t t = 0; t < it->num_tensors; t++) {
        int32_t root = use[t].alias_of;
        if (root >= 0 && use[t].last_use > use[root].last_use)
            use[root].last_use = use[t].last_use;
    }
    uint32_t n = 0;
    for (uint32_t t = 0; t < it->num_tensors; t++) {
        if (it->tensors[t].is_constant || use[t].first_use < 0 || use[t].alias_of >= 0)
            continue;
        use[t].buffer = (int32_t)n;
        buffers[n++] = (struct rt_plan_buffer){it->tensors[t].bytes, use[t].first_use, use[t].last_use, 0};
    }
    uint32_t first_scratch = n;
    for (uint32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes)
            buffers[n++] = (struct rt_plan_buffer){it->nodes[i].scratch_bytes, (int32_t)i, (int32_t)i, 0};

    uint32_t total;
    rt_plan_greedy(buffers, n, order, RT_ARENA_ALIGN, &total);
    it->activation_bytes = total;
    size_t head = total > temp_bytes ? total : temp_bytes;
    it->arena_needed = head + it->persistent_bytes;
    it->target_arena_needed = head + it->target_persistent_bytes;
    if (it->arena_needed > it->capacity)
        return no_memory(it, err);

    for (uint32_t i = 0; i < it->num_nodes; i++)
        it->nodes[i].live_bytes = rt_plan_live_bytes(buffers, n, (int32_t)i);
    uint32_t s = first_scratch;
    for (uint32_t i = 0; i < it->num_nodes; i++)
        if (it->nodes[i].scratch_bytes)
            it->nodes[i].scratch = it->arena + buffers[s++].offset;
    for (uint32_t t = 0; t < it->num_tensors; t++) {
        int32_t owner = use[t].alias_of >= 0 ? use[t].alias_of : (int32_t)t;
        if (!it->tensors[t].is_constant && use[owner].buffer >= 0)
            it->tensors[t].data = it->arena + buffers[use[owner].buffer].offset;
    }
    /* From here on the head belongs to the tensors: the work arrays are dead. */
    for (uint32_t t = 0; t < it->num_tensors; t++)
        if (it->tensors[t].is_variable && it->tensors[t].data)
            memset(it->tensors[t].data, 0, it->tensors[t].bytes);
    return RT_OK;
}

enum rt_status rt_interp_init(struct rt_interp *it, const struct rt_model *model,
                              const struct rt_kernel_family *family, void *arena, size_t arena_size,
                              struct rt_error *err)
{
    return rt_interp_plan(it, model, family, RT_TARGET_NATIVE, arena, arena_size, err);
}

enum rt_status rt_interp_plan(struct rt_interp *it, const struct rt_model *model,
                              const struct rt_kernel_family *family, struct rt_target target, void *arena,
                              size_t arena_size, struct rt_error *err)
{
    enum rt_status st;
    memset(it, 0, sizeof *it);
    rt_error_clear(err);
    if (!model || !arena)
        return rt_fail(err, RT_BAD_ARG, "no model or no arena");
    it->model = model;
    it->target = target;
    it->family = family ? family : rt_family_default();
    uintptr_t base = ((uintptr_t)arena + RT_ARENA_ALIGN - 1) & ~(uintptr_t)(RT_ARENA_ALIGN - 1);
    size_t skipped = base - (uintptr_t)arena;
    it->arena = (uint8_t *)base;
    it->capacity = arena_size > skipped ? (arena_size - skipped) & ~(size_t)(RT_ARENA_ALIGN - 1) : 0;
    it->num_tensors = rt_model_num_tensors(model);
    it->num_nodes = rt_model_num_ops(model);

    /* The planner's work arrays sit at the head until the plan is applied. */
    uint32_t max_buffers = it->num_tensors + it->num_nodes;
    size_t temp_bytes = align_up(sizeof(struct tensor_use) * it->num_tensors, RT_ARENA_ALIGN) +
                        align_up(sizeof(struct rt_plan_buffer) * max_buffers, RT_ARENA_ALIGN) +
                        align_up(sizeof(uint32_t) * max_buffers, RT_ARENA_ALIGN);
    struct rt_prepare_ctx ctx = {
        .model = model, .tensors = NULL, .num_tensors = it->num_tensors, .err = err,
        .tail_base = it->arena + it->capacity, .tail_used = &it->persistent_bytes,
        .tail_used_target = &it->target_persistent_bytes,
        .capacity = it->capacity, .head_reserved = temp_bytes,
    };
    it->tensors = RT_PERSISTENT_NEW(&ctx, struct rt_tensor, it->num_tensors);
    it->nodes = it->tensors ? RT_PERSISTENT_NEW(&ctx, struct rt_node, it->num_nodes) : NULL;
    if (!it->nodes) {
        it->arena_needed = temp_bytes + (sizeof(struct rt_tensor) * it->num_tensors) +
                           (sizeof(struct rt_node) * it->num_nodes);
        it->target_arena_needed = temp_bytes + (size_t)RT_TARGET_SIZEOF_TENSOR * it->num_tensors +
                                  (size_t)RT_TARGET_SIZEOF_NODE * it->num_nodes;
        return no_memory(it, err);
    }
    ctx.tensors = it->tensors;
    struct tensor_use *use = (struct tensor_use *)(void *)it->arena;
    struct rt_plan_buffer *buffers =
        (struct rt_plan_buffer *)(void *)(it->arena + align_up(sizeof(struct tensor_use) * it->num_tensors, RT_ARENA_ALIGN));
    uint32_t *order = (uint32_t *)(void *)((uint8_t *)buffers +
                                           align_up(sizeof(struct rt_plan_buffer) * max_buffers, RT_ARENA_ALIGN));

    st = analyse_graph(it, &ctx, use, err);
    if (st == RT_OK)
        st = prepare_nodes(it, &ctx, use, err);
    if (st == RT_NO_MEMORY) {
        it->arena_needed = temp_bytes + it->persistent_bytes;
        it->target_arena_needed = temp_bytes + it->target_persistent_bytes;
        return no_memory(it, err);
    }
    if (st != RT_OK)
        return st;
    if ((st = plan_arena(it, use, buffers, order, temp_bytes, err)) != RT_OK)
        return st;
    it->ready = true;

    struct mcusim_info model_info = {MCUSIM_INFO_MAGIC, MCUSIM_INFO_MODEL, (uint32_t)(uintptr_t)model->buf.data,
                                     model->buf.size, it->num_nodes};
    struct mcusim_info arena_info = {MCUSIM_INFO_MAGIC, MCUSIM_INFO_ARENA, (uint32_t)(uintptr_t)it->arena,
                                     (uint32_t)it->arena_needed, (uint32_t)it->capacity};
    rt_info(&model_info);
    rt_info(&arena_info);
    return RT_OK;
}

struct rt_tensor *rt_interp_input(const struct rt_interp *it, uint32_t i)
{
    if (!it->ready || i >= rt_model_num_inputs(it->model))
        return NULL;
    return &it->tensors[rt_model_input(it->model, i)];
}

struct rt_tensor *rt_interp_output(const struct rt_interp *it, uint32_t i)
{
    if (!it->ready || i >= rt_model_num_outputs(it->model))
        return NULL;
    return &it->tensors[rt_model_output(it->model, i)];
}

/* Shape into 4 entries; higher ranks fold their leading dimensions. */
static void fill_shape(const struct rt_tensor *t, uint32_t *out_dims, int32_t shape[4])
{
    unsigned n = t->ndims;
    unsigned lead = n > 4 ? n - 3 : 0;
    int32_t folded = 1;
    for (unsigned d = 0; d < lead; d++)
        folded *= t->dims[d];
    unsigned k = 0;
    if (lead)
        shape[k++] = folded;
    for (unsigned d = lead; d < n; d++)
        shape[k++] = t->dims[d];
    *out_dims = k;
    while (k < 4)
        shape[k++] = 0;
}

void rt_interp_layer_region(const struct rt_interp *it, uint32_t i, struct mcusim_region *region)
{
    const struct rt_node *node = &it->nodes[i];
    const char *name = rt_op_name(node->op);
    memset(region, 0, sizeof *region);
    region->magic = MCUSIM_REGION_MAGIC;
    region->kind = MCUSIM_REGION_LAYER;
    region->name = name ? name : "UNKNOWN";
    region->index = i;
    region->op = (uint32_t)node->op;
    region->macs_lo = (uint32_t)node->macs;
    region->macs_hi = (uint32_t)(node->macs >> 32);
    fill_shape(&it->tensors[node->outputs[0]], &region->out_dims, region->out_shape);
    region->arena_bytes = node->live_bytes;
    region->kernel = node->kernel->name;
}

enum rt_status rt_interp_invoke(struct rt_interp *it, struct rt_error *err)
{
    rt_error_clear(err);
    if (!it->ready)
        return rt_fail(err, RT_BAD_ARG, "interpreter not initialised");
    if (it->target.dsp != RT_NATIVE_DSP || it->target.simd != RT_NATIVE_SIMD)
        return rt_fail(err, RT_BAD_ARG, "interpreter planned for another core");
    struct mcusim_region inference;
    memset(&inference, 0, sizeof inference);
    inference.magic = MCUSIM_REGION_MAGIC;
    inference.kind = MCUSIM_REGION_INFERENCE;
    inference.name = "inference";
    inference.macs_lo = (uint32_t)it->total_macs;
    inference.macs_hi = (uint32_t)(it->total_macs >> 32);
    fill_shape(rt_interp_output(it, 0), &inference.out_dims, inference.out_shape);
    inference.arena_bytes = (uint32_t)it->arena_needed;
    inference.kernel = it->family->name;

    rt_region_begin(&inference);
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        const struct rt_node *node = &it->nodes[i];
        struct mcusim_region layer;
        rt_interp_layer_region(it, i, &layer);
        rt_region_begin(&layer);
        enum rt_status st = node->kernel->invoke(it->tensors, node);
        rt_region_end(&layer);
        if (st != RT_OK) {
            rt_error_clear(err);
            rt_error_add(err, "kernel ");
            rt_error_add(err, node->kernel->name);
            rt_error_add(err, " failed");
            rt_region_end(&inference);
            return layer_error(err, st, i, node->op);
        }
    }
    rt_region_end(&inference);
    return RT_OK;
}
