/*
 * Every input that once crashed, leaked or hung a fuzz target stays here as
 * a regression test: tests/fuzz/regress/<target>/ replayed through it.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/targets.h"
#include "helpers.h"
#include "util.h"

static void
replay(const char *target, int (*fn)(const uint8_t *, size_t))
{
	char *dir = sg_xasprintf("%s/tests/fuzz/regress/%s", t_root(), target);
	size_t n, len;
	char **files = t_files(dir, &n);

	sg_fuzz_init();
	for (size_t i = 0; i < n; i++) {
		char *p = sg_xasprintf("%s/%s", dir, files[i]);
		char *data = t_read(p, &len);
		cr_assert_not_null(data, "%s", p);
		fn((const uint8_t *)data, len);
		free(data);
		free(p);
	}
	t_free_list(files, n);
	free(dir);
}

Test(fuzz_regress, page, .timeout = 60) { replay("page", sg_fuzz_page); }
Test(fuzz_regress, csv, .timeout = 60) { replay("csv", sg_fuzz_csv); }
Test(fuzz_regress, config, .timeout = 60) { replay("config", sg_fuzz_config); }
Test(fuzz_regress, theme, .timeout = 60) { replay("theme", sg_fuzz_theme); }
Test(fuzz_regress, urls, .timeout = 60) { replay("urls", sg_fuzz_urls); }
Test(fuzz_regress, schema, .timeout = 60) { replay("schema", sg_fuzz_schema); }
Test(fuzz_regress, anchors, .timeout = 60) { replay("anchors", sg_fuzz_anchors); }
