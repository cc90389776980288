/*
 * check_data: the word lists of the reviewer's rules — confidential marks,
 * surnames, units, phrases — read from schemas/checks/<group>.yml, found
 * the way templates are: the site's own schemas/checks/ first, then the
 * installed folder, then the copy built into the binary.  Each
 * file is a mapping of keys to lists of strings (a scalar is a list of
 * one; a list inside a list is one entry, its items joined by tabs).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "check_int.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "match.h"
#include "schema.h"
#include "sg.h"
#include "source.h"
#include "util.h"

/* The groups, one file each: a rule's data is in the file of its name. */
static const char *const groups[] = {"confidential", "minors",
    "identifiers", "prose", "years", "dates", "names", "trend", NULL};

struct sg_check_data {
	struct sg_map	 lists;		/* "group/key" →
					   struct sg_check_words * */
	struct sg_strv	 keys;		/* the map's keys, to free */
	struct sg_map	 surnames;	/* each single surname (minors.yml) */
	struct sg_match	*all;		/* the words of every list, so that
					   a line is read once for all */
	size_t		*all_list;	/* word of all → its list's id */
	size_t		*all_idx;	/* → its index in that list, or
					   PART | the bit of a pattern's
					   part */
	struct sg_strv	 parts;		/* the parts of lists of patterns,
					   in all */
	uint64_t	 key;		/* of every group's file: where it
					   was found and its bytes */
};

/* A word of all that is a part of patterns, not a word of the list. */
#define PART	((size_t)1 << (sizeof(size_t) * 8 - 1))
/* The parts a list of patterns can have: bits of a size_t. */
#define MAXPARTS	(sizeof(size_t) * 8)

static const struct sg_check_words empty;

/* Reads group's file into text; sets *path to where it was found.
 * Returns 0, or -1 if there is none. */
static int
find(struct sg_site *s, const char *group, char **path, char **text,
    size_t *len, struct sg_diag *d)
{
	char *rel = sg_xasprintf("schemas/checks/%s.yml", group), *dir;
	const struct sg_data_file *f;

	if (s->src && sg_source_kind(s->src, rel) == SG_SOURCE_FILE) {
		*path = rel;
		return sg_source_read(s->src, rel, text, len, d);
	}
	*path = NULL;
	if ((dir = sg_data_dir()) != NULL) {
		*path = sg_xasprintf("%s/%s", dir, rel);
		free(dir);
		if (!sg_is_file(*path)) {
			free(*path);
			*path = NULL;
		}
	}
	if (*path == NULL) {
		/* The copy built into the binary. */
		if ((f = sg_data_find(rel)) == NULL) {
			free(rel);
			return -1;
		}
		*path = sg_xasprintf(SG_DATA_BUILTIN "%s", rel);
		free(rel);
		*text = sg_xstrndup((const char *)f->data, f->len);
		*len = f->len;
		return 0;
	}
	free(rel);
	if (sg_file_read(*path, text, len) == -1) {
		sg_diag_add(d, SG_FATAL, *path, 0, 0, "cannot read the rule data");
		return -1;
	}
	return 0;
}

static char *
scalar(yaml_node_t *n)
{
	return sg_xstrndup((const char *)n->data.scalar.value,
	    n->data.scalar.length);
}

static void
load_group(struct sg_check_data *cd, struct sg_site *s, const char *group,
    struct sg_diag *d)
{
	struct sg_yaml y = {0};
	char *path = NULL, *text = NULL;
	size_t len = 0;
	yaml_node_t *root;
	int found = find(s, group, &path, &text, &len, d);

	/* What the rules read of the group: none, or these bytes. */
	cd->key = sg_cache_mix_str(cd->key, group);
	cd->key = sg_cache_mix_str(cd->key, found == 0 ? path : NULL);
	if (found == 0)
		cd->key = sg_cache_mix(cd->key, text, len);
	if (found == -1) {
		if (path == NULL)
			sg_diag_add(d, SG_WARNING, NULL, 0, 0, "the data of the "
			    "%s rules (schemas/checks/%s.yml) is not found; "
			    "expected it in the site, the installed folder or "
			    "the binary: those rules do not run", group,
			    group);
		free(path);
		free(text);
		return;
	}
	if (sg_config_parse(&y, path, 0, text, len, d) == 0 &&
	    (root = sg_config_root(&y)) != NULL) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&y.doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&y.doc, p->value);
			struct sg_check_words *wl = sg_xcalloc(1, sizeof(*wl));
			struct sg_strv *l = &wl->w;
			char *key, *kn;
			if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE) {
				free(wl);
				continue;
			}
			kn = scalar(k);
			key = sg_xasprintf("%s/%s", group, kn);
			free(kn);
			if (v->type == YAML_SCALAR_NODE)
				sg_strv_push(l, scalar(v));
			for (size_t i = 0; v->type == YAML_SEQUENCE_NODE &&
			    i < sg_config_len(v); i++) {
				yaml_node_t *it = sg_config_item(&y, v, i);
				struct sg_buf b = {0};
				if (it == NULL)
					continue;
				if (it->type == YAML_SCALAR_NODE) {
					sg_strv_push(l, scalar(it));
					continue;
				}
				if (it->type != YAML_SEQUENCE_NODE)
					continue;
				sg_buf_puts(&b, "");
				for (size_t x = 0; x < sg_config_len(it); x++) {
					yaml_node_t *e = sg_config_item(&y, it, x);
					if (e && e->type == YAML_SCALAR_NODE) {
						char *sv = scalar(e);
						sg_buf_printf(&b, "%s%s", x ? "\t" :
						    "", sv);
						free(sv);
					}
				}
				sg_strv_push(l, sg_buf_take(&b));
			}
			/* Words are matched folded, as the text is. */
			for (size_t i = 0; i < l->n; i++) {
				char *f = sg_schema_fold(l->v[i]);
				if (strchr(l->v[i], '\t') == NULL && *f) {
					free(l->v[i]);
					l->v[i] = f;
				} else
					free(f);
			}
			if (sg_map_get(&cd->lists, key)) {
				sg_strv_clear(l);
				free(wl);
				free(key);
				continue;
			}
			/* Built once a run: the rules look for the words of
			 * a list in every line. */
			wl->m = sg_match_new((const char *const *)l->v, l->n);
			sg_map_put(&cd->lists, key, wl);
			sg_strv_push(&cd->keys, key);
		}
	}
	sg_config_clear(&y);
	free(path);
	free(text);
}

/*
 * The parts of the patterns of list w (id k), if its entries are such
 * (words split by tabs): each distinct one added to all (nall words so
 * far; returns the new count), and each entry's parts as bits in w->need.
 * As strstr would: an empty part is always there, and a part of 64 bytes
 * or more ends its entry.
 */
static size_t
add_parts(struct sg_check_data *cd, struct sg_check_words *w, size_t k,
    const char ***all, size_t nall)
{
	size_t first = cd->parts.n;
	int tabs = 0;

	for (size_t i = 0; i < w->w.n && !tabs; i++)
		tabs = strchr(w->w.v[i], '\t') != NULL;
	if (!tabs)
		return nall;
	w->need = sg_xcalloc(w->w.n + 1, sizeof(*w->need));
	for (size_t i = 0; i < w->w.n; i++)
		for (const char *p = w->w.v[i]; *p;) {
			size_t n = strcspn(p, "\t"), b;
			if (n >= 64)
				break;
			for (b = first; b < cd->parts.n && (strlen(cd->parts.v[b]) !=
			    n || strncmp(cd->parts.v[b], p, n) != 0); b++)
				;
			if (n > 0 && b == cd->parts.n) {
				if (b - first == MAXPARTS) {
					/* Too many for the bits: read as
					 * sg_check_line_parts does without
					 * a scan. */
					free(w->need);
					w->need = NULL;
					return nall;
				}
				sg_strv_push(&cd->parts, sg_xstrndup(p, n));
			}
			if (n > 0)
				w->need[i] |= (size_t)1 << (b - first);
			p += n + (p[n] ? 1 : 0);
		}
	*all = sg_xrealloc(*all, (nall + cd->parts.n - first + 1) *
	    sizeof(**all));
	cd->all_list = sg_xrealloc(cd->all_list, (nall + cd->parts.n - first +
	    1) * sizeof(*cd->all_list));
	cd->all_idx = sg_xrealloc(cd->all_idx, (nall + cd->parts.n - first +
	    1) * sizeof(*cd->all_idx));
	for (size_t b = first; b < cd->parts.n; b++, nall++) {
		(*all)[nall] = cd->parts.v[b];
		cd->all_list[nall] = k;
		cd->all_idx[nall] = PART | (b - first);
	}
	return nall;
}

struct sg_check_data *
sg_check_data_load(struct sg_site *s, struct sg_diag *d)
{
	struct sg_check_data *cd = sg_xcalloc(1, sizeof(*cd));

	const struct sg_check_words *wl;
	const struct sg_strv *l;
	const char **all = NULL;
	size_t nall = 0;

	cd->key = SG_CACHE_KEY0;
	for (size_t i = 0; groups[i]; i++)
		load_group(cd, s, groups[i], d);
	for (size_t k = 0; k < cd->keys.n; k++) {
		struct sg_check_words *w = sg_map_get(&cd->lists,
		    cd->keys.v[k]);
		w->id = k;
		all = sg_xrealloc(all, (nall + w->w.n + 1) * sizeof(*all));
		cd->all_list = sg_xrealloc(cd->all_list, (nall + w->w.n + 1) *
		    sizeof(*cd->all_list));
		cd->all_idx = sg_xrealloc(cd->all_idx, (nall + w->w.n + 1) *
		    sizeof(*cd->all_idx));
		for (size_t i = 0; i < w->w.n; i++, nall++) {
			all[nall] = w->w.v[i];
			cd->all_list[nall] = k;
			cd->all_idx[nall] = i;
		}
		nall = add_parts(cd, w, k, &all, nall);
	}
	cd->all = sg_match_new(all, nall);
	free(all);
	/* Names are looked for at every character: the surnames as a set. */
	if ((wl = sg_map_get(&cd->lists, "minors/surnames")) != NULL &&
	    (l = &wl->w) != NULL)
		for (size_t i = 0; i < l->n; i++)
			for (const char *p = l->v[i]; *p;) {
				const char *q = p;
				char ch[8];
				if (sg_utf8_next(&q) < 0 || q - p >= 8) {
					p++;
					continue;
				}
				memcpy(ch, p, (size_t)(q - p));
				ch[q - p] = '\0';
				sg_map_put(&cd->surnames, ch, (void *)1);
				p = q;
			}
	return cd;
}

void
sg_check_data_free(struct sg_check_data *cd)
{
	if (cd == NULL)
		return;
	for (size_t i = 0; i < cd->keys.n; i++) {
		struct sg_check_words *wl = sg_map_get(&cd->lists,
		    cd->keys.v[i]);
		sg_strv_clear(&wl->w);
		sg_match_free(wl->m);
		free(wl->need);
		free(wl);
	}
	sg_map_clear(&cd->lists);
	sg_map_clear(&cd->surnames);
	sg_match_free(cd->all);
	sg_strv_clear(&cd->parts);
	free(cd->all_list);
	free(cd->all_idx);
	sg_strv_clear(&cd->keys);
	free(cd);
}

uint64_t
sg_check_data_key(const struct sg_check_data *cd)
{
	return cd ? cd->key : SG_CACHE_KEY0;
}

const struct sg_check_words *
sg_check_words(const struct sg_check_ctx *c, const char *group,
    const char *key)
{
	char buf[128];
	size_t g, k;
	const struct sg_check_words *l;
	struct sg_check_memo *e = NULL;

	/* Called in the rules' inner loops: no printf, and the answer for
	 * the same literals remembered. */
	if (c->memo) {
		uint64_t h = ((uint64_t)(uintptr_t)key * 31 +
		    (uint64_t)(uintptr_t)group) * 0x9E3779B97F4A7C15u;
		e = &c->memo[(h >> 56) % SG_CHECK_MEMO];
		if (e->key == key && e->group == group)
			return e->w;
	}
	g = strlen(group);
	k = strlen(key);
	if (c->data == NULL || g + k + 2 > sizeof(buf))
		return &empty;
	memcpy(buf, group, g);
	buf[g] = '/';
	memcpy(buf + g + 1, key, k + 1);
	l = sg_map_get(&c->data->lists, buf);
	if (l == NULL)
		l = &empty;
	if (e) {
		e->group = group;
		e->key = key;
		e->w = l;
	}
	return l;
}

const struct sg_strv *
sg_check_list(const struct sg_check_ctx *c, const char *group,
    const char *key)
{
	return &sg_check_words(c, group, key)->w;
}

int
sg_check_surname(const struct sg_check_ctx *c, const char *s, size_t n)
{
	char ch[8];

	if (c->data == NULL || n == 0 || n >= sizeof(ch))
		return 0;
	memcpy(ch, s, n);
	ch[n] = '\0';
	return sg_map_get(&c->data->surnames, ch) != NULL;
}

/* ---- words in folded text ---- */

size_t
sg_check_word_at(const struct sg_check_words *words, const char *s)
{
	return words->m ? sg_match_at(words->m, s) : 0;
}

const char *
sg_check_word_in(const struct sg_check_words *words, const char *s)
{
	size_t i = words->m ? sg_match_first(words->m, s) : SG_MATCH_NONE;

	return i == SG_MATCH_NONE ? NULL : words->w.v[i];
}

/* found[id] for each list, then found[n + id] its parts' bits. */
size_t
sg_check_nlists(const struct sg_check_ctx *c)
{
	return c->data ? 2 * c->data->keys.n : 0;
}

struct scan {
	const struct sg_check_data	*cd;
	size_t				*found;
};

static void
scan_hit(void *arg, size_t word, size_t end)
{
	struct scan *sc = arg;
	size_t l = sc->cd->all_list[word], i = sc->cd->all_idx[word];

	(void)end;
	if (i & PART)
		sc->found[sc->cd->keys.n + l] |= (size_t)1 << (i & ~PART);
	else if (sc->found[l] == SG_MATCH_NONE || i < sc->found[l])
		sc->found[l] = i;
}

void
sg_check_scan(const struct sg_check_ctx *c, const char *f, size_t *found)
{
	struct scan sc = {c->data, found};
	size_t n = c->data ? c->data->keys.n : 0;

	for (size_t i = 0; i < n; i++) {
		found[i] = SG_MATCH_NONE;
		found[n + i] = 0;
	}
	if (c->data && c->data->all)
		sg_match_each(c->data->all, f, scan_hit, &sc);
}

const char *
sg_check_line_word(const struct sg_check_line *l,
    const struct sg_check_words *words)
{
	size_t i;

	if (l->found == NULL)
		return sg_check_word_in(words, l->f);
	if (words->m == NULL || (i = l->found[words->id]) == SG_MATCH_NONE)
		return NULL;
	return words->w.v[i];
}

int
sg_check_line_parts(const struct sg_check_ctx *c, const struct sg_check_line *l,
    const struct sg_check_words *words, size_t i)
{
	const char *w = words->w.v[i];

	if (l->found && words->need) {
		size_t seen = l->found[c->data->keys.n + words->id];
		return (seen & words->need[i]) == words->need[i];
	}
	while (*w) {
		size_t n = strcspn(w, "\t");
		char word[64];
		if (n >= sizeof(word))
			break;
		memcpy(word, w, n);
		word[n] = '\0';
		if (strstr(l->f, word) == NULL)
			return 0;
		w += n + (w[n] ? 1 : 0);
	}
	return 1;
}
