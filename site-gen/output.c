/*
 * output: staged writes and the final swap.
 *
 * A build writes every file into a fresh staging folder beside public/
 * (.public.stage-XXXXXX) and, when it succeeded, swaps the two folders with
 * renameat2(RENAME_EXCHANGE), so public/ is never missing or half-written
 * at any instant (on file systems without it, two renames).  A killed build
 * leaves only a staging folder, which a later build sweeps away.
 *
 * Incremental builds keep what did not change.  Before writing a file the
 * bytes are compared with the same file in the current public/; when they
 * are equal, the old file is hard-linked into the staging folder instead of
 * being written, so it keeps its inode and mtime.  Nothing in public/ is
 * ever modified in place: links only read it, and a staging name is
 * unlinked before anything is written to it, so no write goes through a
 * link into the old folder.  After the swap the old folder is removed,
 * which drops the old names only.  Where a hard link is refused (another
 * file system, a limit), the file is written and given the old mtime.  So
 * a second build with nothing changed rewrites no file, and a change
 * rewrites exactly the files whose bytes differ; o->changed lists them
 * (serve tells the open pages which of them to reload).  The cost of a
 * build with nothing changed is one read, compare and link per file.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/time.h>

#include "diag.h"
#include "output.h"
#include "stamp.h"
#include "util.h"

/* Leftovers of killed builds: .public.stage-* and .public.old-* beside
 * final.  Removing them keeps a series of killed runs from piling up; one
 * touched in the last ten minutes may belong to a build running now. */
static void
sweep(const char *final)
{
	char *dir = sg_path_dir(final), *base;
	const char *b = strrchr(final, '/');
	DIR *d;
	struct dirent *de;

	base = sg_xstrdup(b ? b + 1 : final);
	char *p1 = sg_xasprintf(".%s.stage-", base);
	char *p2 = sg_xasprintf(".%s.old-", base);
	if ((d = opendir(*dir ? dir : ".")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, p1, strlen(p1)) == 0 ||
			    strncmp(de->d_name, p2, strlen(p2)) == 0) {
				char *p = sg_xasprintf("%s%s", dir, de->d_name);
				struct stat st;
				if (lstat(p, &st) == 0 &&
				    st.st_mtime < time(NULL) - 600)
					sg_rm_rf(p);
				free(p);
			}
		}
		closedir(d);
	}
	free(p1);
	free(p2);
	free(base);
	free(dir);
}

/*
 * The absolute, link-free form of path, which need not exist yet: the
 * longest prefix that exists is resolved by realpath and the rest is
 * appended, "." and ".." taken lexically (a ".." after a folder that does
 * not exist yet still climbs, as mkdir -p would make it).  Caller frees.
 */
static char *
resolve(const char *path)
{
	struct sg_buf rest = {0};
	char *abs, *real = NULL, *cwd;
	size_t n;

	if (path[0] == '/')
		abs = sg_xstrdup(path);
	else {
		cwd = getcwd(NULL, 0);
		abs = sg_xasprintf("%s/%s", cwd ? cwd : ".", path);
		free(cwd);
	}
	/* Strip components from the end until what is left exists. */
	n = strlen(abs);
	for (;;) {
		while (n > 1 && abs[n - 1] == '/')
			n--;
		abs[n] = '\0';
		if ((real = realpath(abs, NULL)) != NULL || n <= 1)
			break;
		char *sl = strrchr(abs, '/');
		size_t cut = sl ? (size_t)(sl - abs) : 0;
		/* Keep the stripped component, in order, in front of rest. */
		char *comp = sg_xstrdup(abs + cut + 1);
		char *old = sg_buf_take(&rest);
		sg_buf_puts(&rest, comp);
		if (old && *old) {
			sg_buf_puts(&rest, "/");
			sg_buf_puts(&rest, old);
		}
		free(old);
		free(comp);
		n = cut ? cut : 1;
	}
	if (real == NULL)
		real = sg_xstrdup("/");
	free(abs);
	char *r = sg_buf_take(&rest), *save = NULL;
	for (char *c = r ? strtok_r(r, "/", &save) : NULL; c;
	    c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0 || *c == '\0')
			continue;
		if (strcmp(c, "..") == 0) {
			char *sl = strrchr(real, '/');
			if (sl && sl != real)
				*sl = '\0';
			else
				real[1] = '\0';
			continue;
		}
		char *j = sg_xasprintf("%s%s%s", real,
		    real[strlen(real) - 1] == '/' ? "" : "/", c);
		free(real);
		real = j;
	}
	free(r);
	return real;
}

/* 1 if path is dir or lies inside it (both resolved). */
static int
within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

/* 1 if the folder holds any entry. */
static int
has_entries(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int any = 0;

	if (dp == NULL)
		return 1;	/* unreadable: treat as holding something */
	while (!any && (de = readdir(dp)) != NULL)
		any = strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(dp);
	return any;
}

int
sg_output_check(const char *final, const char *theme_dir, int force,
    struct sg_diag *d)
{
	static const char *const kept[] = {"content", "themes", "schemas",
	    ".git"};
	char *out = resolve(final), *site = resolve("."), *stamp, *mark;
	struct stat st;
	int rc = 0;

	if (within(site, out)) {
		sg_diag_add(d, SG_ERROR, final, 0, 0, "the output folder is %s; "
		    "expected a folder of its own such as public/, because a "
		    "build replaces its output folder whole", strcmp(site, out)
		    == 0 ? "the site folder itself" : "a folder above the site");
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		char *k = resolve(kept[i]);
		int in = within(out, k);
		free(k);
		if (in) {
			sg_diag_add(d, SG_ERROR, final, 0, 0, "the output folder "
			    "is inside the site's %s/; expected a folder of its "
			    "own such as public/, because a build replaces its "
			    "output folder whole", kept[i]);
			rc = -1;
			goto out;
		}
	}
	if (theme_dir != NULL) {
		char *t = resolve(theme_dir);
		int in = within(out, t);
		free(t);
		if (in) {
			sg_diag_add(d, SG_ERROR, final, 0, 0, "the output folder "
			    "is inside the theme %s; expected a folder of its own "
			    "such as public/", theme_dir);
			rc = -1;
			goto out;
		}
	}
	if (lstat(out, &st) == -1)
		goto out;	/* made by the build */
	if (!S_ISDIR(st.st_mode)) {
		sg_diag_add(d, SG_ERROR, final, 0, 0, "the output exists and "
		    "is not a folder; expected a folder (or a name not taken)");
		rc = -1;
		goto out;
	}
	mark = sg_path_beside(final, "sg-output");
	stamp = sg_stamp_path(final);
	/* A stamp alone marks the output of a build made before the mark. */
	if (!force && !sg_is_file(mark) && !sg_is_file(stamp) &&
	    has_entries(out)) {
		const char *b = strrchr(mark, '/');
		sg_diag_add(d, SG_ERROR, final, 0, 0, "the output folder holds "
		    "files that no build wrote (%s beside it would say so), and "
		    "a build replaces the folder whole; expected an empty folder "
		    "or one site-gen made: choose another -o, or pass "
		    "--force-output to replace it", b ? b + 1 : mark);
		rc = -1;
	}
	free(stamp);
	free(mark);
out:
	free(out);
	free(site);
	return rc;
}

/* Writes the mark beside final that a build made it (see begin). */
static int
write_mark(const char *final, struct sg_diag *d)
{
	static const char text[] = "The folder beside this file is the output "
	    "of site-gen build, which replaces it whole.\n";
	char *mark = sg_path_beside(final, "sg-output");
	int rc = 0;

	if (!sg_is_file(mark) &&
	    sg_file_write(mark, text, sizeof(text) - 1) == -1) {
		sg_diag_add(d, SG_FATAL, mark, 0, 0, "cannot write: %s",
		    strerror(errno));
		rc = -1;
	}
	free(mark);
	return rc;
}

int
sg_output_begin(struct sg_output *o, const char *final, struct sg_diag *d)
{
	char *dir, *tmpl;
	const char *b;
	size_t n = strlen(final);

	memset(o, 0, sizeof(*o));
	while (n > 1 && final[n - 1] == '/')
		n--;
	o->final = sg_xstrndup(final, n);
	dir = sg_path_dir(o->final);
	if (*dir && !sg_is_dir(dir) && sg_mkdir_p(dir) == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot create folder: %s",
		    strerror(errno));
		free(dir);
		return -1;
	}
	sweep(o->final);
	b = strrchr(o->final, '/');
	tmpl = sg_xasprintf("%s.%s.stage-XXXXXX", dir, b ? b + 1 : o->final);
	free(dir);
	if (mkdtemp(tmpl) == NULL) {
		sg_diag_add(d, SG_FATAL, tmpl, 0, 0, "cannot create the staging "
		    "folder: %s", strerror(errno));
		free(tmpl);
		return -1;
	}
	chmod(tmpl, 0755);
	o->stage = tmpl;
	/* The mark that final is a build's, before final is ever replaced:
	 * a build killed after the swap still leaves it marked.  It is kept
	 * when a stamp is removed, and site-gen never removes it. */
	if (write_mark(o->final, d) == -1) {
		sg_rm_rf(o->stage);
		free(o->stage);
		o->stage = NULL;
		return -1;
	}
	if (sg_is_dir(o->final))
		o->prev = sg_xstrdup(o->final);
	return 0;
}

/*
 * Writes data as a new file at path.  A file written twice in one build
 * may be a link to the previous build's file by now: writing through it
 * would change public/ in place, so an existing name is unlinked first and
 * always gets a fresh inode.  Folders are made when the first try says
 * they are missing (one open per file in the usual case).
 */
static int
write_new(const char *path, const char *data, size_t len)
{
	int fd, tries = 0;

	while ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1) {
		if (tries++ > 2)
			return -1;
		if (errno == EEXIST) {
			if (unlink(path) == -1)
				return -1;
		} else if (errno == ENOENT) {
			char *dir = sg_path_dir(path);
			int rc = *dir ? sg_mkdir_p(dir) : 0;
			free(dir);
			if (rc == -1)
				return -1;
		} else
			return -1;
	}
	return sg_fd_write(fd, data, len);
}

/*
 * Keeps the previous build's file for rel if it holds exactly data:
 * 1 kept (linked, or copied with its mtime), 0 not kept, -1 failure.
 */
static int
keep_old(struct sg_output *o, const char *rel, const char *dst,
    const char *data, size_t len)
{
	char *old, *cur = NULL;
	size_t n;
	struct stat st;
	int rc = 0;

	if (o->prev == NULL)
		return 0;
	old = sg_path_join(o->prev, rel);
	if (lstat(old, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len || sg_file_read(old, &cur, &n) == -1 ||
	    n != len || memcmp(cur, data, len) != 0)
		goto out;
	for (int tries = 0; tries < 3; tries++) {
		if (link(old, dst) == 0) {
			rc = 1;
			goto out;
		}
		if (errno == EEXIST) {
			/* Written before in this build: replace, never write
			 * through it. */
			if (unlink(dst) == -1)
				break;
		} else if (errno == ENOENT) {
			char *dir = sg_path_dir(dst);
			int r = *dir ? sg_mkdir_p(dir) : 0;
			free(dir);
			if (r == -1) {
				rc = -1;
				goto out;
			}
		} else
			break;
	}
	/* No hard links here: a copy that keeps the time. */
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	if (write_new(dst, data, len) == -1 ||
	    utimensat(AT_FDCWD, dst, ts, 0) == -1)
		rc = -1;
	else
		rc = 1;
out:
	free(cur);
	free(old);
	return rc;
}

static int
put(struct sg_output *o, const char *rel, const char *data, size_t len,
    const char *what, struct sg_diag *d)
{
	char *p = sg_path_join(o->stage, rel);
	int rc;

	rc = keep_old(o, rel, p, data, len);

	if (rc == 1) {
		pthread_mutex_lock(&o->lock);
		o->kept++;
		pthread_mutex_unlock(&o->lock);
		rc = 0;
	} else if (rc == 0 && (rc = write_new(p, data, len)) == 0) {
		pthread_mutex_lock(&o->lock);
		o->written++;
		sg_strv_push(&o->changed, sg_xstrdup(rel));
		pthread_mutex_unlock(&o->lock);
	}
	if (rc == -1)
		sg_diag_add(d, SG_FATAL, what ? what : p, 0, 0, "cannot write%s%s: "
		    "%s", what ? " to " : "", what ? p : "", strerror(errno));
	free(p);
	return rc;
}

int
sg_output_write(struct sg_output *o, const char *rel, const char *data,
    size_t len, struct sg_diag *d)
{
	return put(o, rel, data, len, NULL, d);
}

int
sg_output_copy(struct sg_output *o, const char *src, const char *rel,
    struct sg_diag *d)
{
	char *data;
	size_t len;
	int rc;

	if (sg_file_read(src, &data, &len) == -1) {
		sg_diag_add(d, SG_FATAL, src, 0, 0, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	rc = put(o, rel, data, len, src, d);
	free(data);
	return rc;
}

int
sg_output_copy_tree(struct sg_output *o, const char *src, const char *rel,
    struct sg_diag *d)
{
	DIR *dp;
	struct dirent *de;
	int rc = 0;

	if ((dp = opendir(src)) == NULL) {
		sg_diag_add(d, SG_FATAL, src, 0, 0, "cannot open folder: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL && rc == 0) {
		if (de->d_name[0] == '.')
			continue;
		char *s = sg_path_join(src, de->d_name);
		char *r = sg_path_join(rel, de->d_name);
		struct stat st;
		if (lstat(s, &st) == 0 && S_ISDIR(st.st_mode))
			rc = sg_output_copy_tree(o, s, r, d);
		else if (S_ISREG(st.st_mode))
			rc = sg_output_copy(o, s, r, d);
		free(s);
		free(r);
	}
	closedir(dp);
	return rc;
}

int
sg_output_digest(struct sg_output *o, const char *rel, char hex[65])
{
	char *p = sg_path_join(o->stage, rel), *data;
	size_t len;
	int rc = sg_file_read(p, &data, &len);

	free(p);
	if (rc == -1)
		return -1;
	sg_sha256_hex(data, len, hex);
	free(data);
	return 0;
}

int
sg_output_commit(struct sg_output *o, struct sg_diag *d)
{
	struct stat st;

	if (lstat(o->final, &st) == -1) {
		if (rename(o->stage, o->final) == -1) {
			sg_diag_add(d, SG_FATAL, o->final, 0, 0, "cannot move the "
			    "new site into place: %s", strerror(errno));
			return -1;
		}
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		sg_diag_add(d, SG_FATAL, o->final, 0, 0, "exists and is not a "
		    "folder; expected the output folder");
		return -1;
	}
	if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->final,
	    RENAME_EXCHANGE) == 0) {
		/* stage now holds the previous site. */
		sg_rm_rf(o->stage);
		goto done;
	}
	/* No atomic exchange here: move the old one aside first. */
	char *old = sg_xasprintf("%s.old", o->stage);
	char *dir = sg_path_dir(o->final);
	const char *b = strrchr(o->final, '/');
	free(old);
	old = sg_xasprintf("%s.%s.old-%ld", dir, b ? b + 1 : o->final,
	    (long)getpid());
	free(dir);
	if (rename(o->final, old) == -1 || rename(o->stage, o->final) == -1) {
		sg_diag_add(d, SG_FATAL, o->final, 0, 0, "cannot swap in the new "
		    "site: %s", strerror(errno));
		free(old);
		return -1;
	}
	sg_rm_rf(old);
	free(old);
done:
	free(o->stage);
	o->stage = NULL;
	free(o->final);
	o->final = NULL;
	free(o->prev);
	o->prev = NULL;
	return 0;
}

void
sg_output_abort(struct sg_output *o)
{
	if (o->stage)
		sg_rm_rf(o->stage);
	free(o->stage);
	free(o->final);
	free(o->prev);
	o->stage = o->final = o->prev = NULL;
	sg_strv_clear(&o->changed);
}

void
sg_output_clear(struct sg_output *o)
{
	sg_output_abort(o);
	memset(o, 0, sizeof(*o));
}
