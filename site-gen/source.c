/*
 * source: the content-source interface and its filesystem backend.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"
#include "util.h"

struct fs {
	char		*root;
	char		*real;		/* root with links resolved, for
					   containment */
	/* Folders whose real path was looked up: folder → 1 inside, 2 not.
	 * Every read checks containment, and documents are read again by
	 * several stages on several threads. */
	pthread_mutex_t	 lock;
	struct sg_map	 dirs;
};

static char *
fs_path(struct fs *fs, const char *path)
{
	return sg_path_join(fs->root, path);
}

/* 1 if p, links resolved, is inside folder real (a resolved path). */
static int
resolved_inside(const char *real, const char *p)
{
	char *r = realpath(p, NULL);
	size_t n = strlen(real);
	int ok;

	if (r == NULL)
		return 1;	/* missing: the caller reports that */
	ok = strncmp(r, real, n) == 0 && (r[n] == '/' || r[n] == '\0' ||
	    strcmp(real, "/") == 0);
	free(r);
	return ok;
}

static const char *
skip_dot(const char *rel)
{
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	return rel;
}

/*
 * The folder that rel (relative to the site) must resolve inside: what a
 * year reads stays in content/<year>/ — a link from its images to
 * ../../../.git/config must not publish the repository's settings — and
 * content/ and each year are real folders, not links elsewhere.  The rest
 * of the site (site.yml, schemas/, themes/) stays in the site.  Caller
 * frees.
 */
static char *
boundary(struct fs *fs, const char *rel)
{
	const char *y, *e;

	rel = skip_dot(rel);
	if (strncmp(rel, "content", 7) != 0 || (rel[7] != '/' && rel[7] != '\0'))
		return sg_xstrdup(fs->real);
	if (rel[7] == '\0')
		return sg_path_join(fs->real, "content");
	y = rel + 8;
	e = strchr(y, '/');
	return sg_xasprintf("%s/content/%.*s", fs->real,
	    (int)(e ? (size_t)(e - y) : strlen(y)), y);
}

/* 1 if rel is a real folder, not a link: content/ and content/<year>/
 * must be, so that their boundary is the folder itself. */
static int
needs_real(const char *rel)
{
	const char *s;

	rel = skip_dot(rel);
	if (strcmp(rel, "content") == 0)
		return 1;
	return strncmp(rel, "content/", 8) == 0 && rel[8] != '\0' &&
	    ((s = strchr(rel + 8, '/')) == NULL || s[1] == '\0');
}

/* 1 if path p (site-relative rel), links resolved, is inside its boundary.
 * The real path of each folder is looked up once: a file that is not a
 * link is where its folder is. */
static int
inside(struct fs *fs, const char *rel, const char *p)
{
	const char *slash = strrchr(p, '/'), *base = slash ? slash + 1 : p;
	char *bound = boundary(fs, rel), *dir, *key;
	struct stat st;
	uintptr_t v;
	int ok;

	if (needs_real(rel)) {
		ok = !(lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) &&
		    resolved_inside(bound, p);
		free(bound);
		return ok;
	}
	if (slash == NULL || slash == p || *base == '\0' ||
	    strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    lstat(p, &st) == -1 || S_ISLNK(st.st_mode)) {
		ok = resolved_inside(bound, p);
		free(bound);
		return ok;
	}
	dir = sg_xstrndup(p, (size_t)(slash - p));
	/* The same folder may be inside one boundary and not another. */
	key = sg_xasprintf("%s\n%s", bound, dir);
	pthread_mutex_lock(&fs->lock);
	v = (uintptr_t)sg_map_get(&fs->dirs, key);
	pthread_mutex_unlock(&fs->lock);
	if (v == 0) {
		v = resolved_inside(bound, dir) ? 1 : 2;
		pthread_mutex_lock(&fs->lock);
		sg_map_put(&fs->dirs, key, (void *)v);
		pthread_mutex_unlock(&fs->lock);
	}
	free(key);
	free(dir);
	free(bound);
	return v == 1;
}

static int
fs_read(void *ctx, const char *path, char **data, size_t *len)
{
	char *p = fs_path(ctx, path);
	int rc, e;

	if (!inside(ctx, path, p)) {
		free(p);
		errno = EACCES;
		return -1;
	}
	rc = sg_file_read(p, data, len);
	e = errno;

	free(p);
	errno = e;
	return rc;
}

static int
fs_list(void *ctx, const char *dir, int kinds, struct sg_strv *out)
{
	char *p = fs_path(ctx, dir);
	size_t first = out->n;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(p)) == NULL) {
		free(p);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *sub, *rel;

		if (de->d_name[0] == '.')
			continue;	/* dot files and editor droppings */
		sub = sg_path_join(p, de->d_name);
		rel = sg_path_join(dir, de->d_name);
		if (stat(sub, &st) == 0 && inside(ctx, rel, sub) ?
		    (((kinds & SG_SOURCE_FILE) && S_ISREG(st.st_mode)) ||
		    ((kinds & SG_SOURCE_DIR) && S_ISDIR(st.st_mode))) :
		    (kinds & SG_SOURCE_OUTSIDE) && lstat(sub, &st) == 0)
			sg_strv_push(out, sg_xstrdup(de->d_name));
		free(rel);
		free(sub);
	}
	closedir(d);
	free(p);
	if (out->n > first)	/* an empty folder: out->v may be NULL */
		qsort(out->v + first, out->n - first, sizeof(char *),
		    sg_strcmp_p);
	return 0;
}

static int
fs_kind(void *ctx, const char *path)
{
	char *p = fs_path(ctx, path);
	struct stat st;
	int k = 0;

	if (lstat(p, &st) == 0 && !inside(ctx, path, p))
		k = SG_SOURCE_OUTSIDE;
	else if (stat(p, &st) == 0)
		k = S_ISDIR(st.st_mode) ? SG_SOURCE_DIR :
		    S_ISREG(st.st_mode) ? SG_SOURCE_FILE : 0;
	free(p);
	return k;
}

static char *
fs_realpath(void *ctx, const char *path)
{
	return fs_path(ctx, path);
}

static void
fs_free(void *ctx)
{
	struct fs *fs = ctx;

	free(fs->root);
	free(fs->real);
	sg_map_clear(&fs->dirs);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

static const struct sg_source_ops fs_ops = {
	fs_read, fs_list, fs_kind, fs_realpath, fs_free
};

/* The in-memory backend: a flat list of paths. */
struct memfile {
	char	*path;
	char	*data;
	size_t	 len;
};

struct mem {
	struct memfile	*v;
	size_t		 n;
};

static const struct sg_source_ops mem_ops;

static struct memfile *
mem_find(struct mem *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0)
			return &m->v[i];
	return NULL;
}

static int
mem_read(void *ctx, const char *path, char **data, size_t *len)
{
	struct memfile *f = mem_find(ctx, path);

	if (f == NULL) {
		errno = ENOENT;
		return -1;
	}
	*data = sg_xstrndup(f->data, f->len);
	*len = f->len;
	return 0;
}

/* The part of path directly below dir ("" = top), or NULL. */
static const char *
below(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 0 || strcmp(dir, ".") == 0)
		return path;
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

static int
mem_list(void *ctx, const char *dir, int kinds, struct sg_strv *out)
{
	struct mem *m = ctx;
	size_t first = out->n;
	int found = 0;

	for (size_t i = 0; i < m->n; i++) {
		const char *rest = below(dir, m->v[i].path), *slash;
		char *name;
		int isdir;

		if (rest == NULL || *rest == '\0')
			continue;
		found = 1;
		slash = strchr(rest, '/');
		isdir = slash != NULL;
		name = slash ? sg_xstrndup(rest, (size_t)(slash - rest)) :
		    sg_xstrdup(rest);
		if (name[0] != '.' && ((isdir && (kinds & SG_SOURCE_DIR)) ||
		    (!isdir && (kinds & SG_SOURCE_FILE))) &&
		    !sg_strv_has(out, name))
			sg_strv_push(out, name);
		else
			free(name);
	}
	if (!found && strcmp(dir, ".") != 0 && *dir)
		return -1;
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(char *), sg_strcmp_p);
	return 0;
}

static int
mem_kind(void *ctx, const char *path)
{
	struct mem *m = ctx;

	if (mem_find(m, path))
		return SG_SOURCE_FILE;
	for (size_t i = 0; i < m->n; i++) {
		const char *r = below(path, m->v[i].path);
		if (r && *r)
			return SG_SOURCE_DIR;
	}
	return 0;
}

static char *
mem_realpath(void *ctx, const char *path)
{
	(void)ctx;
	(void)path;
	return NULL;
}

static void
mem_free(void *ctx)
{
	struct mem *m = ctx;

	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].data);
	}
	free(m->v);
	free(m);
}

static const struct sg_source_ops mem_ops = {
	mem_read, mem_list, mem_kind, mem_realpath, mem_free
};

struct sg_source *
sg_source_mem_new(void)
{
	struct sg_source *s = sg_xcalloc(1, sizeof(*s));

	s->ops = &mem_ops;
	s->ctx = sg_xcalloc(1, sizeof(struct mem));
	return s;
}

void
sg_source_mem_add(struct sg_source *s, const char *path, const char *data,
    size_t len)
{
	struct mem *m = s->ctx;
	struct memfile *f;

	if (s->ops != &mem_ops)
		return;
	if ((f = mem_find(m, path)) == NULL) {
		m->v = sg_xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
		f = &m->v[m->n++];
		f->path = sg_xstrdup(path);
	} else
		free(f->data);
	f->data = sg_xstrndup(data, len);
	f->len = len;
}

struct sg_source *
sg_source_fs_new(const char *root)
{
	struct sg_source *s = sg_xcalloc(1, sizeof(*s));
	struct fs *fs = sg_xcalloc(1, sizeof(*fs));

	fs->root = sg_xstrdup(root);
	pthread_mutex_init(&fs->lock, NULL);
	fs->real = realpath(root, NULL);
	if (fs->real == NULL)
		fs->real = sg_xstrdup(root);
	s->ops = &fs_ops;
	s->ctx = fs;
	return s;
}

void
sg_source_free(struct sg_source *s)
{
	if (s == NULL)
		return;
	s->ops->free(s->ctx);
	if (s->late) {
		sg_diag_clear(s->late);
		free(s->late);
	}
	free(s);
}

int
sg_source_read(struct sg_source *s, const char *path, char **data,
    size_t *len, struct sg_diag *d)
{
	if (s->ops->read(s->ctx, path, data, len) == -1) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
sg_source_list(struct sg_source *s, const char *dir, int kinds,
    struct sg_strv *out)
{
	return s->ops->list(s->ctx, dir, kinds, out);
}

int
sg_source_kind(struct sg_source *s, const char *path)
{
	return s->ops->kind(s->ctx, path);
}

char *
sg_source_realpath(struct sg_source *s, const char *path)
{
	return s->ops->realpath(s->ctx, path);
}
