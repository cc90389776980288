/*
 * cmd_publish: `site-gen publish` — its options and what it says; the
 * commit and tag are publish.c's, the build that follows is build.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "changes.h"
#include "cmd.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "publish.h"
#include "source.h"
#include "theme.h"
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
			if (*optarg == '\0') {
				fprintf(stderr, "site-gen publish: -o needs a folder, "
				    "such as -o public\n");
				return 2;
			}
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
	if (optind + 1 != argc || (p.year = sg_cmd_year(argv[optind])) == 0) {
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
		/* The site must build once published: its theme is there. */
		struct sg_diag td = {0};
		struct sg_source *src = sg_source_fs_new(".");
		struct sg_site *site = sg_load_site(src, &td);
		tdir = site ? sg_theme_find(theme_opt, site->theme, d) : NULL;
		sg_load_free(site);
		sg_source_free(src);
		sg_diag_clear(&td);
		if (tdir == NULL) {
			rc = 1;
			goto out;
		}
	}
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
