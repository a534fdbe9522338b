/*
 * env.c - an environment passed in, read (util.h): the one lookup and the
 * one "is this variable true?" of the library and the CLI.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *Pa_env_get(const char *const *env, const char *name)
{
	size_t n, i;

	if (!env || !name)
		return NULL;
	n = strlen(name);
	if (!n)
		return NULL;
	for (i = 0; env[i]; i++)
		if (!strncmp(env[i], name, n) && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

int Pa_env_value_true(const char *v)
{
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") ||
	             !strcasecmp(v, "yes") || !strcasecmp(v, "on"));
}

int Pa_env_true(const char *const *env, const char *name)
{
	return Pa_env_value_true(Pa_env_get(env, name));
}
