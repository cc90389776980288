/*
 * cmd: subcommands.  Options are parsed here; the work is done by the
 * pipeline modules: load → markdown → pages/theme → output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "output.h"
#include "pages.h"
#include "source.h"
#include "theme.h"
#include "util.h"

void
sg_cmd_build_help(FILE *fp)
{
	fputs("usage: site-gen build [-o DIR] [--theme DIR]\n"
	    "\n"
	    "Renders content/ and site.yml of the site directory into public/.\n"
	    "The new site is written beside public/ and swapped in only when\n"
	    "the build succeeds: on any error public/ is left as it was.\n"
	    "\n"
	    "  -o, --output DIR   write the site to DIR instead of public/\n"
	    "  --theme DIR        use the theme in DIR instead of the one\n"
	    "                     site.yml names (themes/<name>/)\n"
	    "  -h, --help         show this help\n", fp);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The theme folder: --theme, else the site's themes/<name>/, else the
 * installed themes. */
char *
sg_cmd_theme_dir(const char *opt, const char *name)
{
	char *p;

	if (opt)
		return sg_xstrdup(opt);
	p = sg_xasprintf("themes/%s", name);
	if (sg_is_dir(p))
		return p;
	free(p);
#ifdef SG_DATADIR
	p = sg_xasprintf("%s/themes/%s", SG_DATADIR, name);
	if (sg_is_dir(p))
		return p;
	free(p);
#endif
	return sg_xasprintf("themes/%s", name);
}

int
sg_cmd_build(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"theme", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *out = "public", *theme_opt = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 't':
			theme_opt = optarg;
			break;
		case 'h':
			sg_cmd_build_help(stdout);
			return 0;
		default:
			sg_cmd_build_help(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "site-gen build: unexpected argument '%s'\n",
		    argv[optind]);
		sg_cmd_build_help(stderr);
		return 2;
	}
	return sg_cmd_build_run(g, out, theme_opt, 0, d);
}

int
sg_cmd_build_run(struct sg_opts *g, const char *out, const char *theme_opt,
    int keep_going, struct sg_diag *d)
{
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	struct sg_theme *theme = NULL;
	struct sg_history *hist = NULL;
	struct sg_output o = {0};
	struct sg_build_stats st = {0};
	double t0 = now();
	char *tdir = NULL;
	int rc = 0;

	src = sg_source_fs_new(".");
	site = sg_load_site(src, d);
	tdir = sg_cmd_theme_dir(theme_opt, site->theme);
	theme = sg_theme_load(tdir, d);
	/* Content errors stop the build before anything is written. */
	if ((keep_going ? sg_diag_count(d, SG_FATAL) > 0 : sg_diag_failed(d)) ||
	    theme == NULL) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	site->hist = hist = sg_history_for_build(".", site, d);
	if (sg_output_begin(&o, out, d) == -1) {
		rc = 3;
		goto out;
	}
	if (sg_pages_build(site, theme, &o, &st, d) == -1 ||
	    (keep_going ? sg_diag_count(d, SG_FATAL) > 0 : sg_diag_failed(d))) {
		sg_output_abort(&o);
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (sg_output_commit(&o, d) == -1) {
		sg_output_abort(&o);
		rc = 3;
		goto out;
	}
	if (!g->quiet)
		printf("site-gen: %zu pages and %zu files written to %s in %.2f s "
		    "(%zu warnings)\n", st.pages, st.files, out, now() - t0,
		    sg_diag_count(d, SG_WARNING));
out:
	sg_theme_free(theme);
	free(tdir);
	sg_load_free(site);
	sg_history_free(hist);
	sg_source_free(src);
	return rc;
}
