/*
 * withdrawal: the record of a withdrawal and the source that applies it
 * (see withdrawal.h).
 */
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"
#include "withdrawal.h"

/* ---- the record ---- */

char *
sg_withdrawal_message(const struct sg_withdrawal *w)
{
	struct sg_buf b = {0};

	sg_buf_printf(&b, "Withdraw from %d r%d: ", w->year, w->from);
	for (const char *s = w->reason; *s; s++)
		sg_buf_putc(&b, *s == '\n' || *s == '\r' ? ' ' : *s);
	sg_buf_printf(&b, "\n\nWithdrawal: %d r%d\nPath: %s\nBlob: %s\n"
	    "Sha256: %s\n", w->year, w->from, w->path, w->blob, w->sha256);
	if (w->passage)
		sg_buf_printf(&b, "Passage-Bytes: %zu\n", w->passage);
	sg_buf_puts(&b, "Reason: ");
	for (const char *s = w->reason; *s; s++)
		sg_buf_putc(&b, *s == '\n' || *s == '\r' ? ' ' : *s);
	sg_buf_putc(&b, '\n');
	return sg_buf_take(&b);
}

/* The value of trailer key in msg, up to the end of its line, or NULL.
 * Caller frees. */
static char *
trailer(const char *msg, const char *key)
{
	size_t n = strlen(key);

	for (const char *l = msg; l && *l; l = strchr(l, '\n') ? strchr(l,
	    '\n') + 1 : NULL)
		if (strncmp(l, key, n) == 0 && l[n] == ':' && l[n + 1] == ' ') {
			const char *v = l + n + 2, *e = strchr(v, '\n');
			return sg_xstrndup(v, e ? (size_t)(e - v) : strlen(v));
		}
	return NULL;
}

static int
is_hex(const char *s, size_t n)
{
	return s && strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

int
sg_withdrawal_parse(const char *msg, struct sg_withdrawal *w)
{
	char *which = trailer(msg, "Withdrawal"), *blob = trailer(msg, "Blob");
	char *sha = trailer(msg, "Sha256"), *bytes = trailer(msg,
	    "Passage-Bytes");
	int rc = -1;

	w->path = trailer(msg, "Path");
	w->reason = trailer(msg, "Reason");
	if (which == NULL || sscanf(which, "%d r%d", &w->year, &w->from) != 2 ||
	    w->path == NULL || w->reason == NULL || !is_hex(blob, 40) ||
	    !is_hex(sha, 64) || strncmp(w->path, "content/", 8) != 0 ||
	    strstr(w->path, "..") != NULL)
		goto out;
	memcpy(w->blob, blob, 41);
	memcpy(w->sha256, sha, 65);
	w->passage = 0;
	if (bytes) {
		char *end;
		unsigned long v = strtoul(bytes, &end, 10);
		if (*end != '\0' || v == 0 || v > (1u << 20))
			goto out;
		w->passage = v;
	}
	rc = 0;
out:
	free(which);
	free(blob);
	free(sha);
	free(bytes);
	return rc;
}

void
sg_withdrawal_clear(struct sg_withdrawal *w)
{
	free(w->tag);
	free(w->path);
	free(w->reason);
	memset(w, 0, sizeof(*w));
}

long
sg_withdrawal_find(const struct sg_withdrawal *w, const char *data, size_t len)
{
	char hex[65];

	if (w->passage == 0 || w->passage > len)
		return -1;
	for (size_t i = 0; i + w->passage <= len; i++) {
		/* Passages start and end on a character. */
		if ((data[i] & 0xC0) == 0x80 || (i + w->passage < len &&
		    (data[i + w->passage] & 0xC0) == 0x80))
			continue;
		sg_sha256_hex(data + i, w->passage, hex);
		if (strcmp(hex, w->sha256) == 0)
			return (long)i;
	}
	return -1;
}

/* ---- the source ---- */

struct patch {
	char	*path;
	char	*data;		/* what it reads as; NULL: not there */
	size_t	 len;
};

struct wsrc {
	struct sg_source	*inner;		/* the tree's source, owned */
	struct patch		*v;
	size_t			 n;
};

static const struct patch *
patched(const struct wsrc *w, const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->v[i].path, path) == 0)
			return &w->v[i];
	return NULL;
}

static int
w_read(void *ctx, const char *path, char **data, size_t *len)
{
	struct wsrc *w = ctx;
	const struct patch *p = patched(w, path);

	if (p == NULL)
		return w->inner->ops->read(w->inner->ctx, path, data, len);
	if (p->data == NULL) {
		errno = ENOENT;
		return -1;
	}
	*data = sg_xstrndup(p->data, p->len);
	*len = p->len;
	return 0;
}

static int
w_list(void *ctx, const char *dir, int kinds, struct sg_strv *out)
{
	struct wsrc *w = ctx;
	size_t first = out->n, k = first;

	if (w->inner->ops->list(w->inner->ctx, dir, kinds, out) == -1)
		return -1;
	/* A file that is not there any more is not listed either. */
	for (size_t i = first; i < out->n; i++) {
		char *full = sg_path_join(dir, out->v[i]);
		const struct patch *p = patched(w, full);
		free(full);
		if (p && p->data == NULL)
			free(out->v[i]);
		else
			out->v[k++] = out->v[i];
	}
	out->n = k;
	return 0;
}

static int
w_kind(void *ctx, const char *path)
{
	struct wsrc *w = ctx;
	const struct patch *p = patched(w, path);

	if (p)
		return p->data ? SG_SOURCE_FILE : 0;
	return w->inner->ops->kind(w->inner->ctx, path);
}

static char *
w_realpath(void *ctx, const char *path)
{
	(void)ctx;
	(void)path;
	return NULL;
}

static void
w_free(void *ctx)
{
	struct wsrc *w = ctx;

	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].path);
		free(w->v[i].data);
	}
	free(w->v);
	sg_source_free(w->inner);
	free(w);
}

static const struct sg_source_ops withdrawal_ops = {
	w_read, w_list, w_kind, w_realpath, w_free
};

/* What a whole withdrawn file reads as; NULL: it is not there. */
static char *
notice_file(const struct sg_withdrawal *w, size_t *len)
{
	char *s;

	if (sg_has_suffix(w->path, ".md"))
		s = sg_xasprintf("---\ntitle: 已撤回的内容\n---\n\n"
		    "> 已依法撤回：%s（%s）\n", w->reason, w->date);
	else if (sg_has_suffix(w->path, ".csv")) {
		/* A quote in the reason cannot end the cell. */
		char *r = sg_xstrdup(w->reason);
		for (char *q = r; *q; q++)
			if (*q == '"')
				*q = '\'';
		s = sg_xasprintf("说明\n\"已依法撤回：%s（%s）\"\n", r, w->date);
		free(r);
	} else
		return NULL;
	*len = strlen(s);
	return s;
}

/* data with the passage at off replaced by its notice.  Caller frees. */
static char *
notice_passage(const struct sg_withdrawal *w, const char *data, size_t len,
    size_t off, size_t *out)
{
	struct sg_buf b = {0};

	sg_buf_add(&b, data, off);
	if (sg_has_suffix(w->path, ".md"))
		sg_buf_printf(&b, "［已依法撤回：%s（%s）］", w->reason, w->date);
	else
		sg_buf_puts(&b, "［已依法撤回］");
	sg_buf_add(&b, data + off + w->passage, len - off - w->passage);
	*out = b.len;
	return sg_buf_take(&b);
}

struct sg_source *
sg_withdrawal_source(const struct git_tree *tree, const struct sg_withdrawal *v,
    size_t n)
{
	struct sg_source *inner = sg_source_git_new(tree), *s;
	struct wsrc *w;

	if (inner == NULL)
		return NULL;
	w = sg_xcalloc(1, sizeof(*w));
	w->inner = inner;
	for (size_t i = 0; i < n; i++) {
		git_tree_entry *e = NULL;
		char oid[41], *data = NULL, *rep = NULL;
		size_t len = 0, rlen = 0;
		struct patch *p;
		long off;

		if (git_tree_entry_bypath(&e, tree, v[i].path) < 0)
			continue;
		git_oid_tostr(oid, sizeof(oid), git_tree_entry_id(e));
		git_tree_entry_free(e);
		/* Earlier withdrawals of the same file apply first. */
		p = (struct patch *)patched(w, v[i].path);
		if (v[i].passage == 0) {
			if (strcmp(oid, v[i].blob) != 0)
				continue;
			rep = notice_file(&v[i], &rlen);
		} else {
			if (p) {
				if (p->data == NULL)
					continue;
				data = sg_xstrndup(p->data, p->len);
				len = p->len;
			} else if (inner->ops->read(inner->ctx, v[i].path, &data,
			    &len) == -1)
				continue;
			/* Every place the passage stands. */
			while ((off = sg_withdrawal_find(&v[i], data, len)) >= 0) {
				rep = notice_passage(&v[i], data, len,
				    (size_t)off, &rlen);
				free(data);
				data = rep;
				len = rlen;
			}
			if (rep == NULL) {
				free(data);
				continue;
			}
		}
		if (p == NULL) {
			w->v = sg_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
			p = &w->v[w->n++];
			p->path = sg_xstrdup(v[i].path);
		} else
			free(p->data);
		p->data = rep;
		p->len = rlen;
	}
	s = sg_xcalloc(1, sizeof(*s));
	s->ops = &withdrawal_ops;
	s->ctx = w;
	return s;
}
