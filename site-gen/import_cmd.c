/*
 * import_cmd: the `site-gen import` command — its options, the refusal to
 * touch an existing year, the conversion of .doc/.wps files through
 * LibreOffice when it is installed, and the summary line.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "import.h"
#include "util.h"

extern char **environ;

void
sg_cmd_import_help(FILE *fp)
{
	fputs("usage: site-gen import FILE.docx --year YEAR [-C SITE] [--into DIR]\n"
	    "\n"
	    "Turns a report written in Word or WPS into content/YEAR/ of the site\n"
	    "(the current folder, or SITE): report.yml and index.md from the\n"
	    "cover, 内容真实性责任声明 and 前言; a NN-slug.md file per chapter\n"
	    "(一、二、… headings, by heading style, outline level or typed\n"
	    "numbering); cases/ from 案例 N headings or boxes; tables/ and pipe\n"
	    "tables; the six appendix tables matched to the template's rows in\n"
	    "indicators/; the document's images in images/ with their 图\n"
	    "captions.  The printed 目录 is not copied: the site makes its own.\n"
	    "Whatever cannot be carried over is a warning FILE.docx:¶N (the\n"
	    "paragraph's number), and a summary line ends the run.\n"
	    "\n"
	    "An existing content/YEAR/ is never touched: the import is refused.\n"
	    "A .doc or .wps file is converted to .docx with LibreOffice first\n"
	    "(soffice --headless --convert-to docx) when it is installed.\n"
	    "\n"
	    "  --year YEAR   the report's year (required)\n"
	    "  -C SITE       the site folder (default: the current folder)\n"
	    "  --into DIR    write into DIR instead, which must not exist or be\n"
	    "                empty (to compare with a year already there)\n"
	    "  -h, --help    show this help\n", fp);
}

static int
has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);

	if (n < e)
		return 0;
	for (size_t i = 0; i < e; i++)
		if (tolower((unsigned char)path[n - e + i]) != ext[i])
			return 0;
	return 1;
}

/* The folder holding program name on PATH, or NULL.  Caller frees. */
static char *
on_path(const char *name)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : ""; *p; ) {
		size_t n = strcspn(p, ":");
		char *dir = sg_xstrndup(p, n);
		char *f = sg_path_join(*dir ? dir : ".", name);
		free(dir);
		if (access(f, X_OK) == 0)
			return f;
		free(f);
		p += n + (p[n] == ':');
	}
	return NULL;
}

/*
 * Converts a .doc/.wps file with LibreOffice into a temporary folder.
 * Returns the .docx path (caller frees; *tmpdir set, to remove), or NULL
 * after a finding.
 */
static char *
convert(const char *path, char **tmpdir, struct sg_diag *d)
{
	char *soffice = on_path("soffice");
	char tmpl[] = "/tmp/sg-import-XXXXXX";
	char *out = NULL;
	pid_t pid;
	int status;

	*tmpdir = NULL;
	if (soffice == NULL) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "a .doc or .wps file cannot "
		    "be read directly; expected it saved as .docx (in Word or "
		    "WPS: 另存为 → Word 文档 .docx), or LibreOffice installed "
		    "(Debian: apt-get install libreoffice-writer-nogui) so that "
		    "site-gen converts it");
		return NULL;
	}
	if (mkdtemp(tmpl) == NULL) {
		sg_diag_add(d, SG_FATAL, tmpl, 0, 0, "cannot create: %s",
		    strerror(errno));
		free(soffice);
		return NULL;
	}
	/* Its own profile, so that a running LibreOffice does not take the
	 * job (and nothing of the user's profile is touched). */
	char *profile = sg_xasprintf("-env:UserInstallation=file://%s/profile",
	    tmpl);
	char *argv[] = {soffice, profile, "--headless", "--convert-to", "docx",
	    "--outdir", tmpl, (char *)path, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	int e = posix_spawn(&pid, soffice, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(profile);
	if (e != 0 || waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "LibreOffice (%s) could not "
		    "convert it to .docx; expected a Word or WPS document",
		    soffice);
		goto fail;
	}
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	out = sg_xasprintf("%s/%.*s.docx", tmpl, (int)(dot - base), base);
	if (!sg_is_file(out)) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "LibreOffice (%s) wrote no "
		    ".docx for it; expected a Word or WPS document", soffice);
		free(out);
		out = NULL;
		goto fail;
	}
	*tmpdir = sg_xstrdup(tmpl);
	free(soffice);
	return out;
fail:
	sg_rm_rf(tmpl);
	free(soffice);
	return NULL;
}

int
sg_cmd_import(struct sg_opts *g, int argc, char **argv, struct sg_diag *d)
{
	static const struct option longopts[] = {
		{"year", required_argument, NULL, 'y'},
		{"into", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct sg_import_stats st;
	const char *site = ".", *into = NULL, *ys = NULL;
	char *out = NULL, *docx = NULL, *tmpdir = NULL;
	int c, year, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'y':
			ys = optarg;
			break;
		case 'i':
			into = optarg;
			break;
		case 'C':
			site = optarg;
			break;
		case 'h':
			sg_cmd_import_help(stdout);
			return 0;
		default:
			sg_cmd_import_help(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc || ys == NULL || strlen(ys) != 4 ||
	    strspn(ys, "0123456789") != 4) {
		fprintf(stderr, "site-gen import: expected one FILE.docx and "
		    "--year YEAR with a four-digit YEAR\n");
		sg_cmd_import_help(stderr);
		return 2;
	}
	year = atoi(ys);
	const char *file = argv[optind];
	g->what = "site-gen import";
	if (!sg_is_file(file)) {
		sg_diag_add(d, SG_ERROR, file, 0, 0, "no such file; expected a "
		    ".docx (or .doc/.wps) report");
		return 1;
	}
	if (into)
		out = sg_xstrdup(into);
	else {
		char *ydir = sg_xasprintf("content/%d", year);
		out = strcmp(site, ".") == 0 ? sg_xstrdup(ydir) :
		    sg_path_join(site, ydir);
		free(ydir);
	}
	struct stat sb;
	if (stat(out, &sb) == 0 && (!S_ISDIR(sb.st_mode) || rmdir(out) == -1)) {
		sg_diag_add(d, SG_ERROR, out, 0, 0, "exists%s; import never "
		    "overwrites — expected a year not yet in the site, or --into "
		    "a new folder", into ? " and is not empty" : "");
		rc = 1;
		goto out;
	}
	if (has_ext(file, ".doc") || has_ext(file, ".wps")) {
		if ((docx = convert(file, &tmpdir, d)) == NULL) {
			rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
			goto out;
		}
		if (!g->quiet)
			printf("site-gen: %s converted to .docx with LibreOffice "
			    "(soffice)\n", file);
	}
	if (sg_import_docx(docx ? docx : file, file, site, out, year, &st, d) == -1) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (!g->quiet)
		printf("site-gen import: %s: %d chapters, %d cases, %d figures "
		    "(%d with images), %d tables, %d of %d appendix tables "
		    "matched, %zu findings\n", out, st.chapters, st.cases,
		    st.figures, st.images, st.tables, st.appendix,
		    st.appendix_all, st.findings);
	rc = 0;
out:
	if (tmpdir)
		sg_rm_rf(tmpdir);
	free(tmpdir);
	free(docx);
	free(out);
	return rc;
}
