/*
 * cmd_pdf: `site-gen pdf YEAR [-o FILE]`, one report's PDF.  The site is
 * rendered by the build pipeline (the same model, the latest published
 * revision of a site with disclosure tags) into a temporary folder, never
 * public/, and only YEAR's PDF is typeset and kept.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "pdf.h"
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
    struct sg_diag *d)
{
	struct sg_build_opts bo = {0};
	struct sg_build_res res = {0};
	const char *t = getenv("TMPDIR");
	char *tmp, *out, *prefix, *path = NULL, *data = NULL;
	size_t len;
	int rc;

	tmp = sg_xasprintf("%s/site-gen-pdf-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		sg_diag_add(d, SG_FATAL, tmp, 0, 0, "cannot create a temporary "
		    "folder: %s", strerror(errno));
		free(tmp);
		return 3;
	}
	out = sg_path_join(tmp, "site");
	prefix = sg_xasprintf("%d/", year);
	bo.out = out;
	bo.theme_opt = theme_opt;
	bo.flags = SG_BUILD_NO_STAMP;
	bo.pdf_only = prefix;
	rc = sg_build_run(&bo, &res, d);
	sg_build_res_clear(&res);
	if (rc != 0)
		goto out;
	path = sg_xasprintf("%s/%d/report-%d.pdf", out, year, year);
	if (!sg_is_file(path)) {
		/* No such year shown, or the engine failed (its warning
		 * says why). */
		char *yd = sg_path_join(out, prefix);
		if (!sg_is_dir(yd)) {
			sg_diag_add(d, SG_ERROR, "content", 0, 0, "no report for "
			    "%d; expected the folder content/%d/ (published, if "
			    "the site publishes)", year, year);
			rc = 1;
		} else
			rc = 3;
		free(yd);
		goto out;
	}
	if (sg_file_read(path, &data, &len) == -1) {
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read the PDF: %s",
		    strerror(errno));
		rc = 3;
	} else if (write_whole(file, data, len, d) == -1)
		rc = 3;
	else if (!g->quiet) {
		char sha[65];
		sg_sha256_hex(data, len, sha);
		printf("site-gen: %s (%zu KB, SHA-256 %s)\n", file,
		    (len + 1023) / 1024, sha);
	}
out:
	sg_rm_rf(tmp);
	free(data);
	free(path);
	free(prefix);
	free(out);
	free(tmp);
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
	rc = typeset(g, year, file, theme_opt, d);
	free(engine);
	free(def);
	return rc;
}
