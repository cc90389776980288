/*
 * Golden pages: the small site in tests/golden/site, built with the
 * default theme outside any git repository, gives byte for byte the HTML
 * pages kept in tests/golden/expected/.  A change meant to alter pages
 * regenerates them with `make golden`, and the diff shows what changed.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

TestSuite(golden, .init = t_init, .timeout = 60);

/* The .html files of a list from t_files, in order. */
static char **
html_only(char **v, size_t n, size_t *m)
{
	char **w = sg_xcalloc(n + 1, sizeof(*w));

	*m = 0;
	for (size_t i = 0; i < n; i++)
		if (sg_has_suffix(v[i], ".html"))
			w[(*m)++] = v[i];
	return w;
}

Test(golden, fixture_site_pages_are_byte_for_byte_the_golden_ones)
{
	char *tmp = t_tmpdir();
	char *want_dir = sg_xasprintf("%s/tests/golden/expected", t_root());
	char *cmd = sg_xasprintf("cp -R '%s/tests/golden/site' '%s/site'",
	    t_root(), tmp);
	char *args, *err = NULL, *pub;
	size_t nw, ng, mw, mg;
	int rc;

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	args = sg_xasprintf("-C '%s/site' build --theme '%s/themes/default' "
	    "-o '%s/public'", tmp, t_root(), tmp);
	rc = t_run(args, &err);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	pub = sg_xasprintf("%s/public", tmp);

	char **got = t_files(pub, &ng), **want = t_files(want_dir, &nw);
	char **g = html_only(got, ng, &mg), **w = html_only(want, nw, &mw);
	cr_assert_gt(mw, 10, "no golden pages in %s: run make golden",
	    want_dir);
	for (size_t i = 0; i < mg || i < mw; i++) {
		cr_assert(i < mg && i < mw && strcmp(g[i], w[i]) == 0,
		    "pages differ from the golden ones at %s / %s (make golden "
		    "regenerates them)", i < mg ? g[i] : "-", i < mw ? w[i] : "-");
		char *pg = sg_path_join(pub, g[i]), *pw = sg_path_join(want_dir,
		    w[i]);
		size_t lg, lw, at = 0, line = 1;
		char *dg = t_read(pg, &lg), *dw = t_read(pw, &lw);
		while (at < lg && at < lw && dg[at] == dw[at])
			line += dg[at++] == '\n';
		cr_assert(lg == lw && at == lg, "%s differs from the golden page "
		    "from line %zu (byte %zu); make golden regenerates it",
		    g[i], line, at);
		free(dg);
		free(dw);
		free(pg);
		free(pw);
	}
	free(g);
	free(w);
	t_free_list(got, ng);
	t_free_list(want, nw);
	sg_rm_rf(tmp);
	free(pub);
	free(err);
	free(args);
	free(want_dir);
	free(tmp);
}
