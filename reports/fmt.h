/*
 * fmt.h — number and text formatting shared by the renderers.
 *
 * Numbers come back in a small struct by value, so that several can be
 * used in one printf without buffers or static state:
 *     printf("%s cycles, %s KB", fmt_int(c).s, fmt_kb(bytes).s);
 * Human formats group thousands with commas; KB is 1024 bytes.  Machine
 * formats (CSV, JSON) print raw numbers and do not use these.
 */
#ifndef MCUSIM_REPORTS_FMT_H
#define MCUSIM_REPORTS_FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct fmtbuf {
    char s[64];
};

struct fmtbuf fmt_int(uint64_t v);                 /* 11,809,677 */
struct fmtbuf fmt_num(double v, int decimals);     /* 1,833.52 */
struct fmtbuf fmt_snum(double v, int decimals);    /* +1.50 / -0.25 */
struct fmtbuf fmt_kb(uint64_t bytes);              /* 24.4 (KB, one decimal) */
struct fmtbuf fmt_pct(double pct);                 /* 31.9% */
struct fmtbuf fmt_spct(double pct);                /* +3.2% / -63.4% */
struct fmtbuf fmt_mhz(uint32_t hz);                /* 64 MHz, 133.5 MHz */

/* Characters (not bytes) in a UTF-8 string, for column alignment. */
int utf8_width(const char *s);

void fput_xml(FILE *f, const char *s);   /* &, <, >, " and ' escaped */
void fput_csv(FILE *f, const char *s);   /* quoted when needed */
/* Markdown text: '|' escaped (table cells); outside code spans also '<',
 * '*' and '\\' so that names never turn into markup. */
void fput_md(FILE *f, const char *s, bool code);

#endif
