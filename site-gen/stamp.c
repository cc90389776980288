/*
 * stamp: skipping a build that would produce the output already in place.
 *
 * What the output of a build depends on, and how the stamp covers it:
 *   - the program: /proc/self/exe and every shared library loaded at
 *     start (their stat), and the version string;
 *   - the options: the site folder (its real path), the output folder as
 *     given, --theme; and keep-going (publish --allow-findings) when the
 *     build had content errors, which stop a build without it;
 *   - the files a build can read: site.yml, content/ (everything in it,
 *     dot files too: an image link may name one), schemas/ and themes/ of
 *     the site, the installed folder (share/site-gen/: its templates and
 *     themes), and the theme folder used (none for the built-in theme:
 *     like the built-in templates, it is part of the program, data.h);
 *   - the git state the history pages, revision archives and sitemap
 *     lastmod come from: the repository found from the site, HEAD (its
 *     branch and commit), every tag (disclosure tags are read from them)
 *     and replace ref with its object, what the index holds (its entries,
 *     not the stat cache that git status refreshes), and the stat of
 *     shallow, config, info/ files, the user's git configuration and every
 *     .gitignore/.gitattributes between the work tree's root and the site
 *     (content's own are in content/);
 *   - the output folder itself, so that a file deleted or edited there
 *     makes the next build a real one.
 * A file or folder is recorded by its stat: kind, device, inode, size,
 *     mtime and ctime (ns), mode.  Content is never read or hashed.  A
 *     write changes mtime and ctime, and ctime cannot be set back (touch
 *     -d, cp -p, rsync -t restore only mtime), so an edit always shows.
 *     A folder's mtime and ctime change whenever a name in it is added,
 *     removed or renamed, so checking a stamp only stats each recorded
 *     path again: a new file shows in its folder's line without listing
 *     any folder.  That is what keeps a check at 10,000 pages fast.
 *
 * Racy timestamps.  File systems stamp a change with a clock that ticks
 * every few milliseconds (before Linux 6.13's multigrain timestamps, and
 * on some file systems still), so a file changed twice in one tick keeps
 * its times; if we stat it between the two changes, the second would go
 * unseen.  A ctime at or after the moment a scan started (less 10 ms for
 * file systems with coarser times) is therefore not trusted: the scan
 * waits until the clock has moved past it and scans again.  Whole-second
 * ctimes (file systems that keep only seconds) that recent are not waited
 * for: that build writes no stamp.  The output folder is read once the
 * clock has moved past the build's own writes.
 *
 * The working tree's uncommitted files date from "now" in sitemap.xml
 * (history.c, status_times): such a file changed at some time after the
 * last commit and up to the build.  When nothing changed since the last
 * build, the date that build gave is as true as a new "now", and a
 * crawler that sees a page's lastmod move without any change to it is
 * misled; so a skipped build keeps the earlier date.
 *
 * The stamp file (.public.sg-stamp beside public/) is text:
 *   site-gen build stamp 1 VERSION
 *   [env]             version, exe, lib, cwd, out, theme-opt and git
 *                     lines: generated anew and compared as a block
 *   [tree F =ROOT]    a line per file or folder: KIND DEV INO SIZE MTIME
 *                     CTIME MODE =PATH, or "- ERRNO =PATH" (F: links are
 *                     followed)
 *   [findings]        f SEV LINE COL RULE FILE MESSAGE
 *   [result]          result RC PAGES FILES, then "said LINE" for each
 *                     line the build printed beside its findings
 *   end CHECKSUM      FNV-1a of everything before it
 * Strings are "-" for none or "=" and the bytes with space, control
 * characters and '%' as %XX.  A stamp that is missing, cut short, damaged,
 * of another version or unreadable means a full build, never an error.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "data.h"
#include "diag.h"
#include "history.h"
#include "schema.h"
#include "stamp.h"
#include "util.h"

#ifndef SG_VERSION
#define SG_VERSION "0.1.0"
#endif

#define MAGIC		"site-gen build stamp 1 " SG_VERSION "\n"
#define SLACK_NS	10000000LL	/* coarser file system clocks */
#define SEC_NS		1000000000LL
#define MAX_DEPTH	40

struct sg_stamp {
	char		*out;		/* the output folder, no trailing '/' */
	char		*path;		/* the stamp file beside it */
	char		*theme_opt;	/* --theme, or NULL */
	char		*pdf;		/* the PDF engine, "" for none, or
					   NULL: PDFs are off */
	char		*mode;		/* what the build shows: "public",
					   "drafts" */
	int		 keep_going;
	struct sg_strv	 libs;		/* shared objects loaded at the start */
	struct sg_buf	 sig;		/* [env] and [tree] sections recorded */
	size_t		 n0;		/* findings before the build's own */
	int		 scanned;
	int		 unsafe;	/* times not to be trusted: no stamp */
	/* The site's own files in sig, and each one's line by path
	 * (sg_stamp_file_id), made when first asked for. */
	size_t		 site_from, site_to;
	pthread_mutex_t	 ids_lock;
	int		 ids_made;
	struct sg_map	 ids;		/* path → struct file_id * */
	char		 why[600];
};

/* One pass over some files, appending their lines to b. */
struct scan {
	struct sg_buf	*b;
	int		 record;	/* a build's own scan: watch for racy
					   times (not when checking a stamp) */
	long long	 t0;		/* the coarse clock when it began, ns */
	long long	 newest;	/* the newest ctime too close to t0 */
	int		 racy;
	int		 unsafe;
};

static long long
ts_ns(struct timespec t)
{
	return (long long)t.tv_sec * SEC_NS + t.tv_nsec;
}

/* The clock file systems stamp changes with. */
static long long
coarse_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME_COARSE, &t);
	return ts_ns(t);
}

static void
wait_past(long long t)
{
	struct timespec ms = {0, 1000000};

	while (coarse_now() <= t)
		nanosleep(&ms, NULL);
}

static void
because(struct sg_stamp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
because(struct sg_stamp *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
}

/* FNV-1a, 64 bits. */
static unsigned long long
fnv(const char *p, size_t n)
{
	return sg_fnv1a64(SG_FNV64_INIT, p, n);
}

/* ---- strings ---- */

static void
put_esc(struct sg_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (s == NULL) {
		sg_buf_putc(b, '-');
		return;
	}
	sg_buf_putc(b, '=');
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		size_t run = 0;
		while (p[run] > ' ' && p[run] != '%' && p[run] != 0x7f)
			run++;
		sg_buf_add(b, (const char *)p, run);
		p += run;
		if (*p) {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sg_buf_add(b, e, 3);
			p++;
		}
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* What put_esc wrote in s[0..n): *out is the string (caller frees) or
 * NULL for "-".  0, or -1 if it is not one. */
static int
unesc(const char *s, size_t n, char **out)
{
	struct sg_buf b = {0};

	*out = NULL;
	if (n == 1 && s[0] == '-')
		return 0;
	if (n == 0 || s[0] != '=')
		return -1;
	sg_buf_grow(&b, n);
	for (size_t i = 1; i < n; i++) {
		if (s[i] == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 ||
			    (l = hexval(s[i + 2])) < 0 || (h == 0 && l == 0)) {
				sg_buf_clear(&b);
				return -1;
			}
			sg_buf_putc(&b, (char)(h << 4 | l));
			i += 2;
		} else if ((unsigned char)s[i] <= ' ') {
			sg_buf_clear(&b);
			return -1;
		} else
			sg_buf_putc(&b, s[i]);
	}
	b.data[b.len] = '\0';
	*out = sg_buf_take(&b);
	return 0;
}

/* ---- stat lines ---- */

static void
note_ctime(struct scan *sc, const struct stat *st)
{
	long long c = ts_ns(st->st_ctim);

	if (!sc->record)
		return;
	if (st->st_ctim.tv_nsec == 0) {
		/* Whole seconds: a file system that may keep no more. */
		if (st->st_ctim.tv_sec >= sc->t0 / SEC_NS - 2)
			sc->unsafe = 1;
		return;
	}
	if (c >= sc->t0 - SLACK_NS) {
		sc->racy = 1;
		if (c > sc->newest)
			sc->newest = c;
	}
}

/* A file's line without its path: its stat, or "- ERRNO" (ok 0). */
static void
put_stat(struct scan *sc, int ok, const struct stat *st, int err)
{
	char line[200];
	int n;

	if (!ok)
		n = snprintf(line, sizeof(line), "- %d",
		    err == ENOTDIR ? ENOENT : err);
	else {
		note_ctime(sc, st);
		n = snprintf(line, sizeof(line), "%c %llx %llx %llx "
		    "%lld.%09ld %lld.%09ld %o",
		    S_ISREG(st->st_mode) ? 'f' : S_ISDIR(st->st_mode) ? 'd' :
		    S_ISLNK(st->st_mode) ? 'l' : 'o',
		    (unsigned long long)st->st_dev,
		    (unsigned long long)st->st_ino,
		    (unsigned long long)st->st_size,
		    (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
		    (long long)st->st_ctim.tv_sec, (long)st->st_ctim.tv_nsec,
		    (unsigned)(st->st_mode & 07777));
	}
	sg_buf_add(sc->b, line, (size_t)n);
}

/* "KEY STAT =PATH" for one file, following links. */
static void
stat_line(struct scan *sc, const char *key, const char *path)
{
	struct stat st;
	int ok = stat(path, &st) == 0, err = errno;

	sg_buf_puts(sc->b, key);
	sg_buf_putc(sc->b, ' ');
	put_stat(sc, ok, &st, err);
	sg_buf_putc(sc->b, ' ');
	put_esc(sc->b, path);
	sg_buf_putc(sc->b, '\n');
}

/* ---- [env] ---- */

static int
add_lib(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	if (info->dlpi_name && *info->dlpi_name)
		sg_strv_push(arg, sg_xstrdup(info->dlpi_name));
	return 0;
}

/* Refs matching glob with their objects, sorted. */
static void
git_refs(struct sg_buf *b, git_repository *repo, const char *glob)
{
	git_reference_iterator *it = NULL;
	struct sg_strv v = {0};
	const char *name;

	if (git_reference_iterator_glob_new(&it, repo, glob) < 0) {
		sg_buf_printf(b, "git-refs %s unreadable\n", glob);
		return;
	}
	while (git_reference_next_name(&name, it) == 0) {
		struct sg_buf l = {0};
		char hex[GIT_OID_HEXSZ + 1] = "-";
		git_oid id;
		if (git_reference_name_to_id(&id, repo, name) == 0)
			git_oid_tostr(hex, sizeof(hex), &id);
		sg_buf_puts(&l, "git-ref ");
		put_esc(&l, name);
		sg_buf_printf(&l, " %s\n", hex);
		sg_strv_push(&v, sg_buf_take(&l));
	}
	git_reference_iterator_free(it);
	if (v.n > 1)
		qsort(v.v, v.n, sizeof(*v.v), sg_strcmp_p);
	for (size_t i = 0; i < v.n; i++)
		sg_buf_puts(b, v.v[i]);
	sg_strv_clear(&v);
}

/* The ignore and attribute files git consults for the site's paths
 * outside content/: in every folder from the work tree's root to the
 * site folder. */
static void
git_chain(struct scan *sc, const char *workdir)
{
	char *wd = workdir ? realpath(workdir, NULL) : NULL;
	char *here = realpath(".", NULL);
	size_t n;

	if (wd == NULL || here == NULL)
		goto out;
	n = strlen(wd);
	while (n > 1 && wd[n - 1] == '/')
		wd[--n] = '\0';
	if (strncmp(here, wd, n) != 0 || (here[n] != '/' && here[n] != '\0'))
		goto out;
	for (size_t i = n; ; i++) {
		if (here[i] == '/' || here[i] == '\0') {
			char *dir = sg_xstrndup(here, i);
			char *p = sg_xasprintf("%s/.gitignore", dir);
			stat_line(sc, "git-file", p);
			free(p);
			p = sg_xasprintf("%s/.gitattributes", dir);
			stat_line(sc, "git-file", p);
			free(p);
			free(dir);
		}
		if (here[i] == '\0')
			break;
	}
out:
	free(wd);
	free(here);
}

/*
 * What the index says, without its stat cache: each entry's path, mode,
 * object and flags.  git status rewrites the index to refresh the cache
 * (file times and sizes) without any change to what it says, and that
 * must not make the next build a real one.
 */
static void
git_index_sum(struct sg_buf *b, git_repository *repo)
{
	const unsigned flags = GIT_INDEX_ENTRY_VALID | GIT_INDEX_ENTRY_STAGEMASK |
	    GIT_INDEX_ENTRY_EXTENDED;
	const unsigned ext = GIT_INDEX_ENTRY_INTENT_TO_ADD |
	    GIT_INDEX_ENTRY_SKIP_WORKTREE;
	unsigned long long h[2] = {SG_FNV64_INIT,
	    SG_FNV64_INIT ^ 0x9e3779b97f4a7c15ULL};
	git_index *idx = NULL;
	size_t n;

	if (git_repository_index(&idx, repo) < 0) {
		sg_buf_puts(b, "git-index unreadable\n");
		return;
	}
	n = git_index_entrycount(idx);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		char head[32];
		int k = snprintf(head, sizeof(head), "%o %x %x ", e->mode,
		    e->flags & flags, e->flags_extended & ext);
		for (int j = 0; j < 2; j++) {
			h[j] = sg_fnv1a64(h[j], head, (size_t)k);
			h[j] = sg_fnv1a64(h[j], (const char *)e->id.id,
			    sizeof(e->id.id));
			h[j] = sg_fnv1a64(h[j], e->path, strlen(e->path) + 1);
		}
	}
	git_index_free(idx);
	sg_buf_printf(b, "git-index %zu %016llx%016llx\n", n, h[0], h[1]);
}

/* The git configuration outside the repository that status reads. */
static void
git_user_files(struct scan *sc)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	static const char *const names[] = {"config", "ignore", "attributes"};
	char *base, *p;

	stat_line(sc, "git-file", "/etc/gitconfig");
	if (home) {
		p = sg_xasprintf("%s/.gitconfig", home);
		stat_line(sc, "git-file", p);
		free(p);
	}
	if (xdg && *xdg)
		base = sg_xasprintf("%s/git", xdg);
	else if (home)
		base = sg_xasprintf("%s/.config/git", home);
	else
		return;
	for (size_t i = 0; i < 3; i++) {
		p = sg_xasprintf("%s/%s", base, names[i]);
		stat_line(sc, "git-file", p);
		free(p);
	}
	free(base);
}

/* The repository as history.c opens it (sg_history_open). */
static void
scan_git(struct scan *sc)
{
	static const char *const common[] = {"config", "shallow",
	    "info/exclude", "info/attributes", "info/grafts"};
	struct sg_buf *b = sc->b;
	git_repository *repo = NULL;
	git_reference *head = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = sg_history_repo_open(".", &repo);

	if (rc == GIT_ENOTFOUND) {
		sg_buf_puts(b, "git none\n");
		return;
	}
	if (rc < 0) {
		sg_buf_printf(b, "git error %d\n", rc);
		return;
	}
	sg_buf_puts(b, "git ");
	put_esc(b, git_repository_path(repo));
	sg_buf_putc(b, ' ');
	put_esc(b, git_repository_workdir(repo));
	sg_buf_printf(b, " bare %d shallow %d\n", git_repository_is_bare(repo),
	    git_repository_is_shallow(repo));
	sg_buf_puts(b, "git-head ");
	if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		put_esc(b, git_reference_symbolic_target(head));
	else
		sg_buf_puts(b, "-");
	git_reference_free(head);
	if (git_reference_name_to_id(&id, repo, "HEAD") == 0)
		sg_buf_printf(b, " %s\n", git_oid_tostr(hex, sizeof(hex), &id));
	else
		sg_buf_puts(b, " unborn\n");
	git_refs(b, repo, "refs/tags/*");
	git_refs(b, repo, "refs/replace/*");
	git_index_sum(b, repo);
	char *p;
	for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++) {
		p = sg_xasprintf("%s%s", git_repository_commondir(repo),
		    common[i]);
		stat_line(sc, "git-file", p);
		free(p);
	}
	git_chain(sc, git_repository_workdir(repo));
	git_user_files(sc);
	git_repository_free(repo);
}

static void
scan_env(struct scan *sc, void *arg)
{
	struct sg_stamp *s = arg;
	struct sg_buf *b = sc->b;
	char *cwd = realpath(".", NULL), exe[PATH_MAX];
	ssize_t n;

	sg_buf_puts(b, "[env]\nversion ");
	put_esc(b, SG_VERSION);
	sg_buf_putc(b, '\n');
	stat_line(sc, "exe", "/proc/self/exe");
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		sg_buf_puts(b, "exe-path ");
		put_esc(b, exe);
		sg_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < s->libs.n; i++)
		stat_line(sc, "lib", s->libs.v[i]);
	sg_buf_puts(b, "cwd ");
	put_esc(b, cwd);
	sg_buf_puts(b, "\nout ");
	put_esc(b, s->out);
	sg_buf_puts(b, "\ntheme-opt ");
	put_esc(b, s->theme_opt);
	sg_buf_puts(b, "\nmode ");
	put_esc(b, s->mode);
	sg_buf_putc(b, '\n');
	/* Installing or upgrading the engine makes the PDFs anew. */
	if (s->pdf && *s->pdf)
		stat_line(sc, "pdf", s->pdf);
	else
		sg_buf_puts(b, s->pdf ? "pdf none\n" : "pdf off\n");
	free(cwd);
	scan_git(sc);
}

/* ---- [tree] ---- */

struct tree {
	const char		*root;
	const char *const	*tops;	/* names in root to record, or NULL
					   for root itself (as ".") */
	int			 follow;
	char			*real;	/* root, links resolved */
};

/* The folders above, to stop at a link back up. */
struct anc {
	dev_t			 dev;
	ino_t			 ino;
	const struct anc	*up;
};

struct ent {
	char		*name;
	unsigned char	 type;
};

static int
cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

/* 1 if rel (a link) leads inside the tree's root: links out of the site
 * are not followed by the build (source.c), nor here. */
static int
link_inside(const struct tree *t, const char *rel)
{
	char *p = sg_path_join(t->root, rel), *r = realpath(p, NULL);
	size_t n = t->real ? strlen(t->real) : 0;
	int in = r && t->real && strncmp(r, t->real, n) == 0 &&
	    (r[n] == '/' || r[n] == '\0' || strcmp(t->real, "/") == 0);

	free(r);
	free(p);
	return in;
}

static void
walk(struct scan *sc, const struct tree *t, int dfd, const char *name,
    const char *rel, unsigned char type, int depth, const struct anc *up)
{
	struct stat st;
	struct ent *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dp;
	int ok, err, fd;

	ok = fstatat(dfd, name, &st, t->follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0;
	err = errno;
	put_stat(sc, ok, &st, err);
	sg_buf_putc(sc->b, ' ');
	put_esc(sc->b, rel);
	sg_buf_putc(sc->b, '\n');
	if (!ok || !S_ISDIR(st.st_mode) || depth >= MAX_DEPTH)
		return;
	for (const struct anc *a = up; a; a = a->up)
		if (a->dev == st.st_dev && a->ino == st.st_ino)
			return;
	if (depth > 0 && t->follow && (type == DT_LNK || type == DT_UNKNOWN)) {
		struct stat ls;
		if (fstatat(dfd, name, &ls, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(ls.st_mode) && !link_inside(t, rel))
			return;
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (t->follow ? 0 : O_NOFOLLOW));
	if (fd == -1)
		return;
	if ((dp = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = sg_xrealloc(v, cap * sizeof(*v));
		}
		v[n].name = sg_xstrdup(de->d_name);
		v[n++].type = de->d_type;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_ent);
	struct anc me = {st.st_dev, st.st_ino, up};
	for (size_t i = 0; i < n; i++) {
		char *crel = strcmp(rel, ".") == 0 ? sg_xstrdup(v[i].name) :
		    sg_xasprintf("%s/%s", rel, v[i].name);
		walk(sc, t, dirfd(dp), v[i].name, crel, v[i].type, depth + 1,
		    &me);
		free(crel);
		free(v[i].name);
	}
	free(v);
	closedir(dp);
}

static void
scan_tree(struct scan *sc, void *arg)
{
	const struct tree *t = arg;
	int fd;

	sg_buf_printf(sc->b, "[tree %d ", t->follow);
	put_esc(sc->b, t->root);
	sg_buf_puts(sc->b, "]\n");
	if (t->tops == NULL) {
		walk(sc, t, AT_FDCWD, t->root, ".", DT_UNKNOWN, 0, NULL);
		return;
	}
	fd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (size_t i = 0; t->tops[i]; i++) {
		char *p = sg_path_join(t->root, t->tops[i]);
		walk(sc, t, fd >= 0 ? fd : AT_FDCWD, fd >= 0 ? t->tops[i] : p,
		    t->tops[i], DT_UNKNOWN, 0, NULL);
		free(p);
	}
	if (fd >= 0)
		close(fd);
}

/*
 * Runs fn into s->sig until no time it recorded is racy: waits for the
 * clock to pass the newest and scans again (twice at most).  Times that
 * cannot be settled mark s unsafe.
 */
static void
settled(struct sg_stamp *s, void (*fn)(struct scan *, void *), void *arg)
{
	size_t start = s->sig.len;

	for (int round = 0; ; round++) {
		struct scan sc = {&s->sig, 1, coarse_now(), 0, 0, 0};

		fn(&sc, arg);
		if (sc.unsafe) {
			s->unsafe = 1;
			return;
		}
		if (!sc.racy)
			return;
		if (round == 2 || sc.newest > sc.t0 + SEC_NS) {
			s->unsafe = 1;
			return;
		}
		wait_past(sc.newest + SLACK_NS);
		s->sig.len = start;
	}
}

static void
record_tree(struct sg_stamp *s, const char *root, const char *const *tops,
    int follow)
{
	struct tree t = {root, tops, follow, follow ? realpath(root, NULL) :
	    NULL};

	settled(s, scan_tree, &t);
	free(t.real);
}

/* ---- reading a stamp ---- */

struct cur {
	const char	*p;
	const char	*end;
};

/* The next line, without its newline: 1, or 0 at the end. */
static int
next_line(struct cur *c, const char **line, size_t *n)
{
	const char *nl;

	if (c->p >= c->end ||
	    (nl = memchr(c->p, '\n', (size_t)(c->end - c->p))) == NULL)
		return 0;
	*line = c->p;
	*n = (size_t)(nl - c->p);
	c->p = nl + 1;
	return 1;
}

/* The end of the checked part of a whole stamp in data, or NULL if it
 * is not one of this version, cut short or damaged. */
static const char *
intact(const char *data, size_t len)
{
	const size_t tail = 4 + 16 + 1;	/* "end " hex "\n" */
	const char *e;
	unsigned long long sum = 0;

	if (len < strlen(MAGIC) + tail || memchr(data, '\0', len) ||
	    memcmp(data, MAGIC, strlen(MAGIC)) != 0)
		return NULL;
	e = data + len - tail;
	if (e[-1] != '\n' || memcmp(e, "end ", 4) != 0 || data[len - 1] != '\n')
		return NULL;
	for (size_t i = 4; i < 20; i++) {
		int h = hexval(e[i]);
		if (h < 0)
			return NULL;
		sum = sum << 4 | (unsigned)h;
	}
	return sum == fnv(data, (size_t)(e - data)) ? e : NULL;
}

/* The first word of a line, for saying what changed. */
static const char *
env_what(const char *line)
{
	if (strncmp(line, "git", 3) == 0)
		return "the git repository (HEAD, tags, index or configuration)";
	if (strncmp(line, "exe ", 4) == 0 || strncmp(line, "lib ", 4) == 0 ||
	    strncmp(line, "version ", 8) == 0)
		return "the site-gen program or a library it uses";
	return "the build options or the site folder";
}

static int
check_env(struct sg_stamp *s, struct cur *c)
{
	struct sg_buf now = {0};
	struct scan sc = {&now, 0, 0, 0, 0, 0};
	const char *start = c->p, *e;
	size_t n;
	int ok;

	if (c->end - start < 6 || memcmp(start, "[env]\n", 6) != 0) {
		because(s, "the build stamp is damaged");
		return 0;
	}
	for (e = start + 6; e < c->end && *e != '['; ) {
		const char *nl = memchr(e, '\n', (size_t)(c->end - e));
		if (nl == NULL)
			break;
		e = nl + 1;
	}
	n = (size_t)(e - start);
	scan_env(&sc, s);
	ok = now.len == n && memcmp(now.data, start, n) == 0;
	if (!ok) {
		/* The first line that differs says what. */
		size_t i = 0, bol = 0;
		while (i < n && i < now.len && start[i] == now.data[i]) {
			if (start[i] == '\n')
				bol = i + 1;
			i++;
		}
		because(s, "%s changed", env_what(start + bol));
	}
	sg_buf_clear(&now);
	c->p = e;
	return ok;
}

/* Stats rel in a tree as walk did. */
static int
stat_rel(const char *root, int rootfd, const char *rel, int follow,
    struct stat *st)
{
	int fl = follow ? 0 : AT_SYMLINK_NOFOLLOW, rc;
	char *p;

	if (strcmp(rel, ".") == 0)
		return fstatat(AT_FDCWD, root, st, fl);
	if (rootfd >= 0)
		return fstatat(rootfd, rel, st, fl);
	p = sg_path_join(root, rel);
	rc = fstatat(AT_FDCWD, p, st, fl);
	free(p);
	return rc;
}

/* Checks one [tree] section: 1 if every line still holds. */
static int
check_tree(struct sg_stamp *s, struct cur *c)
{
	struct sg_buf now = {0};
	struct scan sc = {&now, 0, 0, 0, 0, 0};
	const char *line;
	char *root = NULL;
	size_t n;
	int follow, rootfd = -1, ok = 0;

	if (!next_line(c, &line, &n) || n < 10 ||
	    memcmp(line, "[tree ", 6) != 0 || (line[6] != '0' &&
	    line[6] != '1') || line[7] != ' ' || line[n - 1] != ']' ||
	    unesc(line + 8, n - 9, &root) == -1 || root == NULL) {
		because(s, "the build stamp is damaged");
		goto out;
	}
	follow = line[6] == '1';
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC |
	    (follow ? 0 : O_NOFOLLOW));
	while (c->p < c->end && *c->p != '[') {
		const char *sp;
		char *rel;
		struct stat st;
		int got, err;

		if (!next_line(c, &line, &n) ||
		    (sp = memrchr(line, ' ', n)) == NULL ||
		    unesc(sp + 1, n - (size_t)(sp + 1 - line), &rel) == -1 ||
		    rel == NULL) {
			because(s, "the build stamp is damaged");
			goto out;
		}
		got = stat_rel(root, rootfd, rel, follow, &st) == 0;
		err = errno;
		now.len = 0;
		put_stat(&sc, got, &st, err);
		sg_buf_putc(&now, ' ');
		put_esc(&now, rel);
		if (now.len != n || memcmp(now.data, line, n) != 0) {
			char *shown = strcmp(rel, ".") == 0 ? sg_xstrdup(root) :
			    strcmp(root, ".") == 0 ? sg_xstrdup(rel) :
			    sg_path_join(root, rel);
			because(s, "%s %s", shown, line[0] == '-' ? "is new" :
			    !got ? "is gone" : "changed");
			free(shown);
			free(rel);
			goto out;
		}
		free(rel);
	}
	ok = 1;
out:
	if (rootfd >= 0)
		close(rootfd);
	free(root);
	sg_buf_clear(&now);
	return ok;
}

/* A decimal int in [lo, hi]: 0, or -1. */
static int
parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Splits a copy of line at spaces into exactly nf fields. */
static char *
split(const char *line, size_t n, char **f, int nf)
{
	char *copy = sg_xstrndup(line, n), *p = copy;

	for (int i = 0; i < nf; i++) {
		char *sp = strchr(p, ' ');
		if ((sp == NULL) != (i == nf - 1)) {
			free(copy);
			return NULL;
		}
		if (sp)
			*sp = '\0';
		f[i] = p;
		p = sp ? sp + 1 : p;
	}
	return copy;
}

static const char *
known_rule(const char *id)
{
	size_t n;
	const struct sg_check_rule *r = sg_check_rules(&n);

	for (size_t i = 0; id && i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return r[i].id;
	return NULL;
}

/* The [findings] and [result] sections, to the end. */
static int
read_tail(struct cur *c, struct sg_diag *found, struct sg_stamp_result *res)
{
	const char *line;
	size_t n;
	char *f[7], *copy;

	if (!next_line(c, &line, &n) || n != 10 ||
	    memcmp(line, "[findings]", 10) != 0)
		return 0;
	while (c->p < c->end && *c->p == 'f') {
		char *rule = NULL, *file = NULL, *msg = NULL;
		int sev, ln, col, ok;

		if (!next_line(c, &line, &n) || (copy = split(line, n, f, 7)) ==
		    NULL)
			return 0;
		ok = strcmp(f[0], "f") == 0 &&
		    parse_int(f[1], SG_NOTE, SG_FATAL, &sev) == 0 &&
		    parse_int(f[2], 0, INT_MAX, &ln) == 0 &&
		    parse_int(f[3], 0, INT_MAX, &col) == 0 &&
		    unesc(f[4], strlen(f[4]), &rule) == 0 &&
		    unesc(f[5], strlen(f[5]), &file) == 0 &&
		    unesc(f[6], strlen(f[6]), &msg) == 0 && msg != NULL;
		if (ok)
			sg_diag_rule(found, (enum sg_sev)sev, known_rule(rule),
			    file, ln, col, "%s", msg);
		free(rule);
		free(file);
		free(msg);
		free(copy);
		if (!ok)
			return 0;
	}
	if (!next_line(c, &line, &n) || n != 8 ||
	    memcmp(line, "[result]", 8) != 0 ||
	    !next_line(c, &line, &n) || (copy = split(line, n, f, 4)) == NULL)
		return 0;
	int rc, pages, files;
	int ok = strcmp(f[0], "result") == 0 &&
	    parse_int(f[1], 0, 255, &rc) == 0 &&
	    parse_int(f[2], 0, INT_MAX, &pages) == 0 &&
	    parse_int(f[3], 0, INT_MAX, &files) == 0;
	free(copy);
	while (ok && c->p < c->end) {
		char *said = NULL;
		ok = next_line(c, &line, &n) && n > 5 &&
		    memcmp(line, "said ", 5) == 0 &&
		    unesc(line + 5, n - 5, &said) == 0 && said != NULL;
		if (ok)
			sg_strv_push(&res->said, said);
		else
			free(said);
	}
	if (!ok) {
		sg_strv_clear(&res->said);
		return 0;
	}
	res->rc = rc;
	res->pages = (size_t)pages;
	res->files = (size_t)files;
	return 1;
}

/* ---- the interface ---- */

char *
sg_stamp_path(const char *out)
{
	return sg_path_beside(out, "sg-stamp");
}

struct sg_stamp *
sg_stamp_new(const char *out, const char *theme_opt, int keep_going)
{
	struct sg_stamp *s = sg_xcalloc(1, sizeof(*s));
	size_t n = strlen(out);

	pthread_mutex_init(&s->ids_lock, NULL);
	while (n > 1 && out[n - 1] == '/')
		n--;
	s->out = sg_xstrndup(out, n);
	s->path = sg_stamp_path(out);
	s->theme_opt = theme_opt ? sg_xstrdup(theme_opt) : NULL;
	s->keep_going = keep_going != 0;
	/* Libraries loaded later (name service, iconv modules) come and go
	 * with what a run did; those loaded at the start are the program. */
	dl_iterate_phdr(add_lib, &s->libs);
	because(s, "no build stamp");
	return s;
}

void
sg_stamp_mode(struct sg_stamp *s, const char *mode)
{
	free(s->mode);
	s->mode = sg_xstrdup(mode);
}

int
sg_stamp_replay(struct sg_stamp *s, struct sg_diag *d,
    struct sg_stamp_result *res)
{
	struct sg_diag found = {0};
	struct sg_stamp_result r = {0};
	struct cur c;
	char *data = NULL;
	const char *end;
	size_t len;
	int ok = 0;

	if (sg_file_read(s->path, &data, &len) == -1) {
		because(s, errno == ENOENT ? "no build stamp from a previous "
		    "build" : "the build stamp cannot be read");
		return 0;
	}
	if ((end = intact(data, len)) == NULL) {
		because(s, "the build stamp is damaged or of another version");
		goto out;
	}
	c.p = data + strlen(MAGIC);
	c.end = end;
	if (!check_env(s, &c))
		goto out;
	while (c.p < c.end && strncmp(c.p, "[tree ", 6) == 0)
		if (!check_tree(s, &c))
			goto out;
	if (!read_tail(&c, &found, &r)) {
		because(s, "the build stamp is damaged");
		goto out;
	}
	/* Keep-going matters only to a build with errors: without it, this
	 * one would stop at them. */
	if (sg_diag_failed(&found) && !s->keep_going) {
		because(s, "the last build went on despite content errors "
		    "(publish --allow-findings)");
		goto out;
	}
	sg_diag_merge(d, &found);
	*res = r;
	ok = 1;
out:
	if (!ok)
		sg_strv_clear(&r.said);
	sg_diag_clear(&found);
	free(data);
	return ok;
}

const char *
sg_stamp_why(const struct sg_stamp *s)
{
	return s->why;
}

void
sg_stamp_scan(struct sg_stamp *s, const struct sg_diag *d)
{
	static const char *const tops[] = {"site.yml", "content", "schemas",
	    "themes", NULL};
	char *dir;

	/* A build that fails must leave no stamp for what it replaced. */
	unlink(s->path);
	s->n0 = d->n;
	s->scanned = 1;
	s->sig.len = 0;
	settled(s, scan_env, s);
	s->site_from = s->sig.len;
	record_tree(s, ".", tops, 1);
	s->site_to = s->sig.len;
	/* Templates and themes not in the site come from the installed
	 * folder (its absence recorded too, so that installing one is seen),
	 * else from the binary, which is recorded already (data.h). */
	if ((dir = sg_data_dir()) != NULL)
		record_tree(s, dir, NULL, 1);
	free(dir);
}

struct file_id {
	uint64_t	 id;
};

/* The map of the site's regular files to a hash of their stat lines. */
static void
make_ids(struct sg_stamp *s)
{
	struct cur c = {s->sig.data + s->site_from, s->sig.data + s->site_to};
	const char *line;
	size_t n;

	while (next_line(&c, &line, &n)) {
		const char *sp = memchr(line, '=', n);
		char *path;

		if (n < 2 || line[0] != 'f' || line[1] != ' ' || sp == NULL ||
		    sp == line || sp[-1] != ' ' ||
		    unesc(sp, n - (size_t)(sp - line), &path) == -1 ||
		    path == NULL)
			continue;
		struct file_id *f = sg_xmalloc(sizeof(*f));
		f->id = fnv(line, (size_t)(sp - line));
		free(sg_map_get(&s->ids, path));
		sg_map_put(&s->ids, path, f);
		free(path);
	}
}

int
sg_stamp_file_id(struct sg_stamp *s, const char *path, uint64_t *id)
{
	struct file_id *f;

	if (s == NULL || !s->scanned || s->unsafe || s->sig.data == NULL)
		return 0;
	pthread_mutex_lock(&s->ids_lock);
	if (!s->ids_made) {
		make_ids(s);
		s->ids_made = 1;
	}
	f = sg_map_get(&s->ids, path);
	pthread_mutex_unlock(&s->ids_lock);
	if (f == NULL)
		return 0;
	*id = f->id;
	return 1;
}

void
sg_stamp_theme(struct sg_stamp *s, const char *dir)
{
	if (s->scanned)
		record_tree(s, dir, NULL, 1);
}

/* Temporary stamps of killed builds, ten minutes old. */
static void
sweep(const char *path)
{
	char *dir = sg_path_dir(path);
	const char *b = strrchr(path, '/');
	char *pre = sg_xasprintf("%s.", b ? b + 1 : path);
	struct dirent *de;
	DIR *dp;

	if ((dp = opendir(*dir ? dir : ".")) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			struct stat st;
			if (strncmp(de->d_name, pre, strlen(pre)) != 0)
				continue;
			char *p = sg_xasprintf("%s%s", dir, de->d_name);
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    st.st_mtime < time(NULL) - 600)
				unlink(p);
			free(p);
		}
		closedir(dp);
	}
	free(pre);
	free(dir);
}

void
sg_stamp_save(struct sg_stamp *s, const struct sg_stamp_result *res,
    struct sg_diag *d)
{
	struct sg_buf b = {0};
	char *tmp = NULL;
	int fd = -1, made = 0, rc;

	if (!s->scanned || s->unsafe)
		return;
	/* The output as it is once the clock has passed this build's own
	 * writes: their times are settled then. */
	wait_past(coarse_now() + SLACK_NS);
	record_tree(s, s->out, NULL, 0);
	if (s->unsafe)
		return;
	sg_buf_puts(&b, MAGIC);
	sg_buf_add(&b, s->sig.data, s->sig.len);
	sg_buf_puts(&b, "[findings]\n");
	for (size_t i = s->n0; i < d->n; i++) {
		const struct sg_diag_item *it = &d->v[i];
		sg_buf_printf(&b, "f %d %d %d ", (int)it->sev, it->line, it->col);
		put_esc(&b, it->rule);
		sg_buf_putc(&b, ' ');
		put_esc(&b, it->file);
		sg_buf_putc(&b, ' ');
		put_esc(&b, it->msg);
		sg_buf_putc(&b, '\n');
	}
	sg_buf_printf(&b, "[result]\nresult %d %zu %zu\n", res->rc, res->pages,
	    res->files);
	for (size_t i = 0; i < res->said.n; i++) {
		sg_buf_puts(&b, "said ");
		put_esc(&b, res->said.v[i]);
		sg_buf_putc(&b, '\n');
	}
	sg_buf_printf(&b, "end %016llx\n", fnv(b.data, b.len));

	sweep(s->path);
	tmp = sg_xasprintf("%s.XXXXXX", s->path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		goto fail;
	made = 1;
	rc = sg_fd_write(fd, b.data, b.len);
	fd = -1;	/* closed either way */
	if (rc == -1)
		goto fail;
	if (rename(tmp, s->path) == -1)
		goto fail;
	goto out;
fail:
	sg_diag_add(d, SG_NOTE, s->path, 0, 0, "cannot write the build stamp "
	    "(%s); the next build will not be skipped", strerror(errno));
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp);
out:
	free(tmp);
	sg_buf_clear(&b);
}

void
sg_stamp_free(struct sg_stamp *s)
{
	if (s == NULL)
		return;
	free(s->out);
	free(s->path);
	free(s->theme_opt);
	free(s->pdf);
	free(s->mode);
	sg_strv_clear(&s->libs);
	sg_buf_clear(&s->sig);
	for (size_t i = 0; i < s->ids.cap; i++)
		if (s->ids.keys[i])
			free(s->ids.vals[i]);
	sg_map_clear(&s->ids);
	pthread_mutex_destroy(&s->ids_lock);
	free(s);
}

void
sg_stamp_pdf(struct sg_stamp *s, const char *engine)
{
	free(s->pdf);
	s->pdf = engine ? sg_xstrdup(engine) : NULL;
}
