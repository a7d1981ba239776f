/*
 * cores.h — the description of each simulated core variant, one row per
 * variant in cores.def: what board files name it, its architecture and
 * options, how Unicorn and Capstone are set up for it, what its CPUID
 * reads, its cycle-model table and how firmware is compiled for it.
 * Everything in mcusim that depends on the core reads its row; nothing
 * switches on a core's identity.
 */
#ifndef MCUSIM_CORES_H
#define MCUSIM_CORES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum core_arch {
    CORE_ARCH_V6M,    /* ARMv6-M: no BASEPRI/FAULTMASK, DWT/ITM, configurable faults */
    CORE_ARCH_V7EM,   /* ARMv7E-M */
};

struct timing_core;

struct core_desc {
    const char *name;          /* as in board files: "cortex-m4f" */
    const char *cpu;           /* without options: "cortex-m4" (GCC -mcpu, reports) */
    enum core_arch arch;
    bool fpu;                  /* single-precision FPv4/FPv5 */
    bool dsp;                  /* ARMv7E-M DSP extension */
    int unicorn_model;         /* UC_CPU_ARM_* */
    int capstone_mode;         /* cs_mode */
    uint32_t cpuid;            /* SCB CPUID */
    const struct timing_core *timing;
    const char *gcc_flags;     /* beyond -mthumb -mcpu=<cpu> */
};

/* The row of the variant a board file names, or NULL. */
const struct core_desc *core_find(const char *name);

/* The known variants' names, ", "-separated, for error messages. */
const char *core_known_names(void);

/* The core without its options ("cortex-m4" for a cortex-m4f). */
const char *core_name(const struct core_desc *core);

#endif /* MCUSIM_CORES_H */
