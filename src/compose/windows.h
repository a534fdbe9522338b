/*
 * windows.h - each model's context window as `/context` showed it
 * (windows.c), for the main session's composition and an agent's alike.
 * Not installed.
 */
#ifndef PA_WINDOWS_H
#define PA_WINDOWS_H

#include <stddef.h>

/* The window and reserve of a model: `model` the name or alias asked for,
 * `id` the id Claude Code sends for it (pa_claude_code_model(); may be
 * `model` itself).  1 when measured; else 0 with a window of 200,000 for
 * a name that starts with "claude-", 0 for any other, and no reserve. */
int Pa_model_window(const char *model, const char *id, size_t *window, size_t *reserve);

#endif
