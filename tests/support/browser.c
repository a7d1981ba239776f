/*
 * browser.c — see browser.h.
 */
#include "browser.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "simtest.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int count_in(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

const char *chromium(void)
{
    static const char *const paths[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (!access(paths[i], X_OK))
            return paths[i];
    return NULL;
}

int browse_in(const char *dir, const char *file, const char *mode, char **out, char **log)
{
    char profile[1024], errpath[1024];
    snprintf(profile, sizeof profile, "%s/chromium-XXXXXX", dir);
    cr_assert_not_null(mkdtemp(profile));
    snprintf(errpath, sizeof errpath, "%s/chromium-log-XXXXXX", dir);
    int fd = mkstemp(errpath);
    cr_assert_geq(fd, 0);
    close(fd);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
             "--disable-background-networking --disable-component-update --disable-sync --force-color-profile=srgb "
             "--hide-scrollbars --user-data-dir='%s' --enable-logging=stderr --v=0 --window-size=1200,2000 %s "
             "'file://%s/%s' 2>'%s'",
             dir, chromium(), profile, mode, dir, file, errpath);
    char *o = NULL;
    int rc = run_command_capture(cmd, &o);
    *out = o ? o : strdup("");
    char *e = read_all(errpath, NULL);
    unlink(errpath);
    *log = e ? e : strdup("");
    return rc;
}

/* Console messages of the page (Chromium logs them as ":CONSOLE"). */
int console_lines(const char *log)
{
    return count_in(log, ":CONSOLE") + count_in(log, "Uncaught");
}


static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

int load_png(const char *path, struct image *img)
{
    size_t len;
    unsigned char *f = (unsigned char *)read_all(path, &len);
    if (!f || len < 33 || memcmp(f, "\x89PNG\r\n\x1a\n", 8))
        return -1;
    int channels = 0;
    unsigned char *idat = NULL;
    size_t idat_len = 0;
    for (size_t p = 8; p + 12 <= len;) {
        unsigned n = be32(f + p);
        const unsigned char *type = f + p + 4, *data = f + p + 8;
        if (p + 12 + n > len)
            break;
        if (!memcmp(type, "IHDR", 4)) {
            img->w = (int)be32(data);
            img->h = (int)be32(data + 4);
            if (data[8] != 8 || data[12] != 0 || (data[9] != 2 && data[9] != 6))
                return -1;
            channels = data[9] == 6 ? 4 : 3;
        } else if (!memcmp(type, "IDAT", 4)) {
            idat = realloc(idat, idat_len + n);
            memcpy(idat + idat_len, data, n);
            idat_len += n;
        }
        p += 12 + n;
    }
    if (!channels || !idat)
        return -1;
    size_t stride = (size_t)img->w * (size_t)channels;
    uLongf raw_len = (uLongf)((stride + 1) * (size_t)img->h);
    unsigned char *raw = malloc(raw_len);
    if (uncompress(raw, &raw_len, idat, (uLong)idat_len) != Z_OK)
        return -1;
    unsigned char *px = calloc(stride * (size_t)img->h, 1);
    for (int y = 0; y < img->h; y++) {
        unsigned char ft = raw[(size_t)y * (stride + 1)];
        const unsigned char *src = raw + (size_t)y * (stride + 1) + 1;
        unsigned char *row = px + (size_t)y * stride, *up = y ? row - stride : NULL;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)channels ? row[x - channels] : 0, b = up ? up[x] : 0;
            int c = up && x >= (size_t)channels ? up[x - channels] : 0;
            int v = src[x];
            switch (ft) {
            case 1: v += a; break;
            case 2: v += b; break;
            case 3: v += (a + b) / 2; break;
            case 4: {
                int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
                v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            }
            row[x] = (unsigned char)v;
        }
    }
    img->rgb = malloc((size_t)img->w * (size_t)img->h * 3);
    for (size_t i = 0; i < (size_t)img->w * (size_t)img->h; i++)
        memcpy(img->rgb + 3 * i, px + (size_t)channels * i, 3);
    free(px);
    free(raw);
    free(idat);
    free(f);
    return 0;
}

int pixels_of(const struct image *img, unsigned color)
{
    int n = 0;
    unsigned char r = (unsigned char)(color >> 16), g = (unsigned char)(color >> 8), b = (unsigned char)color;
    for (size_t i = 0; i < (size_t)img->w * (size_t)img->h; i++)
        n += img->rgb[3 * i] == r && img->rgb[3 * i + 1] == g && img->rgb[3 * i + 2] == b;
    return n;
}

int inked(const struct image *img)
{
    int n = 0;
    for (size_t i = 0; i < (size_t)img->w * (size_t)img->h; i++)
        n += img->rgb[3 * i] < 200 || img->rgb[3 * i + 1] < 200 || img->rgb[3 * i + 2] < 200;
    return n;
}
