/*
 * run_record.c — life cycle of struct prof_run (see run_record.h).
 */
#include "run_record.h"

#include <stdlib.h>

void prof_run_free(struct prof_run *r)
{
    free(r->layers);
    free(r->functions);
    r->layers = NULL;
    r->functions = NULL;
    r->n_layers = r->n_functions = 0;
}
