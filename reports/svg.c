/*
 * svg.c — inline SVG charts (see svg.h).
 */
#include "svg.h"

#include <math.h>
#include <string.h>

#include "fmt.h"

const char *const svg_mix_colors[MIX_COUNT] = {"#a0cbe8", "#ffbe7d", "#8cd17d", "#86bcb6",
                                               "#d4a6c8", "#fabfd2", "#d7b5a6"};
const char *const svg_run_colors[8] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                       "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"};

#define FONT "font-family=\"sans-serif\" font-size=\"11\""

/* A round axis step (1, 2 or 5 times a power of ten) giving about `ticks`
 * gridlines up to max. */
static double nice_step(double max, int ticks)
{
    if (!(max > 0))
        return 1;
    double raw = max / ticks;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void open_svg(FILE *f, const char *id, int w, int h)
{
    fprintf(f,
            "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\">\n",
            id, w, h, w, h);
}

static void text(FILE *f, double x, double y, const char *anchor, const char *extra, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" " FONT "%s>", x, y, anchor, extra);
    fput_xml(f, s);
    fputs("</text>\n", f);
}

static void rect(FILE *f, double x, double y, double w, double h, const char *fill, const char *tip)
{
    fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">", x, y, w, h, fill);
    if (tip) {
        fputs("<title>", f);
        fput_xml(f, tip);
        fputs("</title>", f);
    }
    fputs("</rect>\n", f);
}

/* Vertical gridlines with their values under the plot. */
static void x_grid(FILE *f, double x0, double w, double y0, double h, double axis_max, double step, int decimals)
{
    for (double v = 0; v <= axis_max * 1.0001; v += step) {
        double x = x0 + w * v / axis_max;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x, y0, x, y0 + h);
        text(f, x, y0 + h + 13, "middle", " fill=\"#555\"", fmt_num(v, decimals).s);
    }
}

static int axis_decimals(double step)
{
    return step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
}

void svg_hbars(FILE *f, const char *id, const char *const *labels, const double *values, int n, int decimals,
               const char *unit, const char *color)
{
    const double label_w = 150, value_w = 90, row = 18, top = 6, bottom = 22;
    double plot_w = SVG_WIDTH - label_w - value_w;
    double max = 0;
    for (int i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    double step = nice_step(max, 4);
    double axis = step * ceil(max / step);
    if (!(axis > 0))
        axis = 1;
    int h = (int)(top + n * row + bottom);
    open_svg(f, id, SVG_WIDTH, h);
    x_grid(f, label_w, plot_w, top, n * row, axis, step, axis_decimals(step));
    for (int i = 0; i < n; i++) {
        double y = top + i * row;
        double w = plot_w * values[i] / axis;
        char tip[256];
        snprintf(tip, sizeof tip, "%s: %s %s", labels[i], fmt_num(values[i], decimals).s, unit);
        rect(f, label_w, y + 3, w, row - 6, color, tip);
        text(f, label_w - 6, y + row - 5, "end", "", labels[i]);
        text(f, label_w + w + 4, y + row - 5, "start", " fill=\"#333\"", fmt_num(values[i], decimals).s);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", label_w, top, label_w,
            top + n * row);
    fputs("</svg>\n", f);
}

static void legend_item(FILE *f, double *x, double y, const char *color, const char *name, bool line)
{
    if (line)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                   "stroke-dasharray=\"5,3\"/>\n",
                *x, y - 4, *x + 14, y - 4, color);
    else
        rect(f, *x, y - 9, 10, 10, color, NULL);
    text(f, *x + (line ? 18 : 14), y, "start", "", name);
    *x += (line ? 18 : 14) + 7 * (double)strlen(name) + 14;
}

void svg_ram(FILE *f, const char *id, const char *const *labels, const char *const *ticks, const double *stat,
             const double *arena, const double *stack, int n, double capacity_kb)
{
    const double left = 56, right = 12, top = 30, bottom = 34, plot_h = 220;
    double plot_w = SVG_WIDTH - left - right;
    double max = capacity_kb;
    for (int i = 0; i < n; i++)
        if (stat[i] + arena[i] + stack[i] > max)
            max = stat[i] + arena[i] + stack[i];
    double step = nice_step(max, 5);
    double axis = step * ceil(max * 1.04 / step);
    if (!(axis > 0))
        axis = 1;
    int h = (int)(top + plot_h + bottom);
    open_svg(f, id, SVG_WIDTH, h);
    double lx = left;
    legend_item(f, &lx, 14, SVG_RAM_STATIC, "static", false);
    legend_item(f, &lx, 14, SVG_RAM_ARENA, "arena", false);
    legend_item(f, &lx, 14, SVG_RAM_STACK, "stack", false);
    legend_item(f, &lx, 14, SVG_RAM_LIMIT, "board RAM", true);
    for (double v = 0; v <= axis * 1.0001; v += step) {
        double y = top + plot_h - plot_h * v / axis;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y,
                left + plot_w, y);
        text(f, left - 5, y + 4, "end", " fill=\"#555\"", fmt_num(v, axis_decimals(step)).s);
    }
    char rotate[96];
    snprintf(rotate, sizeof rotate, " fill=\"#555\" transform=\"rotate(-90 12 %.1f)\"", top + plot_h / 2);
    text(f, 12, top + plot_h / 2, "middle", rotate, "KB");
    double col = n ? plot_w / n : plot_w;
    double bar = col * 0.72;
    int every = n > 24 ? (n + 23) / 24 : 1;
    for (int i = 0; i < n; i++) {
        double x = left + i * col + (col - bar) / 2;
        double y = top + plot_h;
        const double parts[3] = {stat[i], arena[i], stack[i]};
        const char *colors[3] = {SVG_RAM_STATIC, SVG_RAM_ARENA, SVG_RAM_STACK};
        const char *names[3] = {"static", "arena", "stack"};
        for (int p = 0; p < 3; p++) {
            double ph = plot_h * parts[p] / axis;
            y -= ph;
            char tip[256];
            snprintf(tip, sizeof tip, "%s: %s %s KB (total %s KB)", labels[i], names[p], fmt_num(parts[p], 1).s,
                     fmt_num(stat[i] + arena[i] + stack[i], 1).s);
            rect(f, x, y, bar, ph, colors[p], tip);
        }
        if (i % every == 0)
            text(f, x + bar / 2, top + plot_h + 13, "middle", " fill=\"#555\"", ticks[i]);
    }
    /* Name the peak: at the board's scale the columns can be short. */
    int peak = 0;
    for (int i = 1; i < n; i++)
        if (stat[i] + arena[i] + stack[i] > stat[peak] + arena[peak] + stack[peak])
            peak = i;
    if (n) {
        double total = stat[peak] + arena[peak] + stack[peak];
        char label[96];
        snprintf(label, sizeof label, "highest: %s, %s KB", ticks[peak], fmt_num(total, 1).s);
        double x = left + peak * col + col / 2;
        const char *anchor = x < left + 40 ? "start" : x > left + plot_w - 40 ? "end" : "middle";
        text(f, x, top + plot_h - plot_h * total / axis - 5, anchor, " fill=\"#333\"", label);
    }
    double cy = top + plot_h - plot_h * capacity_kb / axis;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
               "stroke-dasharray=\"6,4\"><title>board RAM: %s KB</title></line>\n",
            left, cy, left + plot_w, cy, SVG_RAM_LIMIT, fmt_num(capacity_kb, 1).s);
    char cap[96];
    snprintf(cap, sizeof cap, "board RAM %s KB", fmt_num(capacity_kb, 1).s);
    text(f, left + plot_w - 2, cy - 5, "end", " fill=\"" SVG_RAM_LIMIT "\"", cap);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", left, top + plot_h,
            left + plot_w, top + plot_h);
    text(f, left + plot_w / 2, top + plot_h + 28, "middle", " fill=\"#555\"", "layer");
    fputs("</svg>\n", f);
}

void svg_mix(FILE *f, const char *id, const char *const *labels, const uint64_t (*mix)[MIX_COUNT], int n)
{
    const double label_w = 150, right = 22, row = 16, top = 24, bottom = 18;
    double plot_w = SVG_WIDTH - label_w - right;
    int h = (int)(top + n * row + bottom);
    open_svg(f, id, SVG_WIDTH, h);
    double lx = label_w;
    for (int k = 0; k < MIX_COUNT; k++)
        legend_item(f, &lx, 12, svg_mix_colors[k], rep_mix_names[k], false);
    for (int i = 0; i < n; i++) {
        uint64_t total = 0;
        for (int k = 0; k < MIX_COUNT; k++)
            total += mix[i][k];
        double y = top + i * row, x = label_w;
        for (int k = 0; k < MIX_COUNT && total; k++) {
            double w = plot_w * (double)mix[i][k] / (double)total;
            char tip[256];
            snprintf(tip, sizeof tip, "%s: %s %s of %s instructions", labels[i], rep_mix_names[k],
                     fmt_pct(100.0 * (double)mix[i][k] / (double)total).s, fmt_int(total).s);
            if (w > 0)
                rect(f, x, y + 2, w, row - 4, svg_mix_colors[k], tip);
            x += w;
        }
        text(f, label_w - 6, y + row - 4, "end", "", labels[i]);
    }
    for (int p = 0; p <= 4; p++) {
        double x = label_w + plot_w * p / 4;
        char pct[8];
        snprintf(pct, sizeof pct, "%d%%", p * 25);
        text(f, x, top + n * row + 13, "middle", " fill=\"#555\"", pct);
    }
    fputs("</svg>\n", f);
}

void svg_grouped_hbars(FILE *f, const char *id, const char *const *labels, const double *values, int n,
                       int series, const char *const *series_names, int decimals, const char *unit)
{
    const double label_w = 150, value_w = 90, bar_h = 9, gap = 6, top = 24, bottom = 22;
    double plot_w = SVG_WIDTH - label_w - value_w;
    double row = series * bar_h + gap;
    double max = 0;
    for (int i = 0; i < n * series; i++)
        if (values[i] > max)
            max = values[i];
    double step = nice_step(max, 4);
    double axis = step * ceil(max / step);
    if (!(axis > 0))
        axis = 1;
    int h = (int)(top + n * row + bottom);
    open_svg(f, id, SVG_WIDTH, h);
    double lx = label_w;
    for (int s = 0; s < series && s < 8; s++)
        legend_item(f, &lx, 12, svg_run_colors[s], series_names[s], false);
    x_grid(f, label_w, plot_w, top, n * row, axis, step, axis_decimals(step));
    for (int i = 0; i < n; i++) {
        double y = top + i * row + gap / 2;
        for (int s = 0; s < series; s++) {
            double v = values[i * series + s];
            double w = plot_w * v / axis;
            char tip[256];
            snprintf(tip, sizeof tip, "%s, %s: %s %s", labels[i], series_names[s], fmt_num(v, decimals).s, unit);
            rect(f, label_w, y + s * bar_h, w, bar_h - 1, svg_run_colors[s % 8], tip);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"9\" fill=\"#333\">%s</text>\n",
                    label_w + w + 3, y + s * bar_h + bar_h - 1.5, fmt_num(v, decimals).s);
        }
        text(f, label_w - 6, y + series * bar_h / 2 + 4, "end", "", labels[i]);
    }
    fputs("</svg>\n", f);
}

void svg_scatter(FILE *f, const char *id, const struct svg_point *p, int n, const char *const *series_names,
                 int n_series, const struct svg_limit *limits, int n_limits, const char *x_title,
                 const char *y_title)
{
    const double left = 64, right = 16, top = 46, band = 16, bottom = 36, plot_h = 230;
    double plot_w = SVG_WIDTH - left - right;
    double max_x = 0, max_y = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].x > max_x)
            max_x = p[i].x;
        if (p[i].has_y && p[i].y > max_y)
            max_y = p[i].y;
    }
    for (int i = 0; i < n_limits; i++) {
        double *m = limits[i].vertical ? &max_x : &max_y;
        if (limits[i].at > *m)
            *m = limits[i].at;
    }
    double xstep = nice_step(max_x, 5), ystep = nice_step(max_y, 5);
    double xaxis = xstep * ceil(max_x * 1.04 / xstep), yaxis = ystep * ceil(max_y * 1.08 / ystep);
    if (!(xaxis > 0))
        xaxis = 1;
    if (!(yaxis > 0))
        yaxis = 1;
    double y0 = top + band;  /* the plot's top; the band of points not measured is above it */
    int h = (int)(y0 + plot_h + bottom);
    open_svg(f, id, SVG_WIDTH, h);
    double lx = left;
    for (int s = 0; s < n_series && s < 8; s++)
        legend_item(f, &lx, 14, svg_run_colors[s], series_names[s], false);
    bool any_unmeasured = false;
    for (int i = 0; i < n; i++)
        any_unmeasured |= !p[i].has_y;
    if (any_unmeasured)
        legend_item(f, &lx, 14, SVG_NOT_RUN, "not measured", false);
    x_grid(f, left, plot_w, y0, plot_h, xaxis, xstep, axis_decimals(xstep));
    for (double v = 0; v <= yaxis * 1.0001; v += ystep) {
        double y = y0 + plot_h - plot_h * v / yaxis;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y,
                left + plot_w, y);
        text(f, left - 5, y + 4, "end", " fill=\"#555\"", fmt_num(v, axis_decimals(ystep)).s);
    }
    char rotate[96];
    snprintf(rotate, sizeof rotate, " fill=\"#555\" transform=\"rotate(-90 12 %.1f)\"", y0 + plot_h / 2);
    text(f, 12, y0 + plot_h / 2, "middle", rotate, y_title);
    text(f, left + plot_w / 2, y0 + plot_h + 30, "middle", " fill=\"#555\"", x_title);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", left, y0 + plot_h,
            left + plot_w, y0 + plot_h);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", left, y0, left,
            y0 + plot_h);
    /* Limits under the points, labelled at their far end. */
    for (int i = 0; i < n_limits; i++) {
        const struct svg_limit *l = &limits[i];
        double x1, y1, x2, y2;
        if (l->vertical) {
            x1 = x2 = left + plot_w * l->at / xaxis;
            y1 = y0;
            y2 = y0 + plot_h;
        } else {
            x1 = left;
            x2 = left + plot_w;
            y1 = y2 = y0 + plot_h - plot_h * l->at / yaxis;
        }
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                   "stroke-dasharray=\"6,4\"><title>",
                x1, y1, x2, y2, l->color);
        fput_xml(f, l->label);
        fputs("</title></line>\n", f);
        char fill[32];
        snprintf(fill, sizeof fill, " fill=\"%s\"", l->color);
        if (l->vertical) {
            /* Right of the line, or left of it near the plot's right edge. */
            bool left_of = x1 > left + plot_w - 120;
            text(f, left_of ? x1 - 3 : x1 + 3, y0 + 10 + 12 * (i % 2), left_of ? "end" : "start", fill, l->label);
        } else {
            text(f, left + plot_w - 2, y1 - 4, "end", fill, l->label);
        }
    }
    for (int i = 0; i < n; i++) {
        double x = left + plot_w * p[i].x / xaxis;
        if (!p[i].has_y) {
            double y = top + band / 2;
            fprintf(f, "<path d=\"M%.1f %.1f l5 -8 l5 8 z\" fill=\"%s\"><title>", x - 5, y + 4, SVG_NOT_RUN);
        } else {
            double y = y0 + plot_h - plot_h * p[i].y / yaxis;
            if (p[i].marked)
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"none\" stroke=\"#222\" "
                           "stroke-width=\"2\"/>\n",
                        x, y);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>", x, y,
                    svg_run_colors[p[i].series % 8]);
        }
        fput_xml(f, p[i].tip ? p[i].tip : "");
        fputs(p[i].has_y ? "</title></circle>\n" : "</title></path>\n", f);
    }
    fputs("</svg>\n", f);
}
