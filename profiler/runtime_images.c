/*
 * runtime_images.c — the table of runtime images (see runtime_images.h).
 */
#include "runtime_images.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MCUSIM_BUILD_FIRMWARE_DIR
#define MCUSIM_BUILD_FIRMWARE_DIR ""
#endif
#ifndef MCUSIM_INSTALLED_FIRMWARE_DIR
#define MCUSIM_INSTALLED_FIRMWARE_DIR "/usr/local/libexec/mcusim"
#endif

/* runtime/firmware/meson.build builds runtime-<board>-<family>.elf for
 * every board file and both kernel families. */
static const struct runtime_image images[] = {
    {"mcusim", "ref", "runtime", "ref"},
    {"mcusim", "opt", "runtime", "opt"},
};

const struct runtime_image *runtime_image_find(const char *runtime, const char *kernels)
{
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        if (!strcmp(images[i].runtime, runtime) && !strcmp(images[i].kernels, kernels))
            return &images[i];
    return NULL;
}

const struct runtime_image *runtime_image_at(size_t i)
{
    return i < sizeof images / sizeof images[0] ? &images[i] : NULL;
}

void runtime_kernels_text(const char *runtime, const char *sep, const char *last_sep, char *out, size_t len)
{
    size_t n = 0, k = 0, used = 0;
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        n += !strcmp(images[i].runtime, runtime);
    out[0] = '\0';
    for (size_t i = 0; i < sizeof images / sizeof images[0] && used < len; i++) {
        if (strcmp(images[i].runtime, runtime))
            continue;
        used += (size_t)snprintf(out + used, len - used, "%s%s", k == 0 ? "" : k + 1 == n ? last_sep : sep,
                                 images[i].kernels);
        k++;
    }
}

int runtime_image_path(const struct runtime_image *ri, const char *board, char *path, size_t len, char *err,
                       size_t errlen)
{
    const char *dirs[] = {getenv("MCUSIM_FIRMWARE"), MCUSIM_BUILD_FIRMWARE_DIR, MCUSIM_INSTALLED_FIRMWARE_DIR};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        snprintf(path, len, "%s/%s-%s-%s.elf", dirs[i], ri->file_prefix, board, ri->kernels);
        struct stat sb;
        if (!stat(path, &sb))
            return 0;
    }
    snprintf(err, errlen,
             "no runtime firmware for board '%s' with kernels '%s' (the build makes %s-<board>-%s.elf for every "
             "board in boards/: put the board file there and run 'meson setup --reconfigure BUILD_DIR && ninja -C "
             "BUILD_DIR', or set MCUSIM_FIRMWARE to a directory holding the image)",
             board, ri->kernels, ri->file_prefix, ri->kernels);
    return -1;
}
