/*
 * claude_code.h - Claude Code's own model, discovered by this layer
 * (discover.h says what and when): its configuration (settings at every
 * level, plugins, MCP servers, hooks), its instruction files, memory,
 * agents, skills and what the main session reads besides.  Over the
 * shared services (services.h); no other CLI's backend includes it.
 * Not installed.
 */
#ifndef PA_CLAUDE_CODE_H
#define PA_CLAUDE_CODE_H

#include "services.h"

/* How Claude Code takes a plugin's registry, catalog, manifest and
 * hooks.json (plugins.c; hooks.c reads with it too). */
extern const Pa_cfg_rule Pa_cfg_cc_plugin;

/* ---- Claude Code's configuration ----
 *
 * Its settings files, lowest precedence first (measured on Claude Code
 * 2.1.332, tests/oracle/ fixtures settings-*, automem-*, plugin-*):
 *   user     settings.json of the user's Claude directory;
 *   project  .claude/settings.json of the working directory (not of the
 *            project or repository root: started in pkg/, pkg's);
 *   local    .claude/settings.local.json of the working directory;
 *   managed  managed-settings.json beside the managed policy file, then
 *            each managed-settings.d/NAME.json beside it in name order
 *            (dot-files skipped), merged as later levels are (fixture
 *            managed-dropins).
 * A managed file that is not JSON stops Claude Code before any request:
 * discovery fails with its error (file:line:col), as Pa_cc_config.status
 * says (fixtures managed-invalid, managed-invalid-dropin); a key of the
 * wrong type in it is ignored alone, the rest applies (fixture
 * managed-invalid-type).
 * A file that is not strict JSON (a comment, a trailing comma), that is
 * not an object, or that has a known key of the wrong type (settings.c's
 * table: `permissions.allow` a string) is dropped whole, with a warning
 * naming it; a byte order mark is allowed.  The merge:
 *   claudeMdExcludes, permissions.deny   the lists of every file add up;
 *   env, enabledPlugins                  key by key, a later file's value
 *                                        winning (`false` turns a plugin
 *                                        off), in the order keys first
 *                                        appear;
 *   anything else                        the file of highest precedence
 *                                        that sets it wins.
 */
typedef enum Pa_cc_level {
	PA_CC_USER = 0,
	PA_CC_PROJECT = 1,
	PA_CC_LOCAL = 2,
	PA_CC_MANAGED = 3,
	PA_CC_LEVELS = 4
} Pa_cc_level;

/* An enabled plugin, as Claude Code loads it (plugins.c says how it is
 * found). */
typedef struct Pa_cc_plugin {
	char *id;      /* NAME@MARKETPLACE, as enabled */
	char *name;    /* the namespace of its agents and skills */
	char *dir;     /* absolute: its root */
	/* The manifest's `agents`: files (absolute) that replace the scan of
	 * agents/ when agents_listed; likewise `skills`, directories. */
	char **agents;
	size_t n_agents;
	int agents_listed;
	char **skills;
	size_t n_skills;
	int skills_listed;
	/* The manifest's `commands`: files and directories (absolute) that
	 * replace the scan of commands/ when commands_listed (fixture
	 * plugin-commands). */
	char **commands;
	size_t n_commands;
	int commands_listed;
} Pa_cc_plugin;

/* An MCP server configured for the working directory. */
typedef struct Pa_cc_server {
	char *name;
	const char *scope; /* "project" (.mcp.json), "local" or "user"
	                    * (~/.claude.json), "plugin" (a plugin's
	                    * .mcp.json, named plugin:PLUGIN:NAME) */
	int stdio;         /* it has a `command`: Claude Code would start it */
	/* How it is started (--trust, compose/trust.c): its command, args
	 * and env ("NAME=VALUE"), and the file (shown) that configures it. */
	char *command;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	char *from;
} Pa_cc_server;

/* A command hook of the settings (hooks.c): of SessionStart (those
 * whose matcher takes "startup"), UserPromptSubmit or SubagentStart, in
 * the order of the levels, then of the file. */
typedef struct Pa_cc_hook {
	const char *event;  /* "SessionStart", "UserPromptSubmit", "SubagentStart" */
	char *command;
	char *from;         /* the settings file (shown) */
	long timeout_ms;    /* its `timeout`, 0 when none */
	char *matcher;      /* SubagentStart's, against the agent type; NULL
	                     * when none (Pa_cc_hook_matches) */
	int managed;        /* of a managed settings file */
} Pa_cc_hook;

/* 1 when a SubagentStart hook runs for agent type `type` (the agent's
 * name, "plugin:name" for a plugin's), as Claude Code 2.1.332 matches
 * (fixtures hooks-subagent-*): no matcher, "" or "*" take every type; a
 * matcher of letters, digits, '_' and '|' is a list of names, exact and
 * case-sensitive; any other is a regular expression searched in the
 * type (one that does not compile takes none). */
int Pa_cc_hook_matches(const Pa_cc_hook *hook, const char *type);

/* An entry of skillOverrides, as a settings file of `level` sets it
 * (fixture skills-overrides). */
typedef enum Pa_cc_override_value {
	PA_CC_SKILL_ON = 0,
	PA_CC_SKILL_NAME_ONLY = 1,      /* listed by its bare name */
	PA_CC_SKILL_USER_ONLY = 2,      /* user-invocable-only: not listed
	                                 * nor preloaded */
	PA_CC_SKILL_OFF = 3             /* not listed nor preloaded */
} Pa_cc_override_value;

typedef struct Pa_cc_override {
	char *name;
	Pa_cc_override_value value;
	Pa_cc_level level;
} Pa_cc_override;

/* A key of enabledPlugins, merged over the levels. */
typedef struct Pa_cc_enabled {
	char *id;
	int on;
	size_t order; /* of first appearance */
} Pa_cc_enabled;

typedef struct Pa_cc_config {
	/* The settings file of each level (absolute), NULL when there is
	 * none or it was dropped. */
	char *files[PA_CC_LEVELS];
	/* claudeMdExcludes of every file, each with the file (shown) it came
	 * from. */
	char **excludes;
	char **exclude_from;
	size_t n_excludes;
	int auto_memory;            /* autoMemoryEnabled: -1 unset, 0, 1 */
	char *auto_memory_dir;      /* absolute, or NULL (default) */
	char *auto_memory_dir_from; /* the file (shown) that set it */
	Pa_cc_level auto_memory_dir_level; /* and its level */
	char *policy_text;          /* the managed claudeMd, or NULL, */
	size_t policy_text_len;     /* its length: it may hold a NUL */
	char *policy_from;          /* the managed settings file, absolute */
	char *model;                /* `model`, or NULL */
	char *model_from;
	char *output_style;         /* `outputStyle`, or NULL */
	/* The file of a project or user output style of that name
	 * (.claude/output-styles/NAME.md of the working directory, else of
	 * the user's directory), absolute, or NULL. */
	char *output_style_file;
	int co_authored_by;         /* includeCoAuthoredBy: -1 unset, 0, 1 */
	int git_instructions;       /* includeGitInstructions: -1 unset, 0, 1 */
	int bundled_skills;         /* disableBundledSkills: -1 unset, 0 (it
	                             * is true), 1 */
	/* skillListingBudgetFraction (a number over 0 and at most 1; 0:
	 * unset) and skillListingMaxDescChars (a positive whole number; 0:
	 * unset) of the last file that sets them (Pa_cc_skill_listing_budget). */
	double skill_listing_fraction;
	long skill_listing_max_desc;
	/* attribution.commit and .pr, or NULL, with their lengths: a text
	 * may hold a NUL, which Claude Code sends. */
	char *attribution_commit;
	size_t attribution_commit_len;
	char *attribution_pr;
	size_t attribution_pr_len;
	char **deny;                /* permissions.deny of every file */
	size_t n_deny;
	/* The environment Claude Code runs with: the options' environment,
	 * then the settings' `env` over it.  NAME and VALUE pairs. */
	char **env;
	size_t n_env;
	/* enabledPlugins, sorted by id (Pa_cc_plugin_enabled looks up). */
	Pa_cc_enabled *enabled;
	size_t n_enabled;
	Pa_cc_plugin *plugins;      /* the enabled plugins found installed */
	size_t n_plugins;
	Pa_cc_server *servers;      /* by name, first scope wins */
	size_t n_servers;
	Pa_cc_hook *hooks;          /* none when disableAllHooks */
	size_t n_hooks;
	int hooks_disabled;         /* a file said disableAllHooks */
	int managed_hooks_only;     /* the managed settings said
	                             * allowManagedHooksOnly: the other
	                             * levels' and the plugins' hooks are
	                             * dropped */
	/* skillOverrides of every file, in the order read (user, project,
	 * local, the managed files); Pa_cc_skill_override looks up. */
	Pa_cc_override *overrides;
	size_t n_overrides;
	char **mcp_disabled;        /* disabledMcpjsonServers of every file */
	size_t n_mcp_disabled;
	char **mcp_denied;          /* the managed files' deniedMcpServers
	                             * (serverName): not started, of any
	                             * scope but a plugin's */
	size_t n_mcp_denied;
	pa_warnings warn;           /* what discovering it warned */
	/* The managed policy's directory (absolute; NULL with no_managed):
	 * its .claude/agents, skills and commands win over the user's and
	 * the project's of the same name (fixture managed-agents). */
	char *managed_dir;
	/* Every file the discovery read (settings of each level, the managed
	 * settings, plugins' manifests and hooks, .mcp.json files, the output
	 * style's file), each once, as read: what a command that writes a
	 * file must never replace (pa_compose_cache_input_at()). */
	char **inputs;
	size_t n_inputs;
	/* PA_OK, or why Claude Code would not start (a managed settings file
	 * that does not parse): Pa_places_init() then fails with err. */
	pa_status status;
	pa_error err;
} Pa_cc_config;

/* The settings part, by the name the instruction loader knows it. */
typedef Pa_cc_config Pa_cc_settings;

/* Notes path among c's inputs when it names a file (a missing one is
 * none to protect). */
void Pa_cc_note_input(Pa_cc_config *c, const char *path);

/* The tree of one of Claude Code's JSON files (rule: this file's), by
 * Pa_cfg_json_read(): NULL when it is missing, or (with a warning naming
 * shown in c's warnings) unreadable or not JSON; the file is noted among
 * c's inputs.  The caller frees it with Pa_jnode_free(). */
struct Pa_jnode *Pa_cc_read_json(Pa_cc_config *c, const char *path,
                                 const Pa_cfg_rule *rule, const char *shown);

/* Reads Claude Code's configuration for pl and opt into c (every field
 * empty where no file exists).  User files are skipped with opt->no_user,
 * the managed ones with opt->no_managed. */
void Pa_cc_discover(Pa_cc_config *c, const pa_compose_options *opt,
                    const Pa_places *pl);
void Pa_cc_release(Pa_cc_config *c);

/* The value of environment variable name as Claude Code sees it, or
 * NULL.  Borrowed from c. */
const char *Pa_cc_getenv(const Pa_cc_config *c, const char *name);
/* 1 when name is set to a value Claude Code takes as true (1, true, yes,
 * on, in any case). */
int Pa_cc_env_true(const Pa_cc_config *c, const char *name);
/* 1 when a settings file keeps srv, a project server (.mcp.json), from
 * starting: disabledMcpjsonServers names it.  Claude Code starts every
 * other one in -p mode (measured: one approved by name, one not, both
 * start), where an interactive session would ask. */
int Pa_cc_server_disabled(const Pa_cc_config *cc, const Pa_cc_server *srv);
/* 1 when Claude Code leaves out its git instructions: no git status, no
 * attribution, a shorter Bash tool (includeGitInstructions false, or
 * CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS; fixtures settings-git-off*,
 * ctx-settings-git-off*). */
int Pa_cc_git_instructions_off(const Pa_cc_config *c);
/* The attribution Claude Code asks for: 0 none (includeCoAuthoredBy
 * false, or attribution.commit and .pr both empty), 1 its own, 2 the
 * settings' texts (attribution.commit, .pr; fixtures settings-attribution,
 * ctx-settings-attribution*). */
int Pa_cc_attribution(const Pa_cc_config *c);
/* What skillOverrides say of skill `name`: a managed file's entry wins
 * (the last managed file that names it), `on` too; else the first of the
 * local, project and user files that names it; PA_CC_SKILL_ON when none
 * does (fixture skills-overrides, context fixture skills-overrides). */
Pa_cc_override_value Pa_cc_skill_override(const Pa_cc_config *c,
                                          const char *name);
/* 1 when Claude Code leaves its bundled skills out of every listing
 * (disableBundledSkills true, or CLAUDE_CODE_DISABLE_BUNDLED_SKILLS;
 * fixtures settings-bundled-off*, ctx-settings-bundled-off*). */
int Pa_cc_bundled_skills_off(const Pa_cc_config *c);
/* The characters (UTF-16 units) a skills listing may take for a model of
 * `window` tokens, as Claude Code 2.1.332 reckons it (context fixtures
 * skills-budget-*): SLASH_COMMAND_TOOL_CHAR_BUDGET when it is a positive
 * whole number, else 4 * window * skillListingBudgetFraction (0.01 when
 * unset), a window counted as 750,000 tokens at most.  0 when window is 0
 * (no budget known). */
size_t Pa_cc_skill_listing_budget(const Pa_cc_config *c, size_t window);
/* -1 when id is not in enabledPlugins, else 0 (off) or 1 (on). */
int Pa_cc_plugin_enabled(const Pa_cc_config *c, const char *id);
/* The pattern that excludes the file at absolute path `path`, or NULL;
 * *from (may be NULL) gets the settings file it came from.  Borrowed. */
const char *Pa_cc_settings_excludes(const Pa_cc_settings *s, const char *path,
                                    const char **from);
/* 1 when a permissions.deny rule names the whole tool `tool` (the bare
 * name, no parentheses); `Task`, the Agent tool's old name, denies it
 * too (fixture ctx-settings-deny-task). */
int Pa_cc_denies_tool(const Pa_cc_config *c, const char *tool);
/* The permissions.deny rule that keeps Claude Code from running agent
 * `name`: Agent or Task whole (the main session gets no Agent tool and
 * lists no agent), or Agent(NAME) or Task(NAME) of this agent (it is not
 * listed); NULL when none does.  With name NULL, only a whole rule.
 * Borrowed.  (Fixtures settings-deny-task, settings-deny-agent-list,
 * settings-deny-agent-rule, ctx-settings-deny-agent*.) */
const char *Pa_cc_denied_agent(const Pa_cc_config *c, const char *name);

/* ---- Claude Code's instruction files ----
 *
 * The CLAUDE.md files, rules and @imports Claude Code loads for a working
 * directory, in its order (instructions.c says which and how), each read
 * once, its frontmatter and HTML comments removed, with what reading
 * them warned.  compose/ makes each a section; it opens none itself. */
typedef struct Pa_cc_instruction {
	pa_section_kind kind; /* MANAGED, USER, PROJECT, LOCAL, RULE, IMPORT,
	                       * SKILL */
	int policy;     /* the managed settings' claudeMd, not a file: shown
	                 * and real are the settings file */
	int managed;    /* of the managed policy: its file, claudeMd, rules
	                 * and their imports */
	char *shown;    /* the path as shown */
	char *real;     /* its real path */
	char *parent;   /* an import: the importing file (shown); a skill:
	                 * its name; else NULL */
	int depth;      /* an import's level, 1 to PA_IMPORT_MAX_DEPTH */
	char *text;     /* as sent: without frontmatter, comments and the
	                 * blank lines around it; never empty */
	size_t len;
	long *lines;    /* the file's line of each line of text (0: none) */
	size_t nlines;
} Pa_cc_instruction;

typedef struct Pa_cc_instructions {
	Pa_cc_instruction *files; /* in the order they are sent */
	size_t n;
	pa_warnings warn;         /* what reading them warned, in order */
	pa_status status;         /* PA_OK, or why nothing was read (a
	                           * --managed-file that is missing) ... */
	pa_error err;             /* ... and its message */
} Pa_cc_instructions;

/* The instruction files of pl's working directory as opt asks (the
 * managed file, the user's, the ancestors, --for-file, approved
 * imports): kept in opt's cache, discovered on the first call (a failed
 * discovery is not kept); without a cache, read into *own.  The caller
 * releases *own with Pa_cc_instructions_release() in either case.
 * Read only when asked: CLAUDE_CODE_DISABLE_CLAUDE_MDS reads none. */
const Pa_cc_instructions *Pa_places_instructions(const Pa_places *pl,
                                                 const pa_compose_options *opt,
                                                 Pa_cc_instructions *own);
/* Reads them (the above without the cache). */
pa_status Pa_cc_read_instructions(Pa_cc_instructions *out,
                                  const pa_compose_options *opt,
                                  const Pa_places *pl, pa_error *err);
/* Reads one file as an instruction file of the given kind under
 * `parent` (a preloaded skill's SKILL.md: kind PA_SECTION_SKILL, parent
 * its name; its @words are not imports), with its imports otherwise. */
void Pa_cc_read_instruction_file(Pa_cc_instructions *out,
                                 const pa_compose_options *opt,
                                 const Pa_places *pl, const char *path,
                                 pa_section_kind kind, const char *parent);
void Pa_cc_instructions_release(Pa_cc_instructions *x); /* NULL: nothing */
/* The directories below pl->cwd holding a CLAUDE.md, .claude/CLAUDE.md or
 * CLAUDE.local.md, whose files Claude Code loads on demand (when it reads
 * a file there), sorted; node_modules and .git are not walked, links not
 * followed; *incomplete set when the walk stopped at its limit.  The
 * caller frees each and the array with pa_free(). */
void Pa_cc_find_on_demand_dirs(const Pa_places *pl, pa_harness_cache *cache,
                               char ***dirs, size_t *n, int *incomplete);

/* ---- memory ----
 * MEMORY.md of an agent's memory directory and of the main session's
 * auto memory (memory.c), read and cut as Claude Code loads them. */

/* Cuts MEMORY.md's text as Claude Code loads it: trimmed, the first
 * PA_MEMORY_MAX_LINES lines, then at most PA_MEMORY_MAX_CHARS characters cut
 * at a newline.  Appends the kept text to out; returns 1 and fills note
 * ("200 of 230 lines (1234 of 2345 bytes)") when something was cut.
 * *skipped_lines (may be NULL) gets the number of blank lines trimmed
 * from the start. */
int Pa_memory_cut(const char *text, size_t len, pa_buf *out, pa_buf *note,
                  size_t *skipped_lines);

/* The memory directory of agent `name` in scope, or NULL with err set for
 * an unknown scope or a missing home.  Caller frees. */
char *Pa_memory_dir(const char *scope, const char *name,
                    const Pa_places *pl, pa_error *err);

/* One MEMORY.md of an agent as read and cut. */
typedef struct Pa_cc_memory {
	Pa_file_id id;  /* which file it is, for the cache below */
	pa_buf raw;     /* CRLF made LF, NUL bytes dropped, invalid UTF-8
	                 * replaced */
	int lossy;      /* it was not valid UTF-8 */
	pa_buf kept;    /* what the load rules keep (Pa_memory_cut) */
	pa_buf note;    /* what they cut, as Pa_memory_cut says it */
	size_t skipped; /* blank lines trimmed from its start */
	int cut;
} Pa_cc_memory;

/* The MEMORY.md files a compose cache keeps (pa_compose_cache.memory),
 * read and cut once for the agents whose memory is the same file. */
typedef struct Pa_memory_files Pa_memory_files;
void Pa_memory_files_free(Pa_memory_files *f); /* NULL does nothing */

/* Reads and cuts the MEMORY.md at file (shown as shown), unless a link
 * leads it out of its place (Pa_places_refusal, approved as imports
 * are).  Returns it, kept by *files when there is room (*owned is then
 * 0; else the caller frees it with Pa_cc_memory_free()), or NULL when it
 * is missing or not loaded (a warning for the latter). */
Pa_cc_memory *Pa_cc_read_memory(const char *file, const char *shown,
                                const Pa_places *pl, int approved,
                                Pa_memory_files **files, int *owned,
                                pa_warnings *warn);
void Pa_cc_memory_free(Pa_cc_memory *m); /* NULL does nothing */

/* The main session's auto memory, which Claude Code sends every subagent
 * too: MEMORY.md of a per-project directory under the user's Claude
 * directory.
 *
 * The directory (measured on Claude Code 2.1.332, tests/oracle/ fixtures
 * automem-*): autoMemoryDirectory of the settings when set, else
 * CLAUDE_DIR/projects/NAME/memory/, where CLAUDE_DIR is CLAUDE_CONFIG_DIR
 * or ~/.claude and NAME the repository's root (the nearest `.git` from
 * the working directory, in a linked worktree its main repository's;
 * without one the working directory itself) with
 * every character but ASCII letters and digits made `-` (a character
 * outside the BMP makes two, as JavaScript counts it).  Only MEMORY.md is
 * loaded: the first PA_MEMORY_MAX_LINES lines and PA_MEMORY_MAX_CHARS
 * characters, CRs counted, then its CRs, frontmatter and HTML comments
 * removed; its @words are not imports.  It comes after the instruction
 * files.  Nothing is sent when the file is missing or blank.
 */
/* Claude Code names a longer directory with a hash we do not reproduce. */
#define PA_AUTO_MEMORY_MAX_NAME 200

/* The auto memory directory, absolute, without a final `/`; NULL when
 * auto memory is off (opt->no_auto_memory, autoMemoryEnabled false, no
 * user directory) or its name would be longer than
 * PA_AUTO_MEMORY_MAX_NAME (with a warning).  Caller frees. */
char *Pa_automemory_dir(const pa_compose_options *opt, const Pa_places *pl,
                        const Pa_cc_settings *s, pa_warnings *warn);

typedef struct Pa_cc_auto_memory {
	char *file;   /* its MEMORY.md (absolute), NULL when nothing is sent */
	char *shown;  /* and as shown */
	char *text;   /* what is sent of it: never empty */
	size_t len;
	int cut;      /* the load rules cut it ... */
	char *note;   /* ... and what they kept (Pa_memory_cut's note) */
	char *raw_kept; /* what the load rules keep of the file as it is,
	                 * CRs and frontmatter included: what the main
	                 * session counts */
	size_t raw_kept_len;
	pa_warnings warn; /* what finding and reading it warned */
} Pa_cc_auto_memory;
/* The auto memory of pl's working directory as opt and pl's settings
 * have it loaded: kept in opt's cache, discovered on the first call;
 * without a cache, read into *own.  The caller releases *own with
 * Pa_cc_auto_memory_release() in either case. */
const Pa_cc_auto_memory *Pa_places_auto_memory(const Pa_places *pl,
                                               const pa_compose_options *opt,
                                               Pa_cc_auto_memory *own);
/* Reads it (the above without the cache). */
void Pa_cc_read_auto_memory(Pa_cc_auto_memory *out,
                             const pa_compose_options *opt,
                             const Pa_places *pl);
void Pa_cc_auto_memory_release(Pa_cc_auto_memory *m); /* NULL: nothing */

/* ---- skills ---- */

/* The file of the skill or command an agent preloads as `name`
 * (skills.c says where it is looked for), or NULL; *command is set for
 * a command, *disabled 1 for a skill with disable-model-invocation: true,
 * 2 for one with paths: (neither is preloaded).
 * The caller frees it; Pa_cc_read_instruction_file() reads it. */
char *Pa_cc_find_skill(const Pa_places *pl, const char *name, int *command,
                       int *disabled);

/* ---- agent files ----
 * The directories Claude Code finds agent files in, in its lookup order
 * (agents.c), each with the files found there; the files are read one
 * at a time (Pa_cc_read_agent) and parsed by compose/ (agent.c), so that
 * 40,000 agent files are not held as text all at once. */
typedef struct Pa_cc_agent_dir {
	const char *source;   /* "project", "user" or "plugin" (static) */
	char *dir;            /* absolute: .claude/agents, a plugin's agents */
	const Pa_cc_plugin *plugin; /* of the model's plugins, or NULL */
	int listed;           /* the plugin's manifest lists the files */
	char **files;         /* absolute, sorted as the walk found them */
	size_t n;
	pa_warnings warn;     /* what the walk warned */
} Pa_cc_agent_dir;

typedef struct Pa_cc_agents {
	Pa_cc_agent_dir *dirs; /* in lookup order */
	size_t n;
} Pa_cc_agents;

/* Finds the agent directories and files of pl (plugins from pl->cc). */
void Pa_cc_find_agents(Pa_cc_agents *out, const Pa_places *pl);
void Pa_cc_agents_release(Pa_cc_agents *a); /* NULL: nothing */
/* Reads the agent file at file ("-": standard input) within
 * PA_AGENT_MAX_BYTES, its CRLF made LF; *real (may be NULL) gets its
 * real path (NULL for standard input), which the caller frees; *crlf (may
 * be NULL) 1 when it had a CR LF. */
pa_status Pa_cc_read_agent(const char *file, pa_buf *text, char **real,
                           int *crlf, pa_error *err);
/* 1 when something exists at path (an argument that may name an agent
 * file rather than an agent). */
int Pa_cc_path_exists(const char *path);

/* ---- what the main session reads besides (session.c) ---- */

/* A skill or command file the main session lists, in Claude Code's
 * order: the user's skills/ and commands/, then .claude/'s of the
 * working directory and each directory up to the repository root, then
 * each enabled plugin's (and its manifest's `skills` directories). */
typedef struct Pa_cc_listed_skill {
	char *file;     /* absolute: DIR/NAME/SKILL.md (it may not exist),
	                 * or a command's .md */
	char *fallback; /* its name when the file has no `name:` */
	char *prefix;   /* "PLUGIN", "DIR" or "PLUGIN:DIR" of its name, or
	                 * NULL */
} Pa_cc_listed_skill;

typedef struct Pa_cc_skill_files {
	Pa_cc_listed_skill *items;
	size_t n;
	pa_warnings warn; /* a walk that stopped at its limit */
} Pa_cc_skill_files;

void Pa_cc_find_listed_skills(Pa_cc_skill_files *out, const Pa_places *pl);
void Pa_cc_skill_files_release(Pa_cc_skill_files *s); /* NULL: nothing */
/* Reads a listed skill's file within PA_AGENT_MAX_BYTES. */
pa_status Pa_cc_read_skill(const char *file, pa_buf *text, pa_error *err);

/* The repository's git state as Claude Code's environment names it. */
typedef struct Pa_cc_git {
	int found;        /* pl->repo's git directory (.git, or the one a
	                   * .git file names) is a directory */
	char *branch;     /* of HEAD: "" when detached or unreadable */
	char **commits;   /* "HASH7 SUBJECT" of the reflog's last commit
	                   * entries, newest first */
	size_t n_commits;
	int worktree;     /* a linked worktree */
} Pa_cc_git;
/* .git looked at through cache, the run's (NULL: here), as the root
 * rules looked at it. */
void Pa_cc_read_git(Pa_cc_git *g, const Pa_places *pl, pa_harness_cache *cache,
                    size_t max_commits);
void Pa_cc_git_release(Pa_cc_git *g); /* NULL: nothing */

/* The file of c's project or user output style (output_style_file),
 * within PA_AGENT_MAX_BYTES; PA_ERR_NOT_FOUND when there is none. */
pa_status Pa_cc_read_output_style(const Pa_cc_config *c, pa_buf *text);
/* A server's tools/list output given with --mcp-tools SERVER=FILE,
 * within PA_CONFIG_MAX_BYTES, as JSON. */
struct Pa_jnode;
pa_status Pa_cc_read_tools_list(const char *file, struct Pa_jnode **root,
                                pa_error *err);
/* The real path of a working directory as the places take it, or NULL;
 * the caller frees it. */
char *Pa_places_cwd(const char *cwd);

/* Internal to src/discover/: the readers of each kind of file. */
void Pa_cc_read_settings(Pa_cc_config *c, const pa_compose_options *opt,
                         const Pa_places *pl);
void Pa_cc_find_plugins(Pa_cc_config *c, const Pa_places *pl);
/* The plugins of opt's plugin_dirs (Claude Code's --plugin-dir), added
 * after the installed ones as NAME@inline. */
void Pa_cc_find_plugin_dirs(Pa_cc_config *c, const pa_compose_options *opt,
                            const Pa_places *pl);
void Pa_cc_find_servers(Pa_cc_config *c, const pa_compose_options *opt,
                        const Pa_places *pl);
struct Pa_jnode;
/* The hooks and MCP settings of one settings file's root (hooks.c);
 * Pa_cc_hooks_done drops them all when a file said disableAllHooks. */
void Pa_cc_read_hooks(Pa_cc_config *c, const struct Pa_jnode *root,
                      const char *shown, int managed);
void Pa_cc_hooks_done(Pa_cc_config *c);
/* The SessionStart, UserPromptSubmit and SubagentStart hooks of each
 * enabled plugin's hooks/hooks.json, ${CLAUDE_PLUGIN_ROOT} made its
 * directory (none after disableAllHooks or allowManagedHooksOnly;
 * context fixture ctx-plugin-hooks-mcp, fixture hooks-subagent-levels). */
void Pa_cc_read_plugin_hooks(Pa_cc_config *c, const Pa_places *pl);
/* s with each ${CLAUDE_PLUGIN_ROOT} made root (s itself when root is
 * NULL).  The caller frees it. */
char *Pa_cc_plugin_root_subst(const char *s, const char *root);
void Pa_cc_hooks_release(Pa_cc_config *c);
#endif
