/*
 * watch: inotify over the files a build reads — content/ and the theme
 * folders recursively (folders created later are added as they appear),
 * and single names in a folder (site.yml in the site directory).  Used by
 * serve to know when and what to rebuild.  Editors' droppings (dot files,
 * backup files ending in '~', vim's swap files and its "4913" probe) are
 * not changes.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"
#include "watch.h"

#define MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
	IN_DELETE | IN_DELETE_SELF | IN_ATTRIB)

struct entry {
	int		 wd;
	char		*path;		/* folder, as given (no trailing '/') */
	int		 tree;		/* watch folders below too */
	struct sg_strv	 names;		/* only these names (if any) */
};

struct sg_watch {
	int		 fd;
	struct entry	*v;
	size_t		 n;
};

struct sg_watch *
sg_watch_new(struct sg_diag *d)
{
	struct sg_watch *w;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd == -1) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "cannot watch files "
		    "(inotify): %s", strerror(errno));
		return NULL;
	}
	w = sg_xcalloc(1, sizeof(*w));
	w->fd = fd;
	return w;
}

void
sg_watch_free(struct sg_watch *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].path);
		sg_strv_clear(&w->v[i].names);
	}
	free(w->v);
	close(w->fd);
	free(w);
}

int
sg_watch_fd(const struct sg_watch *w)
{
	return w->fd;
}

static struct entry *
by_wd(struct sg_watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].wd == wd)
			return &w->v[i];
	return NULL;
}

/* Adds one folder; an inotify watch already on it (the same wd) is
 * widened rather than listed twice. */
static struct entry *
add(struct sg_watch *w, const char *dir, int tree, struct sg_diag *d)
{
	int wd = inotify_add_watch(w->fd, dir, MASK | IN_ONLYDIR);
	struct entry *e;

	if (wd == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot watch: %s%s",
		    strerror(errno), errno == ENOSPC ? " (raise fs.inotify."
		    "max_user_watches)" : "");
		return NULL;
	}
	if ((e = by_wd(w, wd)) != NULL) {
		e->tree |= tree;
		if (tree)
			sg_strv_clear(&e->names);
		return e;
	}
	w->v = sg_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	e = &w->v[w->n++];
	memset(e, 0, sizeof(*e));
	e->wd = wd;
	e->path = sg_xstrdup(dir);
	e->tree = tree;
	return e;
}

int
sg_watch_add_tree(struct sg_watch *w, const char *dir, struct sg_diag *d)
{
	DIR *dp;
	struct dirent *de;
	int rc = 0;

	if (add(w, dir, 1, d) == NULL)
		return -1;
	if ((dp = opendir(dir)) == NULL)
		return 0;	/* gone already: its parent saw that */
	while ((de = readdir(dp)) != NULL && rc == 0) {
		struct stat st;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = sg_path_join(dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = sg_watch_add_tree(w, p, d);
		free(p);
	}
	closedir(dp);
	return rc;
}

int
sg_watch_add_name(struct sg_watch *w, const char *dir, const char *name,
    struct sg_diag *d)
{
	struct entry *e = add(w, dir, 0, d);

	if (e == NULL)
		return -1;
	if (!e->tree && !sg_strv_has(&e->names, name))
		sg_strv_push(&e->names, sg_xstrdup(name));
	return 0;
}

static int
ignored(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n && name[n - 1] == '~') ||
	    sg_has_suffix(name, ".swp") || sg_has_suffix(name, ".swx") ||
	    strcmp(name, "4913") == 0;
}

int
sg_watch_read(struct sg_watch *w, struct sg_strv *out, struct sg_diag *d)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;
	int found = 0;

	while ((len = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len; ) {
			const struct inotify_event *ev = (void *)p;
			struct entry *e;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were lost: anything may have changed. */
				sg_strv_push(out, sg_xstrdup("*"));
				found++;
				continue;
			}
			if ((e = by_wd(w, ev->wd)) == NULL)
				continue;
			if (ev->mask & IN_IGNORED) {
				free(e->path);
				sg_strv_clear(&e->names);
				*e = w->v[--w->n];
				continue;
			}
			if (ev->len == 0 || ignored(ev->name))
				continue;
			if (!e->tree && !sg_strv_has(&e->names, ev->name))
				continue;
			char *path = sg_path_join(e->path, ev->name);
			if (e->tree && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    (ev->mask & IN_ISDIR))
				sg_watch_add_tree(w, path, d);
			if (!sg_strv_has(out, path)) {
				sg_strv_push(out, path);
				found++;
			} else
				free(path);
		}
	}
	if (len == -1 && errno != EAGAIN && errno != EINTR) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "cannot read file events: %s",
		    strerror(errno));
		return -1;
	}
	return found;
}
