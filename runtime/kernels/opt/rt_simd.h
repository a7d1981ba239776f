/*
 * rt_simd.h — the few ARMv7E-M DSP instructions the `opt` kernels are built
 * from, as inline functions with one meaning on every target.
 *
 * On a core with the DSP extension (__ARM_FEATURE_DSP: Cortex-M4/M7/M33)
 * each maps to its ACLE intrinsic from <arm_acle.h>, or to one instruction
 * of inline assembly where GCC's ACLE lacks the form (SXTB16 with a ROR
 * operand: a separate ROR would cost a cycle in the innermost loops).
 * Elsewhere each is bit-exact portable C, so the very same kernel code runs
 * on the x86 host, where the tests compare it with `ref`.
 *
 * Which algorithm a kernel uses is a separate question (RT_OPT_SIMD):
 *  - 1 with the DSP extension, and on the host so that the tests exercise
 *    the DSP algorithms through the portable emulation;
 *  - 0 on Arm cores without the extension (Cortex-M0+), where emulating
 *    SMLAD would be slower than plain C: the kernels then take their scalar
 *    paths.  Defining RT_OPT_SCALAR forces 0 (the host tests build the
 *    kernels a second time that way, so both paths are checked).
 *
 * Wrapping arithmetic is done in uint32_t: it wraps exactly as the
 * instructions do, without C's signed-overflow undefined behaviour.
 */
#ifndef RT_SIMD_H
#define RT_SIMD_H

#include <stdint.h>
#include <string.h>

#include "rt_target.h"

/* What this build executes (rt_target.h decides, from the compiler). */
#define RT_SIMD_DSP RT_NATIVE_DSP
#define RT_OPT_SIMD RT_NATIVE_SIMD
#if RT_SIMD_DSP
#include <arm_acle.h>
#endif

/* ---- unaligned-safe loads and stores (one LDR/STR on ARMv7-M) ---- */

static inline uint32_t rt_read_u32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void rt_write_u32(void *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

/* ---- halfword helpers of the portable versions ---- */

static inline int32_t rt_lo16(uint32_t x)
{
    return (int16_t)(uint16_t)x;
}

static inline int32_t rt_hi16(uint32_t x)
{
    return (int16_t)(uint16_t)(x >> 16);
}

static inline uint32_t rt_pack16(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* ---- the instructions ---- */

/* SXTB16: bytes 0 and 2 of x sign-extended into the two halfwords. */
static inline uint32_t rt_sxtb16(uint32_t x)
{
#if RT_SIMD_DSP
    return __sxtb16(x);
#else
    return rt_pack16((int8_t)(uint8_t)x, (int8_t)(uint8_t)(x >> 16));
#endif
}

/* SXTB16 x, ROR #8: bytes 1 and 3 of x sign-extended into the halfwords. */
static inline uint32_t rt_sxtb16_ror8(uint32_t x)
{
#if RT_SIMD_DSP
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
#else
    return rt_pack16((int8_t)(uint8_t)(x >> 8), (int8_t)(uint8_t)(x >> 24));
#endif
}

/* SADD16: halfword-wise wrapping addition. */
static inline uint32_t rt_sadd16(uint32_t a, uint32_t b)
{
#if RT_SIMD_DSP
    return __sadd16(a, b);
#else
    return rt_pack16(rt_lo16(a) + rt_lo16(b), rt_hi16(a) + rt_hi16(b));
#endif
}

/* SMLAD: acc + a.lo * b.lo + a.hi * b.hi, wrapping. */
static inline int32_t rt_smlad(uint32_t a, uint32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    return __smlad(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(rt_lo16(a) * rt_lo16(b)) + (uint32_t)(rt_hi16(a) * rt_hi16(b)));
#endif
}

/* SMLABB / SMLATB / SMLABT / SMLATT: acc + (one halfword of a) * (one of b). */
static inline int32_t rt_smlabb(uint32_t a, uint32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    return __smlabb(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(rt_lo16(a) * rt_lo16(b)));
#endif
}

static inline int32_t rt_smlatb(uint32_t a, uint32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    return __smlatb(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(rt_hi16(a) * rt_lo16(b)));
#endif
}

static inline int32_t rt_smlabt(uint32_t a, uint32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    return __smlabt(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(rt_lo16(a) * rt_hi16(b)));
#endif
}

static inline int32_t rt_smlatt(uint32_t a, uint32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    return __smlatt(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(rt_hi16(a) * rt_hi16(b)));
#endif
}

/* PKHBT a, b, LSL #16: low half of a, low half of b in the high half.
 * PKHTB a, b, ASR #16: high half of a, high half of b in the low half.
 * (Plain C that GCC turns into the single instruction on ARMv7E-M.) */
static inline uint32_t rt_pkhbt16(uint32_t a, uint32_t b)
{
    return (a & 0xFFFFu) | (b << 16);
}

static inline uint32_t rt_pkhtb16(uint32_t a, uint32_t b)
{
    return (a & 0xFFFF0000u) | (b >> 16);
}

/* SSAT #8: x saturated to [-128, 127]. */
static inline int32_t rt_ssat8(int32_t x)
{
#if RT_SIMD_DSP
    return __ssat(x, 8);
#else
    return x < -128 ? -128 : (x > 127 ? 127 : x);
#endif
}

/* The high word of a 64-bit product: SMMUL (SMULL on cores without it). */
static inline int32_t rt_mul_hi(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a * b) >> 32);
}

/* SMMLA: acc + the high word of a * b, wrapping. */
static inline int32_t rt_smmla(int32_t a, int32_t b, int32_t acc)
{
#if RT_SIMD_DSP
    int32_t r;
    __asm__("smmla %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
#else
    return (int32_t)((uint32_t)acc + (uint32_t)rt_mul_hi(a, b));
#endif
}

#endif
