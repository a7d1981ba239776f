/*
 * cores.c — the table of core variants, expanded from cores.def.
 */
#include "cores.h"

#include <capstone/capstone.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "timing_internal.h"

/* The timing tables the rows name (sim/timing_<core>.c). */
#define CORE(name, cpu, arch, fpu, dsp, unicorn, capstone, cpuid, timing, gcc) \
    extern const struct timing_core timing;
#include "cores.def"
#undef CORE

static const struct core_desc cores[] = {
#define CORE(name, cpu, arch, fpu, dsp, unicorn, capstone, cpuid, timing, gcc) \
    {name, cpu, arch, fpu, dsp, unicorn, capstone, cpuid, &timing, gcc},
#include "cores.def"
#undef CORE
};

/* ", cortex-m0plus, cortex-m4, ...": a constant, read from its third byte. */
static const char known_names[] =
#define CORE(name, cpu, arch, fpu, dsp, unicorn, capstone, cpuid, timing, gcc) ", " name
#include "cores.def"
#undef CORE
    ;

const struct core_desc *core_find(const char *name)
{
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (!strcmp(cores[i].name, name))
            return &cores[i];
    return NULL;
}

const char *core_known_names(void)
{
    return known_names + 2;
}

const char *core_name(const struct core_desc *core)
{
    return core ? core->cpu : "?";
}
