/*
 * browser.h — HTML pages rendered by headless Chromium (Debian's chromium)
 * for the tests of the HTML outputs: a screenshot read back as pixels, or
 * the DOM as Chromium parsed it, with the console's messages.
 */
#ifndef MCUSIM_TEST_BROWSER_H
#define MCUSIM_TEST_BROWSER_H

/* The Chromium binary, or NULL when it is not installed (tests skip). */
const char *chromium(void);

/* Renders dir/file in a 1200x2000 window, in dir, with a fresh profile
 * there; mode "--screenshot=FILE.png" (written in dir) or "--dump-dom"
 * (the DOM goes to *out).  Chromium's stderr, with the page's console
 * messages, goes to *log.  Both malloc'd.  Returns Chromium's status. */
int browse_in(const char *dir, const char *file, const char *mode, char **out, char **log);

/* Console messages of the page in a log (Chromium writes ":CONSOLE"). */
int console_lines(const char *log);

struct image {
    int w, h;
    unsigned char *rgb;  /* w * h * 3 */
};

/* A minimal PNG reader: 8-bit RGB or RGBA, not interlaced (what Chromium
 * writes).  Returns 0, or -1. */
int load_png(const char *path, struct image *img);

/* Pixels of exactly one colour (0xRRGGBB). */
int pixels_of(const struct image *img, unsigned color);

/* Pixels that are not (near) white: 0 for a blank page. */
int inked(const struct image *img);

#endif
