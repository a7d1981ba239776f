/*
 * rt_families.c — the kernel families linked into this program and the
 * per-op lookup with fallback to `ref`.
 *
 * `ref` is always linked.  An optimized family is linked by building its
 * kernels/<name>/ sources and defining RT_HAVE_OPT_KERNELS (meson does both
 * together), which adds it to the table below; it is then selectable at
 * run time by name.  No global mutable state: the table is const.
 */
#include <string.h>

#include "rt_kernel.h"

extern const struct rt_kernel_family rt_family_ref;
#ifdef RT_HAVE_OPT_KERNELS
extern const struct rt_kernel_family rt_family_opt;
#endif

static const struct rt_kernel_family *const families[] = {
    &rt_family_ref,
#ifdef RT_HAVE_OPT_KERNELS
    &rt_family_opt,
#endif
};

const struct rt_kernel_family *rt_family_at(size_t i)
{
    return i < sizeof families / sizeof families[0] ? families[i] : NULL;
}

const struct rt_kernel_family *rt_family_default(void)
{
    return &rt_family_ref;
}

const struct rt_kernel_family *rt_family_find(const char *name)
{
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (name && strcmp(families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

static const struct rt_kernel *find_in(const struct rt_kernel_family *family, int32_t op, uint8_t type)
{
    for (size_t i = 0; i < family->count; i++) {
        const struct rt_kernel *k = family->kernels[i];
        if (k->op == op && (k->type == type || k->type == RT_TYPE_ANY))
            return k;
    }
    return NULL;
}

const struct rt_kernel *rt_kernel_find(const struct rt_kernel_family *family, int32_t op, uint8_t type)
{
    const struct rt_kernel *k = family ? find_in(family, op, type) : NULL;
    return k ? k : find_in(&rt_family_ref, op, type);
}
