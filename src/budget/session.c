/*
 * session.c - the one path from a project and an agent to a counted (and
 * trimmed) prompt, for every caller: the simple interface of promptasm.h
 * and every agent command of the CLI (build, explain, check, trim).
 *
 *     options + .promptasm.yaml -> tokenizer choice -> compose -> count
 *         -> whole-context estimate, heaviest blocks -> trim
 *
 * A session reads the config once, loads each tokenizer once, and (with
 * PA_SESSION_MANY) reads the project instructions once for all agents.
 * Whether counts are estimates is decided where the tokenizer is picked
 * and carried in the assembly and the trim spec from there.
 */
#define _POSIX_C_SOURCE 200809L
#include "base/base.h"
#include "discover/discover.h"

#include <stdlib.h>
#include <string.h>

/* One tokenizer per pick, loaded once for all agents. */
typedef struct session_tok {
	char *name, *model; /* the pick's, copied */
	int fallback, is_default;
	pa_tokenizer *tok;
	int estimate;       /* tok's counts for model are estimates */
} session_tok;

struct pa_session {
	pa_options opt;          /* the caller's; strings borrowed */
	pa_trim_overrides trim;  /* the caller's, or none */
	pa_compose_options compose; /* the caller's, the config's load: applied */
	pa_config *cfg;
	pa_config *user_cfg;     /* the user's own: approvals; NULL: none */
	pa_section_rule *rules;  /* the config's, then the caller's; NULL when
	                          * the caller has none */
	size_t n_rules;
	session_tok *toks;
	size_t ntoks;
	char *settings_model;    /* Claude Code's settings' `model`, or NULL */
};

struct pa_assembly {
	pa_session *session;     /* borrowed, or owned (pa_assemble) */
	int owns_session;
	pa_agent *agent;
	pa_prompt *prompt;
	pa_warnings warn;
	const pa_tokenizer *tok; /* the session's */
	const char *model;       /* decides whether counts are estimates */
	int estimate;
	double band_low, band_high; /* pa_claude_band(), estimates only */
	const char *claude_model; /* the model Claude Code runs the agent on */
	size_t tokens;           /* the composed prompt, untrimmed */
	int has_budget;
	pa_trim_spec spec;
	pa_trim_report *report;
	pa_status trim_status;
	pa_heavy_block *heavy;
	size_t nheavy;
	pa_context_estimate *context;
	pa_buf text;             /* the rendered prompt, trimmed when trimmed */
	pa_buf *untrimmed;       /* PA_ASSEMBLE_UNTRIMMED: one per section */
	size_t nuntrimmed;
};

void pa_options_init(pa_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->budget = PA_NO_BUDGET;
}

static pa_status load_config(pa_session *s, pa_error *err)
{
	Pa_places pl;
	pa_status st;

	if (s->opt.user_config) {
		st = pa_config_load_user(s->opt.user_config, &s->user_cfg, err);
		if (st != PA_OK)
			return st;
	}
	if (s->opt.no_config)
		return pa_config_parse("", 0, PA_CONFIG_FILE, &s->cfg, err);
	/* The project root of the places, resolved once into the session's
	 * cache (the one rule: pa_project_root()). */
	st = Pa_places_resolve(&pl, &s->compose, err);
	if (st != PA_OK)
		return st;
	st = pa_config_load(pl.root, &s->cfg, err);
	Pa_places_release(&pl);
	return st;
}

/* The section rules of every spec: the config's, then the caller's (a
 * later rule overrides an earlier one). */
static void combine_rules(pa_session *s)
{
	pa_trim_spec spec;

	if (!s->trim.n_rules)
		return;
	pa_trim_spec_init(&spec, PA_NO_BUDGET);
	pa_config_trim_spec(s->cfg, &spec);
	s->n_rules = spec.n_rules + s->trim.n_rules;
	s->rules = Pa_xmalloc(s->n_rules * sizeof(*s->rules));
	if (spec.n_rules)
		memcpy(s->rules, spec.rules, spec.n_rules * sizeof(*s->rules));
	memcpy(s->rules + spec.n_rules, s->trim.rules,
	       s->trim.n_rules * sizeof(*s->rules));
}

pa_status pa_session_new(const pa_options *opt, pa_session **out, pa_error *err)
{
	pa_session *s = Pa_xcalloc(1, sizeof(*s));
	pa_status st;

	*out = NULL;
	s->opt = *opt;
	if (opt->trim)
		s->trim = *opt->trim;
	/* The places and the environment come in with the options: the
	 * library reads no environment (NULL: all-zero options). */
	if (opt->compose)
		s->compose = *opt->compose;
	if (opt->project)
		s->compose.cwd = opt->project;
	if (opt->tokenizer && opt->model) {
		pa_session_free(s);
		return Pa_error_set(err, PA_ERR_INVALID, "", 0, 0,
		                    "a tokenizer and a model exclude each other");
	}
	/* Every session discovers once: its places, the settings at each
	 * level, the instruction files (a caller's cache was filled with
	 * other options, so the session keeps its own). */
	s->compose.cache = pa_compose_cache_new();
	st = load_config(s, err);
	if (st != PA_OK) {
		pa_session_free(s);
		return st;
	}
	if (s->user_cfg)
		pa_config_compose_options(s->user_cfg, &s->compose);
	pa_config_compose_options(s->cfg, &s->compose);
	/* The walks' limit: the caller's, else the config's, else the
	 * default; for the process, set before any walk. */
	pa_walk_limit_set(s->compose.max_entries);
	combine_rules(s);
	/* The main session's model as Claude Code's settings set it: an
	 * agent without `model:` inherits it (fixture settings-model).  The
	 * places of a working directory that cannot be used are compose's
	 * error to report. */
	{
		Pa_places pl;
		pa_error perr;
		if (Pa_places_init(&pl, &s->compose, &perr) == PA_OK) {
			if (pl.cc->model)
				s->settings_model = Pa_xstrdup(pl.cc->model);
			Pa_places_release(&pl);
		}
	}
	*out = s;
	return PA_OK;
}

void pa_session_free(pa_session *s)
{
	size_t i;

	if (!s)
		return;
	free(s->rules);
	free(s->settings_model);
	pa_compose_cache_free(s->compose.cache);
	for (i = 0; i < s->ntoks; i++) {
		free(s->toks[i].name);
		free(s->toks[i].model);
		pa_tokenizer_free(s->toks[i].tok);
	}
	free(s->toks);
	pa_config_free(s->cfg);
	pa_config_free(s->user_cfg);
	free(s);
}

const pa_config *pa_session_config(const pa_session *s)
{
	return s->cfg;
}

const pa_compose_options *pa_session_compose_options(const pa_session *s)
{
	return &s->compose;
}

static int same_string(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static char *copy_or_null(const char *s)
{
	return s ? Pa_xstrdup(s) : NULL;
}

pa_status pa_session_tokenizer(pa_session *s, const pa_agent *agent,
                               const pa_tokenizer **tok, const char **model,
                               int *estimate, pa_error *err)
{
	pa_tokenizer_pick pick;
	pa_tokenizer *loaded;
	session_tok *t;
	pa_status st;
	size_t i;

	pa_tokenizer_choose(s->opt.tokenizer, s->opt.model, s->cfg, agent, &pick);
	*model = pick.model;
	for (i = 0; i < s->ntoks; i++) {
		t = &s->toks[i];
		if (same_string(t->name, pick.name) && same_string(t->model, pick.model) &&
		    t->fallback == pick.fallback && t->is_default == pick.is_default) {
			*tok = t->tok;
			*estimate = t->estimate;
			return PA_OK;
		}
	}
	st = pa_tokenizer_load_pick(&pick, s->opt.tokenizer_dir, &loaded, err);
	if (st != PA_OK) {
		/* A name or model the caller gave is the caller's mistake;
		 * missing data of the default is the installation's. */
		if (st == PA_ERR_NOT_FOUND && (pick.fallback || pick.is_default ||
		    (!pick.model && !strcmp(pick.name, PA_DEFAULT_TOKENIZER))) && err)
			err->status = st = PA_ERR_DATA;
		return st;
	}
	if (s->opt.flags & PA_SESSION_MANY)
		pa_tokenizer_keep_counts(loaded, PA_CHECK_KEPT_COUNT_BYTES);
	s->toks = Pa_xgrow(s->toks, s->ntoks, sizeof(*s->toks));
	t = &s->toks[s->ntoks++];
	t->name = copy_or_null(pick.name);
	t->model = copy_or_null(pick.model);
	t->fallback = pick.fallback;
	t->is_default = pick.is_default;
	t->tok = loaded;
	t->estimate = pa_tokenizer_is_estimate(loaded, pick.model);
	*tok = loaded;
	*estimate = t->estimate;
	return PA_OK;
}

/* pa_session_spec(); *chosen tells whether a margin was asked for (a
 * flag or the config), else the band decides it. */
static int session_spec(const pa_session *s, const char *agent, int estimate,
                        pa_trim_spec *spec, int *chosen)
{
	size_t budget = PA_NO_BUDGET;
	int has_flag = s->opt.budget != PA_NO_BUDGET;
	int has = has_flag || pa_config_budget(s->cfg, agent, &budget);

	pa_trim_spec_init(spec, has_flag ? s->opt.budget : budget);
	spec->estimate = estimate;
	spec->margin = -1;
	pa_config_trim_spec(s->cfg, spec);
	*chosen = spec->margin >= 0 || s->trim.has_margin;
	if (spec->margin < 0)
		spec->margin = PA_DEFAULT_MARGIN;
	if (s->trim.has_margin)
		spec->margin = s->trim.margin;
	if (s->trim.has_reserve)
		spec->reserve = s->trim.reserve;
	if (s->trim.trim_body)
		spec->trim_body = 1;
	if (s->rules) {
		spec->rules = s->rules;
		spec->n_rules = s->n_rules;
	}
	return has;
}

int pa_session_spec(const pa_session *s, const char *agent, int estimate,
                    pa_trim_spec *spec)
{
	int chosen;

	return session_spec(s, agent, estimate, spec, &chosen);
}

const char *pa_session_claude_model(const pa_session *s, const pa_agent *agent)
{
	if (s->opt.model)
		return pa_claude_code_model(s->opt.model, NULL);
	return pa_claude_code_model(pa_agent_model(agent), pa_config_model(s->cfg)
	                            ? pa_config_model(s->cfg) : s->settings_model);
}

/* The agent named agent, or entry's, or with neither the main session's
 * (its budget that of main_name), assembled. */
static pa_status assemble(pa_session *s, const char *agent,
                          pa_agent_entry *entry, const char *main_name,
                          unsigned what, size_t heavy_top, pa_assembly **out,
                          pa_error *err)
{
	pa_assembly *a = Pa_xcalloc(1, sizeof(*a));
	pa_status st;
	int chosen = 0;

	*out = a;
	a->session = s;
	a->text = (pa_buf)PA_BUF_INIT;
	st = agent ? pa_agent_find(agent, &s->compose, &a->agent, &a->warn, err)
	     : entry ? pa_agent_load_entry(entry, &a->agent, &a->warn, err)
	     : pa_main_session_agent(&a->agent, err);
	if (st == PA_OK)
		st = pa_prompt_compose(a->agent, &s->compose, &a->prompt, &a->warn, err);
	if (st == PA_OK)
		st = pa_session_tokenizer(s, a->agent, &a->tok, &a->model,
		                          &a->estimate, err);
	if (st != PA_OK)
		return st;
	pa_prompt_render(a->prompt, &a->text);
	/* The trimmer counts the untrimmed prompt itself. */
	if (!(what & PA_ASSEMBLE_TRIM))
		st = pa_tokenizer_count(a->tok, a->text.ptr, a->text.len, &a->tokens,
		                        err);
	a->claude_model = pa_session_claude_model(s, a->agent);
	/* the whole context Claude Code gives an agent: a subagent's */
	if (st == PA_OK && (what & PA_ASSEMBLE_CONTEXT) && !main_name)
		st = pa_claude_code_estimate(a->prompt, a->agent, &s->compose, a->tok,
		                             a->claude_model, &a->context, err);
	a->has_budget = session_spec(s, main_name ? main_name : pa_agent_name(a->agent),
	                             a->estimate, &a->spec, &chosen);
	a->band_low = a->band_high = 1;
	if (st == PA_OK && a->estimate) {
		/* The model decides the band: the one the pick names (-m, the
		 * agent's or the config's model), else the one Claude Code
		 * runs the agent on. */
		st = pa_claude_band(a->claude_model, a->text.ptr, a->text.len,
		                    s->opt.tokenizer_dir,
		                    &a->band_low, &a->band_high, err);
		/* Budgets hold for the band's upper end whatever the text:
		 * what fits budget / high tokens fits however the model
		 * counts, and a budget is the same number of claude tokens
		 * for every agent on the model (not one per agent's mix of
		 * prose and code). */
		if (st == PA_OK && !chosen) {
			double lo_end, hi_end;

			st = pa_claude_band(a->claude_model, NULL, 0,
			                    s->opt.tokenizer_dir, &lo_end, &hi_end, err);
			if (st == PA_OK)
				a->spec.margin = 1 - 1 / hi_end;
		}
	}
	if (st != PA_OK)
		return st;
	return pa_assembly_more(a, what, heavy_top, err);
}

pa_status pa_session_assemble(pa_session *s, const char *agent,
                              pa_agent_entry *entry, unsigned what,
                              size_t heavy_top, pa_assembly **out,
                              pa_error *err)
{
	if (!agent && !entry) {
		*out = Pa_xcalloc(1, sizeof(**out));
		(*out)->session = s;
		(*out)->text = (pa_buf)PA_BUF_INIT;
		return Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
		                    "no agent and no entry given");
	}
	return assemble(s, agent, entry, NULL, what, heavy_top, out, err);
}

pa_status pa_session_assemble_main(pa_session *s, const char *name,
                                   unsigned what, size_t heavy_top,
                                   pa_assembly **out, pa_error *err)
{
	return assemble(s, NULL, NULL, name ? name : "main", what, heavy_top, out,
	                err);
}

pa_status pa_assembly_more(pa_assembly *a, unsigned what, size_t heavy_top,
                           pa_error *err)
{
	pa_status st = PA_OK;
	size_t i, len;
	const char *t;

	if ((what & PA_ASSEMBLE_HEAVY) && !a->heavy)
		st = pa_prompt_heavy_blocks(a->prompt, a->tok, heavy_top, &a->heavy,
		                            &a->nheavy, err);
	if (st != PA_OK || !(what & PA_ASSEMBLE_TRIM) || a->report)
		return st;
	if (what & PA_ASSEMBLE_UNTRIMMED) {
		a->nuntrimmed = pa_prompt_section_count(a->prompt);
		a->untrimmed = Pa_xcalloc(a->nuntrimmed + 1, sizeof(*a->untrimmed));
		for (i = 0; i < a->nuntrimmed; i++) {
			t = pa_prompt_section_text(a->prompt, i, &len);
			a->untrimmed[i] = (pa_buf)PA_BUF_INIT;
			pa_buf_put(&a->untrimmed[i], t, len);
		}
	}
	st = pa_trim_prompt(a->prompt, a->tok, &a->spec, &a->report, err);
	a->trim_status = st;
	if (a->report)
		a->tokens = a->report->tokens_before;
	if (st == PA_ERR_OVER_BUDGET)
		st = PA_OK;
	pa_buf_reset(&a->text);
	pa_prompt_render(a->prompt, &a->text);
	return st;
}

pa_status pa_assemble(const char *agent, const pa_options *opt,
                      pa_assembly **out, pa_error *err)
{
	pa_session *s;
	pa_status st;

	*out = NULL;
	st = pa_session_new(opt, &s, err);
	if (st != PA_OK)
		return st;
	st = pa_session_assemble(s, agent, NULL, PA_ASSEMBLE_TRIM, 0, out, err);
	(*out)->owns_session = 1;
	if (st == PA_OK && (*out)->trim_status == PA_ERR_OVER_BUDGET) {
		st = PA_ERR_OVER_BUDGET;
		Pa_error_set(err, st, pa_agent_path((*out)->agent), 0, 0,
		             "what may not be trimmed exceeds the budget");
	}
	return st;
}

void pa_assembly_free(pa_assembly *a)
{
	size_t i;

	if (!a)
		return;
	pa_agent_free(a->agent);
	pa_prompt_free(a->prompt);
	pa_warnings_release(&a->warn);
	pa_trim_report_free(a->report);
	pa_heavy_blocks_free(a->heavy, a->nheavy);
	pa_context_estimate_free(a->context);
	pa_buf_release(&a->text);
	for (i = 0; i < a->nuntrimmed; i++)
		pa_buf_release(&a->untrimmed[i]);
	free(a->untrimmed);
	if (a->owns_session)
		pa_session_free(a->session);
	free(a);
}

const char *pa_assembly_text(const pa_assembly *a, size_t *len)
{
	if (len)
		*len = a->text.len;
	return a->text.ptr;
}

size_t pa_assembly_tokens(const pa_assembly *a)
{
	return a->report ? a->report->tokens_after : a->tokens;
}

size_t pa_assembly_tokens_untrimmed(const pa_assembly *a)
{
	return a->tokens;
}

int pa_assembly_exact(const pa_assembly *a)
{
	return !a->estimate;
}

int pa_assembly_band(const pa_assembly *a, double *low, double *high)
{
	*low = a->estimate ? a->band_low : 1;
	*high = a->estimate ? a->band_high : 1;
	return a->estimate;
}

const pa_warnings *pa_assembly_warnings(const pa_assembly *a)
{
	return &a->warn;
}

const pa_agent *pa_assembly_agent(const pa_assembly *a)
{
	return a->agent;
}

pa_prompt *pa_assembly_prompt(const pa_assembly *a)
{
	return a->prompt;
}

const pa_tokenizer *pa_assembly_tokenizer(const pa_assembly *a,
                                          const char **model)
{
	if (model)
		*model = a->model;
	return a->tok;
}

const char *pa_assembly_claude_model(const pa_assembly *a)
{
	return a->claude_model;
}

int pa_assembly_spec(const pa_assembly *a, const pa_trim_spec **spec)
{
	if (spec)
		*spec = &a->spec;
	return a->has_budget;
}

const pa_trim_report *pa_assembly_trim(const pa_assembly *a, pa_status *status)
{
	if (status)
		*status = a->trim_status;
	return a->report;
}

const pa_heavy_block *pa_assembly_heavy(const pa_assembly *a, size_t *n)
{
	*n = a->nheavy;
	return a->heavy;
}

const pa_context_estimate *pa_assembly_context(const pa_assembly *a)
{
	return a->context;
}

pa_context_estimate *pa_assembly_take_context(pa_assembly *a)
{
	pa_context_estimate *c = a->context;

	a->context = NULL;
	return c;
}

const char *pa_assembly_untrimmed(const pa_assembly *a, size_t i, size_t *len)
{
	if (i >= a->nuntrimmed) {
		*len = 0;
		return NULL;
	}
	*len = a->untrimmed[i].len;
	return a->untrimmed[i].ptr;
}
