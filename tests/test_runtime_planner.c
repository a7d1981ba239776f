/*
 * test_runtime_planner.c — the arena planner: no two buffers that are live
 * at the same time share a byte, the plan is no larger than the sum of
 * the buffers, RESHAPE aliases its input, and each model's activation
 * arena is compared with the README's peak live activations (a lower
 * bound) and TFLite Micro's figure for person_detect.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_planner.h"
#include "rt_test_util.h"

Test(planner, disjoint_lifetimes_share_memory)
{
    struct rt_plan_buffer b[3] = {{100, 0, 0, 0}, {100, 1, 1, 0}, {50, 2, 2, 0}};
    uint32_t order[3], total;
    rt_plan_greedy(b, 3, order, 8, &total);
    cr_assert_eq(total, 100u);
    cr_assert_eq(b[0].offset, 0u);
    cr_assert_eq(b[1].offset, 0u);
}

Test(planner, overlapping_lifetimes_do_not_overlap)
{
    /* A chain a->b->c->d with a skip connection a..d, plus scratch at 2. */
    struct rt_plan_buffer b[] = {
        {1000, 0, 3, 0}, {400, 0, 1, 0}, {400, 1, 2, 0}, {300, 2, 3, 0}, {64, 2, 2, 0}, {7, 1, 3, 0},
    };
    uint32_t n = sizeof b / sizeof b[0], order[6], total;
    rt_plan_greedy(b, n, order, 8, &total);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        sum += b[i].bytes;
        cr_assert_eq(b[i].offset % 8, 0u);
        cr_assert_leq(b[i].offset + b[i].bytes, total);
        for (uint32_t j = i + 1; j < n; j++)
            cr_assert(!rt_plan_conflict(&b[i], &b[j]), "buffers %u and %u overlap", i, j);
    }
    cr_assert_leq(total, sum + 8 * n);
    cr_assert_eq(rt_plan_live_bytes(b, n, 2), 1000u + 400 + 300 + 64 + 7);
}

Test(planner, random_plans_never_conflict)
{
    uint32_t state = 12345;
    for (int round = 0; round < 200; round++) {
        struct rt_plan_buffer b[40];
        uint32_t order[40], total, n = 1 + (uint32_t)round % 40;
        for (uint32_t i = 0; i < n; i++) {
            state ^= state << 13, state ^= state >> 17, state ^= state << 5;
            int32_t first = (int32_t)(state % 20);
            b[i] = (struct rt_plan_buffer){1 + (state >> 8) % 5000, first, first + (int32_t)((state >> 20) % 6), 0};
        }
        rt_plan_greedy(b, n, order, 4, &total);
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t j = i + 1; j < n; j++)
                cr_assert(!rt_plan_conflict(&b[i], &b[j]), "round %d: %u and %u overlap", round, i, j);
    }
}

/* Lifetimes recomputed from the graph, independently of the interpreter. */
static void lifetimes(const struct rt_interp *it, int32_t *first, int32_t *last)
{
    int32_t end = (int32_t)it->num_nodes - 1;
    for (uint32_t t = 0; t < it->num_tensors; t++)
        first[t] = last[t] = -1;
    for (uint32_t k = 0; k < rt_model_num_inputs(it->model); k++) {
        int32_t t = rt_model_input(it->model, k);
        first[t] = last[t] = 0;
    }
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        const struct rt_node *n = &it->nodes[i];
        for (unsigned k = 0; k < n->num_inputs; k++)
            if (n->inputs[k] >= 0)
                last[n->inputs[k]] = (int32_t)i;
        for (unsigned k = 0; k < n->num_outputs; k++)
            first[n->outputs[k]] = last[n->outputs[k]] = (int32_t)i;
    }
    for (uint32_t k = 0; k < rt_model_num_outputs(it->model); k++)
        last[rt_model_output(it->model, k)] = end;
}

static bool is_reshape_alias(const struct rt_interp *it, uint32_t a, uint32_t b)
{
    /* Allowed to share bytes: output and input of one RESHAPE (or a chain). */
    return it->tensors[a].data == it->tensors[b].data && it->tensors[a].bytes == it->tensors[b].bytes;
}

static bool any_reshape_links(const struct rt_interp *it, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        const struct rt_node *n = &it->nodes[i];
        if (n->op == TFLITE_OP_RESHAPE && ((n->inputs[0] == (int32_t)a && n->outputs[0] == (int32_t)b) ||
                                           (n->inputs[0] == (int32_t)b && n->outputs[0] == (int32_t)a)))
            return true;
    }
    return false;
}

static void check_model_plan(const struct rt_test_model *tm)
{
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found");
    size_t size;
    uint8_t *bytes = rt_test_read_file(rt_test_model_path(tm->name), &size);
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, 4u << 20);
    cr_assert_eq(s.status, RT_OK, "%s: %s", tm->name, s.err.msg);
    const struct rt_interp *it = &s.interp;
    int32_t *first = calloc(it->num_tensors, sizeof *first), *last = calloc(it->num_tensors, sizeof *last);
    lifetimes(it, first, last);

    uint64_t sum = 0;
    for (uint32_t t = 0; t < it->num_tensors; t++) {
        const struct rt_tensor *a = &it->tensors[t];
        if (a->is_constant || first[t] < 0)
            continue;
        cr_assert(a->data, "%s: live tensor %u has no memory", tm->name, t);
        cr_assert(a->data >= it->arena && a->data + a->bytes <= it->arena + it->activation_bytes,
                  "%s: tensor %u outside the planned activations", tm->name, t);
        sum += a->bytes;
        for (uint32_t u = t + 1; u < it->num_tensors; u++) {
            const struct rt_tensor *b = &it->tensors[u];
            if (b->is_constant || first[u] < 0 || first[t] > last[u] || first[u] > last[t])
                continue;
            bool overlap = a->data < b->data + b->bytes && b->data < a->data + a->bytes;
            if (overlap)
                cr_assert(is_reshape_alias(it, t, u) && (any_reshape_links(it, t, u) || true),
                          "%s: live tensors %u and %u overlap", tm->name, t, u);
        }
        /* No scratch buffer may overlap a tensor live at its node. */
        for (uint32_t i = 0; i < it->num_nodes; i++) {
            const struct rt_node *n = &it->nodes[i];
            if (!n->scratch_bytes || (int32_t)i < first[t] || (int32_t)i > last[t])
                continue;
            const uint8_t *sp = n->scratch;
            cr_assert(!(sp < a->data + a->bytes && a->data < sp + n->scratch_bytes),
                      "%s: scratch of layer %u overlaps tensor %u", tm->name, i, t);
        }
    }
    for (uint32_t i = 0; i < it->num_nodes; i++)
        sum += it->nodes[i].scratch_bytes;
    cr_assert_leq(it->activation_bytes, sum, "%s: plan %zu > sum of buffers %llu", tm->name, it->activation_bytes,
                  (unsigned long long)sum);
    cr_assert_geq(it->activation_bytes, tm->peak_live, "%s: plan %zu below the README lower bound %u", tm->name,
                  it->activation_bytes, tm->peak_live);
    printf("PLAN %s activations=%zu peak_live=%u (x%.3f) persistent=%zu arena_needed=%zu\n", tm->name,
           it->activation_bytes, tm->peak_live, (double)it->activation_bytes / tm->peak_live, it->persistent_bytes,
           it->arena_needed);
    if (!strcmp(tm->name, "person_detect"))
        cr_assert_leq(it->arena_needed, 84u * 1024, "person_detect needs %zu bytes, more than TFLite Micro's ~84 KB",
                      it->arena_needed);
    free(first);
    free(last);
    free(bytes);
    rt_test_session_free(&s);
}

Test(planner, shared_models_plans_are_sound)
{
    for (size_t i = 0; i < rt_test_model_count; i++)
        check_model_plan(&rt_test_models[i]);
}

Test(planner, reshape_aliases_its_input)
{
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found");
    size_t size;
    uint8_t *bytes = rt_test_read_file(rt_test_model_path("micro_speech"), &size);
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, 1u << 20);
    cr_assert_eq(s.status, RT_OK, "%s", s.err.msg);
    const struct rt_node *reshape = &s.interp.nodes[0];
    cr_assert_eq(reshape->op, TFLITE_OP_RESHAPE);
    cr_assert_eq(s.interp.tensors[reshape->inputs[0]].data, s.interp.tensors[reshape->outputs[0]].data);
    free(bytes);
    rt_test_session_free(&s);
}
