/*
 * cmd: subcommands.  Options are parsed here; the work is done by the
 * pipeline modules: load → markdown → pages/theme → output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "check.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "output.h"
#include "pages.h"
#include "pdf.h"
#include "pool.h"
#include "scaffold.h"
#include "serve.h"
#include "source.h"
#include "stamp.h"
#include "theme.h"
#include "util.h"

void
sg_cmd_build_help(FILE *fp)
{
	fputs("usage: site-gen build [-o DIR] [-j N] [--theme DIR] [--force] "
	    "[--no-pdf]\n"
	    "\n"
	    "Renders content/ and site.yml of the site directory into public/.\n"
	    "The new site is written beside public/ and swapped in only when\n"
	    "the build succeeds: on any error public/ is left as it was.\n"
	    "When nothing the site is made from changed since the last build\n"
	    "(content, site.yml, the theme and templates, the git history,\n"
	    "site-gen itself, the options) and public/ is as that build left\n"
	    "it, the build is skipped and its findings are shown again; the\n"
	    "record of it is .public.sg-stamp beside public/.\n"
	    "Each report is also typeset as a PDF (YEAR/report-YEAR.pdf) when\n"
	    "weasyprint is installed; a PDF whose inputs did not change is kept.\n"
	    "\n"
	    "  -o, --output DIR   write the site to DIR instead of public/\n"
	    "  -j, --jobs N       render on N threads (default: one per CPU)\n"
	    "  --theme DIR        use the theme in DIR instead of the one\n"
	    "                     site.yml names (themes/<name>/)\n"
	    "  --force            build even if nothing changed\n"
	    "  --no-pdf           make no PDF (as does SG_NO_PDF=1)\n"
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

/* A progress line on a terminal, once a build has taken a second. */
struct progress {
	double	t0;
	double	last;
	int	shown;
};

static void
progress(void *arg, size_t done, size_t total)
{
	struct progress *p = arg;
	double t = now();

	if (t - p->t0 < 1.0 || (t - p->last < 0.1 && done < total))
		return;
	p->last = t;
	p->shown = 1;
	fprintf(stderr, "\r\033[Kbuilding: %zu/%zu pages", done, total);
	fflush(stderr);
}

int
sg_cmd_build(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"theme", required_argument, NULL, 't'},
		{"jobs", required_argument, NULL, 'j'},
		{"force", no_argument, NULL, 'f'},
		{"no-pdf", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *out = "public", *theme_opt = NULL;
	int c, flags = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'j':
			if (atoi(optarg) < 1 || atoi(optarg) > 256) {
				fprintf(stderr, "site-gen build: -j wants a number "
				    "of threads from 1 to 256, not '%s'\n", optarg);
				return 2;
			}
			sg_pool_set_threads(atoi(optarg));
			break;
		case 't':
			theme_opt = optarg;
			break;
		case 'f':
			flags |= SG_BUILD_FORCE;
			break;
		case 'P':
			flags |= SG_BUILD_NO_PDF;
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
	return sg_cmd_build_run(g, out, theme_opt, flags, d);
}

struct sg_pdf *
sg_cmd_pdf_maker(const char *engine, int off, const struct sg_theme *theme,
    const char *out, struct sg_diag *d)
{
	if (off)
		return NULL;
	if (engine == NULL) {
		sg_diag_add(d, SG_WARNING, NULL, 0, 0, "no PDF made: the "
		    "typesetting engine weasyprint is not installed; expected "
		    "it on PATH (make deps, or apt-get install weasyprint)");
		return NULL;
	}
	if (!sg_theme_has(theme, "pdf")) {
		sg_diag_add(d, SG_WARNING, sg_theme_dir(theme), 0, 0, "no PDF made: "
		    "the theme has no pdf.html; expected a print document "
		    "template (see themes/default/pdf.html)");
		return NULL;
	}
	return sg_pdf_new(engine, out);
}

/* With -v, how long each stage took: where a slow build spends its time. */
static void
phase(const struct sg_opts *g, const char *what, double *t)
{
	double n = now();

	if (g->verbose)
		fprintf(stderr, "site-gen: %-8s %.3f s\n", what, n - *t);
	*t = n;
}

int
sg_cmd_build_run(struct sg_opts *g, const char *out, const char *theme_opt,
    int flags, struct sg_diag *d)
{
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	struct sg_theme *theme = NULL;
	struct sg_history *hist = NULL;
	struct sg_output o = {0};
	struct sg_build_stats st = {0};
	double t0 = now(), tp = t0;
	struct progress pr = {t0, 0, 0};
	struct sg_stamp *stamp;
	struct sg_stamp_result sr = {0};
	struct sg_pdf *pdf = NULL;
	char *tdir = NULL, *engine = NULL;
	int rc = 0, keep_going = (flags & SG_BUILD_KEEP_GOING) != 0;
	int pdf_off = (flags & SG_BUILD_NO_PDF) != 0 || sg_pdf_off();

	if (!pdf_off)
		engine = sg_pdf_engine();
	stamp = sg_stamp_new(out, theme_opt, keep_going);
	sg_stamp_pdf(stamp, pdf_off ? NULL : engine ? engine : "");
	if (!(flags & SG_BUILD_FORCE) && sg_stamp_replay(stamp, d, &sr)) {
		phase(g, "stamp", &tp);
		if (!g->quiet)
			printf("site-gen: nothing changed since the last build of "
			    "%s (%zu pages and %zu files); %zu warnings; %.2f s\n",
			    out, sr.pages, sr.files, sg_diag_count(d, SG_WARNING),
			    now() - t0);
		rc = sr.rc;
		goto out;
	}
	if (g->verbose && !(flags & SG_BUILD_FORCE))
		fprintf(stderr, "site-gen: building: %s\n",
		    sg_stamp_why(stamp));
	sg_stamp_scan(stamp, d);
	phase(g, "stamp", &tp);
	src = sg_source_fs_new(".");
	site = sg_load_site_ex(src, SG_LOAD_RELEASE, d);
	phase(g, "load", &tp);
	/* The findings of check, with build's severities. */
	sg_check_run(site, 0, &(struct sg_check_opts){0, 0}, d);
	phase(g, "check", &tp);
	tdir = sg_cmd_theme_dir(theme_opt, site->theme);
	sg_stamp_theme(stamp, tdir);
	theme = sg_theme_load(tdir, d);
	/* Content errors stop the build before anything is written. */
	if ((keep_going ? sg_diag_count(d, SG_FATAL) > 0 : sg_diag_failed(d)) ||
	    theme == NULL) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	pdf = sg_cmd_pdf_maker(engine, pdf_off, theme, out, d);
	st.pdf = pdf;
	site->hist = hist = sg_history_for_build(".", site, d);
	phase(g, "history", &tp);
	/* Memory grows with the number of pages only by their metadata:
	 * each document's tree is rebuilt for its page and freed after. */
	sg_md_release_all(site);
	if (sg_output_begin(&o, out, d) == -1) {
		rc = 3;
		goto out;
	}
	if (isatty(STDERR_FILENO) && !g->quiet) {
		st.progress = progress;
		st.progress_arg = &pr;
	}
	rc = sg_pages_build(site, theme, &o, &st, d);
	if (pr.shown)
		fputs("\r\033[K", stderr);
	phase(g, "pages", &tp);
	if (rc == -1 ||
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
	phase(g, "commit", &tp);
	sg_pdf_save(pdf, d);
	sr = (struct sg_stamp_result){0, st.pages, st.files};
	sg_stamp_save(stamp, &sr, d);
	phase(g, "stamp", &tp);
	if (!g->quiet)
		printf("site-gen: %zu pages and %zu files in %s: %zu written, %zu "
		    "unchanged; %zu warnings; %.2f s\n", st.pages, st.files, out,
		    o.written, o.kept, sg_diag_count(d, SG_WARNING), now() - t0);
out:
	sg_stamp_free(stamp);
	sg_pdf_free(pdf);
	free(engine);
	sg_output_clear(&o);
	sg_theme_free(theme);
	free(tdir);
	sg_load_free(site);
	sg_history_free(hist);
	sg_source_free(src);
	return rc;
}

void
sg_cmd_new_help(FILE *fp)
{
	fputs("usage: site-gen new year YEAR\n"
	    "       site-gen new case YEAR TITLE [--slug NAME]\n"
	    "\n"
	    "new year creates content/YEAR/ as the national template lays it out:\n"
	    "report.yml, index.md (前言), the nine chapters with their standard\n"
	    "titles, and the six appendix tables with every row of the year\n"
	    "before and its values moved into the previous-year column.\n"
	    "new case creates content/YEAR/cases/NN-NAME.md, NN one past the\n"
	    "highest case number, with front matter for TITLE.\n"
	    "Existing files are never overwritten.\n"
	    "\n"
	    "  --slug NAME   the file name part (default: the title's ASCII\n"
	    "                letters, else \"case\")\n"
	    "  -h, --help    show this help\n", fp);
}

static int
parse_year(const char *s, int *year)
{
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return -1;
	*year = atoi(s);
	return 0;
}

int
sg_cmd_new(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"slug", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_scaffold res;
	const char *slug = NULL;
	int c, year, rc, is_case;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			slug = optarg;
			break;
		case 'h':
			sg_cmd_new_help(stdout);
			return 0;
		default:
			sg_cmd_new_help(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	is_case = argc >= 1 && strcmp(argv[0], "case") == 0;
	if (argc < 2 || (!is_case && strcmp(argv[0], "year") != 0) ||
	    argc != (is_case ? 3 : 2) || parse_year(argv[1], &year) == -1 ||
	    (is_case && *argv[2] == '\0') || (!is_case && slug)) {
		fprintf(stderr, "site-gen new: expected 'year YEAR' or "
		    "'case YEAR TITLE' with a four-digit YEAR\n");
		sg_cmd_new_help(stderr);
		return 2;
	}
	if (is_case)
		rc = sg_scaffold_case(year, argv[2], slug, &res, d);
	else
		rc = sg_scaffold_year(year, &res, d);
	if (!g->quiet) {
		for (size_t i = 0; i < res.created.n; i++)
			printf("created %s\n", res.created.v[i]);
		for (size_t i = 0; i < res.kept.n; i++)
			printf("kept    %s (exists)\n", res.kept.v[i]);
		if (rc == 0 && is_case)
			printf("site-gen: 案例 %d; link it from a chapter with a "
			    "paragraph [案例 %d](cases/%s)\n", res.number,
			    res.number, strrchr(res.created.v[0], '/') + 1);
		if (rc == 0 && res.headers_only)
			printf("site-gen: no content/%d/indicators/ table for %zu "
			    "appendix tables: they have the header row only\n",
			    year - 1, res.headers_only);
	}
	sg_scaffold_clear(&res);
	if (rc == 0)
		return 0;
	return sg_diag_count(d, SG_FATAL) ? 3 : 1;
}

void
sg_cmd_serve_help(FILE *fp)
{
	fputs("usage: site-gen serve [--port N] [--bind ADDR] [--theme DIR]\n"
	    "\n"
	    "Builds the site into a temporary folder (public/ is not touched),\n"
	    "serves it at http://127.0.0.1:8000/ and rebuilds whenever a file\n"
	    "in content/, the theme or site.yml changes; open pages reload\n"
	    "themselves.  A content error is shown in the terminal and over\n"
	    "the open pages, and the last good build stays served.  Ctrl-C\n"
	    "stops.\n"
	    "\n"
	    "  -p, --port N       listen on port N (default 8000; 0: any free)\n"
	    "  -b, --bind ADDR    listen on ADDR (default 127.0.0.1)\n"
	    "  --theme DIR        use the theme in DIR\n"
	    "  -h, --help         show this help\n", fp);
}

int
sg_cmd_serve(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"bind", required_argument, NULL, 'b'},
		{"theme", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_serve_opts so = {"127.0.0.1", 8000, NULL, g->quiet,
	    g->verbose, g->colour};
	char *end;
	long port;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || port < 0 || port > 65535) {
				fprintf(stderr, "site-gen serve: --port '%s' is not "
				    "a port number (0–65535)\n", optarg);
				return 2;
			}
			so.port = (int)port;
			break;
		case 'b':
			so.bind = optarg;
			break;
		case 't':
			so.theme = optarg;
			break;
		case 'h':
			sg_cmd_serve_help(stdout);
			return 0;
		default:
			sg_cmd_serve_help(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "site-gen serve: unexpected argument '%s'\n",
		    argv[optind]);
		sg_cmd_serve_help(stderr);
		return 2;
	}
	return sg_serve_run(&so, d);
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
	/* check reads each document's text again; the trees are not kept. */
	site = sg_load_site_ex(src, SG_LOAD_RELEASE, d);
	sg_md_release_all(site);
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
