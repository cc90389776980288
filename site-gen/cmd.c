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

#include "build.h"
#include "cmd.h"
#include "check.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "output.h"
#include "pages.h"
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
	fputs("usage: site-gen build [-o DIR] [-j N] [--theme DIR] [--force]\n"
	    "                      [--force-output] [--drafts -o DIR]\n"
	    "\n"
	    "Renders the site directory into public/.  In a site that publishes\n"
	    "(disclosure tags in its git repository) public/ shows each year as\n"
	    "its latest publication: a year never published and changes made\n"
	    "since the last publish are left out, one line a year says so.\n"
	    "Without any publication the working tree is rendered.\n"
	    "The new site is written beside public/ and swapped in only when\n"
	    "the build succeeds: on any error public/ is left as it was.\n"
	    "When nothing the site is made from changed since the last build\n"
	    "(content, site.yml, the theme and templates, the git history,\n"
	    "site-gen itself, the options) and public/ is as that build left\n"
	    "it, the build is skipped and its findings are shown again; the\n"
	    "record of it is .public.sg-stamp beside public/.\n"
	    "\n"
	    "  -o, --output DIR   write the site to DIR instead of public/\n"
	    "  -j, --jobs N       render on N threads (default: one per CPU)\n"
	    "  --theme DIR        use the theme in DIR instead of the one\n"
	    "                     site.yml names (themes/<name>/)\n"
	    "  --drafts           render the working tree as a preview, every\n"
	    "                     page marked 预览（未发布） and not indexed;\n"
	    "                     only into a folder named with -o\n"
	    "  --force            build even if nothing changed\n"
	    "  --force-output     replace the output folder even though no\n"
	    "                     earlier build made it (it is replaced whole;\n"
	    "                     the site, content/, themes/, schemas/ and\n"
	    "                     .git are refused always)\n"
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
		{"force-output", no_argument, NULL, 'F'},
		{"drafts", no_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *out = "public", *theme_opt = NULL;
	int c, flags = 0, out_given = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (*optarg == '\0') {
				fputs("site-gen build: -o wants a folder name, "
				    "not an empty string\n", stderr);
				return 2;
			}
			out = optarg;
			out_given = 1;
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
		case 'F':
			flags |= SG_BUILD_FORCE_OUTPUT;
			break;
		case 'D':
			flags |= SG_BUILD_DRAFTS;
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
	/* public/ is the disclosed record: a preview goes elsewhere. */
	if ((flags & SG_BUILD_DRAFTS) && !out_given) {
		fputs("site-gen build: --drafts renders the working tree as a "
		    "preview, which never goes to public/; expected -o DIR "
		    "with it\n", stderr);
		return 2;
	}
	return sg_cmd_build_run(g, out, theme_opt, flags, d);
}

int
sg_cmd_build_run(struct sg_opts *g, const char *out, const char *theme_opt,
    int flags, struct sg_diag *d)
{
	struct sg_build_opts o = {out, theme_opt, flags, NULL, g->verbose,
	    NULL, NULL};
	struct sg_build_res res;
	double t0 = now();
	struct progress pr = {t0, 0, 0};
	int rc;

	if (isatty(STDERR_FILENO) && !g->quiet) {
		o.progress = progress;
		o.progress_arg = &pr;
	}
	rc = sg_build_run(&o, &res, d);
	if (pr.shown)
		fputs("\r\033[K", stderr);
	if (res.why)
		fprintf(stderr, "site-gen: building: %s\n", res.why);
	for (size_t i = 0; i < res.phases.n; i++)
		fprintf(stderr, "site-gen: %s\n", res.phases.v[i]);
	if (g->quiet || rc == 2)
		;
	else if (res.skipped)
		printf("site-gen: nothing changed since the last build of %s (%zu "
		    "pages and %zu files); %zu warnings; %.2f s\n", out,
		    res.pages, res.files, sg_diag_count(d, SG_WARNING),
		    now() - t0);
	else if (rc == 0)
		printf("site-gen: %zu pages and %zu files in %s: %zu written, %zu "
		    "unchanged; %zu warnings; %.2f s\n", res.pages, res.files,
		    out, res.written, res.kept, sg_diag_count(d, SG_WARNING),
		    now() - t0);
	if (!g->quiet)
		for (size_t i = 0; i < res.years.n; i++)
			printf("site-gen: %s\n", res.years.v[i]);
	sg_build_res_clear(&res);
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
