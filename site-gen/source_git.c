/*
 * source_git: the content-source interface over a git tree.  An archived
 * revision (/<year>/r<N>/) and the semantic diff of two disclosure tags
 * load content through it, so a report as it was is read by the same
 * load.c and rendered by the same pages.c as the working tree.
 */
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

struct gsrc {
	git_tree	*tree;
};

/* The object at path ("" or "." is the root), or NULL. Caller frees. */
static git_object *
lookup(struct gsrc *g, const char *path)
{
	git_tree_entry *e = NULL;
	git_object *o = NULL;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (*path == '\0' || strcmp(path, ".") == 0) {
		if (git_object_dup(&o, (git_object *)g->tree) < 0)
			return NULL;
		return o;
	}
	if (git_tree_entry_bypath(&e, g->tree, path) < 0)
		return NULL;
	if (git_tree_entry_to_object(&o, git_tree_owner(g->tree), e) < 0)
		o = NULL;
	git_tree_entry_free(e);
	return o;
}

static int
g_read(void *ctx, const char *path, char **data, size_t *len)
{
	git_object *o = lookup(ctx, path);
	const git_blob *b;
	size_t n;

	if (o == NULL || git_object_type(o) != GIT_OBJECT_BLOB) {
		git_object_free(o);
		errno = o ? EISDIR : ENOENT;
		return -1;
	}
	b = (const git_blob *)o;
	n = (size_t)git_blob_rawsize(b);
	*data = sg_xmalloc(n + 1);
	memcpy(*data, git_blob_rawcontent(b), n);
	(*data)[n] = '\0';
	*len = n;
	git_object_free(o);
	return 0;
}

static int
g_list(void *ctx, const char *dir, int kinds, struct sg_strv *out)
{
	git_object *o = lookup(ctx, dir);
	size_t first = out->n;
	const git_tree *t;

	if (o == NULL || git_object_type(o) != GIT_OBJECT_TREE) {
		git_object_free(o);
		errno = ENOTDIR;
		return -1;
	}
	t = (const git_tree *)o;
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		git_object_t type = git_tree_entry_type(e);

		if (name[0] == '.')
			continue;	/* as the filesystem source does */
		if (((kinds & SG_SOURCE_FILE) && type == GIT_OBJECT_BLOB) ||
		    ((kinds & SG_SOURCE_DIR) && type == GIT_OBJECT_TREE))
			sg_strv_push(out, sg_xstrdup(name));
	}
	git_object_free(o);
	/* Git orders a folder "a" as "a/": sort as the filesystem does. */
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(char *),
		    sg_strcmp_p);
	return 0;
}

static int
g_kind(void *ctx, const char *path)
{
	git_object *o = lookup(ctx, path);
	int k = 0;

	if (o)
		k = git_object_type(o) == GIT_OBJECT_TREE ? SG_SOURCE_DIR :
		    git_object_type(o) == GIT_OBJECT_BLOB ? SG_SOURCE_FILE : 0;
	git_object_free(o);
	return k;
}

static char *
g_realpath(void *ctx, const char *path)
{
	(void)ctx;
	(void)path;
	return NULL;
}

static void
g_free(void *ctx)
{
	struct gsrc *g = ctx;

	git_tree_free(g->tree);
	free(g);
}

static const struct sg_source_ops git_ops = {
	g_read, g_list, g_kind, g_realpath, g_free
};

struct sg_source *
sg_source_git_new(const struct git_tree *tree)
{
	struct sg_source *s = sg_xcalloc(1, sizeof(*s));
	struct gsrc *g = sg_xcalloc(1, sizeof(*g));

	if (git_tree_dup(&g->tree, (git_tree *)tree) < 0) {
		free(g);
		free(s);
		return NULL;
	}
	s->ops = &git_ops;
	s->ctx = g;
	return s;
}
