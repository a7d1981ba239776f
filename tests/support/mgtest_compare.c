/*
 * mgtest_compare.c — judging int8 outputs against the float network (see
 * mgtest_compare.h for the criteria).
 */
#include "mgtest_compare.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mgtest_check_classifier(const char *who, const char *spec, const float *reference,
                             const int8_t *quantized, int n_inputs, int n_out, float scale,
                             int zero_point)
{
    int agree = 0, saturated = 0, distinct_float_top = 0, distinct_outputs = 0;
    int *seen_top = calloc((size_t)n_out, sizeof *seen_top);
    double max_error = 0, sum_error = 0;
    for (int k = 0; k < n_inputs; k++) {
        const float *f = reference + (size_t)k * n_out;
        const int8_t *q = quantized + (size_t)k * n_out;
        int ftop = 0, qmax = -129, all_equal = 1, all_extreme = 1;
        for (int i = 0; i < n_out; i++) {
            ftop = f[i] > f[ftop] ? i : ftop;
            qmax = q[i] > qmax ? q[i] : qmax;
            all_equal &= q[i] == q[0];
            all_extreme &= q[i] == -128 || q[i] == 127;
            double e = fabs(scale * (q[i] - zero_point) - f[i]);
            max_error = e > max_error ? e : max_error;
            sum_error += e;
        }
        cr_expect(!all_equal, "%s %s: input %d gives a constant output", who, spec, k);
        saturated += all_extreme;
        agree += q[ftop] == qmax;
        if (!seen_top[ftop]++)
            distinct_float_top++;
        int repeat = 0;
        for (int j = 0; j < k && !repeat; j++)
            repeat = !memcmp(q, quantized + (size_t)j * n_out, (size_t)n_out);
        distinct_outputs += !repeat;
    }
    free(seen_top);
    double agreement = (double)agree / n_inputs;
    double mean_error = sum_error / ((double)n_inputs * n_out);
    fprintf(stderr,
            "modelgen %s %-44s top-1 agreement %2d/%d, |prob error| mean %.4f max %.4f, "
            "%d saturated, %d distinct outputs, %d distinct float classes\n",
            who, spec, agree, n_inputs, mean_error, max_error, saturated, distinct_outputs,
            distinct_float_top);
    cr_expect_geq(agreement, MGTEST_MIN_AGREEMENT, "%s %s: top-1 agreement %d/%d", who, spec,
                  agree, n_inputs);
    cr_expect_leq(mean_error, MGTEST_MAX_MEAN_PROB_ERROR, "%s %s: mean probability error %.4f",
                  who, spec, mean_error);
    cr_expect_leq(saturated, n_inputs / 4, "%s %s: %d outputs one-hot saturated", who, spec,
                  saturated);
    cr_expect_geq(distinct_outputs, n_inputs / 2, "%s %s: only %d distinct int8 outputs", who,
                  spec, distinct_outputs);
    cr_expect_geq(distinct_float_top, 2, "%s %s: every input falls in one class", who, spec);
}

void mgtest_check_regressor(const char *who, const char *spec, const float *reference,
                            const int8_t *quantized, int n_inputs, int n_out, float scale,
                            int zero_point)
{
    size_t n = (size_t)n_inputs * n_out;
    double sum = 0, sq = 0, err = 0;
    size_t saturated = 0;
    int seen[256] = {0}, distinct = 0;
    for (size_t i = 0; i < n; i++) {
        double f = reference[i], d = scale * (quantized[i] - zero_point);
        sum += f;
        sq += f * f;
        err += (d - f) * (d - f);
        saturated += quantized[i] == -128 || quantized[i] == 127;
        if (!seen[quantized[i] + 128]++)
            distinct++;
    }
    double mean = sum / n, std = sqrt(sq / n - mean * mean), nrmse = sqrt(err / n) / std;
    fprintf(stderr,
            "modelgen %s %-44s NRMSE %.4f (float std %.3f, step %.4f), %zu/%zu saturated, "
            "%d distinct int8 values\n",
            who, spec, nrmse, std, scale, saturated, n, distinct);
    cr_expect_leq(nrmse, MGTEST_MAX_NRMSE, "%s %s: dequantized error %.4f of the output's spread",
                  who, spec, nrmse);
    cr_expect_leq(saturated, n / 100, "%s %s: %zu of %zu outputs saturated", who, spec,
                  saturated, n);
    cr_expect_geq(distinct, 64, "%s %s: only %d distinct int8 output values", who, spec,
                  distinct);
}
