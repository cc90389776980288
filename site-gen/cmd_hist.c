/*
 * cmd_hist: the history subcommands that read — history and diff.
 * Options and output here; the work is done by history.c and changes.c.
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
	if (optind < argc && (year = sg_cmd_year(argv[optind])) == 0) {
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
	    (year = sg_cmd_year(argv[optind])) == 0) {
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
