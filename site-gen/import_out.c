/*
 * import_out: the files of an import, kept in memory until the end, then
 * written into a fresh staging folder beside the target and renamed into
 * place: the new year appears whole or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "import_int.h"
#include "util.h"

void
sg_import_add_file(struct sg_import *im, char *path, char *data, size_t len)
{
	if (im->nfiles == im->filescap) {
		im->filescap = im->filescap ? im->filescap * 2 : 32;
		im->files = sg_xrealloc(im->files, im->filescap *
		    sizeof(*im->files));
	}
	im->files[im->nfiles].path = path;
	im->files[im->nfiles].data = data;
	im->files[im->nfiles].len = len;
	im->nfiles++;
}

const char *
sg_import_prefix(const struct sg_import *im)
{
	return im->in_case ? "../" : "";
}

int
sg_import_chapter_no(const struct sg_import *im)
{
	return (int)im->nchapters;
}

/* Writes every file into a new folder beside out, then renames it. */
int
sg_import_write_all(struct sg_import *im, const char *out)
{
	char *parent = sg_path_dir(out);
	char *tmpl = sg_xasprintf("%s.sg-import-XXXXXX", *parent ? parent : "./");
	char *stage;
	int rc = -1;

	if (*parent && sg_mkdir_p(parent) == -1) {
		sg_diag_add(im->d, SG_FATAL, parent, 0, 0, "cannot create folder: "
		    "%s", strerror(errno));
		goto out;
	}
	if ((stage = mkdtemp(tmpl)) == NULL) {
		sg_diag_add(im->d, SG_FATAL, out, 0, 0, "cannot create a staging "
		    "folder beside it: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < im->nfiles; i++) {
		char *p = sg_path_join(stage, im->files[i].path);
		int r = sg_file_write(p, im->files[i].data, im->files[i].len);
		free(p);
		if (r == -1) {
			sg_diag_add(im->d, SG_FATAL, im->files[i].path, 0, 0,
			    "cannot write: %s", strerror(errno));
			sg_rm_rf(stage);
			goto out;
		}
	}
	for (const char *const *sub = (const char *const[]){"cases", "tables",
	    "images", "indicators", NULL}; *sub; sub++) {
		char *p = sg_path_join(stage, *sub);
		sg_mkdir_p(p);
		free(p);
	}
	/* rename(2) replaces only an empty folder: a folder that gained
	 * files meanwhile is kept, and the import fails. */
	if (rename(stage, out) == -1) {
		sg_diag_add(im->d, SG_ERROR, out, 0, 0, "cannot create: %s; "
		    "import never overwrites", strerror(errno));
		sg_rm_rf(stage);
		goto out;
	}
	rc = 0;
out:
	free(tmpl);
	free(parent);
	return rc;
}
