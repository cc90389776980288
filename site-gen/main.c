/*
 * main: global options, the table of subcommands, and the one place that
 * prints findings and turns the result into an exit status:
 * 0 ok, 1 content errors, 2 usage, 3 I/O or internal failure.
 */
#include <git2.h>
#include <libxml/parser.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "markdown.h"

#ifndef SG_VERSION
#define SG_VERSION "0.1.0"
#endif

/* The subcommands: name, function, --help text, one-line summary. */
static const struct command {
	const char	*name;
	int		(*run)(struct sg_opts *, int, char **, struct sg_diag *);
	void		(*help)(FILE *);
	const char	*summary;
} commands[] = {
	{"build", sg_cmd_build, sg_cmd_build_help, "render content/ into public/"},
	{"check", sg_cmd_check, sg_cmd_check_help,
	    "check content/ as a reviewer would (YEAR: one year)"},
	{"pdf", sg_cmd_pdf, sg_cmd_pdf_help, "typeset a year's report as a PDF"},
	{"serve", sg_cmd_serve, sg_cmd_serve_help,
	    "preview on 127.0.0.1, rebuilding and reloading on save"},
	{"new", sg_cmd_new, sg_cmd_new_help,
	    "start a site, a year's report or a case"},
	{"publish", sg_cmd_publish, sg_cmd_publish_help,
	    "check, commit and tag a year's report (disclosure/YEAR/rN)"},
	{"history", sg_cmd_history, sg_cmd_history_help,
	    "list the published revisions"},
	{"diff", sg_cmd_diff, sg_cmd_diff_help,
	    "what changed between two revisions"},
	{"withdraw", sg_cmd_withdraw, sg_cmd_withdraw_help,
	    "take published personal data down, keeping the record"},
	{"theme", sg_cmd_theme, sg_cmd_theme_help,
	    "write the built-in theme out to change it"},
	{"import", sg_cmd_import, sg_cmd_import_help,
	    "a Word report (.docx) as a new year's content"},
	{NULL, NULL, NULL, NULL}
};

static const struct command *
find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void
usage(FILE *fp)
{
	fputs("usage: site-gen [-C DIR] [-q] [-v] COMMAND [ARGS]\n"
	    "\n"
	    "Publishes a school's annual quality reports (教育质量年度报告) as a\n"
	    "static website.\n"
	    "\n"
	    "Commands:\n", fp);
	for (const struct command *c = commands; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fputs("  help CMD   show help for a command\n"
	    "\n"
	    "Options:\n"
	    "  -C DIR     run in the site directory DIR\n"
	    "  -q         print only findings\n"
	    "  -v         also print notes\n"
	    "  --version  print the version\n"
	    "  -h, --help show this help\n"
	    "\n"
	    "Exit status: 0 ok, 1 content errors, 2 usage, 3 I/O or internal.\n",
	    fp);
}

/* Closes fp: -1 if any write to it failed (errno set when known), 0 if
 * all reached it. */
static int
close_stream(FILE *fp)
{
	int had_error = ferror(fp), nothing = __fpending(fp) == 0;

	errno = 0;
	if (fclose(fp) != 0) {
		/* Already closed by whoever started us, with nothing to say. */
		if (errno == EBADF && nothing && !had_error)
			return 0;
		return -1;
	}
	return had_error ? -1 : 0;
}

/*
 * At exit, whichever way main returns: results or findings that did not
 * reach their reader (a full disk, a closed pipe) are an I/O failure,
 * exit 3, as gnulib's close_stdout does.
 */
static void
close_std(void)
{
	if (close_stream(stdout) == -1) {
		if (errno)
			fprintf(stderr, "site-gen: cannot write to standard "
			    "output: %s\n", strerror(errno));
		else
			fputs("site-gen: cannot write to standard output\n",
			    stderr);
		_exit(3);
	}
	if (close_stream(stderr) == -1)
		_exit(3);
}

int
main(int argc, char **argv)
{
	struct sg_opts g = {0};
	struct sg_diag d = {0};
	int i, rc;

	atexit(close_std);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-C") == 0 && i + 1 < argc)
			g.dir = argv[++i];
		else if (strncmp(a, "-C", 2) == 0 && a[2])
			g.dir = a + 2;
		else if (strcmp(a, "-q") == 0)
			g.quiet = 1;
		else if (strcmp(a, "-v") == 0)
			g.verbose = 1;
		else if (strcmp(a, "--version") == 0) {
			printf("site-gen %s\n", SG_VERSION);
			return 0;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "site-gen: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (g.dir && chdir(g.dir) == -1) {
		fprintf(stderr, "site-gen: cannot enter %s: ", g.dir);
		perror(NULL);
		return 3;
	}
	/* no-color.org: any value of NO_COLOR, even empty, turns colour off. */
	g.colour = isatty(STDERR_FILENO) && getenv("NO_COLOR") == NULL;

	if (strcmp(argv[i], "help") == 0) {
		const struct command *c = i + 1 < argc ?
		    find_command(argv[i + 1]) : NULL;
		if (c)
			c->help(stdout);
		else if (i + 1 < argc) {
			fprintf(stderr, "site-gen: no command '%s'\n", argv[i + 1]);
			return 2;
		} else
			usage(stdout);
		return 0;
	}

	/* Libraries keep global state: initialise once, before any thread. */
	xmlInitParser();
	git_libgit2_init();
	sg_md_init();

	const struct command *cmd = find_command(argv[i]);
	if (cmd)
		rc = cmd->run(&g, argc - i, argv + i, &d);
	else {
		fprintf(stderr, "site-gen: unknown command '%s'\n", argv[i]);
		usage(stderr);
		rc = 2;
	}

	sg_diag_sort(&d);
	if (!g.verbose) {
		size_t w = 0;
		for (size_t k = 0; k < d.n; k++) {
			if (d.v[k].sev == SG_NOTE) {
				free(d.v[k].file);
				free(d.v[k].msg);
				continue;
			}
			d.v[w++] = d.v[k];
		}
		d.n = w;
	}
	/* Grouped per file with a summary line; JSON on stdout if asked. */
	if (g.json)
		sg_diag_print_json(&d, stdout);
	else if (d.n && !g.quiet)
		sg_diag_print_grouped(&d, stderr, g.colour, g.what ? g.what :
		    "site-gen");
	else if (g.what && !g.quiet && rc != 2)
		sg_diag_print_grouped(&d, stderr, g.colour, g.what);
	else
		sg_diag_print(&d, stderr, g.colour);
	sg_diag_clear(&d);
	sg_md_shutdown();
	git_libgit2_shutdown();
	xmlCleanupParser();
	return rc;
}
