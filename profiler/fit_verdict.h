/*
 * fit_verdict.h — does a model fit a board?  The whole answer from the
 * files alone, before anything is simulated: flash (the runtime image and
 * the model) and RAM (static data, the arena the firmware will plan, the
 * stack), each against the board, with how much is over.  'profile' (the
 * session), 'model info --board' and 'fit' all judge with it, so they give
 * the same verdict with the same numbers.
 *
 *   image_room_read    what a runtime image leaves for a model on its
 *                      board: the flash slot, the RAM between its static
 *                      data and its stack (image_room_find: of the built
 *                      image for a board and kernel family)
 *   fit_verdict_make   the verdict for a model file: the arena is the
 *                      firmware's own plan (model_fit.h plans for the
 *                      board's core, to the byte); when the runtime cannot
 *                      run the model (an unsupported operator), it is a
 *                      lower bound from the file's tensors, and the verdict
 *                      says why
 *   fit_verdict_judge  the verdict from sizes alone (model bytes, arena):
 *                      what 'fit' uses to rule out variants it has only
 *                      sized, not built
 *   fit_verdict_text   one line for a model that does not fit
 */
#ifndef MCUSIM_FIT_VERDICT_H
#define MCUSIM_FIT_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "elf_image.h"
#include "model_fit.h"

/* A runtime image's room on its board.  RAM is laid out as
 * [static | arena | stack] (sim/ldscript.c): the firmware fits a model
 * when the arena it plans is at most arena_capacity, that is when
 * static + arena + stack is at most the board's RAM. */
struct image_room {
    uint32_t flash_capacity;    /* the board's flash */
    uint32_t flash_image;       /* flash before the model slot: code, rodata, .data's initial values */
    uint32_t slot_bytes;        /* the model slot: header and model */
    uint32_t ram_capacity;      /* the board's RAM */
    uint32_t ram_static;        /* RAM below the arena: .data, .bss, alignment */
    uint32_t ram_stack;         /* RAM above the arena: the stack and its guard */
    uint32_t stack_reserved;    /* of which the stack */
    uint32_t arena_capacity;    /* what is left for the arena */
};

/* Reads the room from a runtime image for board b (reader_symbol: its
 * row's model reader, runtime_images.h).  Returns 0, or -1 with
 * "IMAGE: not a runtime image (...)" in err. */
int image_room_read(const struct elf_image *img, const char *reader_symbol, const struct board *b,
                    struct image_room *room, char *err, size_t errlen);

/* The same for the image the build made for board b and a kernel family
 * of mcusim's runtime (runtime_images.h).  Returns 0, or -1 with a
 * one-line message in err. */
int image_room_find(const struct board *b, const char *kernels, struct image_room *room, char *err, size_t errlen);

struct fit_verdict {
    struct image_room room;
    /* the model */
    uint64_t model_bytes;       /* the file */
    uint32_t layers;
    uint64_t macs;              /* 0 when not planned */
    uint64_t params;            /* elements of the constant tensors: weights, biases */
    bool planned;               /* false: the runtime cannot run it (why) and arena is a lower bound */
    char why[512];              /* why not planned: "layer 0: operator ... is not supported" */
    /* flash */
    uint64_t flash_needed;      /* image + slot header + model */
    bool flash_fits;
    /* RAM */
    uint64_t arena;             /* the firmware's plan; at least this when !planned */
    uint64_t ram_needed;        /* static + arena + stack */
    bool ram_fits;
    bool fits;                  /* flash and RAM */
};

/* Judges model m for the runtime kernel family on board b, in the room of
 * its image.  Returns 0 with the verdict (also when the runtime cannot run
 * the model), or -1 with "PATH: problem" in err when the file is no valid
 * model at all or the family is unknown. */
int fit_verdict_make(const struct model_file *m, const char *family, const struct board *b,
                     const struct image_room *room, struct fit_verdict *v, char *err, size_t errlen);

/* The least arena the firmware could need for model m, from its tensors
 * alone, for a model the runtime cannot plan (fit_verdict_make uses it
 * then).  Returns 0, or -1 with "PATH: problem" in err. */
int fit_arena_lower_bound(const struct model_file *m, uint64_t *bytes, char *err, size_t errlen);

/* Fills the flash and RAM halves of v from v->room, v->model_bytes and
 * v->arena (set by the caller). */
void fit_verdict_judge(struct fit_verdict *v);

/* Bytes over the board's flash and RAM; 0 when it fits. */
uint64_t fit_verdict_flash_over(const struct fit_verdict *v);
uint64_t fit_verdict_ram_over(const struct fit_verdict *v);

/* One line for a model that does not fit: "MODEL does not fit BOARD:
 * flash needs N bytes of C (O over: image I + model M), RAM needs ...",
 * naming only what is over; "at least" where the arena is a lower bound,
 * and what the runtime cannot run. */
void fit_verdict_text(const struct fit_verdict *v, const char *model, const char *board_name, char *out,
                      size_t len);

#endif
