/*
 * collector.c — see collector.h.
 *
 * Hot path: on_block runs once per executed basic block and does a counter
 * increment, two additions into the current call-tree node and one
 * compare for returns.  Everything else (instruction mix, memory accesses
 * per region, RAM scans) is computed at markers from per-block counts,
 * which is exact: a region's mix is the difference of two snapshots, and
 * the block that holds a marker is split at the marking instruction.
 *
 * Calling contexts: a call tree whose roots are the regions (the layer or
 * user region running), so folded stacks read "[#3 CONV_2D];main;...".
 * Frames are pushed on BL/BLX and exception entry and popped when
 * execution reaches the frame's return address or the exception returns.
 * A block that runs in a function other than its context's (tail calls)
 * moves the context to that function.
 */
#include "collector.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "energy.h"
#include "functions.h"
#include "mcusim_records.h"
#include "memwatch.h"

#define ACCESS_KINDS 7

/* The run record keeps the mix in the simulator's class order. */
_Static_assert(PROF_CLASS_COUNT == CLASS_COUNT, "run_record.h and sim.h disagree on the instruction classes");
#define MAX_OPEN_REGIONS 16

struct pblock {
    struct sim_block *b;
    uint64_t count;             /* completed executions */
    int fn;                     /* function index, -1 unknown */
    uint8_t *access;            /* per instruction: enum access_region */
    uint16_t n_access[ACCESS_KINDS];   /* per execution, current classification */
    uint64_t folded[ACCESS_KINDS];     /* accesses of executions before `folded_at` */
    uint64_t folded_at;
    uint32_t epoch;             /* region epoch of the classification */
    uint8_t has_dynamic_access; /* accesses through registers: re-sample per region */
    uint32_t call_next;         /* cache: last call target from this block */
    int call_fn;
    bool call_is_jump;          /* BL within its own function */
    double event_uj;            /* per execution: energy of its flash reads, MACs, FPU ops */
};

struct cct_node {
    int fn;                     /* function, -1 unknown; roots: -2 */
    int parent;
    int first_child, next_sibling;
    int label;                  /* roots: index into labels, else -1 */
    uint64_t self_cycles, self_insns;
};

enum frame_kind { FRAME_CALL, FRAME_EXCEPTION };

struct frame {
    uint8_t kind;
    int fn;
    int node;
    uint32_t ret;               /* return address (calls) */
    uint64_t start_cycles, start_insns;
    double start_event_uj;
};

struct snapshot {
    uint64_t cycles, insns;
    uint64_t classes[CLASS_COUNT];
    uint64_t access[ACCESS_KINDS];
};

struct open_region {
    uint32_t addr;              /* the marker struct's address */
    int layer;                  /* index into layers */
    int root;                   /* call-tree root of the region */
    uint32_t min_low;           /* lowest stack address seen while open */
    struct snapshot start;
};

/* A marker inside a block: the block's cycles before it belong to the
 * context that was current then. */
struct split {
    int node;
    uint64_t cycles;            /* cycles of the block before the marker */
    uint32_t insns;
};

#define MAX_SPLITS 8

struct trace_call {
    int fn;
    int depth;
    uint64_t start, cycles;
};

struct collector {
    struct collector_options opt;
    struct sim *sim;
    struct function_table fns;
    struct memwatch mw;
    bool mw_ok;

    struct pblock **blocks;
    int n_blocks, cap_blocks;
    uint32_t epoch;

    struct cct_node *nodes;
    int n_nodes, cap_nodes;
    int cur_node;
    int root;                   /* the current region's root */
    char **labels;
    int n_labels, cap_labels;

    struct frame *stack;
    int depth, cap_stack;
    int *fn_active;
    uint64_t *fn_total_cycles, *fn_total_insns, *fn_calls;
    double *fn_total_event_uj;
    double event_uj;            /* running sum of the blocks' event energy */

    struct open_region open[MAX_OPEN_REGIONS];
    int n_open;
    struct prof_layer *layers;
    int n_layers, cap_layers;

    uint32_t min_stack_low;
    uint32_t arena_planned, arena_capacity;
    bool have_arena_info;
    uint64_t inference_cycles, inference_insns;
    int inference_layer;

    struct split splits[MAX_SPLITS];
    int n_splits;

    struct trace_call *calls;
    int n_calls;
    bool calls_truncated;
    bool oom;
};

/* ---- growable arrays ---- */

static bool grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* ---- call tree ---- */

static int new_node(struct collector *c, int parent, int fn, int label)
{
    if (!grow((void **)&c->nodes, &c->cap_nodes, c->n_nodes + 1, sizeof *c->nodes)) {
        c->oom = true;
        return parent >= 0 ? parent : 0;
    }
    int id = c->n_nodes++;
    struct cct_node *n = &c->nodes[id];
    memset(n, 0, sizeof *n);
    n->fn = fn;
    n->parent = parent;
    n->first_child = -1;
    n->next_sibling = -1;
    n->label = label;
    if (parent >= 0) {
        n->next_sibling = c->nodes[parent].first_child;
        c->nodes[parent].first_child = id;
    }
    return id;
}

static int child(struct collector *c, int parent, int fn)
{
    for (int k = c->nodes[parent].first_child; k >= 0; k = c->nodes[k].next_sibling)
        if (c->nodes[k].fn == fn && c->nodes[k].label < 0)
            return k;
    return new_node(c, parent, fn, -1);
}

static int region_root(struct collector *c, const char *label)
{
    for (int k = c->nodes[0].first_child; k >= 0; k = c->nodes[k].next_sibling)
        if (c->nodes[k].label >= 0 && !strcmp(c->labels[c->nodes[k].label], label))
            return k;
    if (!grow((void **)&c->labels, &c->cap_labels, c->n_labels + 1, sizeof *c->labels)) {
        c->oom = true;
        return 0;
    }
    c->labels[c->n_labels] = strdup(label);
    if (!c->labels[c->n_labels]) {
        c->oom = true;
        return 0;
    }
    return new_node(c, 0, -2, c->n_labels++);
}

/* Rebuilds the nodes of every open frame under a new root (a region began
 * or ended): the same call path, now counted for the new region. */
static void reroot(struct collector *c, int root)
{
    c->root = root;
    int node = root;
    for (int i = 0; i < c->depth; i++) {
        node = child(c, node, c->stack[i].fn);
        c->stack[i].node = node;
    }
    c->cur_node = c->depth ? c->stack[c->depth - 1].node : root;
}

static void push_frame(struct collector *c, enum frame_kind kind, int fn, uint32_t ret)
{
    if (!grow((void **)&c->stack, &c->cap_stack, c->depth + 1, sizeof *c->stack)) {
        c->oom = true;
        return;
    }
    struct frame *f = &c->stack[c->depth++];
    f->kind = (uint8_t)kind;
    f->fn = fn;
    f->ret = ret;
    f->start_cycles = sim_cycles(c->sim);
    f->start_insns = sim_instructions(c->sim);
    f->start_event_uj = c->event_uj;
    f->node = child(c, c->cur_node, fn);
    c->cur_node = f->node;
    if (fn >= 0) {
        c->fn_active[fn]++;
        c->fn_calls[fn]++;
    }
}

static void pop_frame(struct collector *c)
{
    struct frame *f = &c->stack[--c->depth];
    uint64_t now = sim_cycles(c->sim);
    uint64_t dur = now - f->start_cycles;
    if (f->fn >= 0 && --c->fn_active[f->fn] == 0) {
        /* Recursion: only the outermost activation adds to the total. */
        c->fn_total_cycles[f->fn] += dur;
        c->fn_total_insns[f->fn] += sim_instructions(c->sim) - f->start_insns;
        c->fn_total_event_uj[f->fn] += c->event_uj - f->start_event_uj;
    }
    if (f->fn >= 0 && c->opt.trace_max_events > 0 && dur >= c->opt.trace_min_cycles) {
        if (c->n_calls < c->opt.trace_max_events) {
            struct trace_call *t = &c->calls[c->n_calls++];
            t->fn = f->fn;
            t->depth = c->depth;
            t->start = f->start_cycles;
            t->cycles = dur;
        } else {
            c->calls_truncated = true;
        }
    }
    c->cur_node = c->depth ? c->stack[c->depth - 1].node : c->root;
}

/* A return that skips frames (a tail return through shared code): pop
 * down to the frame it returns from, if one is near. */
static void unwind_to(struct collector *c, uint32_t next)
{
    for (int k = c->depth - 2; k >= 0 && k >= c->depth - 8; k--) {
        if (c->stack[k].ret == next && c->stack[k].kind == FRAME_CALL) {
            while (c->depth > k)
                pop_frame(c);
            return;
        }
    }
}

/* ---- blocks ---- */

static struct pblock *new_pblock(struct collector *c, struct sim_block *b)
{
    struct pblock *pb = calloc(1, sizeof *pb);
    if (!pb || !grow((void **)&c->blocks, &c->cap_blocks, c->n_blocks + 1, sizeof *c->blocks)) {
        free(pb);
        c->oom = true;
        return NULL;
    }
    pb->access = calloc(b->n_insns ? b->n_insns : 1, 1);
    if (!pb->access) {
        free(pb);
        c->oom = true;
        return NULL;
    }
    pb->b = b;
    pb->fn = function_table_find(&c->fns, b->addr);
    pb->call_fn = -1;
    pb->epoch = UINT32_MAX;
    c->blocks[c->n_blocks++] = pb;
    b->user = pb;
    return pb;
}

static void on_block_start(void *ctx, struct sim_block *b)
{
    struct collector *c = ctx;
    struct pblock *pb = b->user ? b->user : new_pblock(c, b);
    b->sample = 0;
    if (!pb)
        return;
    /* Accesses of earlier executions keep the classification they had. */
    for (int k = 0; k < ACCESS_KINDS; k++)
        pb->folded[k] += (pb->count - pb->folded_at) * pb->n_access[k];
    pb->folded_at = pb->count;
    if (sim_classify_accesses(c->sim, b, pb->access)) {
        c->oom = true;
        return;
    }
    memset(pb->n_access, 0, sizeof pb->n_access);
    pb->has_dynamic_access = 0;
    for (uint32_t i = 0; i < b->n_insns; i++) {
        pb->n_access[pb->access[i]]++;
        if (pb->access[i] != ACCESS_NONE)
            pb->has_dynamic_access = 1; /* re-sampled in every region */
    }
    pb->event_uj = energy_events_uj(sim_board(c->sim), pb->n_access[ACCESS_FLASH_LOAD], b->class_count[CLASS_MUL],
                                    b->class_count[CLASS_FPU]);
    pb->epoch = c->epoch;
}

static void on_block(void *ctx, struct sim_block *b, uint32_t cycles, uint32_t next)
{
    struct collector *c = ctx;
    struct pblock *pb = b->user;
    if (__builtin_expect(!pb, 0)) {
        pb = new_pblock(c, b);
        if (!pb)
            return;
    }
    pb->count++;
    c->event_uj += pb->event_uj;
    struct cct_node *n = &c->nodes[c->cur_node];
    if (__builtin_expect(pb->fn != n->fn && pb->fn >= 0, 0)) {
        /* The block belongs to another function than the context: a tail
         * call or a jump the call stack did not see.  Move the context. */
        if (c->depth) {
            struct frame *f = &c->stack[c->depth - 1];
            int parent = c->depth > 1 ? c->stack[c->depth - 2].node : c->root;
            f->node = child(c, parent, pb->fn);
            c->cur_node = f->node;
        } else {
            push_frame(c, FRAME_CALL, pb->fn, 0);
        }
        n = &c->nodes[c->cur_node];
    }
    if (__builtin_expect(c->n_splits > 0, 0)) {
        uint64_t done_c = 0;
        uint32_t done_i = 0;
        for (int i = 0; i < c->n_splits; i++) {
            struct cct_node *s = &c->nodes[c->splits[i].node];
            s->self_cycles += c->splits[i].cycles - done_c;
            s->self_insns += c->splits[i].insns - done_i;
            done_c = c->splits[i].cycles;
            done_i = c->splits[i].insns;
        }
        c->n_splits = 0;
        n = &c->nodes[c->cur_node];
        n->self_cycles += cycles - done_c;
        n->self_insns += b->n_insns - done_i;
    } else {
        n->self_cycles += cycles;
        n->self_insns += b->n_insns;
    }
    uint32_t fallthrough = b->addr + b->size;
    if (b->end == END_CALL) {
        if (pb->call_next != next) {
            pb->call_next = next;
            pb->call_fn = function_table_find(&c->fns, next);
            /* A BL into the middle of its own function is a jump that keeps
             * a link (libgcc's shared tails), not a call. */
            pb->call_is_jump = pb->call_fn == pb->fn && pb->fn >= 0 && next != c->fns.fn[pb->fn].lo;
        }
        if (!pb->call_is_jump)
            push_frame(c, FRAME_CALL, pb->call_fn, fallthrough);
    } else if (c->depth && next == c->stack[c->depth - 1].ret) {
        pop_frame(c);
    } else if (b->end == END_RETURN && c->depth > 1) {
        unwind_to(c, next);
    }
}

static void on_exception(void *ctx, int number, uint64_t cycles)
{
    struct collector *c = ctx;
    (void)cycles;
    if (number > 0) {
        const struct board *b = sim_board(c->sim);
        const uint8_t *v = sim_mem(c->sim, b->vtor + 4u * (uint32_t)number, 4);
        uint32_t handler = v ? (v[0] | v[1] << 8 | v[2] << 16 | (uint32_t)v[3] << 24) & ~1u : 0;
        push_frame(c, FRAME_EXCEPTION, function_table_find(&c->fns, handler), 0);
    } else {
        while (c->depth) {
            bool exc = c->stack[c->depth - 1].kind == FRAME_EXCEPTION;
            pop_frame(c);
            if (exc)
                break;
        }
    }
}

/* ---- markers ---- */

static void take_snapshot(struct collector *c, const struct sim_block *cur, uint32_t index, uint64_t cycles,
                          uint64_t insns, struct snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->cycles = cycles;
    s->insns = insns;
    for (int i = 0; i < c->n_blocks; i++) {
        const struct pblock *pb = c->blocks[i];
        const struct sim_block *b = pb->b;
        if (!pb->count)
            continue;
        for (int k = 0; k < CLASS_COUNT; k++)
            s->classes[k] += pb->count * b->class_count[k];
        for (int k = 0; k < ACCESS_KINDS; k++)
            s->access[k] += pb->folded[k] + (pb->count - pb->folded_at) * pb->n_access[k];
    }
    /* The marking block has run up to (not including) instruction index. */
    if (cur) {
        const struct pblock *pb = cur->user;
        for (uint32_t i = 0; i < index && i < cur->n_insns; i++) {
            s->classes[cur->insn_class[i]]++;
            if (pb)
                s->access[pb->access[i]]++;
        }
    }
}

static uint32_t read_u32(struct sim *s, uint32_t addr, bool *ok)
{
    const uint8_t *p = sim_mem(s, addr, 4);
    if (!p) {
        *ok = false;
        return 0;
    }
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Stack scan at a marker: every open region sees the deepest point. */
static void scan_stack(struct collector *c)
{
    if (!c->mw_ok)
        return;
    uint32_t low = memwatch_stack_low(&c->mw, c->sim);
    uint32_t sp = sim_reg(c->sim, 13);
    if (sp < low)
        low = sp;
    for (int i = 0; i < c->n_open; i++)
        if (low < c->open[i].min_low)
            c->open[i].min_low = low;
    if (low < c->min_stack_low)
        c->min_stack_low = low;
    /* Free stack below the current SP is repainted so that the next region
     * measures its own depth. */
    memwatch_repaint_stack(&c->mw, c->sim, sp);
}

static void region_begin(struct collector *c, uint32_t addr, uint64_t cycles, uint64_t insns,
                         const struct sim_block *cur, uint32_t index)
{
    struct sim *s = c->sim;
    bool ok = true;
    struct mcusim_region r;
    uint32_t w[15];
    for (int i = 0; i < 15; i++)
        w[i] = read_u32(s, addr + 4u * (uint32_t)i, &ok);
    if (!ok || w[0] != MCUSIM_REGION_MAGIC || c->n_open == MAX_OPEN_REGIONS)
        return; /* not a region record: ignore, as a trace tool would */
    r.kind = w[1];
    if (!grow((void **)&c->layers, &c->cap_layers, c->n_layers + 1, sizeof *c->layers)) {
        c->oom = true;
        return;
    }
    scan_stack(c);
    struct prof_layer *L = &c->layers[c->n_layers];
    memset(L, 0, sizeof *L);
    L->kind = (int)r.kind;
    L->depth = c->n_open;
    sim_read_string(s, w[2], L->name, sizeof L->name);
    L->index = r.kind == MCUSIM_REGION_LAYER ? (int)w[3] : -1;
    L->op = w[4];
    L->macs = w[5] | (uint64_t)w[6] << 32;
    L->dims = w[7] > 4 ? 4 : (int)w[7];
    for (int i = 0; i < L->dims; i++)
        L->shape[i] = (int32_t)w[8 + i];
    L->arena_planned = w[12];
    if (w[13])
        sim_read_string(s, w[13], L->kernel, sizeof L->kernel);
    L->start_cycle = cycles;

    struct open_region *o = &c->open[c->n_open++];
    o->addr = addr;
    o->layer = c->n_layers++;
    o->min_low = sim_reg(s, 13);
    take_snapshot(c, cur, index, cycles, insns, &o->start);

    char label[96];
    if (L->index >= 0)
        snprintf(label, sizeof label, "[#%d:%s]", L->index, L->name);
    else
        snprintf(label, sizeof label, "[%s]", L->name);
    o->root = region_root(c, label);
    reroot(c, o->root);

    /* Memory accesses through registers are re-sampled in each region. */
    c->epoch++;
    for (int i = 0; i < c->n_blocks; i++)
        if (c->blocks[i]->has_dynamic_access)
            c->blocks[i]->b->sample = 1;
}

static void region_end(struct collector *c, uint32_t addr, uint64_t cycles, uint64_t insns,
                       const struct sim_block *cur, uint32_t index)
{
    int k = c->n_open - 1;
    while (k >= 0 && c->open[k].addr != addr)
        k--;
    if (k < 0)
        return; /* an end without a begin: ignore */
    scan_stack(c);
    struct snapshot end;
    take_snapshot(c, cur, index, cycles, insns, &end);
    /* Regions left open inside this one end with it. */
    for (int j = c->n_open - 1; j >= k; j--) {
        struct open_region *o = &c->open[j];
        struct prof_layer *L = &c->layers[o->layer];
        L->cycles = end.cycles - o->start.cycles;
        L->instructions = end.insns - o->start.insns;
        for (int i = 0; i < CLASS_COUNT; i++)
            L->classes[i] = end.classes[i] - o->start.classes[i];
        uint64_t a[ACCESS_KINDS];
        for (int i = 0; i < ACCESS_KINDS; i++)
            a[i] = end.access[i] - o->start.access[i];
        L->flash_loads = a[ACCESS_FLASH_LOAD];
        L->ram_loads = a[ACCESS_RAM_LOAD];
        L->other_loads = a[ACCESS_OTHER_LOAD];
        L->flash_stores = a[ACCESS_FLASH_STORE];
        L->ram_stores = a[ACCESS_RAM_STORE];
        L->other_stores = a[ACCESS_OTHER_STORE];
        L->stack_peak = c->mw_ok ? c->mw.stack_hi - o->min_low : 0;
        L->arena_used = c->mw_ok ? memwatch_arena_used(&c->mw, c->sim) : 0;
        if (L->kind == MCUSIM_REGION_INFERENCE && !c->inference_cycles) {
            c->inference_cycles = L->cycles;
            c->inference_insns = L->instructions;
            c->inference_layer = o->layer;
        }
    }
    c->n_open = k;
    reroot(c, c->n_open ? c->open[c->n_open - 1].root : 0);
}

static void on_itm(void *ctx, unsigned port, uint32_t value, uint64_t cycles, uint64_t insns,
                   const struct sim_block *cur, uint32_t index)
{
    struct collector *c = ctx;
    if ((port == 1 || port == 2) && cur && c->n_splits < MAX_SPLITS) {
        struct split *sp = &c->splits[c->n_splits++];
        sp->node = c->cur_node;
        sp->cycles = cycles - sim_cycles(c->sim);
        sp->insns = index;
    }
    if (port == 1) {
        region_begin(c, value, cycles, insns, cur, index);
    } else if (port == 2) {
        region_end(c, value, cycles, insns, cur, index);
    } else if (port == 3) {
        bool ok = true;
        uint32_t magic = read_u32(c->sim, value, &ok);
        uint32_t kind = read_u32(c->sim, value + 4, &ok);
        if (!ok || magic != MCUSIM_INFO_MAGIC)
            return;
        if (kind == MCUSIM_INFO_ARENA) {
            c->arena_planned = read_u32(c->sim, value + 12, &ok);
            c->arena_capacity = read_u32(c->sim, value + 16, &ok);
            c->have_arena_info = ok;
        }
    }
}

/* ---- where the run is ---- */

void collector_describe(const struct collector *c, uint64_t cycles, uint64_t instructions, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    if (!c->n_open)
        n += (size_t)snprintf(out, len, "no region is open (before or after the inference)\n");
    for (int i = c->n_open - 1; i >= 0 && n < len; i--) {
        const struct open_region *o = &c->open[i];
        const struct prof_layer *L = &c->layers[o->layer];
        const char *what = L->kind == MCUSIM_REGION_LAYER ? "layer" : "region";
        if (L->index >= 0)
            n += (size_t)snprintf(out + n, len - n, "%s #%d %s", what, L->index, L->name);
        else
            n += (size_t)snprintf(out + n, len - n, "%s %s", what, L->name);
        if (n < len && L->kernel[0])
            n += (size_t)snprintf(out + n, len - n, " (kernel %s)", L->kernel);
        if (n < len && L->macs)
            n += (size_t)snprintf(out + n, len - n, ", %llu MACs", (unsigned long long)L->macs);
        if (n < len)
            n += (size_t)snprintf(out + n, len - n, ": %llu cycles, %llu instructions so far\n",
                                  (unsigned long long)(cycles - o->start.cycles),
                                  (unsigned long long)(instructions - o->start.insns));
    }
    if (n < len && c->depth) {
        int fn = c->stack[c->depth - 1].fn;
        if (fn >= 0 && fn < c->fns.n)
            snprintf(out + n, len - n, "function: %s\n", c->fns.fn[fn].name);
    }
}

/* ---- life cycle ---- */

struct collector *collector_create(const struct collector_options *opt)
{
    struct collector *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (opt)
        c->opt = *opt;
    c->inference_layer = -1;
    c->min_stack_low = UINT32_MAX;
    if (c->opt.trace_max_events > 0) {
        c->calls = calloc((size_t)c->opt.trace_max_events, sizeof *c->calls);
        if (!c->calls) {
            free(c);
            return NULL;
        }
    }
    return c;
}

void collector_destroy(struct collector *c)
{
    if (!c)
        return;
    /* The simulator's blocks may be gone already: only our data is freed. */
    for (int i = 0; i < c->n_blocks; i++) {
        free(c->blocks[i]->access);
        free(c->blocks[i]);
    }
    free(c->blocks);
    free(c->nodes);
    for (int i = 0; i < c->n_labels; i++)
        free(c->labels[i]);
    free(c->labels);
    free(c->stack);
    free(c->fn_active);
    free(c->fn_total_cycles);
    free(c->fn_total_insns);
    free(c->fn_calls);
    free(c->fn_total_event_uj);
    free(c->layers);
    free(c->calls);
    function_table_free(&c->fns);
    free(c);
}

int collector_attach(struct collector *c, struct sim *s, const char *elf_path, struct sim_observer *obs,
                     char *err, size_t errlen)
{
    c->sim = s;
    if (function_table_build(&c->fns, sim_image(s), elf_path)) {
        snprintf(err, errlen, "out of memory reading symbols");
        return -1;
    }
    size_t n = c->fns.n ? (size_t)c->fns.n : 1;
    c->fn_active = calloc(n, sizeof *c->fn_active);
    c->fn_total_cycles = calloc(n, sizeof *c->fn_total_cycles);
    c->fn_total_insns = calloc(n, sizeof *c->fn_total_insns);
    c->fn_calls = calloc(n, sizeof *c->fn_calls);
    c->fn_total_event_uj = calloc(n, sizeof *c->fn_total_event_uj);
    if (!c->fn_active || !c->fn_total_cycles || !c->fn_total_insns || !c->fn_calls || !c->fn_total_event_uj) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->root = new_node(c, -1, -2, -1); /* node 0: the root */
    c->cur_node = c->root;
    c->mw_ok = memwatch_init(&c->mw, s) == 0;
    memset(obs, 0, sizeof *obs);
    obs->ctx = c;
    obs->block = on_block;
    obs->block_start = on_block_start;
    obs->itm = on_itm;
    obs->exception = on_exception;
    return 0;
}

static void fill_energy(const struct board *b, struct prof_layer *L)
{
    struct energy_counts e = {.active_cycles = L->cycles, .flash_loads = L->flash_loads};
    memcpy(e.classes, L->classes, sizeof e.classes);
    L->energy_uj = energy_uj(b, &e);
}

int collector_finish(struct collector *c, const struct sim_result *res, struct prof_run *run)
{
    const struct board *b = sim_board(c->sim);
    /* Regions still open when the run ended (a fault, a limit) end here. */
    while (c->n_open)
        region_end(c, c->open[c->n_open - 1].addr, res->cycles, res->instructions, NULL, 0);
    /* Frames still open: main() never returns on bare metal. */
    while (c->depth)
        pop_frame(c);

    run->instructions = res->instructions;
    run->cycles = res->cycles;
    run->sim_time_s = res->sim_time_s;
    struct snapshot all;
    take_snapshot(c, NULL, 0, res->cycles, res->instructions, &all);
    struct energy_counts e = {.active_cycles = res->cycles - res->sleep_cycles,
                              .sleep_cycles = res->sleep_cycles,
                              .flash_loads = all.access[ACCESS_FLASH_LOAD]};
    memcpy(e.classes, all.classes, sizeof e.classes);
    run->energy_uj = energy_uj(b, &e);

    run->layers = calloc(c->n_layers ? (size_t)c->n_layers : 1, sizeof *run->layers);
    if (!run->layers)
        return -1;
    const struct elf_image *img = sim_image(c->sim);
    run->ram_static = img->sizes.data + img->sizes.bss;
    for (int i = 0; i < c->n_layers; i++) {
        struct prof_layer *L = &c->layers[i];
        fill_energy(b, L);
        L->ram_peak = run->ram_static + L->arena_used + L->stack_peak;
        run->layers[i] = *L;
    }
    run->n_layers = c->n_layers;
    if (c->inference_layer >= 0) {
        run->inference_cycles = c->inference_cycles;
        run->inference_instructions = c->inference_insns;
        run->inference_energy_uj = c->layers[c->inference_layer].energy_uj;
    }

    run->ram_arena_planned = c->arena_planned;
    run->ram_arena_capacity = c->have_arena_info ? c->arena_capacity
                                                 : (c->mw_ok ? c->mw.arena_hi - c->mw.arena_lo : 0);
    run->ram_arena_used = c->mw_ok ? memwatch_arena_used(&c->mw, c->sim) : 0;
    if (c->mw_ok) {
        uint32_t low = memwatch_stack_low(&c->mw, c->sim);
        if (low < c->min_stack_low)
            c->min_stack_low = low;
        run->ram_stack_peak = c->min_stack_low < c->mw.stack_hi ? c->mw.stack_hi - c->min_stack_low : 0;
        run->ram_stack_capacity = c->mw.stack_hi - c->mw.stack_lo;
    }
    run->ram_peak = run->ram_static + run->ram_arena_used + run->ram_stack_peak;
    run->ram_capacity = board_main_region(b, REGION_RAM)->size;

    /* Functions: self from the call tree, totals from the frames. */
    int nf = c->fns.n;
    uint64_t *self_c = calloc(nf ? (size_t)nf : 1, sizeof *self_c);
    uint64_t *self_i = calloc(nf ? (size_t)nf : 1, sizeof *self_i);
    double *self_event_uj = calloc(nf ? (size_t)nf : 1, sizeof *self_event_uj);
    if (!self_c || !self_i || !self_event_uj) {
        free(self_c);
        free(self_i);
        free(self_event_uj);
        return -1;
    }
    /* A function's own flash reads, MACs and FPU operations are those of
     * the blocks inside it, counted exactly like a layer's. */
    for (int i = 0; i < c->n_blocks; i++) {
        const struct pblock *pb = c->blocks[i];
        if (pb->fn < 0 || !pb->count)
            continue;
        uint64_t flash = pb->folded[ACCESS_FLASH_LOAD] + (pb->count - pb->folded_at) * pb->n_access[ACCESS_FLASH_LOAD];
        self_event_uj[pb->fn] += energy_events_uj(b, flash, pb->count * pb->b->class_count[CLASS_MUL],
                                                  pb->count * pb->b->class_count[CLASS_FPU]);
    }
    for (int i = 0; i < c->n_nodes; i++) {
        if (c->nodes[i].fn >= 0) {
            self_c[c->nodes[i].fn] += c->nodes[i].self_cycles;
            self_i[c->nodes[i].fn] += c->nodes[i].self_insns;
        }
    }
    run->functions = calloc(nf ? (size_t)nf : 1, sizeof *run->functions);
    if (!run->functions) {
        free(self_c);
        free(self_i);
        free(self_event_uj);
        return -1;
    }
    for (int i = 0; i < nf; i++) {
        if (!self_c[i] && !c->fn_total_cycles[i] && !c->fn_calls[i])
            continue;
        struct prof_function *f = &run->functions[run->n_functions++];
        snprintf(f->name, sizeof f->name, "%s", c->fns.fn[i].name);
        snprintf(f->file, sizeof f->file, "%s", c->fns.fn[i].file);
        f->line = c->fns.fn[i].line;
        f->addr = c->fns.fn[i].lo;
        f->self_cycles = self_c[i];
        f->self_instructions = self_i[i];
        f->total_cycles = c->fn_total_cycles[i] > self_c[i] ? c->fn_total_cycles[i] : self_c[i];
        f->total_instructions = c->fn_total_insns[i] > self_i[i] ? c->fn_total_insns[i] : self_i[i];
        f->calls = c->fn_calls[i];
        f->self_energy_uj = energy_time_uj(b, f->self_cycles, 0) + self_event_uj[i];
        f->total_energy_uj = energy_time_uj(b, f->total_cycles, 0) + c->fn_total_event_uj[i];
        if (f->total_energy_uj < f->self_energy_uj)
            f->total_energy_uj = f->self_energy_uj;
    }
    free(self_c);
    free(self_i);
    free(self_event_uj);
    return c->oom ? -1 : 0;
}

/* ---- traces ---- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

int collector_write_trace(const struct collector *c, const struct prof_run *run, FILE *f)
{
    double us_per_cycle = 1e6 / (run->clock_hz ? run->clock_hz : 1);
    fprintf(f, "{\"displayTimeUnit\": \"ns\",\n \"otherData\": {\"board\": ");
    json_string(f, run->board);
    fprintf(f, ", \"clock_hz\": %u, \"time\": \"simulated\"},\n \"traceEvents\": [\n", run->clock_hz);
    fprintf(f, "  {\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1, \"args\": {\"name\": ");
    json_string(f, run->firmware);
    fprintf(f, "}},\n  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 1, "
               "\"args\": {\"name\": \"layers\"}},\n"
               "  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 2, "
               "\"args\": {\"name\": \"functions\"}}");
    for (int i = 0; i < run->n_layers; i++) {
        const struct prof_layer *L = &run->layers[i];
        char name[96];
        if (L->index >= 0)
            snprintf(name, sizeof name, "#%d %s", L->index, L->name);
        else
            snprintf(name, sizeof name, "%s", L->name);
        fprintf(f, ",\n  {\"name\": ");
        json_string(f, name);
        fprintf(f, ", \"cat\": \"%s\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, \"ts\": %.6f, \"dur\": %.6f, "
                   "\"args\": {\"cycles\": %" PRIu64 ", \"instructions\": %" PRIu64 ", \"macs\": %" PRIu64
                   ", \"kernel\": ",
                L->kind == MCUSIM_REGION_LAYER ? "layer" : "region", L->start_cycle * us_per_cycle,
                L->cycles * us_per_cycle, L->cycles, L->instructions, L->macs);
        json_string(f, L->kernel);
        fprintf(f, "}}");
    }
    for (int i = 0; c && i < c->n_calls; i++) {
        const struct trace_call *t = &c->calls[i];
        fprintf(f, ",\n  {\"name\": ");
        json_string(f, c->fns.fn[t->fn].name);
        fprintf(f, ", \"cat\": \"function\", \"ph\": \"X\", \"pid\": 1, \"tid\": 2, \"ts\": %.6f, "
                   "\"dur\": %.6f, \"args\": {\"cycles\": %" PRIu64 "}}",
                t->start * us_per_cycle, t->cycles * us_per_cycle, t->cycles);
    }
    fprintf(f, "\n ]\n}\n");
    return ferror(f) ? -1 : 0;
}

static void folded_path(const struct collector *c, int node, FILE *f)
{
    if (node <= 0)
        return;
    folded_path(c, c->nodes[node].parent, f);
    if (c->nodes[node].parent > 0)
        fputc(';', f);
    const struct cct_node *n = &c->nodes[node];
    if (n->label >= 0)
        fputs(c->labels[n->label], f);
    else if (n->fn >= 0)
        fputs(c->fns.fn[n->fn].name, f);
    else
        fputs("[unknown]", f);
}

int collector_write_folded(const struct collector *c, FILE *f)
{
    for (int i = 1; i < c->n_nodes; i++) {
        if (!c->nodes[i].self_cycles)
            continue;
        folded_path(c, i, f);
        fprintf(f, " %" PRIu64 "\n", c->nodes[i].self_cycles);
    }
    return ferror(f) ? -1 : 0;
}
