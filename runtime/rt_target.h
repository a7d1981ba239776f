/*
 * rt_target.h — the core a memory plan is made for.
 *
 * Some kernels need more or less scratch depending on the instructions the
 * core has (the opt family's DSP tables and 2x16-bit paths).  The firmware
 * plans for the core it runs on (RT_TARGET_NATIVE); the host build of the
 * runtime can plan for any core (rt_interp_plan), so that mcusim knows the
 * arena a firmware image will ask for, to the byte, without simulating it.
 * Kernels read the target in scratch_size and nowhere else; what they
 * execute follows the compiler's own macros (kernels/opt/rt_simd.h takes
 * them from here).
 */
#ifndef RT_TARGET_H
#define RT_TARGET_H

#include <stdbool.h>

struct rt_target {
    bool dsp;   /* the DSP extension (ARMv7E-M: Cortex-M4, M7) */
    bool simd;  /* the opt kernels' 2x16-bit paths: with the DSP extension, or in portable C on a host */
};

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define RT_NATIVE_DSP 1
#else
#define RT_NATIVE_DSP 0
#endif

/* A Cortex-M core without DSP (the M0+) takes plain C paths; a host runs
 * the 2x16-bit paths in portable C (tests compare them with the DSP
 * versions), unless RT_OPT_SCALAR asks for the plain ones. */
#if defined(RT_OPT_SCALAR)
#define RT_NATIVE_SIMD 0
#elif RT_NATIVE_DSP || !(defined(__arm__) || defined(__thumb__))
#define RT_NATIVE_SIMD 1
#else
#define RT_NATIVE_SIMD 0
#endif

#define RT_TARGET_NATIVE ((struct rt_target){.dsp = RT_NATIVE_DSP, .simd = RT_NATIVE_SIMD})

/* A Cortex-M core with or without the DSP extension. */
static inline struct rt_target rt_target_cortex_m(bool dsp)
{
    return (struct rt_target){.dsp = dsp, .simd = dsp};
}

#endif
