/*
 * runtime_images.h — which firmware image runs a model: one row per
 * inference runtime and kernel family, naming the image the build makes
 * for every board and the host-built kernel family that checks a model
 * before it is simulated.
 *
 * Today one runtime, mcusim's own ("mcusim", runtime/), with kernel
 * families "ref" and "opt".  Another runtime (say TensorFlow Lite Micro
 * with "cmsis-nn" and "ref") is a row per kernel family here plus its
 * images in the build; the profiling session, 'sweep', 'bench' and the
 * option checks of the commands all read this table.
 */
#ifndef MCUSIM_RUNTIME_IMAGES_H
#define MCUSIM_RUNTIME_IMAGES_H

#include <stddef.h>

#define RUNTIME_DEFAULT "mcusim"
#define RUNTIME_DEFAULT_KERNELS "ref"

struct runtime_image {
    const char *runtime;      /* "mcusim" */
    const char *kernels;      /* kernel family: "ref", "opt" */
    const char *file_prefix;  /* the image for board B is <file_prefix>-<B>-<kernels>.elf */
    /* The kernel family of the host build of runtime/ that reads, verifies
     * and plans a model the way this image will (model_fit.h); NULL when
     * the image's runtime has no host build here. */
    const char *host_family;
};

/* The row for a runtime and kernel family, or NULL. */
const struct runtime_image *runtime_image_find(const char *runtime, const char *kernels);

/* The i-th row (NULL past the end), for listing what exists. */
const struct runtime_image *runtime_image_at(size_t i);

/* The kernel families of a runtime as text for messages and usage, e.g.
 * "ref or opt" with (", ", " or ") and "ref|opt" with ("|", "|"). */
void runtime_kernels_text(const char *runtime, const char *sep, const char *last_sep, char *out, size_t len);

/* Where the built image for a board is: $MCUSIM_FIRMWARE, else the build
 * tree, else the installed directory.  Returns 0 with the path, or -1
 * with a one-line message in err. */
int runtime_image_path(const struct runtime_image *ri, const char *board, char *path, size_t len, char *err,
                       size_t errlen);

#endif
