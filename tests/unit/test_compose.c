/* test_compose.c - the composer's modules: JSON strings, globs, memory
 * cuts, frontmatter, comments, imports, paths, agents, rendering, the
 * cache of instructions. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "unit.h"
#include "instructions.h"
#include "frontmatter.h"
#include "glob.h"
#include "markdown.h"
#include "memory.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void check_json(const char *in, size_t len, const char *want)
{
	pa_buf b = PA_BUF_INIT;
	Pa_json_string(&b, in, len);
	CHECK_EQ_STR(b.ptr, want);
	pa_buf_release(&b);
}

static void test_json(void)
{
	check_json("", 0, "\"\"");
	check_json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	check_json("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
	check_json("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	check_json("a\0b", 3, "\"a\\u0000b\"");
	check_json("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	/* invalid bytes: one U+FFFD per maximal invalid subpart */
	check_json("\xff", 1, "\"\xef\xbf\xbd\"");
	check_json("\xe2\x82", 2, "\"\xef\xbf\xbd\"");
	check_json("a\xc3", 2, "\"a\xef\xbf\xbd\"");
	check_json("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	check_json("\xe2\x80\xa8", 3, "\"\\u2028\"");
}

static void test_glob(void)
{
	CHECK(Pa_glob_match("src/**/*.py", "src/api/v1/x.py"));
	CHECK(Pa_glob_match("src/**/*.py", "src/x.py"));
	CHECK(!Pa_glob_match("src/**/*.py", "lib/src/x.py"));
	CHECK(!Pa_glob_match("src/*.py", "src/a/x.py"));
	CHECK(Pa_glob_match("**/*.md", "README.md"));
	CHECK(Pa_glob_match("**/*.md", "a/b/c.md"));
	CHECK(Pa_glob_match("docs/**", "docs/a/b"));
	CHECK(Pa_glob_match("web/**/*.{ts,tsx}", "web/a.tsx"));
	CHECK(Pa_glob_match("web/**/*.{ts,tsx}", "web/x/a.ts"));
	CHECK(!Pa_glob_match("web/**/*.{ts,tsx}", "web/a.js"));
	CHECK(Pa_glob_match("./*.css", "site.css"));
	CHECK(Pa_glob_match("/*.css", "site.css"));
	CHECK(Pa_glob_match("{a,{b,c}}/x", "c/x"));
	CHECK(!Pa_glob_match("*.css", "dir/site.css"));
	CHECK(Pa_glob_match("src/[ab]?.c", "src/a1.c"));
}

static void test_memory_cut(void)
{
	pa_buf in = PA_BUF_INIT, out = PA_BUF_INIT, note = PA_BUF_INIT;
	int i;

	CHECK_EQ_INT(Pa_memory_cut("  \n a \n\n", 8, &out, &note, NULL), 0);
	CHECK_EQ_STR(out.ptr, "a");
	pa_buf_reset(&out);
	for (i = 1; i <= 201; i++)
		pa_buf_printf(&in, "%d\n", i);
	CHECK_EQ_INT(Pa_memory_cut(in.ptr, in.len, &out, &note, NULL), 1);
	CHECK(out.len > 0 && out.ptr[out.len - 1] == '0'); /* ends "200" */
	CHECK_EQ_STR(note.ptr, "200 of 201 lines (691 of 695 characters)");
	/* exactly 200 lines: nothing cut */
	pa_buf_reset(&in);
	pa_buf_reset(&out);
	for (i = 1; i <= 200; i++)
		pa_buf_printf(&in, "%d\n", i);
	CHECK_EQ_INT(Pa_memory_cut(in.ptr, in.len, &out, &note, NULL), 0);
	/* bytes: cut at the last newline before 25,000 */
	pa_buf_reset(&in);
	pa_buf_reset(&out);
	for (i = 0; i < 100; i++) {
		int j;
		for (j = 0; j < 299; j++)
			pa_buf_putc(&in, 'x');
		pa_buf_putc(&in, '\n');
	}
	pa_buf_reset(&note);
	CHECK_EQ_INT(Pa_memory_cut(in.ptr, in.len, &out, &note, NULL), 1);
	CHECK_EQ_INT(out.len, 83 * 300 - 1);
	/* characters, not bytes: 190 Cyrillic lines of 101 characters (191
	 * bytes) load whole, as in Claude Code; an emoji is two units */
	pa_buf_reset(&in);
	pa_buf_reset(&out);
	for (i = 0; i < 190; i++) {
		int j;
		for (j = 0; j < 100; j++)
			pa_buf_puts(&in, "\xd0\x96");
		pa_buf_putc(&in, '\n');
	}
	CHECK_EQ_INT(Pa_memory_cut(in.ptr, in.len, &out, &note, NULL), 0);
	pa_buf_reset(&in);
	pa_buf_reset(&out);
	for (i = 0; i < 12600; i++)
		pa_buf_puts(&in, i % 100 == 99 ? "\n" : "\xf0\x9f\x98\x80");
	CHECK_EQ_INT(Pa_memory_cut(in.ptr, in.len, &out, &note, NULL), 1);
	CHECK_EQ_INT(out.len, 125 * (99 * 4 + 1) - 1); /* 125 lines of 199 units */
	pa_buf_release(&in);
	pa_buf_release(&out);
	pa_buf_release(&note);
}

static void test_frontmatter(void)
{
	static const char strict[] = "---\nname: a\ntools: [Read, Grep]\n---\n\nBody\n";
	static const char loose[] =
		"---\nname: b\ndescription: Use when: x happens. Context: y\n"
		"  continued here\ntools:\n  - Read\n  - Bash\nsay: 'it''s'\n---\nB\n";
	Pa_frontmatter fm;
	pa_error err;
	size_t n;
	char **list;

	CHECK_EQ_INT(Pa_frontmatter_parse(strict, sizeof(strict) - 1, "s.md", &fm, &err), PA_OK);
	CHECK(fm.present && !fm.lenient);
	list = Pa_ynode_string_list(Pa_ynode_get(fm.root, "tools"), &n);
	CHECK_EQ_INT(n, 2);
	if (n == 2)
		CHECK_EQ_STR(list[1], "Grep");
	Pa_strings_free(list, n);
	CHECK_EQ_INT(Pa_ynode_get(fm.root, "name")->line, 2);
	Pa_frontmatter_release(&fm);

	CHECK_EQ_INT(Pa_frontmatter_parse(loose, sizeof(loose) - 1, "l.md", &fm, &err), PA_OK);
	CHECK(fm.lenient);
	CHECK_EQ_STR(Pa_ynode_get(fm.root, "description")->scalar,
	             "Use when: x happens. Context: y continued here");
	list = Pa_ynode_string_list(Pa_ynode_get(fm.root, "tools"), &n);
	CHECK_EQ_INT(n, 2);
	Pa_strings_free(list, n);
	CHECK_EQ_STR(Pa_ynode_get(fm.root, "say")->scalar, "it's");
	CHECK_EQ_INT(fm.body_len, 2);
	Pa_frontmatter_release(&fm);

	CHECK_EQ_INT(Pa_frontmatter_parse("---\nname: x\n", 12, "u.md", &fm, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(err.line, 1);
	CHECK_EQ_INT(Pa_frontmatter_parse("# no\n", 5, "n.md", &fm, &err), PA_OK);
	CHECK(!fm.present);

	/* CRLF lines read as LF lines: "tools:\r" starts a list, a block
	 * scalar keeps no CR. */
	{
		static const char crlf[] =
			"name: c\r\ntools:\r\n  - Read\r\nnote: |\r\n  x\r\n  y\r\n";
		Pa_ynode *root;
		CHECK_EQ_INT(Pa_frontmatter_lenient(crlf, sizeof(crlf) - 1, "c", 2,
		                                    &root, &err), PA_OK);
		list = Pa_ynode_string_list(Pa_ynode_get(root, "tools"), &n);
		CHECK_EQ_INT(n, 1);
		Pa_strings_free(list, n);
		CHECK_EQ_STR(Pa_ynode_get(root, "note")->scalar, "x\ny");
		Pa_ynode_free(root);
	}
	/* The fences: `---` at the margin, blanks after it, CRLF. */
	CHECK_EQ_INT(Pa_frontmatter_parse("\n---\t\r\nname: a\r\n--- \r\nB", 23,
	                                  "f.md", &fm, &err), PA_OK);
	CHECK(fm.present && fm.open_line == 2);
	CHECK_EQ_INT(fm.body_len, 1);
	Pa_frontmatter_release(&fm);
	CHECK_EQ_INT(Pa_frontmatter_parse(" ---\nname: a\n---\n", 17, "f.md", &fm, &err),
	             PA_OK);
	CHECK(!fm.present);
	CHECK_EQ_INT(Pa_frontmatter_parse("---\nname: a\n----\n", 17, "f.md", &fm, &err),
	             PA_ERR_PARSE);

	/* A block scalar's header on the text's last line, the text not
	 * NUL-terminated: read within its length (fuzz_frontmatter found
	 * strspn reading past it; ASan in make check sees such a read). */
	{
		char *exact = malloc(5);
		Pa_ynode *root;
		memcpy(exact, "k: >8", 5);
		CHECK_EQ_INT(Pa_frontmatter_lenient(exact, 5, "b", 1, &root, &err), PA_OK);
		CHECK_EQ_STR(Pa_ynode_get(root, "k")->scalar, "");
		Pa_ynode_free(root);
		memcpy(exact, "k: >x", 5);
		CHECK_EQ_INT(Pa_frontmatter_lenient(exact, 5, "b", 1, &root, &err), PA_OK);
		CHECK_EQ_STR(Pa_ynode_get(root, "k")->scalar, ">x");
		Pa_ynode_free(root);
		free(exact);
	}
	/* comma lists keep braces whole */
	{
		Pa_ynode *root;
		CHECK_EQ_INT(Pa_frontmatter_lenient("paths: a/*.{ts,tsx}, b\n", 23,
		                                    "p", 2, &root, &err), PA_OK);
		list = Pa_ynode_string_list(Pa_ynode_get(root, "paths"), &n);
		CHECK_EQ_INT(n, 2);
		if (n == 2)
			CHECK_EQ_STR(list[0], "a/*.{ts,tsx}");
		Pa_strings_free(list, n);
		CHECK_EQ_INT(Pa_ynode_get(root, "paths")->line, 2);
		Pa_ynode_free(root);
	}
}

/* A repeated key keeps its last value, in the place of its first, as
 * Claude Code keeps it (oracle fixture agent-fm-duplicate-keys). */
static void test_frontmatter_duplicates(void)
{
	static const char text[] =
		"---\nname: a\ntools: Read\nname: b\ntools: [Grep]\nx:\n  k: 1\n  k: 2\n---\n";
	Pa_frontmatter fm;
	pa_error err;

	CHECK_EQ_INT(Pa_frontmatter_parse(text, sizeof(text) - 1, "d.md", &fm, &err), PA_OK);
	CHECK_EQ_INT(fm.root->n, 3);
	CHECK_EQ_STR(fm.root->items[0]->scalar, "name");
	CHECK_EQ_STR(fm.root->items[1]->scalar, "b");
	CHECK_EQ_INT(fm.root->items[3]->type, PA_YNODE_SEQUENCE);
	CHECK_EQ_STR(Pa_ynode_get(Pa_ynode_get(fm.root, "x"), "k")->scalar, "2");
	CHECK_EQ_INT(fm.duplicates, 3);
	CHECK_EQ_STR(fm.duplicate, "name");
	CHECK_EQ_INT(fm.duplicate_line, 4);
	CHECK_EQ_INT(fm.duplicate_first, 2);
	Pa_frontmatter_release(&fm);
	/* The repeats of a value replaced are none of what is read: warned
	 * of as `x` repeated, "the last value is used", they were counted
	 * and named before the key that was repeated. */
	{
		static const char replaced[] =
			"---\nname: a\nhooks:\n  x: 1\n  x: 2\nhooks: y\n---\n";

		CHECK_EQ_INT(Pa_frontmatter_parse(replaced, sizeof(replaced) - 1, "h.md",
		                                  &fm, &err), PA_OK);
		CHECK_EQ_STR(Pa_ynode_get(fm.root, "hooks")->scalar, "y");
		CHECK_EQ_INT(fm.duplicates, 1);
		CHECK_EQ_STR(fm.duplicate, "hooks");
		CHECK_EQ_INT(fm.duplicate_line, 6);
		CHECK_EQ_INT(fm.duplicate_first, 3);
		Pa_frontmatter_release(&fm);
	}
	/* A repeat inside a value kept, above a repeated key of the top:
	 * the one first in the file is named. */
	{
		static const char nested[] =
			"---\nname: a\nx:\n  k: 1\n  k: 2\nname: b\n---\n";

		CHECK_EQ_INT(Pa_frontmatter_parse(nested, sizeof(nested) - 1, "n.md",
		                                  &fm, &err), PA_OK);
		CHECK_EQ_INT(fm.duplicates, 2);
		CHECK_EQ_STR(fm.duplicate, "k");
		CHECK_EQ_INT(fm.duplicate_line, 5);
		CHECK_EQ_INT(fm.duplicate_first, 4);
		Pa_frontmatter_release(&fm);
	}
}

/* YAML 1.2's core schema, as Claude Code types an agent's name
 * (oracle fixture agent-fm-name-types). */
static void test_yaml_core(void)
{
	static const struct { const char *text; Pa_ycore want; } cases[] = {
		{ "a: 2024", PA_YCORE_INT }, { "a: -0", PA_YCORE_INT },
		{ "a: +12", PA_YCORE_INT }, { "a: 0o17", PA_YCORE_INT },
		{ "a: 0x1F", PA_YCORE_INT }, { "a: 1.5", PA_YCORE_FLOAT },
		{ "a: 1.", PA_YCORE_FLOAT }, { "a: +.5", PA_YCORE_FLOAT },
		{ "a: 1e3", PA_YCORE_FLOAT }, { "a: -1.5E-3", PA_YCORE_FLOAT },
		{ "a: .inf", PA_YCORE_FLOAT }, { "a: -.Inf", PA_YCORE_FLOAT },
		{ "a: .NaN", PA_YCORE_FLOAT }, { "a: True", PA_YCORE_BOOL },
		{ "a: FALSE", PA_YCORE_BOOL }, { "a: null", PA_YCORE_NULL },
		{ "a: ~", PA_YCORE_NULL }, { "a:", PA_YCORE_NULL },
		{ "a: Yes", PA_YCORE_STRING }, { "a: on", PA_YCORE_STRING },
		{ "a: 0b101", PA_YCORE_STRING }, { "a: 1_000", PA_YCORE_STRING },
		{ "a: 1e", PA_YCORE_STRING }, { "a: 0x", PA_YCORE_STRING },
		{ "a: 0xG1", PA_YCORE_STRING }, { "a: 0o8", PA_YCORE_STRING },
		{ "a: -.nan", PA_YCORE_STRING }, { "a: .", PA_YCORE_STRING },
		{ "a: 1:20", PA_YCORE_STRING }, { "a: \"2025\"", PA_YCORE_STRING },
		{ "a: ''", PA_YCORE_STRING }, { "a: 2024-01-01", PA_YCORE_STRING },
		{ "a: [1]", PA_YCORE_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Pa_ynode *root = NULL;
		pa_error err;

		CHECK_EQ_INT(Pa_yaml_parse(cases[i].text, strlen(cases[i].text), "c",
		                           &root, &err), PA_OK);
		if (!root)
			continue;
		if (Pa_ynode_core(Pa_ynode_get(root, "a")) != cases[i].want)
			fprintf(stderr, "  core type of '%s'\n", cases[i].text);
		CHECK_EQ_INT(Pa_ynode_core(Pa_ynode_get(root, "a")), cases[i].want);
		Pa_ynode_free(root);
	}
	CHECK_EQ_INT(Pa_ynode_core(NULL), PA_YCORE_OTHER);
}

/* Claude Code's lists of names: commas and spaces outside parentheses
 * (oracle fixtures agent-fm-tools-*, agent-fm-skills-split). */
static void test_name_list(void)
{
	static const struct { const char *text; const char *want; } cases[] = {
		{ "t: Read Grep", "Read|Grep" },
		{ "t: Read,Grep, Glob ,", "Read|Grep|Glob" },
		{ "t: Read, Bash(git log:*) Write", "Read|Bash(git log:*)|Write" },
		{ "t: Read Bash(ls Grep", "Read|Bash(ls Grep" },
		{ "t: Read) Grep", "Read)|Grep" },
		{ "t: mcp__x__{a,b}", "mcp__x__{a|b}" },
		{ "t: \"Read\tGrep\"", "Read\tGrep" },
		{ "t: [Read Grep, 'Glob,Write', 42, true, null]", "Read|Grep|Glob|Write" },
		{ "t: 42", "" }, { "t: true", "" }, { "t: ''", "" },
		{ "t: {Read: x}", "" }, { "t: []", "" },
	};
	size_t i, j, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Pa_ynode *root = NULL;
		pa_error err;
		pa_buf got = PA_BUF_INIT;
		char **list;

		CHECK_EQ_INT(Pa_yaml_parse(cases[i].text, strlen(cases[i].text), "c",
		                           &root, &err), PA_OK);
		list = Pa_ynode_name_list(Pa_ynode_get(root, "t"), &n);
		for (j = 0; j < n; j++) {
			if (j)
				pa_buf_putc(&got, '|');
			pa_buf_puts(&got, list[j]);
		}
		CHECK_EQ_STR(got.ptr, cases[i].want);
		Pa_strings_free(list, n);
		pa_buf_release(&got);
		Pa_ynode_free(root);
	}
}

static void test_comments(void)
{
	pa_buf b = PA_BUF_INIT;

	pa_buf_puts(&b, "a\n\n<!-- x\ny -->\n\nb <!-- inline --> c\n```\n<!-- kept -->\n```\n");
	Pa_md_strip_comments(&b, NULL, NULL);
	CHECK_EQ_STR(b.ptr, "a\n\nb <!-- inline --> c\n```\n<!-- kept -->\n```\n");
	pa_buf_release(&b);
}

static void collect(void *ctx, const char *path, size_t at)
{
	pa_buf *b = ctx;

	(void)at; /* test_markdown.c checks the offsets */
	pa_buf_puts(b, path);
	pa_buf_putc(b, '|');
}

static void test_imports(void)
{
	static const char text[] =
		"@a.md and @b\\ c.md, `@code.md` x@y.z\n"
		"```\n@fenced.md\n```\n"
		"\n    @indented.md\n"
		"see @d.md.\n@~/e.md @/abs/f.md (@g.md) @h.md#part @/ @@i.md\n"
		"@\xc3\xa9.md @-j.md\n";
	pa_buf b = PA_BUF_INIT;

	/* As Claude Code reads them: punctuation stays in the path (and the
	 * extension rule refuses "b c.md," and "d.md." later), an anchor is
	 * dropped, "/" alone, "@@" and a non-ASCII start are not imports. */
	Pa_md_imports(text, sizeof(text) - 1, collect, &b);
	CHECK_EQ_STR(b.ptr, "a.md|b c.md,|d.md.|~/e.md|/abs/f.md|h.md|-j.md|");
	pa_buf_release(&b);

	/* A path with a NUL byte is no import: the path "/" was reported
	 * for "@/\0x" (found by fuzz_markdown).  After an anchor it goes
	 * with the anchor. */
	Pa_md_imports("@/\0x @a.md\0b @c.md#\0 @d.md", 26, collect, &b);
	CHECK_EQ_STR(b.ptr, "c.md|d.md|");
	pa_buf_release(&b);
}

static void test_paths(void)
{
	char *s;

	s = Pa_path_normalize("/a/b", "../c/./d//e/..");
	CHECK_EQ_STR(s, "/a/c/d");
	free(s);
	s = Pa_path_normalize("/", "../..");
	CHECK_EQ_STR(s, "/");
	free(s);
	s = Pa_path_display("/p/x/y.md", "/p", "/p/x");
	CHECK_EQ_STR(s, "~/y.md");
	free(s);
	s = Pa_path_display("/p/x/y.md", "/p", "/home/u");
	CHECK_EQ_STR(s, "x/y.md");
	free(s);
	s = Pa_path_display("/etc/c.md", "/p", "/home/u");
	CHECK_EQ_STR(s, "/etc/c.md");
	free(s);
	CHECK(Pa_path_under("/ab", "/a") == NULL);
	CHECK_EQ_STR(Pa_path_under("/a/b", "/a"), "b");
}

static void test_agent_and_render(void)
{
	static const char file[] =
		"---\nname: r\ndescription: one\\ntwo\ntools: Read, Grep\nmemory: project\n---\n\n  Body.  \n\n";
	pa_agent *a;
	pa_error err;
	pa_warnings w = { NULL, 0 };
	pa_prompt p = { NULL, 0, 0 };
	pa_buf out = PA_BUF_INIT;
	size_t n;

	CHECK_EQ_INT(pa_agent_parse(file, sizeof(file) - 1, "r.md", &a, &w, &err), PA_OK);
	CHECK_EQ_STR(pa_agent_description(a), "one\ntwo");
	CHECK_EQ_STR(pa_agent_body(a, NULL), "Body.");
	pa_agent_tools(a, &n);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(w.n, 0);
	pa_agent_free(a);
	CHECK_EQ_INT(pa_agent_parse("---\ndescription: d\n---\n", 22, "x.md", &a, &w, &err),
	             PA_ERR_PARSE);
	CHECK_EQ_STR(err.file, "x.md");
	/* an unknown memory scope: loaded without memory, with a warning */
	CHECK_EQ_INT(pa_agent_parse("---\nname: n\ndescription: d\nmemory: all\n---\n", 42,
	                            "y.md", &a, &w, &err), PA_OK);
	CHECK(pa_agent_memory(a) == NULL);
	CHECK_EQ_INT(w.n, 1);
	CHECK_EQ_INT(w.items[0].line, 4);
	pa_agent_free(a);
	pa_agent_free(NULL);
	/* A key holding a NUL is another key, as Claude Code reads it: not
	 * the agent's name, nor its tools (read as C strings, "name\0x"
	 * named it evil and "tools\0x" gave it Bash alone). */
	{
		static const char nulkeys[] =
			"---\n\"name\\0x\": evil\nname: good\ndescription: d\n"
			"\"tools\\0x\": Bash\n---\nBody.\n";

		CHECK_EQ_INT(pa_agent_parse(nulkeys, sizeof(nulkeys) - 1, "k.md", &a,
		                            &w, &err), PA_OK);
		CHECK_EQ_STR(pa_agent_name(a), "good");
		CHECK_EQ_INT(pa_agent_tools_set(a), 0);
		pa_buf_reset(&out);
		pa_agent_json(a, &out);
		CHECK(strstr(out.ptr, "\"tools\\u0000x\": \"Bash\"") != NULL);
		pa_agent_free(a);
	}
	/* disallowedTools holding a NUL names no tool Claude Code has
	 * ("Bash\0x" is not Bash): refused at its place, as tools: is */
	{
		static const char nulitem[] =
			"---\nname: n\ndescription: d\ndisallowedTools: \"Bash\\0x\"\n"
			"---\nBody.\n";

		CHECK_EQ_INT(pa_agent_parse(nulitem, sizeof(nulitem) - 1, "d.md", &a,
		                            &w, &err), PA_ERR_PARSE);
		CHECK_EQ_INT(err.line, 4);
		CHECK(strstr(err.message, "'disallowedTools' holds a NUL") != NULL);
	}
	pa_buf_reset(&out);

	Pa_prompt_add(&p, PA_SECTION_BODY, "a.md", NULL, "Body", 4, 0, 0, NULL, "");
	Pa_prompt_add(&p, PA_SECTION_PROJECT, "CLAUDE.md", NULL, "Proj", 4, 0, 0, NULL,
	              "## project: CLAUDE.md");
	Pa_prompt_add(&p, PA_SECTION_IMPORT, "x.md", NULL, "Imp", 3, 0, 1, "CLAUDE.md",
	              "## import: x.md");
	pa_prompt_render(&p, &out);
	CHECK_EQ_STR(out.ptr, "Body\n\n## project: CLAUDE.md\n\nProj\n\n## import: x.md\n\nImp\n");
	pa_prompt_section_set_text(&p, 1, "", 0);
	pa_buf_reset(&out);
	pa_prompt_render(&p, &out);
	CHECK_EQ_STR(out.ptr, "Body\n\n## import: x.md\n\nImp\n");
	CHECK_EQ_INT(pa_prompt_section_depth(&p, 2), 1);
	CHECK_EQ_STR(pa_prompt_section_parent(&p, 2), "CLAUDE.md");
	CHECK_EQ_STR(pa_section_kind_name(pa_prompt_section_kind(&p, 2)), "import");
	{
		/* pa_prompt_free frees the struct too: move to the heap */
		pa_prompt *h = malloc(sizeof(*h));
		*h = p;
		pa_prompt_free(h);
	}
	pa_buf_release(&out);
	pa_warnings_release(&w);
}

/* A MEMORY.md over the line limit: the section keeps what Claude Code
 * loads, and names what was left out and where it would stand. */
static void test_memory_cut_text(void)
{
	static const char agent_text[] =
		"---\nname: a\ndescription: d\nmemory: project\n---\nBody.\n";
	char dir[] = "/tmp/pa_test_memcut_XXXXXX", path[256];
	pa_compose_options opt;
	pa_agent *agent = NULL;
	pa_prompt *p = NULL;
	pa_warnings warn = { NULL, 0 };
	const char *cut, *text;
	size_t len, at, tl;
	FILE *f;
	int i;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/.claude", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.claude/agent-memory", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.claude/agent-memory/a", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.claude/agent-memory/a/MEMORY.md", dir);
	f = fopen(path, "w");
	for (i = 1; i <= 210; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	memset(&opt, 0, sizeof(opt));
	opt.cwd = dir;
	opt.no_managed = 1;
	CHECK_EQ_INT(pa_agent_parse(agent_text, strlen(agent_text), "a.md", &agent,
	                            &warn, NULL), PA_OK);
	CHECK_EQ_INT(pa_prompt_compose(agent, &opt, &p, &warn, NULL), PA_OK);
	if (p && pa_prompt_section_count(p) >= 2) {
		cut = pa_prompt_section_cut_text(p, 1, &len, &at);
		text = pa_prompt_section_text(p, 1, &tl);
		CHECK(pa_prompt_section_cut(p, 1));
		CHECK(cut && len > 0 && !strncmp(cut, "\nline 201\n", 10));
		CHECK(cut && cut[len - 1] == '0'); /* "line 210", trimmed */
		CHECK(at >= 8 && at <= tl && !strncmp(text + at - 8, "line 200", 8));
		CHECK(strstr(text + at, "WARNING: MEMORY.md was cut") != NULL);
		/* The body was not cut. */
		CHECK(pa_prompt_section_cut_text(p, 0, &len, &at) == NULL);
		CHECK_EQ_INT(len, 0);
	}
	pa_prompt_free(p);
	pa_agent_free(agent);
	pa_warnings_release(&warn);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.claude/agent-memory/a", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.claude/agent-memory", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.claude", dir);
	rmdir(path);
	rmdir(dir);
}

/* Writes text to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The instructions of the first compose with a cache, sections and
 * warnings, copied into each later one: the files are read once (a
 * CLAUDE.md changed in between is not seen), and a compose without the
 * cache reads them again. */
static void test_compose_cache(void)
{
	static const char agent_text[] = "---\nname: a\ndescription: d\n---\nBody.\n";
	char dir[] = "/tmp/pa_test_cache_XXXXXX", path[256];
	pa_compose_options opt;
	pa_agent *agent = NULL;
	pa_prompt *p[3] = { NULL, NULL, NULL };
	pa_warnings warn[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	pa_buf out[3] = { PA_BUF_INIT, PA_BUF_INIT, PA_BUF_INIT };
	size_t len;
	int i;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/.claude", dir);
	mkdir(path, 0700);
	put_file(dir, "CLAUDE.md", "First words.\n@missing.md\n@notes.md\n");
	put_file(dir, "notes.md", "Notes.\n");
	memset(&opt, 0, sizeof(opt));
	opt.cwd = dir;
	opt.no_managed = 1;
	opt.cache = pa_compose_cache_new();
	CHECK_EQ_INT(pa_agent_parse(agent_text, strlen(agent_text), "a.md", &agent,
	                            NULL, NULL), PA_OK);
	for (i = 0; i < 3; i++) {
		if (i == 1)
			put_file(dir, "CLAUDE.md", "Changed.\n");
		if (i == 2) {
			pa_compose_cache_free(opt.cache);
			opt.cache = NULL;
		}
		CHECK_EQ_INT(pa_prompt_compose(agent, &opt, &p[i], &warn[i], NULL), PA_OK);
		if (p[i])
			pa_prompt_render(p[i], &out[i]);
	}
	CHECK(out[0].ptr && strstr(out[0].ptr, "First words.") && strstr(out[0].ptr, "Notes."));
	CHECK(p[0] && p[1] && pa_prompt_section_count(p[0]) == 3 &&
	      pa_prompt_section_count(p[1]) == 3);
	if (p[0] && p[1]) {
		CHECK_EQ_STR(out[1].ptr, out[0].ptr);
		CHECK_EQ_STR(pa_prompt_section_text(p[1], 2, &len), "Notes.");
		CHECK_EQ_STR(pa_prompt_section_parent(p[1], 2), "CLAUDE.md");
		CHECK_EQ_INT(pa_prompt_section_depth(p[1], 2), 1);
		/* Copied whole: the file, its lines, the heading, the cut. */
		for (i = 1; i < 3; i++) {
			CHECK_EQ_STR(pa_prompt_section_file(p[1], (size_t)i),
			             pa_prompt_section_file(p[0], (size_t)i));
			CHECK_EQ_STR(pa_prompt_section_heading(p[1], (size_t)i),
			             pa_prompt_section_heading(p[0], (size_t)i));
			CHECK_EQ_INT(pa_prompt_section_source_line(p[1], (size_t)i, 1),
			             pa_prompt_section_source_line(p[0], (size_t)i, 1));
			CHECK_EQ_INT(pa_prompt_section_cut(p[1], (size_t)i),
			             pa_prompt_section_cut(p[0], (size_t)i));
		}
		CHECK_EQ_INT(pa_prompt_section_source_line(p[1], 1, 1), 1);
		CHECK(strstr(pa_prompt_section_file(p[1], 2), "/notes.md") != NULL);
	}
	/* The missing import is warned about at every compose. */
	CHECK_EQ_INT(warn[0].n, 1);
	CHECK_EQ_INT(warn[1].n, 1);
	if (warn[0].n == 1 && warn[1].n == 1) {
		CHECK_EQ_STR(warn[1].items[0].message, warn[0].items[0].message);
		CHECK_EQ_INT(warn[1].items[0].line, 2);
	}
	CHECK(out[2].ptr && strstr(out[2].ptr, "Changed.") && !strstr(out[2].ptr, "First"));
	for (i = 0; i < 3; i++) {
		pa_prompt_free(p[i]);
		pa_warnings_release(&warn[i]);
		pa_buf_release(&out[i]);
	}
	pa_agent_free(agent);
	snprintf(path, sizeof(path), "%s/CLAUDE.md", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes.md", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.claude", dir);
	rmdir(path);
	rmdir(dir);
}

/* A skills listing past its budget: the last entries go bare until it
 * fits (context fixtures skills-budget-*). */
static void test_listing_cut(void)
{
	const size_t full[] = { 100, 100, 100, 67 }, bare[] = { 10, 10, 10, 6 };
	pa_buf line = PA_BUF_INIT;

	/* 1000 fixed + 4 entries and their newlines: 1371. */
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 0), 4);
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 1371), 4);
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 1370), 3);
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 1310), 3);
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 1309), 2);
	CHECK_EQ_INT((int)Pa_skill_listing_cut(full, bare, 4, 1000, 1), 0);
	/* JavaScript's length: an astral character is two units. */
	pa_buf_puts(&line, "- a: \xC3\xA9\xF0\x9F\x98\x80");
	CHECK_EQ_INT((int)Pa_utf16_units(line.ptr, line.len), 8);
	pa_buf_release(&line);
}

int main(void)
{
	RUN(test_listing_cut);
	RUN(test_json);
	RUN(test_glob);
	RUN(test_memory_cut);
	RUN(test_frontmatter);
	RUN(test_frontmatter_duplicates);
	RUN(test_yaml_core);
	RUN(test_name_list);
	RUN(test_comments);
	RUN(test_imports);
	RUN(test_paths);
	RUN(test_agent_and_render);
	RUN(test_memory_cut_text);
	RUN(test_compose_cache);
	return pa_test_summary();
}
