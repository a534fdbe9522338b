/*
 * session.c - what else the main session of Claude Code reads for a
 * working directory: the skill and command files it lists, the
 * repository's git state its environment names, the text of a project's
 * output style, and MEMORY.md as its system prompt counts it.  The
 * estimate (compose/main_session.c) is a function of these.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --mcp-tools SERVER=FILE: the user's own file, which must be there. */
static const Pa_cfg_rule tools_rule = {
	"tools list", "promptasm", PA_CONFIG_MAX_BYTES, 0, PA_CFG_REFUSE,
	PA_CFG_REFUSE, PA_CFG_REFUSE, PA_CFG_JSON
};

/* ---- the skills and commands listed ---- */

/* The entries of a directory, sorted; at most pa_walk_limit(), and
 * past them a warning that fails check: which ones were listed would
 * depend on the file system's order. */
static char **dir_names(Pa_cc_skill_files *out, const Pa_places *pl,
                        const char *dir, size_t *n)
{
	char **names = Pa_project_list(dir, pa_walk_limit() + 1, n);

	if (*n > pa_walk_limit()) {
		char why[200], *shown = Pa_path_display(dir, pl->root, pl->home);

		snprintf(why, sizeof(why), "the walk stopped at its limit of %zu "
		         "directory entries; the rest is not read (" PA_WALK_RAISE ")",
		         pa_walk_limit());
		Pa_warn_incomplete(&out->warn, shown, why);
		free(shown);
		free(names[--*n]);
	}
	return names;
}

static void add_file(Pa_cc_skill_files *out, const Pa_places *pl,
                     const char *file, const char *fallback, const char *prefix)
{
	Pa_cc_listed_skill *s;

	/* The name it is listed by (its directory's or its file's, with its
	 * subdirectories'), when not valid UTF-8, can be put in no listing
	 * or report as it is: its count failed the whole run with "invalid
	 * UTF-8", naming no file.  Not read, as a walk does (paths.c). */
	if (!pa_utf8_valid(fallback, strlen(fallback), NULL) ||
	    (prefix && !pa_utf8_valid(prefix, strlen(prefix), NULL))) {
		char *shown = Pa_path_display(file, pl->root, pl->home);

		Pa_warn_incomplete(&out->warn, shown, "its name is not valid UTF-8");
		free(shown);
		return;
	}

	out->items = Pa_xgrow(out->items, out->n, sizeof(*out->items));
	s = &out->items[out->n++];
	s->file = Pa_xstrdup(file);
	s->fallback = Pa_xstrdup(fallback);
	s->prefix = prefix ? Pa_xstrdup(prefix) : NULL;
}

/* cmds/NAME.md, and cmds/DIR/NAME.md as "DIR:NAME" at any depth
 * (measured: fixture commands-subfolder). */
static void commands_of(Pa_cc_skill_files *out, const Pa_places *pl,
                        const char *cmds, const char *prefix, int depth)
{
	char **names;
	size_t i, n;
	struct stat st;

	if (depth > 8)
		return;
	names = dir_names(out, pl, cmds, &n);
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		char *file = Pa_path_join(cmds, names[i]);
		if (Pa_project_stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
			pa_buf sub = PA_BUF_INIT;
			pa_buf_printf(&sub, "%s%s%s", prefix ? prefix : "",
			              prefix ? ":" : "", names[i]);
			commands_of(out, pl, file, sub.ptr, depth + 1);
			pa_buf_release(&sub);
		} else if (len >= 4 && !strcmp(names[i] + len - 3, ".md")) {
			names[i][len - 3] = '\0';
			add_file(out, pl, file, names[i], prefix);
		}
		free(file);
	}
	Pa_strings_free(names, n);
}

/* dir/NAME/SKILL.md for each NAME, and the commands of cmds. */
static void skills_of(Pa_cc_skill_files *out, const Pa_places *pl,
                      const char *dir, const char *cmds, const char *prefix)
{
	char **names;
	size_t i, n;

	names = dir_names(out, pl, dir, &n);
	for (i = 0; i < n; i++) {
		char *sub = Pa_path_join(dir, names[i]);
		char *file = Pa_path_join(sub, "SKILL.md");
		add_file(out, pl, file, names[i], prefix);
		free(file);
		free(sub);
	}
	Pa_strings_free(names, n);
	commands_of(out, pl, cmds, prefix, 0);
}

void Pa_cc_find_listed_skills(Pa_cc_skill_files *out, const Pa_places *pl)
{
	size_t i;
	char *dir, *a, *b;

	memset(out, 0, sizeof(*out));
	/* The managed policy directory's first: its names win (fixture
	 * managed-agents). */
	if (pl->cc && pl->cc->managed_dir) {
		a = Pa_path_join(pl->cc->managed_dir, ".claude/skills");
		b = Pa_path_join(pl->cc->managed_dir, ".claude/commands");
		skills_of(out, pl, a, b, NULL);
		free(a);
		free(b);
	}
	if (pl->user) {
		a = Pa_path_join(pl->user, "skills");
		b = Pa_path_join(pl->user, "commands");
		skills_of(out, pl, a, b, NULL);
		free(a);
		free(b);
	}
	/* The working directory and each directory up to the repository
	 * root (the project root outside one). */
	dir = Pa_xstrdup(pl->cwd);
	for (;;) {
		char *claude = Pa_path_join(dir, ".claude"), *up;
		const char *top = pl->repo ? pl->repo : pl->root;
		a = Pa_path_join(claude, "skills");
		b = Pa_path_join(claude, "commands");
		skills_of(out, pl, a, b, NULL);
		free(a);
		free(b);
		free(claude);
		if (!top || !strcmp(dir, top) || !Pa_path_under(dir, top) ||
		    Pa_path_is_top(dir))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	/* Each enabled plugin's skills and commands, as "PLUGIN:NAME". */
	for (i = 0; pl->cc && i < pl->cc->n_plugins; i++) {
		const Pa_cc_plugin *pg = &pl->cc->plugins[i];
		struct stat st;
		size_t d;
		a = Pa_path_join(pg->dir, "skills");
		/* The manifest's `commands` replace commands/ (fixture
		 * plugin-commands). */
		b = pg->commands_listed ? Pa_xstrdup("") : Pa_path_join(pg->dir, "commands");
		skills_of(out, pl, a, b, pg->name);
		free(a);
		free(b);
		for (d = 0; d < pg->n_commands; d++) {
			const char *entry = pg->commands[d], *base = strrchr(entry, '/');
			size_t bl = base ? strlen(base + 1) : 0;
			if (Pa_project_stat(entry, &st) == 0 && S_ISDIR(st.st_mode)) {
				commands_of(out, pl, entry, pg->name, 0);
			} else if (bl > 3 && !strcmp(base + bl - 2, ".md")) {
				char *stem = Pa_xstrndup(base + 1, bl - 3);
				add_file(out, pl, entry, stem, pg->name);
				free(stem);
			}
		}
		/* and the manifest's `skills` directories (no commands there),
		 * or a skill's own directory */
		for (d = 0; d < pg->n_skills; d++) {
			char *own = Pa_path_join(pg->skills[d], "SKILL.md");
			const char *base = strrchr(pg->skills[d], '/');
			if (Pa_project_stat(own, &st) == 0 && S_ISREG(st.st_mode) && base)
				add_file(out, pl, own, base + 1, pg->name);
			else
				skills_of(out, pl, pg->skills[d], "", pg->name);
			free(own);
		}
	}
}

void Pa_cc_skill_files_release(Pa_cc_skill_files *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->items[i].file);
		free(s->items[i].fallback);
		free(s->items[i].prefix);
	}
	free(s->items);
	pa_warnings_release(&s->warn);
	memset(s, 0, sizeof(*s));
}

pa_status Pa_cc_read_skill(const char *file, pa_buf *text, pa_error *err)
{
	return Pa_project_read(file, PA_AGENT_MAX_BYTES, 0, text, err);
}

/* ---- git ---- */

/* The branch of .git/HEAD ("" when detached or unreadable). */
static char *git_branch(const char *gitdir)
{
	char *head = Pa_path_join(gitdir, "HEAD");
	pa_buf text = PA_BUF_INIT, out = PA_BUF_INIT;
	pa_error ferr;
	const char *ref = "ref: refs/heads/";

	if (Pa_project_read(head, 4096, 0, &text, &ferr) == PA_OK &&
	    !strncmp(text.ptr, ref, strlen(ref)))
		pa_buf_put(&out, text.ptr + strlen(ref),
		           strcspn(text.ptr + strlen(ref), "\r\n"));
	pa_buf_release(&text);
	free(head);
	return pa_buf_detach(&out, NULL);
}

/* The last commits from the reflog (.git/logs/HEAD): "HASH7 SUBJECT" of
 * each `commit` entry, newest first, at most max. */
static void git_commits(Pa_cc_git *g, const char *gitdir, size_t max)
{
	char *log = Pa_path_join(gitdir, "logs/HEAD");
	pa_buf text = PA_BUF_INIT, line = PA_BUF_INIT;
	pa_error ferr;
	size_t end;

	if (Pa_project_read(log, PA_INSTRUCTIONS_MAX_BYTES, 0, &text,
	                         &ferr) == PA_OK) {
		end = text.len;
		while (end > 0 && g->n_commits < max) {
			size_t start = end;
			const char *l, *tab, *msg;
			while (start > 0 && text.ptr[start - 1] != '\n')
				start--;
			l = text.ptr + start;
			tab = memchr(l, '\t', end - start);
			if (tab && end - start > 81 && !strncmp(tab + 1, "commit", 6) &&
			    (msg = memchr(tab, ':', (size_t)(text.ptr + end - tab)))) {
				msg++;
				while (*msg == ' ')
					msg++;
				pa_buf_reset(&line);
				pa_buf_put(&line, l + 41, 7);
				pa_buf_putc(&line, ' ');
				pa_buf_put(&line, msg, (size_t)(text.ptr + end - msg));
				Pa_text_normalize_newlines(&line);
				g->commits = Pa_xgrow(g->commits, g->n_commits,
				                      sizeof(*g->commits));
				g->commits[g->n_commits++] =
					Pa_xstrndup(line.ptr, strcspn(line.ptr, "\n"));
			}
			end = start > 0 ? start - 1 : 0;
		}
	}
	pa_buf_release(&text);
	pa_buf_release(&line);
	free(log);
}

void Pa_cc_read_git(Pa_cc_git *g, const Pa_places *pl, pa_harness_cache *cache,
                    size_t max_commits)
{
	char *gitdir = pl->repo ? Pa_repository_dotgit(pl->repo) : NULL;
	/* looked at once for the run, as the root rules looked at it */
	unsigned kind = gitdir ? Pa_hx_kind(cache, gitdir) : 0;
	struct stat st;
	pa_buf link = PA_BUF_INIT;
	pa_error ferr;

	memset(g, 0, sizeof(*g));
	/* A worktree's or submodule's .git is a file naming the directory:
	 * "gitdir: PATH", relative to the repository root when not absolute. */
	if ((kind & HX_KIND_REG) &&
	    Pa_project_read(gitdir, 4096, 0, &link, &ferr) == PA_OK &&
	    !strncmp(link.ptr, "gitdir: ", 8)) {
		char *to = Pa_xstrndup(link.ptr + 8, strcspn(link.ptr + 8, "\r\n"));
		free(gitdir);
		gitdir = Pa_path_normalize(pl->repo, to);
		free(to);
		kind = Pa_project_stat(gitdir, &st) == 0 && S_ISDIR(st.st_mode) ?
		       HX_KIND_DIR : 0;
	}
	pa_buf_release(&link);
	if (gitdir && (kind & HX_KIND_DIR)) {
		g->found = 1;
		g->branch = git_branch(gitdir);
		git_commits(g, gitdir, max_commits);
		g->worktree = strcmp(pl->main_repo, pl->repo) != 0;
	}
	free(gitdir);
}

void Pa_cc_git_release(Pa_cc_git *g)
{
	if (!g)
		return;
	free(g->branch);
	Pa_strings_free(g->commits, g->n_commits);
	memset(g, 0, sizeof(*g));
}

/* ---- the rest ---- */

pa_status Pa_cc_read_output_style(const Pa_cc_config *c, pa_buf *text)
{
	pa_error ferr;

	if (!c->output_style_file)
		return PA_ERR_NOT_FOUND;
	return Pa_project_read(c->output_style_file, PA_AGENT_MAX_BYTES, 0,
	                            text, &ferr);
}


pa_status Pa_cc_read_tools_list(const char *file, Pa_jnode **root,
                                pa_error *err)
{
	Pa_cfg_json j;
	pa_status st = Pa_cfg_json_read(&tools_rule, file, file, NULL,
	                                &j, NULL, err);

	*root = j.own;
	return st;
}

char *Pa_places_cwd(const char *cwd)
{
	return Pa_project_realpath(cwd);
}
