/*
 * source_view: one source made of others, by year.  A public build reads
 * content/<year>/ of each published year from the tree of its latest
 * disclosure tag and everything outside content/ (site.yml, schemas/)
 * from the working tree, and sees no other year: the loader, the checks
 * and the pages then work on what was disclosed without knowing it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

struct year_src {
	int			 year;
	struct sg_source	*src;	/* owned */
};

struct view {
	struct sg_source	*base;	/* borrowed */
	struct year_src		*v;
	size_t			 n;
};

/*
 * Which source holds path: the year's when path is content/<year> or
 * below it; NULL for a year the view does not show; base for the rest.
 */
static struct sg_source *
route(struct view *w, const char *path)
{
	const char *p = path;
	char *end;
	long y;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strncmp(p, "content/", 8) != 0)
		return w->base;
	p += 8;
	y = strtol(p, &end, 10);
	if (end == p || (*end != '\0' && *end != '/'))
		return NULL;	/* not a year's folder: nothing public */
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].year == y)
			return w->v[i].src;
	return NULL;
}

static int
v_read(void *ctx, const char *path, char **data, size_t *len)
{
	struct sg_source *s = route(ctx, path);

	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	return s->ops->read(s->ctx, path, data, len);
}

/* content/ lists the years shown, whether or not the working tree still
 * has their folder; every other folder is its source's. */
static int
v_list(void *ctx, const char *dir, int kinds, struct sg_strv *out)
{
	struct view *w = ctx;
	const char *p = dir;
	struct sg_source *s;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strcmp(p, "content") == 0 || strcmp(p, "content/") == 0) {
		if (kinds & SG_SOURCE_DIR)
			for (size_t i = 0; i < w->n; i++)
				sg_strv_push(out, sg_xasprintf("%d",
				    w->v[i].year));
		return 0;
	}
	if ((s = route(w, dir)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	return s->ops->list(s->ctx, dir, kinds, out);
}

static int
v_kind(void *ctx, const char *path)
{
	struct view *w = ctx;
	const char *p = path;
	struct sg_source *s;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strcmp(p, "content") == 0)
		return SG_SOURCE_DIR;
	s = route(w, path);
	return s ? s->ops->kind(s->ctx, path) : 0;
}

static char *
v_realpath(void *ctx, const char *path)
{
	struct sg_source *s = route(ctx, path);

	return s ? s->ops->realpath(s->ctx, path) : NULL;
}

static void
v_free(void *ctx)
{
	struct view *w = ctx;

	for (size_t i = 0; i < w->n; i++)
		sg_source_free(w->v[i].src);
	free(w->v);
	free(w);
}

static const struct sg_source_ops view_ops = {
	v_read, v_list, v_kind, v_realpath, v_free
};

struct sg_source *
sg_source_view_new(struct sg_source *base)
{
	struct sg_source *s = sg_xcalloc(1, sizeof(*s));
	struct view *w = sg_xcalloc(1, sizeof(*w));

	w->base = base;
	s->ops = &view_ops;
	s->ctx = w;
	return s;
}

void
sg_source_view_year(struct sg_source *view, int year, struct sg_source *src)
{
	struct view *w = view->ctx;
	size_t i;

	if (view->ops != &view_ops) {
		sg_source_free(src);
		return;
	}
	/* Ascending by year, as content/ is listed. */
	for (i = 0; i < w->n && w->v[i].year < year; i++)
		;
	if (i < w->n && w->v[i].year == year) {
		sg_source_free(w->v[i].src);
		w->v[i].src = src;
		return;
	}
	w->v = sg_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	memmove(w->v + i + 1, w->v + i, (w->n - i) * sizeof(*w->v));
	w->v[i].year = year;
	w->v[i].src = src;
	w->n++;
}
