/*
 * randombytes.h — the randomness interface pqm4's schemes include
 * ("randombytes.h", PQClean's signature), which the trimmed pqm4 tree
 * names but does not hold (mupq/common/randombytes.h points into a
 * pqclean/ directory left out).  hal_mcusim.c implements it.
 */
#ifndef MCUSIM_PQM4_RANDOMBYTES_H
#define MCUSIM_PQM4_RANDOMBYTES_H

#include <stddef.h>
#include <stdint.h>

int randombytes(uint8_t *output, size_t n);

#endif
