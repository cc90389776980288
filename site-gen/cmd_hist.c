/*
 * cmd_hist: the history subcommands — publish, history, diff.  Options
 * and output here; the work is done by publish.c, history.c and
 * changes.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "doc.h"
#include "history.h"
#include "load.h"
#include "publish.h"
#include "source.h"
#include "util.h"

void
sg_cmd_publish_help(FILE *fp)
{
	fputs("usage: site-gen publish YEAR -m NOTE [--author \"NAME <EMAIL>\"]\n"
	    "                        [--allow-findings REASON] [-o DIR] [--theme DIR]\n"
	    "\n"
	    "Checks the site, commits content/YEAR/ (with site.yml and themes/)\n"
	    "on the current branch and adds the annotated tag disclosure/YEAR/rN\n"
	    "with NOTE, then builds the site.  The site folder becomes a git\n"
	    "repository (branch main) if it is not one.  Nothing outside those\n"
	    "paths is staged or changed; nothing is ever reset or discarded.\n"
	    "Publishing again without changes creates nothing.\n"
	    "\n"
	    "  -m, --message NOTE       what this publication or amendment is\n"
	    "  --author \"NAME <EMAIL>\"  who publishes (default: user.name and\n"
	    "                           user.email of the git configuration)\n"
	    "  --allow-findings REASON  publish despite check errors; they and\n"
	    "                           REASON are recorded in the tag and shown\n"
	    "                           on the history page\n"
	    "  -o, --output DIR         build into DIR instead of public/\n"
	    "  --theme DIR              the theme to check and build with\n"
	    "  -h, --help               show this help\n"
	    "\n"
	    "Exit status: 0 published or nothing to publish, 1 check errors,\n"
	    "2 usage (or no author known), 3 repository, lock or I/O problem.\n",
	    fp);
}

void
sg_cmd_history_help(FILE *fp)
{
	fputs("usage: site-gen history [YEAR]\n"
	    "\n"
	    "Lists the published revisions (disclosure/YEAR/rN tags), newest\n"
	    "first: tag, date, author, commit, note and what changed since the\n"
	    "revision before.\n"
	    "\n"
	    "  -h, --help   show this help\n", fp);
}

void
sg_cmd_diff_help(FILE *fp)
{
	fputs("usage: site-gen diff YEAR rA [rB]\n"
	    "\n"
	    "Shows what changed in YEAR's report from revision rA to rB (or to\n"
	    "the working tree when rB is left out): indicator values old → new,\n"
	    "chapters and cases added, removed, renamed or edited with the\n"
	    "edited sentences ([-removed-]{+added+} words), figures and tables\n"
	    "added or removed.  Revisions are written r2, 2 or\n"
	    "disclosure/2024/r2.\n"
	    "\n"
	    "  -h, --help   show this help\n", fp);
}

/* Parses the options every history command shares: --help only. */
static int
no_opts(int argc, char **argv, void (*help)(FILE *))
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help(stdout);
			return 0;
		}
		help(stderr);
		return 2;
	}
	return -1;
}

static int
parse_year(const char *s)
{
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return 0;
	return atoi(s);
}

/* What changed from the revision before p's new one, for the summary. */
static char *
published_changes(int year, const char *tag)
{
	struct sg_diag d = {0};
	struct sg_history *h = NULL;
	struct sg_rev *cur, *prev;
	struct sg_changes ch = {0};
	char *sum = NULL;

	if (sg_history_open(".", &h, &d) == 0 && h &&
	    sg_history_read(h, &d) == 0 &&
	    (cur = sg_history_find(h, year, tag)) != NULL) {
		/* h->revs is ordered by year, then N. */
		prev = cur > h->revs && cur[-1].year == year ? cur - 1 : NULL;
		if (prev &&
		    sg_history_load_rev(h, prev, NULL, &d) == 0 &&
		    sg_history_load_rev(h, cur, NULL, &d) == 0) {
			sg_changes_compute(prev->report, cur->report, &ch);
			char *s = sg_changes_summary(&ch);
			sum = sg_xasprintf("what changed since r%d: %s", prev->n, s);
			free(s);
			sg_changes_clear(&ch);
		}
	}
	sg_history_free(h);
	sg_diag_clear(&d);
	return sum;
}

int
sg_cmd_publish(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"message", required_argument, NULL, 'm'},
		{"author", required_argument, NULL, 'a'},
		{"allow-findings", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"theme", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_publish p;
	struct sg_diag bd = {0};
	const char *out = "public", *theme_opt = NULL, *auth = NULL;
	char *name = NULL, *email = NULL, *tdir = NULL;
	int c, rc;

	memset(&p, 0, sizeof(p));
	optind = 1;
	while ((c = getopt_long(argc, argv, "m:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			p.note = optarg;
			break;
		case 'a':
			auth = optarg;
			break;
		case 'f':
			p.allow = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			theme_opt = optarg;
			break;
		case 'h':
			sg_cmd_publish_help(stdout);
			return 0;
		default:
			sg_cmd_publish_help(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc || (p.year = parse_year(argv[optind])) == 0) {
		fprintf(stderr, "site-gen publish: expected one YEAR, such as "
		    "2024\n");
		sg_cmd_publish_help(stderr);
		return 2;
	}
	if (p.note == NULL || *p.note == '\0') {
		fprintf(stderr, "site-gen publish: expected -m NOTE saying what "
		    "this publication is\n");
		return 2;
	}
	if (p.allow && *p.allow == '\0') {
		fprintf(stderr, "site-gen publish: --allow-findings needs a "
		    "reason\n");
		return 2;
	}
	if (auth && sg_publish_parse_author(auth, &name, &email) == -1) {
		fprintf(stderr, "site-gen publish: --author '%s' is not "
		    "\"NAME <EMAIL>\"\n", auth);
		return 2;
	}
	p.name = name;
	p.email = email;
	{
		/* The theme site.yml names, as build uses. */
		struct sg_diag td = {0};
		struct sg_source *src = sg_source_fs_new(".");
		struct sg_site *site = sg_load_site(src, &td);
		tdir = sg_cmd_theme_dir(theme_opt, site->theme, d);
		sg_load_free(site);
		sg_source_free(src);
		sg_diag_clear(&td);
		if (tdir == NULL) {
			rc = 1;
			goto out;
		}
	}
	p.theme_dir = tdir;
	rc = sg_publish_run(&p, d);
	if (p.refused)
		fprintf(stderr, "site-gen publish: nothing was published: the %d "
		    "report has %zu error%s, listed below.  Fix %s and run "
		    "site-gen publish %d again, or publish as it is with "
		    "--allow-findings REASON (the findings and the reason are "
		    "recorded in the tag and on the history page).\n", p.year,
		    p.refused, p.refused == 1 ? "" : "s", p.refused == 1 ? "it" :
		    "them", p.year);
	if (rc != 0)
		goto out;
	if (p.initialised && !g->quiet)
		printf("site-gen: created a git repository here (branch main)\n");
	if (p.nochange) {
		if (!g->quiet)
			printf("site-gen: nothing changed in content/%d/, site.yml "
			    "or themes/ since %s; no commit or tag created\n",
			    p.year, p.tag);
	} else if (!g->quiet) {
		char *sum = published_changes(p.year, p.tag);
		printf("site-gen: published %s on %s (%s commit %.7s)\n", p.tag,
		    p.branch ? p.branch : "HEAD", p.committed ? "new" :
		    "existing", p.commit);
		if (sum)
			printf("  %s\n", sum);
		if (p.findings.n)
			printf("  published with %zu unresolved check errors, "
			    "recorded in the tag with the reason: %s\n",
			    p.findings.n, p.allow);
		free(sum);
	}
	if (p.left.n && !g->quiet) {
		printf("site-gen: left as they are (not part of the %d "
		    "disclosure):\n", p.year);
		for (size_t i = 0; i < p.left.n && i < 20; i++)
			printf("  %s\n", p.left.v[i]);
		if (p.left.n > 20)
			printf("  … and %zu more\n", p.left.n - 20);
	}
	/* The content findings were reported by the check already.  Always a
	 * real build: the publication is the record, and its checks have
	 * just touched public/ anyway (so a skip could never happen). */
	rc = sg_cmd_build_run(g, out, theme_opt, SG_BUILD_FORCE |
	    (p.allow != NULL ? SG_BUILD_KEEP_GOING : 0), &bd);
	for (size_t i = 0; i < bd.n; i++)
		if (bd.v[i].sev == SG_FATAL || (rc != 0 && bd.v[i].sev == SG_ERROR))
			sg_diag_add(d, bd.v[i].sev, bd.v[i].file, bd.v[i].line,
			    bd.v[i].col, "%s", bd.v[i].msg);
	if (rc != 0)
		sg_diag_add(d, SG_WARNING, out, 0, 0, "the publication is "
		    "recorded in git, but the site could not be built; fix the "
		    "problem and run site-gen build");
out:
	sg_diag_clear(&bd);
	sg_publish_clear(&p);
	free(tdir);
	free(name);
	free(email);
	return rc;
}

static void
print_rev(const struct sg_rev *r)
{
	printf("%s  %s  %s <%s>  commit %s\n", r->tag, r->when, r->author,
	    r->email, r->short_id);
	for (const char *s = r->note; *s; ) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		printf("    %.*s\n", len, s);
		s += len + (nl != NULL);
	}
	if (r->allowed)
		printf("    published with %zu unresolved check errors: %s\n",
		    r->findings.n, r->allowed);
	if (r->has_changes) {
		char *sum = sg_changes_summary(&r->changes);
		printf("    changes: %s\n", sum);
		free(sum);
	} else if (r->n == 1)
		printf("    first publication\n");
}

int
sg_cmd_history(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	struct sg_history *h = NULL;
	int year = 0, rc;

	(void)g;
	if ((rc = no_opts(argc, argv, sg_cmd_history_help)) >= 0)
		return rc;
	if (optind < argc && (year = parse_year(argv[optind])) == 0) {
		fprintf(stderr, "site-gen history: '%s' is not a year\n",
		    argv[optind]);
		return 2;
	}
	if (optind + (year != 0) < argc) {
		sg_cmd_history_help(stderr);
		return 2;
	}
	if (sg_history_open(".", &h, d) == -1)
		return 3;
	if (h == NULL) {
		printf("site-gen: no git repository here, so nothing has been "
		    "published with site-gen publish\n");
		return 0;
	}
	if (sg_history_read(h, d) == -1) {
		sg_history_free(h);
		return 3;
	}
	sg_history_load(h, NULL, d);
	size_t shown = 0;
	for (size_t i = h->nrevs; i > 0; i--) {
		const struct sg_rev *r = &h->revs[i - 1];
		if (year && r->year != year)
			continue;
		if (shown++)
			putchar('\n');
		print_rev(r);
	}
	if (shown == 0) {
		if (year)
			printf("site-gen: %d has not been published\n", year);
		else
			printf("site-gen: nothing has been published yet\n");
	}
	sg_history_free(h);
	return 0;
}

int
sg_cmd_diff(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	struct sg_history *h = NULL;
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	struct sg_rev *a = NULL, *b = NULL;
	const struct sg_report *rb = NULL;
	struct sg_changes ch = {0};
	struct sg_diag wd = {0};
	int year, rc;

	(void)g;
	if ((rc = no_opts(argc, argv, sg_cmd_diff_help)) >= 0)
		return rc;
	if (argc - optind < 2 || argc - optind > 3 ||
	    (year = parse_year(argv[optind])) == 0) {
		sg_cmd_diff_help(stderr);
		return 2;
	}
	if (sg_history_open(".", &h, d) == -1)
		return 3;
	if (h == NULL || sg_history_read(h, d) == -1) {
		sg_diag_add(d, SG_ERROR, ".", 0, 0, "no git repository with "
		    "disclosure tags here; expected a site published with "
		    "site-gen publish");
		sg_history_free(h);
		return 1;
	}
	rc = 1;
	for (int i = optind + 1; i < argc; i++) {
		struct sg_rev *r = sg_history_find(h, year, argv[i]);
		size_t n;
		if (r == NULL) {
			struct sg_rev *v = sg_history_year(h, year, &n);
			sg_diag_add(d, SG_ERROR, NULL, 0, 0, "no revision '%s' of "
			    "%d; expected r1 to r%d", argv[i], year,
			    n ? v[n - 1].n : 0);
			goto out;
		}
		if (sg_history_load_rev(h, r, NULL, d) == -1 || r->report == NULL) {
			sg_diag_add(d, SG_ERROR, r->tag, 0, 0, "the tagged tree has "
			    "no content/%d/", year);
			goto out;
		}
		if (i == optind + 1)
			a = r;
		else
			b = r;
	}
	if (b)
		rb = b->report;
	else {
		src = sg_source_fs_new(".");
		site = sg_load_site(src, &wd);
		for (size_t i = 0; i < site->nreports; i++)
			if (site->reports[i].year == year)
				rb = &site->reports[i];
	}
	sg_changes_compute(a->report, rb, &ch);
	/* A working-tree file that changed while it was being compared. */
	if (site && sg_doc_failures(site, d) > 0) {
		sg_changes_clear(&ch);
		rc = 3;
		goto out;
	}
	char *sum = sg_changes_summary(&ch), *text = sg_changes_text(&ch);
	printf("%s → %s: %s\n", a->tag, b ? b->tag : "working tree", sum);
	fputs(text, stdout);
	free(sum);
	free(text);
	sg_changes_clear(&ch);
	rc = 0;
out:
	sg_diag_clear(&wd);
	sg_load_free(site);
	sg_source_free(src);
	sg_history_free(h);
	return rc;
}
