/*
 * runtime_images.h — which firmware image runs a model: one row per
 * inference runtime and kernel family, naming the image the build makes
 * for every board and the host-built kernel family that checks a model
 * before it is simulated.
 *
 * Today one runtime, mcusim's own ("mcusim", runtime/), with kernel
 * families "ref" and "opt".  Another runtime (say TensorFlow Lite Micro
 * with "cmsis-nn" and "ref") is a row per kernel family here plus its
 * images in the build; the profiling session, 'profile --runtime',
 * 'sweep', 'bench' and the option checks of the commands all read this
 * table.  A runtime's first row is its default kernel family.
 */
#ifndef MCUSIM_RUNTIME_IMAGES_H
#define MCUSIM_RUNTIME_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#define RUNTIME_DEFAULT "mcusim"
#define RUNTIME_DEFAULT_KERNELS "ref"

struct runtime_image {
    const char *runtime;      /* "mcusim" */
    const char *kernels;      /* kernel family: "ref", "opt" */
    const char *build_dir;    /* where the build tree holds the images, from its root: "runtime/firmware" */
    const char *file_prefix;  /* the image for board B is <file_prefix>-<B>-<kernels>.elf */
    /* The kernel family of the host build of runtime/ that reads, verifies
     * and plans a model the way this image will (model_fit.h); NULL when
     * the image's runtime has no host build here. */
    const char *host_family;
    /* A function only an image that reads the model from its slot links
     * (model_fit.h), so that a firmware given with --firmware that would
     * ignore the model is refused: "rt_model_open". */
    const char *reader_symbol;
    /* How to get the images when they are missing, for the one-line error:
     * what builds them. */
    const char *how_to_build;
};

/* The row for a runtime and kernel family, or NULL. */
const struct runtime_image *runtime_image_find(const char *runtime, const char *kernels);

/* The i-th row (NULL past the end), for listing what exists. */
const struct runtime_image *runtime_image_at(size_t i);

/* Whether the table has a row of this runtime. */
bool runtime_known(const char *runtime);

/* A runtime's default kernel family (its first row), or NULL. */
const char *runtime_default_kernels(const char *runtime);

/* The kernel families of a runtime (NULL: of every runtime, each name
 * once) as text for messages and usage, e.g. "ref or opt" with
 * (", ", " or ") and "ref|opt" with ("|", "|"). */
void runtime_kernels_text(const char *runtime, const char *sep, const char *last_sep, char *out, size_t len);

/* Whether some runtime has a kernel family of this name. */
bool runtime_has_kernels(const char *kernels);

/* The runtimes of the table, each once, as text: "mcusim" or "mcusim|tflm"
 * with ("|", "|"). */
void runtime_names_text(const char *sep, const char *last_sep, char *out, size_t len);

/* The row a --runtime and --kernels pair names (kernels NULL or "": the
 * runtime's default).  Returns it, or NULL with a one-line message in err
 * that lists what exists: "runtime 'x' is not built into this mcusim
 * (...)" or "runtime 'mcusim' has no kernel family 'x' (ref or opt)". */
const struct runtime_image *runtime_image_resolve(const char *runtime, const char *kernels, char *err,
                                                  size_t errlen);

/* Where the built image for a board is: $MCUSIM_FIRMWARE, else the build
 * tree, else the installed directory.  Returns 0 with the path, or -1
 * with a one-line message in err: "runtime 'x' with kernels 'y' is not
 * built into this mcusim (how to get it)" when no directory has an image
 * of the row for any board, else "no x firmware for board 'b' ...". */
int runtime_image_path(const struct runtime_image *ri, const char *board, char *path, size_t len, char *err,
                       size_t errlen);

/* The same search in the given directories (NULL or "" entries are
 * skipped), for tests. */
int runtime_image_path_in(const struct runtime_image *ri, const char *board, const char *const *dirs, size_t n_dirs,
                          char *path, size_t len, char *err, size_t errlen);

#endif
