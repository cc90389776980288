/*
 * config: libyaml documents with the checks libyaml leaves to its users.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "sg.h"
#include "util.h"

yaml_node_t *
sg_config_root(struct sg_yaml *y)
{
	if (!y->loaded)
		return NULL;
	return yaml_document_get_root_node(&y->doc);
}

int
sg_config_line(struct sg_yaml *y, yaml_node_t *n)
{
	/* No node (an empty document has no root): the first line. */
	if (n == NULL)
		return y->line0 + 1;
	return y->line0 + (int)n->start_mark.line + 1;
}

/*
 * Reports duplicate keys in every mapping.  Aliases make the document a
 * graph that can hold the same node many times over ("billion laughs"):
 * each node is visited once, and keys are compared through a hash map, so
 * the work stays linear in the size of the text.
 */
static int
check_dups(struct sg_yaml *y, yaml_node_t *n, struct sg_diag *d, int depth,
    unsigned char *seen)
{
	int bad = 0;

	if (n == NULL || depth > 64)
		return 0;
	size_t id = (size_t)(n - y->doc.nodes.start);
	if (seen[id])
		return 0;
	seen[id] = 1;
	if (n->type == YAML_MAPPING_NODE) {
		struct sg_map keys = {0};
		yaml_node_pair_t *a;
		for (a = n->data.mapping.pairs.start;
		    a < n->data.mapping.pairs.top; a++) {
			yaml_node_t *ka = yaml_document_get_node(&y->doc, a->key);
			yaml_node_t *kb;
			if (ka && ka->type == YAML_SCALAR_NODE) {
				const char *k = (const char *)ka->data.scalar.value;
				if ((kb = sg_map_get(&keys, k)) != NULL) {
					sg_diag_add(d, SG_ERROR, y->file,
					    sg_config_line(y, ka),
					    (int)ka->start_mark.column + 1,
					    "duplicate key '%s' (first given on line %d); "
					    "expected each key once", k,
					    sg_config_line(y, kb));
					bad++;
				} else
					sg_map_put(&keys, k, ka);
			}
			bad += check_dups(y, yaml_document_get_node(&y->doc,
			    a->value), d, depth + 1, seen);
		}
		sg_map_clear(&keys);
	} else if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		    i < n->data.sequence.items.top; i++)
			bad += check_dups(y, yaml_document_get_node(&y->doc, *i),
			    d, depth + 1, seen);
	}
	return bad;
}

/*
 * 0, or -1 after an error, if text is too large or nests too deep.
 * libyaml takes time that grows with the square of the nesting (100,000
 * levels of [[[…]]] took 40 s), so its events are read first and the
 * reading stops at the first level too many.  A syntax error here is left
 * to the real parse, which reports it with its context.
 */
static int
bounded(const char *file, int line0, const char *text, size_t len,
    struct sg_diag *d)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (len > SG_MAX_YAML) {
		sg_diag_add(d, SG_ERROR, file, line0 + 1, 0, "YAML text is %zu KB; "
		    "expected at most %u KB of 'key: value' lines", len >> 10,
		    SG_MAX_YAML >> 10);
		return -1;
	}
	if (!yaml_parser_initialize(&p))
		return 0;
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
			depth++;
		else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > SG_MAX_YAML_DEPTH) {
			sg_diag_add(d, SG_ERROR, file, line0 +
			    (int)ev.start_mark.line + 1, (int)ev.start_mark.column +
			    1, "YAML nested more than %d levels deep; expected "
			    "flatter 'key: value' lines", SG_MAX_YAML_DEPTH);
			rc = -1;
		}
		yaml_event_delete(&ev);
		if (rc == -1 || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

int
sg_config_parse(struct sg_yaml *y, const char *file, int line0,
    const char *text, size_t len, struct sg_diag *d)
{
	yaml_parser_t p;
	yaml_node_t *root;
	int rc = -1;

	memset(y, 0, sizeof(*y));
	y->file = file;
	y->line0 = line0;
	if (bounded(file, line0, text, len, d) == -1)
		return -1;
	if (!yaml_parser_initialize(&p)) {
		sg_diag_add(d, SG_FATAL, file, 0, 0, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		/* The start of the construct ("while parsing a flow sequence")
		 * is where the writer has to look. */
		const yaml_mark_t *m = p.context ? &p.context_mark : &p.problem_mark;
		sg_diag_add(d, SG_ERROR, file, line0 + (int)m->line + 1,
		    (int)m->column + 1, "malformed YAML: %s%s%s; expected "
		    "'key: value' lines (quote values that contain ': ' or "
		    "start with [ { \" ' | > * & ! %% @)",
		    p.problem ? p.problem : "syntax error",
		    p.context ? " " : "", p.context ? p.context : "");
		goto out;
	}
	y->loaded = 1;
	root = yaml_document_get_root_node(&y->doc);
	if (root == NULL) {
		/* An empty document is an empty mapping. */
		rc = 0;
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		sg_diag_add(d, SG_ERROR, file, sg_config_line(y, root),
		    (int)root->start_mark.column + 1,
		    "YAML is not a mapping; expected 'key: value' lines");
		goto out;
	}
	unsigned char *seen = sg_xcalloc((size_t)(y->doc.nodes.top -
	    y->doc.nodes.start) + 1, 1);
	if (check_dups(y, root, d, 0, seen) == 0)
		rc = 0;
	free(seen);
out:
	yaml_parser_delete(&p);
	return rc;
}

void
sg_config_clear(struct sg_yaml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

yaml_node_t *
sg_config_get(struct sg_yaml *y, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(&y->doc, pr->value);
	}
	return NULL;
}

const char *
sg_config_str(struct sg_yaml *y, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = sg_config_get(y, map, key);

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

size_t
sg_config_len(yaml_node_t *seq)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top -
	    seq->data.sequence.items.start);
}

yaml_node_t *
sg_config_item(struct sg_yaml *y, yaml_node_t *seq, size_t i)
{
	if (i >= sg_config_len(seq))
		return NULL;
	return yaml_document_get_node(&y->doc,
	    seq->data.sequence.items.start[i]);
}

int
sg_config_require(struct sg_yaml *y, yaml_node_t *map,
    const char *const *required, const char *const *allowed, const char *what,
    struct sg_diag *d)
{
	int bad = 0;
	int line = y->line0 > 0 ? y->line0 : 1;

	for (const char *const *k = required; k && *k; k++) {
		yaml_node_t *n = sg_config_get(y, map, *k);
		if (n == NULL) {
			sg_diag_add(d, SG_ERROR, y->file, line, 0,
			    "missing required key '%s'; expected it in %s",
			    *k, what);
			bad++;
		} else if (n->type != YAML_SCALAR_NODE ||
		    n->data.scalar.length == 0) {
			sg_diag_add(d, SG_ERROR, y->file, sg_config_line(y, n), 0,
			    "key '%s' is empty or not a single value; expected "
			    "a non-empty text value", *k);
			bad++;
		}
	}
	if (map == NULL || allowed == NULL)
		return bad;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
		const char *const *a;
		if (k == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		for (a = allowed; *a; a++)
			if (strcmp(*a, (char *)k->data.scalar.value) == 0)
				break;
		if (*a == NULL)
			sg_diag_add(d, SG_WARNING, y->file, sg_config_line(y, k),
			    (int)k->start_mark.column + 1,
			    "unknown key '%s' in %s is ignored",
			    (char *)k->data.scalar.value, what);
	}
	return bad;
}
