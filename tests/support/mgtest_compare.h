/*
 * mgtest_compare.h — how modelgen's tests judge an int8 model's outputs
 * against the float network it was quantized from.  Shared by the Arm NN
 * oracle test and the mcusim runtime test, so both hold models to the same
 * bar.
 *
 * What "close to the float network" means, fixed before looking at any
 * particular model:
 *   classifiers (softmax outputs): the float network's top class is also
 *     the int8 model's on at least 80% of the inputs ("most"; a tie in int8
 *     that includes the float winner counts, the int8 model cannot tell
 *     them apart), the dequantized probabilities are within 0.05 on average
 *     (13 steps of the 1/256 output scale), at most a quarter of the outputs
 *     are one-hot saturated, no output is constant, at least half the inputs
 *     give distinct outputs, and the inputs fall in at least two classes;
 *   regressors (the autoencoder): the dequantized output's RMS error is at
 *     most 15% of the float output's standard deviation, under 1% of the
 *     values are saturated at -128 or 127, and at least 64 distinct int8
 *     values occur.
 */
#ifndef MCUSIM_MGTEST_COMPARE_H
#define MCUSIM_MGTEST_COMPARE_H

#include <stdint.h>

#define MGTEST_MIN_AGREEMENT 0.8
#define MGTEST_MAX_MEAN_PROB_ERROR 0.05
#define MGTEST_MAX_NRMSE 0.15
/* float32 models: another engine's float32 outputs differ from modelgen's
 * double-accumulated float network by at most this fraction of the
 * outputs' standard deviation, anywhere (float rounding, not a mistake:
 * a wrong weight, tap or padding moves outputs by a sizeable fraction). */
#define MGTEST_MAX_FLOAT_ERROR 1e-3

/* reference: n_inputs x n_out floats; quantized: n_inputs x n_out int8
 * with the output's scale and zero point.  `who` names the int8
 * implementation in messages and in the one-line report on stderr. */
void mgtest_check_classifier(const char *who, const char *spec, const float *reference,
                             const int8_t *quantized, int n_inputs, int n_out, float scale,
                             int zero_point);
void mgtest_check_regressor(const char *who, const char *spec, const float *reference,
                            const int8_t *quantized, int n_inputs, int n_out, float scale,
                            int zero_point);

#endif
