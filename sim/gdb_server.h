/*
 * gdb_server.h — a GDB server for one simulation over TCP: listens on an
 * address, accepts one debugger at a time, and connects it to the
 * simulation through the protocol stub (gdbstub.h) and the simulator's
 * debug interface (debug.h).
 *
 * The server does its network I/O from the simulator's own thread, in
 * the debugger callbacks: while the firmware runs it only peeks, at the
 * run loop's regular polls, for a new connection or a Ctrl-C; while the
 * firmware is stopped it waits for packets.  Without `wait` the firmware
 * runs from the start and a debugger may attach at any time (the firmware
 * stops where it is); with it, the firmware waits at its reset vector for
 * the first debugger.  A debugger that detaches or disconnects lets the
 * run go on, and another may attach later.
 *
 * The server answers anyone who can connect, without authentication, and
 * a debugger can read and write all of the firmware's memory: it listens
 * on the loopback interface only, unless allow_remote says otherwise.
 */
#ifndef MCUSIM_GDB_SERVER_H
#define MCUSIM_GDB_SERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "gdbstub.h"
#include "sim.h"

struct gdb_server_options {
    const char *address;      /* "[HOST:]PORT"; HOST defaults to 127.0.0.1; PORT 0: any free port */
    bool wait;                /* stop at the reset vector until a debugger connects */
    bool allow_remote;        /* accept a HOST that is not a loopback address */
    FILE *log;                /* one line per event (listening, connected...); NULL: none */
    /* Extra monitor commands ('monitor layer'), added to every connection. */
    const struct gdbstub_monitor *monitors;
    int n_monitors;
};

struct gdb_server;

/* Listens and attaches to s (before sim_run).  The chosen address goes to
 * the log as "gdb server listening on HOST:PORT".  Returns NULL with one
 * line in err: a bad address, a host that is not loopback without
 * allow_remote, a port in use. */
struct gdb_server *gdb_server_open(struct sim *s, const struct gdb_server_options *opt, char *err,
                                   size_t errlen);

/* The port listened on (useful with port 0). */
int gdb_server_port(const struct gdb_server *srv);

/* Closes the connection and the listening socket (after sim_run). */
void gdb_server_close(struct gdb_server *srv);

/* Parses "[HOST:]PORT" ("1234", "localhost:1234", "[::1]:1234"); the
 * host is written to host (default 127.0.0.1).  Returns 0, or -1 with
 * err. */
int gdb_parse_address(const char *text, char *host, size_t hostlen, int *port, char *err, size_t errlen);

#endif /* MCUSIM_GDB_SERVER_H */
