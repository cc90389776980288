/*
 * source: where content is read from.  A build reads the working tree; an
 * archived revision reads a git tree.  Loading goes through this one
 * interface so that both render the same way.  Paths are relative to the
 * site directory and use '/'.
 */
#ifndef SG_SOURCE_H
#define SG_SOURCE_H

#include <stddef.h>

struct sg_diag;
struct sg_strv;
struct git_tree;

/* SG_SOURCE_OUTSIDE: a link that leads out of the site directory; it is
 * neither read nor listed. */
enum sg_source_kind { SG_SOURCE_FILE = 1, SG_SOURCE_DIR = 2, SG_SOURCE_OUTSIDE = 4 };

struct sg_source_ops {
	/* Reads path into *data (NUL-terminated, caller frees). 0 or -1. */
	int	(*read)(void *ctx, const char *path, char **data, size_t *len);
	/* Appends names in dir of the given kinds, sorted. 0 or -1 (no dir). */
	int	(*list)(void *ctx, const char *dir, int kinds, struct sg_strv *out);
	/* SG_SOURCE_FILE, SG_SOURCE_DIR, SG_SOURCE_OUTSIDE or 0. */
	int	(*kind)(void *ctx, const char *path);
	/* Absolute path for copying a file out, or NULL (caller frees). */
	char	*(*realpath)(void *ctx, const char *path);
	void	(*free)(void *ctx);
};

struct sg_source {
	const struct sg_source_ops	*ops;
	void				*ctx;
	/* Files that could not be read again as they were loaded, while
	 * no findings list was at hand (doc.c); NULL if none. */
	struct sg_diag			*late;
};

/* A source held in memory (tests, fuzzing): empty until files are added.
 * Free with sg_source_free. */
struct sg_source *sg_source_mem_new(void);
/* Adds (or replaces) a file; data is copied.  Folders are implied. */
void sg_source_mem_add(struct sg_source *s, const char *path, const char *data,
    size_t len);

/* A source over directory root. Free with sg_source_free. */
struct sg_source *sg_source_fs_new(const char *root);
void sg_source_free(struct sg_source *s);
/* A source over a git tree — the site folder as it was at a commit or
 * tag (source_git.c).  The source keeps its own reference to the tree;
 * the tree's repository must outlive it.  realpath gives NULL: read the
 * bytes instead.  Free with sg_source_free; NULL if libgit2 fails. */
struct sg_source *sg_source_git_new(const struct git_tree *tree);

/*
 * A view made of other sources, by year: content/<year>/ of each year
 * added with sg_source_view_year is read from that year's source, other
 * years are not there, and everything outside content/ is read from base
 * (borrowed: it must outlive the view).  A public build reads what was
 * disclosed through it.  Free with sg_source_free.
 */
struct sg_source *sg_source_view_new(struct sg_source *base);
/* Shows content/<year>/ from src (owned by the view from now on; paths in
 * it are the site's, as in a git tree of the site folder). */
void sg_source_view_year(struct sg_source *view, int year,
    struct sg_source *src);

/* Reads path; on failure records an error naming the path and returns -1. */
int sg_source_read(struct sg_source *s, const char *path, char **data,
    size_t *len, struct sg_diag *d);
int sg_source_list(struct sg_source *s, const char *dir, int kinds,
    struct sg_strv *out);
int sg_source_kind(struct sg_source *s, const char *path);
char *sg_source_realpath(struct sg_source *s, const char *path);

#endif
