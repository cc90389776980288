/*
 * output: staged writes and the final swap.  The swap uses
 * renameat2(RENAME_EXCHANGE), so public/ is never missing or half-written
 * at any instant; on file systems without it, two renames.
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

#include "diag.h"
#include "output.h"
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
	return 0;
}

int
sg_output_write(struct sg_output *o, const char *rel, const char *data,
    size_t len, struct sg_diag *d)
{
	char *p = sg_path_join(o->stage, rel);
	int rc = sg_file_write(p, data, len);

	if (rc == -1)
		sg_diag_add(d, SG_FATAL, p, 0, 0, "cannot write: %s",
		    strerror(errno));
	free(p);
	return rc;
}

int
sg_output_copy(struct sg_output *o, const char *src, const char *rel,
    struct sg_diag *d)
{
	char *p = sg_path_join(o->stage, rel);
	int rc = sg_file_copy(src, p);

	if (rc == -1)
		sg_diag_add(d, SG_FATAL, src, 0, 0, "cannot copy to %s: %s", p,
		    strerror(errno));
	free(p);
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
	return 0;
}

void
sg_output_abort(struct sg_output *o)
{
	if (o->stage)
		sg_rm_rf(o->stage);
	free(o->stage);
	free(o->final);
	o->stage = o->final = NULL;
}
