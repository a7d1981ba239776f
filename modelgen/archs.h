/*
 * archs.h — the architectures modelgen can synthesize, one arch_<name>.c
 * each.  spec.c lists them; nothing else needs to know them by name.
 */
#ifndef MCUSIM_MG_ARCHS_H
#define MCUSIM_MG_ARCHS_H

#include "spec.h"

/* Folded batch-norm targets for a classifier's logits: a spread of about 2
 * across inputs makes softmax outputs confident on some inputs and unsure on
 * others, as a trained classifier's are, instead of uniform or one-hot. */
#define MG_LOGIT_GAMMA_LO 1.5
#define MG_LOGIT_GAMMA_HI 2.5
#define MG_LOGIT_BETA_LO (-0.5)
#define MG_LOGIT_BETA_HI 0.5

extern const struct mg_arch mg_arch_cnn;
extern const struct mg_arch mg_arch_dscnn;
extern const struct mg_arch mg_arch_autoencoder;
extern const struct mg_arch mg_arch_mobilenet;
extern const struct mg_arch mg_arch_resnet;
extern const struct mg_arch mg_arch_mlp;

#endif
