/*
 * source: the content-source interface and its filesystem backend.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"
#include "util.h"

struct fs {
	char	*root;
};

static char *
fs_path(struct fs *fs, const char *path)
{
	return sg_path_join(fs->root, path);
}

static int
fs_read(void *ctx, const char *path, char **data, size_t *len)
{
	char *p = fs_path(ctx, path);
	int rc = sg_file_read(p, data, len);
	int e = errno;

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
		char *sub;

		if (de->d_name[0] == '.')
			continue;	/* dot files and editor droppings */
		sub = sg_path_join(p, de->d_name);
		if (stat(sub, &st) == 0 &&
		    (((kinds & SG_SOURCE_FILE) && S_ISREG(st.st_mode)) ||
		    ((kinds & SG_SOURCE_DIR) && S_ISDIR(st.st_mode))))
			sg_strv_push(out, sg_xstrdup(de->d_name));
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

	if (stat(p, &st) == 0)
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
	free(fs);
}

static const struct sg_source_ops fs_ops = {
	fs_read, fs_list, fs_kind, fs_realpath, fs_free
};

struct sg_source *
sg_source_fs_new(const char *root)
{
	struct sg_source *s = sg_xcalloc(1, sizeof(*s));
	struct fs *fs = sg_xcalloc(1, sizeof(*fs));

	fs->root = sg_xstrdup(root);
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
