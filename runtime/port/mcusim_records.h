/*
 * mcusim_records.h — the records firmware hands to the profiler: struct
 * mcusim_region (layer / inference markers) and struct mcusim_info.
 *
 * Split out of mcusim.h (which includes it) so that code also compiled for
 * the host — the runtime core, its tests, `mcusim model info` — can fill
 * these structs without mcusim.h's inline assembly and register accesses.
 * The layout is the contract with profiler/: on the 32-bit target every
 * field is 4 bytes (see mcusim.h for the marker protocol).  On a 64-bit
 * host the pointers are wider; host code never sends these to the sim.
 */
#ifndef MCUSIM_RECORDS_H
#define MCUSIM_RECORDS_H

#include <stdint.h>

#define MCUSIM_REGION_MAGIC 0x3152534Du /* "MSR1" */
#define MCUSIM_INFO_MAGIC 0x3149534Du   /* "MSI1" */

enum mcusim_region_kind {
    MCUSIM_REGION_USER = 0,      /* a named region of user code */
    MCUSIM_REGION_INFERENCE = 1, /* one whole inference */
    MCUSIM_REGION_LAYER = 2,     /* one operator of the model */
};

/* A region the profiler attributes cycles to.  For layers every field is
 * filled; for user regions only magic, kind and name matter. */
struct mcusim_region {
    uint32_t magic;        /* MCUSIM_REGION_MAGIC */
    uint32_t kind;         /* enum mcusim_region_kind */
    const char *name;      /* op name ("CONV_2D") or user label */
    uint32_t index;        /* operator index in the subgraph */
    uint32_t op;           /* TFLite BuiltinOperator code */
    uint32_t macs_lo;      /* multiply-accumulates, low 32 bits */
    uint32_t macs_hi;      /* multiply-accumulates, high 32 bits */
    uint32_t out_dims;     /* number of valid entries in out_shape */
    int32_t out_shape[4];  /* output tensor shape */
    uint32_t arena_bytes;  /* arena bytes live during the layer, scratch included */
    const char *kernel;    /* kernel implementation, e.g. "conv_s8_ref" */
};

enum mcusim_info_kind {
    MCUSIM_INFO_ARENA = 1, /* a = arena base address, b = bytes planned, c = capacity */
    MCUSIM_INFO_MODEL = 2, /* a = model address, b = model bytes, c = operator count */
    MCUSIM_INFO_STACK = 3, /* a = stack lowest address, b = stack top, c = 0 */
};

struct mcusim_info {
    uint32_t magic; /* MCUSIM_INFO_MAGIC */
    uint32_t kind;  /* enum mcusim_info_kind */
    uint32_t a, b, c;
};

#endif /* MCUSIM_RECORDS_H */
