/*
 * cmd: subcommands.  Options are parsed here; the work is done by the
 * pipeline modules: load → markdown → pages/theme → output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
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
static char *
theme_dir(const char *opt, const char *name)
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
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	struct sg_theme *theme = NULL;
	struct sg_output o = {0};
	struct sg_build_stats st = {0};
	double t0 = now();
	char *tdir = NULL;
	int c, rc = 0;

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
	(void)g;
	src = sg_source_fs_new(".");
	site = sg_load_site(src, d);
	/* The findings of check, with build's severities. */
	sg_check_run(site, 0, &(struct sg_check_opts){0, 0}, d);
	tdir = theme_dir(theme_opt, site->theme);
	theme = sg_theme_load(tdir, d);
	/* Content errors stop the build before anything is written. */
	if (sg_diag_failed(d) || theme == NULL) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (sg_output_begin(&o, out, d) == -1) {
		rc = 3;
		goto out;
	}
	if (sg_pages_build(site, theme, &o, &st, d) == -1 || sg_diag_failed(d)) {
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
	sg_source_free(src);
	return rc;
}

void
sg_cmd_check_help(FILE *fp)
{
	size_t n;
	const struct sg_check_rule *r = sg_check_rules(&n);

	fputs("usage: site-gen check [--strict] [--format text|json] [YEAR]\n"
	    "\n"
	    "Checks the content of every year, or of YEAR, as a careful reader\n"
	    "of the disclosure would: everything build checks, and the appendix\n"
	    "tables against their template, figures that must agree across\n"
	    "tables and text, changes from last year, restatements and personal\n"
	    "data.  Errors make publish refuse.\n"
	    "\n"
	    "  --strict        warnings count as errors for the exit status\n"
	    "  --format FMT    text (default, on stderr) or json (on stdout)\n"
	    "  -h, --help      show this help\n"
	    "\n"
	    "Rules (severity in build / in check):\n", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %-15s %-7s / %-7s %s\n", r[i].id,
		    sg_diag_sevname(r[i].build), sg_diag_sevname(r[i].publish),
		    r[i].what);
	fputs("\nExit status: 0 no errors, 1 errors (or warnings with --strict),\n"
	    "2 usage, 3 I/O.\n", fp);
}

int
sg_cmd_check(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"strict", no_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_check_opts co = {1, 0};
	struct sg_source *src;
	struct sg_site *site;
	int c, year = 0, n, found = 0;

	g->what = "site-gen check";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			co.strict = 1;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				g->json = 1;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "site-gen check: unknown format "
				    "'%s'; expected text or json\n", optarg);
				return 2;
			}
			break;
		case 'h':
			sg_cmd_check_help(stdout);
			return 0;
		default:
			sg_cmd_check_help(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		const char *y = argv[optind++];
		if (strlen(y) != 4 || strspn(y, "0123456789") != 4 ||
		    optind < argc) {
			fprintf(stderr, "site-gen check: '%s' is not a year; "
			    "expected e.g. site-gen check 2024\n", y);
			return 2;
		}
		year = atoi(y);
	}
	src = sg_source_fs_new(".");
	site = sg_load_site(src, d);
	for (size_t i = 0; i < site->nreports; i++)
		found |= site->reports[i].year == year;
	if (year && !found)
		sg_diag_add(d, SG_ERROR, "content", 0, 0, "no report for %d; "
		    "expected the folder content/%d/", year, year);
	n = sg_check_run(site, year, &co, d);
	if (year)
		sg_check_only_year(d, year);
	sg_load_free(site);
	sg_source_free(src);
	if (sg_diag_count(d, SG_FATAL))
		return 3;
	return n > 0 || (year && !found) ? 1 : 0;
}
