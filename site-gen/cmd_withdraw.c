/*
 * cmd_withdraw: `site-gen withdraw` — its options and output; publish.c
 * records the withdrawal, and the build that follows takes the bytes
 * down from every page and file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "publish.h"
#include "util.h"

void
sg_cmd_withdraw_help(FILE *fp)
{
	fputs("usage: site-gen withdraw YEAR rN PATH --reason REASON\n"
	    "                         [--passage TEXT] [--author \"NAME <EMAIL>\"]\n"
	    "                         [-o DIR]\n"
	    "\n"
	    "Takes down published content that must not stay public (personal\n"
	    "data), without rewriting history.  PATH (relative to content/YEAR/,\n"
	    "e.g. tables/aid-2023.csv) is the file as revision rN published it;\n"
	    "with --passage only that text of it.  The withdrawal is recorded as\n"
	    "the annotated tag withdrawal/YEAR/wK on rN, holding the reason and\n"
	    "the SHA-256 of what was withdrawn, never the text itself.  From\n"
	    "then on every revision that published those bytes shows a notice\n"
	    "(已依法撤回：REASON, date) in their place, on every page and in\n"
	    "every download, the search index and the feed; the history pages\n"
	    "and history/ledger.json list the withdrawal.  The site is built.\n"
	    "\n"
	    "  --reason REASON          why it is withdrawn (shown to readers)\n"
	    "  --passage TEXT           withdraw only this text of the file\n"
	    "  --author \"NAME <EMAIL>\"  who withdraws (default: user.name and\n"
	    "                           user.email of the git configuration)\n"
	    "  -o, --output DIR         build into DIR instead of public/\n"
	    "  -h, --help               show this help\n"
	    "\n"
	    "Exit status: 0 withdrawn (or withdrawn before), 1 nothing such was\n"
	    "published, 2 usage (or no author known), 3 repository or I/O.\n",
	    fp);
}

int
sg_cmd_withdraw(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"reason", required_argument, NULL, 'r'},
		{"passage", required_argument, NULL, 'p'},
		{"author", required_argument, NULL, 'a'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_withdraw w = {0};
	const char *auth = NULL, *out = "public";
	char *name = NULL, *email = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			w.reason = optarg;
			break;
		case 'p':
			w.passage = optarg;
			break;
		case 'a':
			auth = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			sg_cmd_withdraw_help(stdout);
			return 0;
		default:
			sg_cmd_withdraw_help(stderr);
			return 2;
		}
	}
	if (optind + 3 != argc || strlen(argv[optind]) != 4 ||
	    strspn(argv[optind], "0123456789") != 4) {
		fputs("site-gen withdraw: expected YEAR rN PATH, such as 2024 r1 "
		    "tables/aid-2023.csv\n", stderr);
		sg_cmd_withdraw_help(stderr);
		return 2;
	}
	if (w.reason == NULL || *w.reason == '\0') {
		fputs("site-gen withdraw: expected --reason saying why, for the "
		    "notice readers see\n", stderr);
		return 2;
	}
	if (w.passage && strchr(w.passage, '\n')) {
		fputs("site-gen withdraw: --passage is text of one line; withdraw "
		    "each line, or the whole file\n", stderr);
		return 2;
	}
	if (auth && sg_publish_parse_author(auth, &name, &email) == -1) {
		fprintf(stderr, "site-gen withdraw: --author '%s' is not "
		    "\"NAME <EMAIL>\"\n", auth);
		return 2;
	}
	w.year = atoi(argv[optind]);
	w.rev = argv[optind + 1];
	w.path = argv[optind + 2];
	w.name = name;
	w.email = email;
	rc = sg_withdraw_run(&w, d);
	if (rc == 0 && !g->quiet) {
		if (w.already)
			printf("site-gen: already withdrawn by %s; nothing "
			    "created\n", w.tag);
		else
			printf("site-gen: withdrew %s (SHA-256 %s) from %d: %d "
			    "revision%s published it; recorded as %s\n",
			    w.passage ? "the passage" : w.path, w.sha256, w.year,
			    w.revs, w.revs == 1 ? "" : "s", w.tag);
	}
	if (rc == 0)
		rc = sg_cmd_build_run(g, out, NULL, SG_BUILD_FORCE |
		    SG_BUILD_KEEP_GOING, d);
	sg_withdraw_clear(&w);
	free(name);
	free(email);
	return rc;
}
