/*
 * model_fit.h — what mcusim knows about a model before simulating it, and
 * whether it fits a runtime image on a board.  One place for the facts and
 * the verdicts that 'profile' (through the session), 'model info' and a
 * static "does it fit" check share:
 *
 *   model_file_read     the .tflite file, size-checked
 *   model_plan_open     the host build of runtime/ reads, verifies and
 *                       prepares it and plans its arena, exactly as the
 *                       image's runtime will: layers, shapes, MACs, arena
 *   model_verify        the same, only to reject a corrupt or unsupported
 *                       model with one line naming the file
 *   model_slot_find     the flash slot of a runtime image, where the model
 *                       is placed with a header (runtime/port/port.h)
 *
 * Whether a model fits a board, flash and RAM, is fit_verdict.h's, from
 * these.  The firmware checks its arena again on the target (a model too
 * large for the RAM left exits with "does not fit" and the numbers,
 * runtime/app/main.c).
 */
#ifndef MCUSIM_MODEL_FIT_H
#define MCUSIM_MODEL_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "elf_image.h"
#include "rt_interp.h"
#include "rt_model.h"

#define MODEL_MAX_BYTES (64u * 1024u * 1024u)
#define MODEL_SLOT_HEADER_BYTES 16u

struct model_file {
    char path[1024];
    uint8_t *bytes;            /* malloc'd, 16-byte aligned */
    size_t len;
};

/* Reads a model file of at most MODEL_MAX_BYTES.  Returns 0, or -1 with
 * "PATH: problem" in err. */
int model_file_read(const char *path, struct model_file *m, char *err, size_t errlen);
void model_file_free(struct model_file *m);

/* A model as the host runtime prepares it with a kernel family, planned
 * for a board's core: the interpreter (layers, tensors, MACs, kernels
 * chosen, arena sizes; interp.target_arena_needed is the arena the
 * firmware will ask for) over an arena of its own.  Planned only: it does
 * not run. */
struct model_plan {
    struct rt_model model;
    struct rt_interp interp;
    void *arena;
};

/* Reads, verifies and plans for the core of board b; the arena grows to
 * what the plan needs.  Returns 0, or -1 with "PATH: problem" in err (an
 * unknown family, a corrupt model, an unsupported operator, named with its
 * layer). */
int model_plan_open(const struct model_file *m, const char *family, const struct board *b, struct model_plan *p,
                    char *err, size_t errlen);
void model_plan_close(struct model_plan *p);

/* Verifies and prepares the model as the runtime will, without keeping the
 * plan.  A model whose arena is larger than a generous host arena passes:
 * whether it fits the board's RAM is the runtime's verdict on the target.
 * Returns 0, or -1 with "PATH: problem" in err. */
int model_verify(const struct model_file *m, const char *family, char *err, size_t errlen);

/* The header a runtime image expects in front of the model in its slot. */
void model_slot_header(size_t model_len, uint8_t header[MODEL_SLOT_HEADER_BYTES]);

/* A runtime image's model slot: flash from the end of the image to the
 * end of flash. */
struct model_slot {
    uint32_t start, end;
};

/* Finds the slot; only a runtime image has one and a model reader, the
 * function reader_symbol names (the runtime's row in runtime_images.h).
 * Returns 0, or -1 with "IMAGE: not a runtime image (...)" in err. */
int model_slot_find(const struct elf_image *img, const char *reader_symbol, struct model_slot *slot, char *err,
                    size_t errlen);

#endif
