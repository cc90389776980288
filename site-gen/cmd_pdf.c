/*
 * cmd_pdf: `site-gen pdf YEAR [-o FILE]`, one report's PDF.  The site is
 * rendered as `build` renders it (the same model, the latest published
 * revision of a site with disclosure tags) into a temporary folder, never
 * public/, and only YEAR's PDF is typeset and kept.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "output.h"
#include "pages.h"
#include "pdf.h"
#include "source.h"
#include "theme.h"
#include "util.h"

void
sg_cmd_pdf_help(FILE *fp)
{
	fputs("usage: site-gen pdf YEAR [-o FILE] [--theme DIR]\n"
	    "\n"
	    "Typesets YEAR's report as a PDF, from the same content and theme\n"
	    "as build (which also writes it to public/YEAR/report-YEAR.pdf):\n"
	    "A4, cover, responsibility statement, preface, contents with page\n"
	    "numbers and the lists of figures, tables and cases, the chapters,\n"
	    "the appendix tables.  Needs weasyprint (make deps).  public/ is not\n"
	    "touched.\n"
	    "\n"
	    "  -o, --output FILE  write the PDF to FILE (default:\n"
	    "                     report-YEAR.pdf in the site folder)\n"
	    "  --theme DIR        use the theme in DIR\n"
	    "  -h, --help         show this help\n", fp);
}

/* Writes data to path through a temporary file beside it, so that path
 * is never half-written.  0, or -1 with a fatal finding. */
static int
write_whole(const char *path, const char *data, size_t len,
    struct sg_diag *d)
{
	char *tmp = sg_xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp), rc = 0;

	if (fd == -1 || sg_fd_write(fd, data, len) == -1 ||
	    rename(tmp, path) == -1) {
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot write the PDF: %s",
		    strerror(errno));
		if (fd != -1)
			unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

static int
typeset(struct sg_opts *g, int year, const char *file, const char *theme_opt,
    const char *engine, struct sg_diag *d)
{
	struct sg_source *src = sg_source_fs_new(".");
	struct sg_site *site;
	struct sg_theme *theme = NULL;
	struct sg_history *hist = NULL;
	struct sg_output o = {0};
	struct sg_build_stats st = {0};
	struct sg_pdf *q = NULL;
	const struct sg_pdf_file *f;
	char *tdir = NULL, *tmp = NULL, *out = NULL, *prefix, *rel, *path;
	char *data;
	size_t len;
	int rc = 0, found = 0;
	const char *t = getenv("TMPDIR");

	prefix = sg_xasprintf("%d/", year);
	rel = sg_xasprintf("%d/report-%d.pdf", year, year);
	site = sg_load_site_ex(src, SG_LOAD_RELEASE, d);
	for (size_t i = 0; i < site->nreports; i++)
		found |= site->reports[i].year == year;
	if (!found) {
		sg_diag_add(d, SG_ERROR, "content", 0, 0, "no report for %d; "
		    "expected the folder content/%d/", year, year);
		rc = 1;
		goto out;
	}
	/* The findings of build: its errors stop the PDF too. */
	sg_check_run(site, 0, &(struct sg_check_opts){0, 0}, d);
	tdir = sg_cmd_theme_dir(theme_opt, site->theme);
	theme = sg_theme_load(tdir, d);
	if (sg_diag_failed(d) || theme == NULL) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (!sg_theme_has(theme, "pdf")) {
		sg_diag_add(d, SG_ERROR, tdir, 0, 0, "the theme has no pdf.html; "
		    "expected a print document template (see "
		    "themes/default/pdf.html)");
		rc = 1;
		goto out;
	}
	site->hist = hist = sg_history_for_build(".", site, d);
	sg_md_release_all(site);
	tmp = sg_xasprintf("%s/site-gen-pdf-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		sg_diag_add(d, SG_FATAL, tmp, 0, 0, "cannot create a temporary "
		    "folder: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		rc = 3;
		goto out;
	}
	out = sg_path_join(tmp, "site");
	if (sg_output_begin(&o, out, d) == -1) {
		rc = 3;
		goto out;
	}
	q = sg_pdf_new(engine, NULL);
	sg_pdf_only(q, prefix);
	st.pdf = q;
	if (sg_pages_build(site, theme, &o, &st, d) == -1 ||
	    sg_diag_failed(d)) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if ((f = sg_pdf_find(q, rel)) == NULL) {
		/* The engine failed: its warning says why. */
		rc = 3;
		goto out;
	}
	path = sg_path_join(o.stage, rel);
	if (sg_file_read(path, &data, &len) == -1) {
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read the PDF: %s",
		    strerror(errno));
		rc = 3;
	} else {
		if (write_whole(file, data, len, d) == -1)
			rc = 3;
		else if (!g->quiet)
			printf("site-gen: %s (%zu KB, SHA-256 %s)\n", file,
			    (f->size + 1023) / 1024, f->sha256);
		free(data);
	}
	free(path);
out:
	sg_output_clear(&o);
	if (tmp)
		sg_rm_rf(tmp);
	free(tmp);
	free(out);
	sg_pdf_free(q);
	sg_theme_free(theme);
	free(tdir);
	sg_load_free(site);
	sg_history_free(hist);
	sg_source_free(src);
	free(prefix);
	free(rel);
	return rc;
}

int
sg_cmd_pdf(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"theme", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *file = NULL, *theme_opt = NULL, *y;
	char *engine, *def = NULL;
	int c, year, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			file = optarg;
			break;
		case 't':
			theme_opt = optarg;
			break;
		case 'h':
			sg_cmd_pdf_help(stdout);
			return 0;
		default:
			sg_cmd_pdf_help(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "site-gen pdf: expected one YEAR\n");
		sg_cmd_pdf_help(stderr);
		return 2;
	}
	y = argv[optind];
	if (strlen(y) != 4 || strspn(y, "0123456789") != 4) {
		fprintf(stderr, "site-gen pdf: '%s' is not a year; expected e.g. "
		    "site-gen pdf 2024\n", y);
		return 2;
	}
	year = atoi(y);
	/* Asked for by name: SG_NO_PDF, which keeps builds quick, does not
	 * apply. */
	engine = sg_pdf_engine();
	if (engine == NULL) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "the typesetting engine "
		    "weasyprint is not installed; expected it on PATH (make deps, "
		    "or apt-get install weasyprint)");
		return 3;
	}
	if (file == NULL)
		file = def = sg_xasprintf("report-%d.pdf", year);
	rc = typeset(g, year, file, theme_opt, engine, d);
	free(engine);
	free(def);
	return rc;
}
