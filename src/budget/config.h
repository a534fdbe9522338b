/*
 * config.h - the keys of .promptasm.yaml, as config.c's one table holds
 * them, for the tests that check promptasm(1)'s CONFIGURATION and the
 * example of promptasm.h against it.  Internal to the budget layer.
 */
#ifndef PA_BUDGET_CONFIG_H
#define PA_BUDGET_CONFIG_H

#include <stddef.h>

typedef enum Pa_config_table {
	PA_CONFIG_TOP = 0,    /* the keys of the file */
	PA_CONFIG_LOAD = 1,   /* of `load:` */
	PA_CONFIG_RULE = 2    /* of an item of `sections:` */
} Pa_config_table;

/* The i-th key of a table and (doc, when not NULL) its line of doc; NULL
 * past the last.  Static storage. */
const char *Pa_config_key(Pa_config_table table, size_t i, const char **doc);

#endif
