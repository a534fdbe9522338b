/* yamltree.c - reading a YAML document into a Pa_ynode tree. */
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Deep enough for any file we read; a bound keeps a hostile file from
 * exhausting the stack. */
#define MAX_DEPTH 64

static Pa_ynode *node_new(Pa_ynode_type type, const yaml_mark_t *mark)
{
	Pa_ynode *n = Pa_xcalloc(1, sizeof(*n));
	n->type = type;
	n->line = (long)mark->line + 1;
	n->column = (long)mark->column + 1;
	return n;
}

/* While a node is read, n counts items; a mapping's becomes pairs at
 * its end (read_node). */
static void node_append(Pa_ynode *parent, Pa_ynode *child)
{
	if ((parent->n & (parent->n - 1)) == 0) /* grow at powers of two */
		parent->items = Pa_xrealloc(parent->items,
		                            (parent->n ? parent->n * 2 : 1) * sizeof(*parent->items));
	parent->items[parent->n++] = child;
}

void Pa_ynode_free(Pa_ynode *node)
{
	size_t i, items;

	if (!node)
		return;
	items = node->type == PA_YNODE_MAPPING ? 2 * node->n : node->n;
	for (i = 0; i < items; i++)
		Pa_ynode_free(node->items[i]);
	free(node->items);
	free(node->scalar);
	free(node);
}

static pa_status parse_error(yaml_parser_t *p, const char *file, pa_error *err)
{
	const yaml_mark_t *m = &p->problem_mark;
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->context)
		return Pa_error_set(err, PA_ERR_PARSE, file, (long)m->line + 1,
		                    (long)m->column + 1, "invalid YAML: %s %s", problem,
		                    p->context);
	return Pa_error_set(err, PA_ERR_PARSE, file, (long)m->line + 1,
	                    (long)m->column + 1, "invalid YAML: %s", problem);
}

/* Frees a node whose reading failed: its n still counts items. */
static void discard_partial(Pa_ynode *node)
{
	node->type = PA_YNODE_SEQUENCE;
	Pa_ynode_free(node);
}

/* Reads the node that starts with event ev (already taken). */
static pa_status read_node(yaml_parser_t *p, yaml_event_t *ev, int depth,
                           const char *file, Pa_ynode **out, pa_error *err)
{
	Pa_ynode *node;
	yaml_event_type_t end;

	if (depth > MAX_DEPTH)
		return Pa_error_set(err, PA_ERR_PARSE, file, (long)ev->start_mark.line + 1,
		                    (long)ev->start_mark.column + 1,
		                    "YAML nested more than %d levels", MAX_DEPTH);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node = node_new(PA_YNODE_SCALAR, &ev->start_mark);
		node->scalar = Pa_xstrndup((const char *)ev->data.scalar.value,
		                           ev->data.scalar.length);
		node->scalar_len = ev->data.scalar.length;
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		*out = node;
		return PA_OK;
	case YAML_SEQUENCE_START_EVENT:
		node = node_new(PA_YNODE_SEQUENCE, &ev->start_mark);
		end = YAML_SEQUENCE_END_EVENT;
		break;
	case YAML_MAPPING_START_EVENT:
		node = node_new(PA_YNODE_MAPPING, &ev->start_mark);
		end = YAML_MAPPING_END_EVENT;
		break;
	case YAML_ALIAS_EVENT:
		return Pa_error_set(err, PA_ERR_PARSE, file, (long)ev->start_mark.line + 1,
		                    (long)ev->start_mark.column + 1,
		                    "YAML aliases are not supported");
	default:
		return Pa_error_set(err, PA_ERR_PARSE, file, (long)ev->start_mark.line + 1,
		                    (long)ev->start_mark.column + 1,
		                    "unexpected YAML event");
	}
	for (;;) {
		yaml_event_t child_ev;
		Pa_ynode *child = NULL;
		pa_status st;

		if (!yaml_parser_parse(p, &child_ev)) {
			discard_partial(node);
			return parse_error(p, file, err);
		}
		if (child_ev.type == end) {
			yaml_event_delete(&child_ev);
			break;
		}
		st = read_node(p, &child_ev, depth + 1, file, &child, err);
		yaml_event_delete(&child_ev);
		if (st != PA_OK) {
			discard_partial(node);
			return st;
		}
		node_append(node, child);
	}
	if (node->type == PA_YNODE_MAPPING)
		node->n /= 2; /* pairs; items holds 2n entries */
	*out = node;
	return PA_OK;
}

/* After the first document's content: its end, then the stream's.  A
 * second document is refused, not passed over: `budget: 1`, `---`,
 * `budget: 2` held a budget of 1 and nothing said that the rest, which
 * was not even parsed, was left out. */
static pa_status rest_of_stream(yaml_parser_t *p, const char *file,
                                pa_error *err)
{
	yaml_event_t ev;
	pa_status st = PA_OK;

	for (;;) {
		if (!yaml_parser_parse(p, &ev))
			return parse_error(p, file, err);
		if (ev.type == YAML_DOCUMENT_START_EVENT)
			st = Pa_error_set(err, PA_ERR_PARSE, file,
			                  (long)ev.start_mark.line + 1,
			                  (long)ev.start_mark.column + 1,
			                  "a second YAML document (the file holds one)");
		if (st != PA_OK || ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return st;
		}
		yaml_event_delete(&ev);
	}
}

pa_status Pa_yaml_parse(const char *text, size_t len, const char *file,
                        Pa_ynode **root, pa_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	pa_status st = PA_OK;

	*root = NULL;
	if (!yaml_parser_initialize(&p))
		return Pa_error_set(err, PA_ERR_NOMEM, file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	/* Skip to the first document's content. */
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			st = parse_error(&p, file, err);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		st = read_node(&p, &ev, 0, file, root, err);
		yaml_event_delete(&ev);
		/* A document with nothing in it ("---") is an empty plain
		 * scalar to libyaml: it is the empty document promised above,
		 * as a text with no document at all is (a config file of
		 * "---" was "not a mapping"; found by fuzz_config). */
		if (st == PA_OK && (*root)->type == PA_YNODE_SCALAR &&
		    (*root)->plain && (*root)->scalar_len == 0) {
			Pa_ynode_free(*root);
			*root = NULL;
		}
		if (st == PA_OK)
			st = rest_of_stream(&p, file, err);
		break;
	}
	yaml_parser_delete(&p);
	if (st != PA_OK) {
		Pa_ynode_free(*root);
		*root = NULL;
	}
	return st;
}

const Pa_ynode *Pa_ynode_get(const Pa_ynode *map, const char *key)
{
	size_t i, n;

	if (!map || map->type != PA_YNODE_MAPPING)
		return NULL;
	/* By length: a key holding a NUL ("name\0x") is another key, as
	 * Claude Code's JavaScript object has it, not `name` as its C
	 * string would be. */
	n = strlen(key);
	for (i = 0; i < map->n; i++) {
		const Pa_ynode *k = map->items[2 * i];
		if (k->type == PA_YNODE_SCALAR && k->scalar_len == n &&
		    !memcmp(k->scalar, key, n))
			return map->items[2 * i + 1];
	}
	return NULL;
}

int Pa_ynode_is_null(const Pa_ynode *node)
{
	if (!node)
		return 1;
	if (node->type != PA_YNODE_SCALAR || !node->plain)
		return 0;
	return node->scalar_len == 0 || !strcmp(node->scalar, "null") ||
	       !strcmp(node->scalar, "~") || !strcmp(node->scalar, "Null") ||
	       !strcmp(node->scalar, "NULL");
}

/* One of the words in list (NULL-terminated) is s. */
static int is_word(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* The core schema's float: [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? )
 * ( [eE][-+]?[0-9]+ )?, its infinities and its NaNs. */
static int is_core_float(const char *s)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t n;

	if (is_word(s, nan))
		return 1;
	if (*s == '-' || *s == '+')
		s++;
	if (is_word(s, inf))
		return 1;
	if (*s == '.') {
		if (!(n = strspn(s + 1, "0123456789")))
			return 0;
		s += 1 + n;
	} else {
		if (!(n = strspn(s, "0123456789")))
			return 0;
		s += n;
		if (*s == '.')
			s += 1 + strspn(s + 1, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(n = strspn(s, "0123456789")))
			return 0;
		s += n;
	}
	return *s == '\0';
}

/* The core schema's integer: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. */
static int is_core_int(const char *s)
{
	size_t n;

	if (s[0] == '0' && s[1] == 'o')
		return (n = strspn(s + 2, "01234567")) && s[2 + n] == '\0';
	if (s[0] == '0' && s[1] == 'x')
		return (n = strspn(s + 2, "0123456789abcdefABCDEF")) && s[2 + n] == '\0';
	if (*s == '-' || *s == '+')
		s++;
	return (n = strspn(s, "0123456789")) && s[n] == '\0';
}

Pa_ycore Pa_ynode_core(const Pa_ynode *node)
{
	static const char *const bools[] = {
		"true", "True", "TRUE", "false", "False", "FALSE", NULL,
	};

	if (!node || node->type != PA_YNODE_SCALAR)
		return PA_YCORE_OTHER;
	/* A NUL inside is no word of the schema's (strcmp would stop
	 * there). */
	if (!node->plain || memchr(node->scalar, '\0', node->scalar_len))
		return PA_YCORE_STRING;
	if (Pa_ynode_is_null(node))
		return PA_YCORE_NULL;
	if (is_word(node->scalar, bools))
		return PA_YCORE_BOOL;
	if (is_core_int(node->scalar))
		return PA_YCORE_INT;
	return is_core_float(node->scalar) ? PA_YCORE_FLOAT : PA_YCORE_STRING;
}
