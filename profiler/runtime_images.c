/*
 * runtime_images.c — the table of runtime images (see runtime_images.h).
 */
#include "runtime_images.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MCUSIM_BUILD_ROOT
#define MCUSIM_BUILD_ROOT ""
#endif
#ifndef MCUSIM_INSTALLED_FIRMWARE_DIR
#define MCUSIM_INSTALLED_FIRMWARE_DIR "/usr/local/libexec/mcusim"
#endif

#define MCUSIM_HOW_TO_BUILD                                                                                        \
    "run 'ninja -C BUILD_DIR'; for a new board, put its file in boards/ and run 'meson setup --reconfigure "     \
    "BUILD_DIR' first"

/* runtime/firmware/meson.build builds runtime-<board>-<family>.elf for
 * every board file and both kernel families. */
static const struct runtime_image images[] = {
    {"mcusim", "ref", "runtime/firmware", "runtime", "ref", "rt_model_open", MCUSIM_HOW_TO_BUILD},
    {"mcusim", "opt", "runtime/firmware", "runtime", "opt", "rt_model_open", MCUSIM_HOW_TO_BUILD},
};

#define N_IMAGES (sizeof images / sizeof images[0])

const struct runtime_image *runtime_image_find(const char *runtime, const char *kernels)
{
    for (size_t i = 0; i < N_IMAGES; i++)
        if (!strcmp(images[i].runtime, runtime) && !strcmp(images[i].kernels, kernels))
            return &images[i];
    return NULL;
}

const struct runtime_image *runtime_image_at(size_t i)
{
    return i < N_IMAGES ? &images[i] : NULL;
}

const char *runtime_default_kernels(const char *runtime)
{
    for (size_t i = 0; i < N_IMAGES; i++)
        if (!strcmp(images[i].runtime, runtime))
            return images[i].kernels;
    return NULL;
}

bool runtime_known(const char *runtime)
{
    return runtime_default_kernels(runtime) != NULL;
}

/* Joins the runtime names (kernels false) or kernel family names of the
 * rows of runtime (NULL: every row), each once in table order, with sep
 * and, before the last, last_sep. */
static void join_names(bool kernels, const char *runtime, const char *sep, const char *last_sep, char *out,
                       size_t len)
{
    const char *names[N_IMAGES];
    size_t n = 0, used = 0;
    for (size_t i = 0; i < N_IMAGES; i++) {
        const char *name = kernels ? images[i].kernels : images[i].runtime;
        if (runtime && strcmp(images[i].runtime, runtime))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || !strcmp(names[k], name);
        if (!seen)
            names[n++] = name;
    }
    out[0] = '\0';
    for (size_t k = 0; k < n && used < len; k++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", k == 0 ? "" : k + 1 == n ? last_sep : sep,
                                 names[k]);
}

void runtime_kernels_text(const char *runtime, const char *sep, const char *last_sep, char *out, size_t len)
{
    join_names(true, runtime, sep, last_sep, out, len);
}

void runtime_names_text(const char *sep, const char *last_sep, char *out, size_t len)
{
    join_names(false, NULL, sep, last_sep, out, len);
}

bool runtime_has_kernels(const char *kernels)
{
    for (size_t i = 0; i < N_IMAGES; i++)
        if (!strcmp(images[i].kernels, kernels))
            return true;
    return false;
}

const struct runtime_image *runtime_image_resolve(const char *runtime, const char *kernels, char *err,
                                                  size_t errlen)
{
    if (!runtime || !*runtime)
        runtime = RUNTIME_DEFAULT;
    if (!runtime_known(runtime)) {
        char names[128];
        runtime_names_text(", ", " and ", names, sizeof names);
        snprintf(err, errlen,
                 "runtime '%s' is not built into this mcusim (it has %s; another runtime comes with its row in "
                 "profiler/runtime_images.c and its images in the build)",
                 runtime, names);
        return NULL;
    }
    if (!kernels || !*kernels)
        kernels = runtime_default_kernels(runtime);
    const struct runtime_image *ri = runtime_image_find(runtime, kernels);
    if (!ri) {
        char known[128];
        runtime_kernels_text(runtime, ", ", " or ", known, sizeof known);
        snprintf(err, errlen, "runtime '%s' has no kernel family '%s' (%s)", runtime, kernels, known);
    }
    return ri;
}

/* Whether dir holds an image of the row for any board. */
static bool has_any_image(const struct runtime_image *ri, const char *dir)
{
    char pattern[1200];
    snprintf(pattern, sizeof pattern, "%s/%s-*-%s.elf", dir, ri->file_prefix, ri->kernels);
    glob_t g;
    bool any = glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    return any;
}

int runtime_image_path_in(const struct runtime_image *ri, const char *board, const char *const *dirs, size_t n_dirs,
                          char *path, size_t len, char *err, size_t errlen)
{
    bool any = false;
    for (size_t i = 0; i < n_dirs; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        snprintf(path, len, "%s/%s-%s-%s.elf", dirs[i], ri->file_prefix, board, ri->kernels);
        struct stat sb;
        if (!stat(path, &sb))
            return 0;
        any = any || has_any_image(ri, dirs[i]);
    }
    if (!any)
        snprintf(err, errlen, "runtime '%s' with kernels '%s' is not built into this mcusim (%s; or set "
                              "MCUSIM_FIRMWARE to a directory holding its %s-<board>-%s.elf images)",
                 ri->runtime, ri->kernels, ri->how_to_build, ri->file_prefix, ri->kernels);
    else
        snprintf(err, errlen,
                 "no %s firmware for board '%s' with kernels '%s' (the build makes %s-<board>-%s.elf for every "
                 "board in boards/: %s; or set MCUSIM_FIRMWARE to a directory holding the image)",
                 ri->runtime, board, ri->kernels, ri->file_prefix, ri->kernels, ri->how_to_build);
    return -1;
}

int runtime_image_path(const struct runtime_image *ri, const char *board, char *path, size_t len, char *err,
                       size_t errlen)
{
    char build_dir[1024] = "";
    if (MCUSIM_BUILD_ROOT[0])
        snprintf(build_dir, sizeof build_dir, "%s/%s", MCUSIM_BUILD_ROOT, ri->build_dir);
    const char *dirs[] = {getenv("MCUSIM_FIRMWARE"), build_dir, MCUSIM_INSTALLED_FIRMWARE_DIR};
    return runtime_image_path_in(ri, board, dirs, sizeof dirs / sizeof dirs[0], path, len, err, errlen);
}
