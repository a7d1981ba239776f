/*
 * port.h — what the firmware port gives the runtime and example firmware:
 * semihosting file and console I/O, the command line, exit, and the memory
 * regions the board's linker script lays out.
 *
 * The port is the only firmware code that knows how it talks to the outside
 * world.  Everything here uses Arm semihosting, so an image behaves the same
 * on mcusim, on QEMU (-semihosting) and on a board with a debug probe.
 *
 * Memory the linker script defines (see sim/ldscript.c):
 *   __model_slot_start .. __model_slot_end   flash left after the image; a
 *       model is placed here with a struct port_model_slot header in front.
 *   __arena_start .. __arena_end             RAM between .bss and the stack,
 *       the tensor arena's capacity.
 *   __stack_limit .. __stack_top             the main stack.
 */
#ifndef MCUSIM_PORT_H
#define MCUSIM_PORT_H

#include <stddef.h>
#include <stdint.h>

/* Semihosting file modes (ARM DUI 0471, SYS_OPEN): "rb" and "wb". */
#define PORT_OPEN_READ 1
#define PORT_OPEN_WRITE 5

int port_open(const char *path, int mode);          /* fd, or -1 */
int port_read(int fd, void *buf, size_t len);       /* bytes read, or -1 */
int port_write(int fd, const void *buf, size_t len); /* 0 on success, -1 on error */
int port_close(int fd);
long port_flen(int fd);                              /* file length, or -1 */

/* Console: standard output and standard error (":tt" on the host). */
void port_puts(const char *s);
void port_eputs(const char *s);
void port_putu(uint32_t value); /* decimal, no newline */
void port_puti(int32_t value);
void port_eputu(uint32_t value); /* decimal on standard error */

/* The command line given to the simulator after '--', argv[0] included.
 * Splits in place into at most max_args arguments; returns argc. */
int port_args(char *buf, size_t len, char **argv, int max_args);

/* Ends the program; the status becomes the simulator's exit status. */
__attribute__((noreturn)) void port_exit(int status);

/* A model placed in the flash slot by the simulator (or by a flashing tool,
 * e.g. QEMU's -device loader) starts with this header. */
#define PORT_MODEL_SLOT_MAGIC 0x314C444Du /* "MDL1" */
struct port_model_slot {
    uint32_t magic;
    uint32_t size;        /* bytes of model that follow the header */
    uint32_t reserved[2];
};

extern uint8_t __model_slot_start[], __model_slot_end[];
extern uint8_t __arena_start[], __arena_end[];
extern uint8_t __stack_limit[], __stack_top[];

#endif /* MCUSIM_PORT_H */
