/*
 * End to end: command-line conventions — help for every command on
 * stdout, usage errors on stderr with exit 2, results on stdout and
 * findings on stderr, colour only on a terminal and never with NO_COLOR,
 * -q, and the summary line.
 */
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(cli, .init = t_init, .timeout = 60);

/* Runs site-gen with args in a shell, capturing stdout and stderr. */
static int
run2(const char *args, char **out, char **err)
{
	const char *bin = getenv("SG_BIN");
	char *o = sg_xstrdup("/tmp/sg-out-XXXXXX"), *e = sg_xstrdup("/tmp/sg-err-XXXXXX");
	int st;

	close(mkstemp(o));
	close(mkstemp(e));
	char *cmd = sg_xasprintf("%s %s >%s 2>%s", bin ? bin : "build/site-gen",
	    args, o, e);
	st = system(cmd);
	free(cmd);
	*out = t_read(o, NULL);
	*err = t_read(e, NULL);
	unlink(o);
	unlink(e);
	free(o);
	free(e);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

Test(cli, help_for_every_command)
{
	static const char *const cmds[] = {"build", "serve", "new"};
	char *out, *err;

	cr_assert_eq(run2("--help", &out, &err), 0);
	for (size_t i = 0; i < 3; i++)
		cr_assert(strstr(out, cmds[i]) != NULL, "--help lacks %s", cmds[i]);
	cr_assert_str_eq(err, "");
	free(out);
	free(err);
	for (size_t i = 0; i < 3; i++) {
		char *a = sg_xasprintf("help %s", cmds[i]);
		char *b = sg_xasprintf("%s --help", cmds[i]);
		char *want = sg_xasprintf("usage: site-gen %s", cmds[i]);
		char *out2, *err2;
		cr_assert_eq(run2(a, &out, &err), 0);
		cr_assert(strncmp(out, want, strlen(want)) == 0, "%s: %s", a, out);
		cr_assert_eq(run2(b, &out2, &err2), 0);
		cr_assert_str_eq(out, out2);
		free(out);
		free(err);
		free(out2);
		free(err2);
		free(a);
		free(b);
		free(want);
	}
	cr_assert_eq(run2("help nothing", &out, &err), 2);
	cr_assert_str_eq(out, "");
	cr_assert(strstr(err, "no command 'nothing'") != NULL);
	free(out);
	free(err);
	cr_assert_eq(run2("--version", &out, &err), 0);
	cr_assert(strncmp(out, "site-gen ", 9) == 0);
	free(out);
	free(err);
	cr_assert_eq(run2("", &out, &err), 2);
	cr_assert_str_eq(out, "");
	cr_assert(strstr(err, "usage:") != NULL);
	free(out);
	free(err);
}

Test(cli, results_on_stdout_findings_on_stderr)
{
	char *site = t_copy_example();
	char *a = sg_xasprintf("-C '%s' build", site), *out, *err;

	cr_assert_eq(run2(a, &out, &err), 0);
	/* One summary line: pages, files, written/unchanged, warnings, time. */
	int pages, files, written, kept, warns;
	cr_assert_eq(sscanf(out, "site-gen: %d pages and %d files in public: %d "
	    "written, %d unchanged; %d warnings; ", &pages, &files, &written,
	    &kept, &warns), 5, "%s", out);
	cr_assert_geq(written, pages + files, "%s", out);
	cr_assert_eq(kept, 0);
	cr_assert_gt(pages, 30);
	/* The example's 51 lost photos, one warning each, and the 42 problems
	 * check finds in the published report (tests/e2e/check_test.c). */
	cr_assert_eq(warns, 93, "%s", out);
	cr_assert(sg_has_suffix(out, " s\n"));
	cr_assert_eq(strchr(out, '\n') + 1, out + strlen(out),
	    "more than one line: %s", out);
	cr_assert(strstr(err, "warning: missing image") != NULL);
	/* The findings' count, which -q leaves out (below). */
	cr_assert(strstr(err, "site-gen: 0 errors, 93 warnings in "), "%s",
	    err);
	/* Not a terminal: no colour, no progress line. */
	cr_assert_null(strchr(err, '\033'));
	cr_assert_null(strchr(err, '\r'));
	free(out);
	free(err);
	free(a);

	a = sg_xasprintf("-q -C '%s' build", site);
	cr_assert_eq(run2(a, &out, &err), 0);
	cr_assert_str_eq(out, "");
	cr_assert(strstr(err, "warning: missing image") != NULL);
	cr_assert(strstr(err, " warnings in ") == NULL, "-q printed the count");
	free(out);
	free(err);
	free(a);
	sg_rm_rf(site);
	free(site);
}

/* Runs site-gen with args and redirections (shell syntax) as given;
 * returns its exit status. */
static int
run_sh(const char *args)
{
	const char *bin = getenv("SG_BIN");
	char *cmd = sg_xasprintf("%s %s", bin ? bin : "build/site-gen", args);
	int st = system(cmd);

	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Results or findings that cannot be written (a full disk) are an I/O
 * failure, exit 3, never a success nobody saw. */
Test(cli, a_write_error_on_stdout_or_stderr_exits_3)
{
	char *e = sg_xstrdup("/tmp/sg-err-XXXXXX"), *a, *err;
	int rc;

	close(mkstemp(e));
	a = sg_xasprintf("-C '%s' check --format json >/dev/full 2>%s",
	    t_root(), e);
	rc = run_sh(a);
	cr_assert_eq(rc, 3, "exit %d", rc);
	err = t_read(e, NULL);
	cr_assert(strstr(err, "site-gen: cannot write to standard output: No "
	    "space left on device\n"), "%s", err);
	free(err);
	free(a);
	/* The same report to a file that takes it: 1, for the example's
	 * content errors. */
	a = sg_xasprintf("-C '%s' check --format json >%s 2>/dev/null",
	    t_root(), e);
	cr_assert_eq(run_sh(a), 1);
	free(a);
	cr_assert_eq(run_sh("--version >/dev/full 2>/dev/null"), 3);
	cr_assert_eq(run_sh("help build >/dev/full 2>/dev/null"), 3);
	cr_assert_eq(run_sh("--version >/dev/null 2>/dev/null"), 0);
	/* Findings to a full stderr. */
	a = sg_xasprintf("-C '%s' check >/dev/null 2>/dev/full", t_root());
	cr_assert_eq(run_sh(a), 3);
	free(a);
	unlink(e);
	free(e);
}

/* Runs site-gen on a pseudo-terminal with extra environment; returns
 * everything it printed. */
static char *
on_tty(const char *site, const char *env)
{
	const char *bin = getenv("SG_BIN");
	struct sg_buf b = {0};
	int master, st;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		unsetenv("NO_COLOR");
		if (env)
			putenv((char *)env);
		execl(bin ? bin : "build/site-gen", "site-gen", "-C", site, "build",
		    (char *)NULL);
		_exit(127);
	}
	for (;;) {
		struct pollfd p = {master, POLLIN, 0};
		char buf[4096];
		if (poll(&p, 1, 30000) <= 0)
			break;
		ssize_t n = read(master, buf, sizeof(buf));
		if (n <= 0)
			break;
		sg_buf_add(&b, buf, (size_t)n);
	}
	close(master);
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return sg_buf_take(&b);
}

Test(cli, colour_only_on_a_terminal_without_no_color)
{
	char *site = t_copy_example();
	char *text = on_tty(site, NULL);

	cr_assert(strstr(text, "\033[1;33mwarning") != NULL,
	    "no colour on a terminal");
	free(text);
	text = on_tty(site, "NO_COLOR=1");
	cr_assert(strstr(text, "warning: missing image") != NULL);
	cr_assert_null(strstr(text, "\033["), "colour despite NO_COLOR");
	free(text);
	text = on_tty(site, "NO_COLOR=");
	cr_assert_null(strstr(text, "\033["), "colour despite NO_COLOR=''");
	free(text);
	sg_rm_rf(site);
	free(site);
}
