/*
 * fmt.c — see fmt.h.
 */
#include "fmt.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Inserts thousands separators into the integer part of a plain number. */
static struct fmtbuf group(const char *plain)
{
    struct fmtbuf b;
    const char *p = plain;
    char *o = b.s;
    if (*p == '-' || *p == '+')
        *o++ = *p++;
    size_t digits = strspn(p, "0123456789");
    for (size_t i = 0; i < digits; i++) {
        *o++ = p[i];
        size_t left = digits - i - 1;
        if (left && left % 3 == 0)
            *o++ = ',';
    }
    snprintf(o, sizeof b.s - (size_t)(o - b.s), "%s", p + digits);
    return b;
}

struct fmtbuf fmt_int(uint64_t v)
{
    char plain[32];
    snprintf(plain, sizeof plain, "%llu", (unsigned long long)v);
    return group(plain);
}

struct fmtbuf fmt_num(double v, int decimals)
{
    char plain[64];
    if (!isfinite(v))
        return (struct fmtbuf){"-"};
    snprintf(plain, sizeof plain, "%.*f", decimals, v);
    if (!strcmp(plain, "-0") || !strncmp(plain, "-0.", 3)) {
        /* -0.00 reads as a change where there is none. */
        bool zero = strspn(plain + 1, "0.") == strlen(plain + 1);
        if (zero)
            memmove(plain, plain + 1, strlen(plain));
    }
    return group(plain);
}

struct fmtbuf fmt_snum(double v, int decimals)
{
    struct fmtbuf b = fmt_num(v, decimals);
    if (b.s[0] == '-' || !strcmp(b.s, "-"))
        return b;
    /* A change too small to show keeps its direction: -0.0, not +0.0. */
    struct fmtbuf s = {{v < 0 ? '-' : '+'}};
    memcpy(s.s + 1, b.s, sizeof s.s - 1);
    s.s[sizeof s.s - 1] = '\0';
    return s;
}

struct fmtbuf fmt_kb(uint64_t bytes)
{
    return fmt_num(bytes / 1024.0, 1);
}

struct fmtbuf fmt_pct(double pct)
{
    struct fmtbuf b = fmt_num(pct, 1);
    size_t n = strlen(b.s);
    if (strcmp(b.s, "-") && n + 1 < sizeof b.s)
        strcpy(b.s + n, "%");
    return b;
}

struct fmtbuf fmt_spct(double pct)
{
    struct fmtbuf b = fmt_snum(pct, 1);
    size_t n = strlen(b.s);
    if (strcmp(b.s, "-") && n + 1 < sizeof b.s)
        strcpy(b.s + n, "%");
    return b;
}

struct fmtbuf fmt_mhz(uint32_t hz)
{
    struct fmtbuf b;
    if (hz % 1000000 == 0)
        snprintf(b.s, sizeof b.s, "%u MHz", hz / 1000000);
    else
        snprintf(b.s, sizeof b.s, "%.1f MHz", hz / 1e6);
    return b;
}

int utf8_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void fput_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            /* Control characters are not allowed in XML 1.0. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
}

void fput_csv(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void fput_md(FILE *f, const char *s, bool code)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n')
            fputc(' ', f);
        else if (!code && *s == '<')
            fputs("&lt;", f);
        else if (!code && (*s == '*' || *s == '\\'))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}
