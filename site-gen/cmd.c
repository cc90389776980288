/*
 * cmd: subcommands.  Options are parsed here; the work is done by the
 * pipeline modules: load → markdown → pages/theme → output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cmd.h"
#include "check.h"
#include "data.h"
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
	    "                      [--force-output] [--drafts -o DIR] [--no-pdf]\n"
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
	    "Each report is also typeset as a PDF (YEAR/report-YEAR.pdf) when\n"
	    "weasyprint is installed; a PDF whose inputs did not change is kept.\n"
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
	    "  --no-pdf           make no PDF (as does SG_NO_PDF=1; --drafts\n"
	    "                     makes none either)\n"
	    "  -h, --help         show this help\n", fp);
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
	double t = sg_time_now();

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
		{"no-pdf", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *out = "public", *theme_opt = NULL;
	long jobs;
	int c, flags = 0, out_given = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (*optarg == '\0') {
				fprintf(stderr, "site-gen build: -o needs a folder, "
				    "such as -o public\n");
				return 2;
			}
			out = optarg;
			out_given = 1;
			break;
		case 'j':
			if (sg_parse_long(optarg, 1, 256, &jobs) == -1) {
				fprintf(stderr, "site-gen build: -j wants a number "
				    "of threads from 1 to 256, not '%s'\n", optarg);
				return 2;
			}
			sg_pool_set_threads((int)jobs);
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
	    NULL, NULL, NULL};
	struct sg_build_res res;
	double t0 = sg_time_now();
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
		    sg_time_now() - t0);
	else if (rc == 0)
		printf("site-gen: %zu pages and %zu files in %s: %zu written, %zu "
		    "unchanged; %zu warnings; %.2f s\n", res.pages, res.files,
		    out, res.written, res.kept, sg_diag_count(d, SG_WARNING),
		    sg_time_now() - t0);
	if (!g->quiet)
		for (size_t i = 0; i < res.years.n; i++)
			printf("site-gen: %s\n", res.years.v[i]);
	sg_build_res_clear(&res);
	return rc;
}

void
sg_cmd_new_help(FILE *fp)
{
	fputs("usage: site-gen new site DIR --school NAME [--base-url URL] "
	    "[--year YEAR]\n"
	    "       site-gen new year YEAR [--template ID]\n"
	    "       site-gen new case YEAR TITLE [--slug NAME]\n"
	    "\n"
	    "new site starts a site in DIR (made if missing): a commented\n"
	    "site.yml for the school, content/, a .gitignore for public/, and\n"
	    "this year's report (or --year's) as new year lays it out.\n"
	    "new year creates content/YEAR/ as its template lays it out:\n"
	    "report.yml naming the school of site.yml and the template,\n"
	    "index.md (前言), the chapters of the template's outline with their\n"
	    "standard titles, and its appendix tables (if it has any) with\n"
	    "every row of the year before and its values moved into the\n"
	    "previous-year column (or the template's rows, empty, when there\n"
	    "is no year before).  The template is --template ID, else the\n"
	    "one the year before used, else the edition for YEAR (zz-2016 for\n"
	    "2016-2020, national-2024 from 2021).\n"
	    "new case creates content/YEAR/cases/NN-NAME.md, NN one past the\n"
	    "highest case number, with front matter for TITLE.\n"
	    "Existing files are never overwritten.\n"
	    "\n"
	    "  --school NAME   the school's full name (new site)\n"
	    "  --base-url URL  where public/ will be published (new site)\n"
	    "  --year YEAR     the first report of a new site (default: this\n"
	    "                  year)\n"
	    "  --template ID   the template of the new year's report\n"
	    "  --slug NAME     the file name part (default: the title's ASCII\n"
	    "                  letters, else \"case\")\n"
	    "  -h, --help      show this help\n", fp);
}

int
sg_cmd_year(const char *s)
{
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return 0;
	return atoi(s);
}

/* What new year and new site did: the files, then a sentence.  pre is
 * the folder the paths are relative to ("" for the current one). */
static void
said(const struct sg_scaffold *res, const char *pre)
{
	for (size_t i = 0; i < res->created.n; i++)
		printf("created %s%s\n", pre, res->created.v[i]);
	for (size_t i = 0; i < res->kept.n; i++)
		printf("kept    %s%s (exists)\n", pre, res->kept.v[i]);
}

static void
said_year(const struct sg_scaffold *res, int year)
{
	if (res->from_year)
		printf("site-gen: the %d report follows template %s, as the %d "
		    "report does: ", year, res->template, res->from_year);
	else
		printf("site-gen: the %d report follows template %s (%s): ",
		    year, res->template, res->template_why);
	if (res->tables)
		printf("%zu chapters and %zu appendix tables\n", res->chapters,
		    res->tables);
	else
		printf("%zu chapters, no appendix tables\n", res->chapters);
	if (res->headers_only)
		printf("site-gen: no content/%d/indicators/ table for %zu "
		    "appendix tables: they list the template's rows, with no "
		    "values\n", year - 1, res->headers_only);
}

/* new site DIR: the site files, then the current year in it. */
static int
new_site(struct sg_opts *g, const char *dir, const char *school,
    const char *base_url, int year, const char *template, struct sg_diag *d)
{
	struct sg_scaffold res;
	time_t t = time(NULL);
	struct tm tm;
	char *pre = sg_has_suffix(dir, "/") ? sg_xstrdup(dir) :
	    sg_xasprintf("%s/", dir);
	const char *url = base_url ? base_url : "https://www.example.edu.cn/zlnb/";
	int rc;

	localtime_r(&t, &tm);
	if (year == 0)
		year = tm.tm_year + 1900;
	if (sg_mkdir_p(dir) == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot create folder: %s",
		    strerror(errno));
		free(pre);
		return 3;
	}
	rc = sg_scaffold_site(dir, school, url, &res, d);
	if (!g->quiet)
		said(&res, "");
	sg_scaffold_clear(&res);
	if (rc == 0 && chdir(dir) == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot enter: %s",
		    strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		rc = sg_scaffold_year(year, template, &res, d);
		if (!g->quiet) {
			said(&res, pre);
			if (rc == 0)
				said_year(&res, year);
		}
		sg_scaffold_clear(&res);
	}
	if (rc == 0 && !g->quiet) {
		printf("site-gen: the site of %s is in %s", school, dir);
		if (base_url == NULL)
			printf("; set base_url in site.yml to the address it will "
			    "be published at");
		printf(".  Next, in %s:\n", dir);
		printf("  site-gen serve                      # preview while "
		    "writing content/%d/\n", year);
		printf("  site-gen check %d                 # what a reviewer "
		    "would find\n", year);
		printf("  site-gen publish %d -m \"首次发布\"   # record it in "
		    "git and build public/\n", year);
	}
	free(pre);
	if (rc == 0)
		return 0;
	return sg_diag_count(d, SG_FATAL) ? 3 : 1;
}

int
sg_cmd_new(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"slug", required_argument, NULL, 's'},
		{"school", required_argument, NULL, 'S'},
		{"base-url", required_argument, NULL, 'u'},
		{"template", required_argument, NULL, 't'},
		{"year", required_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_scaffold res;
	const char *slug = NULL, *school = NULL, *url = NULL, *tmpl = NULL;
	int c, year, rc, is_case, is_site, site_year = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			slug = optarg;
			break;
		case 'S':
			school = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case 't':
			tmpl = optarg;
			break;
		case 'y':
			if ((site_year = sg_cmd_year(optarg)) == 0) {
				fprintf(stderr, "site-gen new: --year '%s' is not "
				    "a four-digit year\n", optarg);
				return 2;
			}
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
	is_site = argc >= 1 && strcmp(argv[0], "site") == 0;
	if (is_site) {
		if (argc != 2 || *argv[1] == '\0' || slug) {
			fprintf(stderr, "site-gen new: expected 'site DIR "
			    "--school NAME'\n");
			return 2;
		}
		if (school == NULL || *school == '\0' ||
		    strpbrk(school, "\n\r")) {
			fprintf(stderr, "site-gen new site: expected --school "
			    "with the school's full name on one line, e.g. "
			    "--school 乐清市总工会职业技术学校\n");
			return 2;
		}
		if (url && strncmp(url, "http://", 7) != 0 &&
		    strncmp(url, "https://", 8) != 0) {
			fprintf(stderr, "site-gen new site: --base-url '%s' is "
			    "not an absolute http(s) URL; expected e.g. "
			    "https://www.example.edu.cn/zlnb/\n", url);
			return 2;
		}
		if (url && strpbrk(url, " \t\n\r\"'#")) {
			fprintf(stderr, "site-gen new site: --base-url '%s' has "
			    "spaces or quotes; expected a plain URL\n", url);
			return 2;
		}
		return new_site(g, argv[1], school, url, site_year, tmpl, d);
	}
	is_case = argc >= 1 && strcmp(argv[0], "case") == 0;
	if (argc < 2 || (!is_case && strcmp(argv[0], "year") != 0) ||
	    argc != (is_case ? 3 : 2) || (year = sg_cmd_year(argv[1])) == 0 ||
	    (is_case && *argv[2] == '\0') || (!is_case && slug) ||
	    (is_case && tmpl) || school || url || site_year) {
		fprintf(stderr, "site-gen new: expected 'site DIR --school NAME', "
		    "'year YEAR' or 'case YEAR TITLE' with a four-digit YEAR\n");
		sg_cmd_new_help(stderr);
		return 2;
	}
	if (is_case)
		rc = sg_scaffold_case(year, argv[2], slug, &res, d);
	else
		rc = sg_scaffold_year(year, tmpl, &res, d);
	if (!g->quiet) {
		said(&res, "");
		if (rc == 0 && is_case)
			printf("site-gen: 案例 %d; link it from a chapter with a "
			    "paragraph [案例 %d](cases/%s)\n", res.number,
			    res.number, strrchr(res.created.v[0], '/') + 1);
		if (rc == 0 && !is_case)
			said_year(&res, year);
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
	long port;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (sg_parse_long(optarg, 0, 65535, &port) == -1) {
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
	    "tables and text (figures in prose however worded), changes from\n"
	    "last year, restatements, personal data, students' names and\n"
	    "confidential marks.  Errors make publish refuse.\n"
	    "\n"
	    "  --strict        warnings count as errors for the exit status\n"
	    "  --format FMT    text (default, on stderr) or json (on stdout)\n"
	    "  -h, --help      show this help\n"
	    "\n"
	    "Rules (severity in build / in check):\n", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %-17s %-7s / %-7s %s\n", r[i].id,
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

void
sg_cmd_theme_help(FILE *fp)
{
	fputs("usage: site-gen theme export DIR\n"
	    "\n"
	    "Writes the theme built into site-gen (default) into DIR, to change\n"
	    "it for one site: export it to themes/NAME/ of the site and name it\n"
	    "in site.yml (theme: NAME); a site's themes/<name>/ comes before\n"
	    "the installed and the built-in theme of that name.  Files that\n"
	    "exist in DIR are kept, never overwritten.\n"
	    "\n"
	    "  -h, --help    show this help\n", fp);
}

int
sg_cmd_theme(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_scaffold res;
	const char *from = "themes/default";
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			sg_cmd_theme_help(stdout);
			return 0;
		default:
			sg_cmd_theme_help(stderr);
			return 2;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "export") != 0 ||
	    *argv[optind + 1] == '\0') {
		fprintf(stderr, "site-gen theme: expected 'export DIR'\n");
		sg_cmd_theme_help(stderr);
		return 2;
	}
	rc = sg_scaffold_export(from, argv[optind + 1], &res, d);
	if (!g->quiet) {
		for (size_t i = 0; i < res.created.n; i++)
			printf("created %s\n", res.created.v[i]);
		for (size_t i = 0; i < res.kept.n; i++)
			printf("kept    %s (exists)\n", res.kept.v[i]);
		if (rc == 0)
			printf("site-gen: the built-in theme is in %s; a site "
			    "uses it from themes/<name>/ with theme: <name> in "
			    "site.yml, or with --theme %s\n", argv[optind + 1],
			    argv[optind + 1]);
	}
	sg_scaffold_clear(&res);
	if (rc == 0)
		return 0;
	return sg_diag_count(d, SG_FATAL) ? 3 : 1;
}
