/*
 * The theme's words (words.yml): the built-in file parses, a theme's own
 * words come first and a key it lacks has the built-in word, and a file
 * that is not a map of keys to text is an error naming file:line.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"
#include "helpers.h"
#include "theme.h"
#include "util.h"

TestSuite(words, .timeout = 30);

/* The built-in words.yml, read with libyaml's event parser (not the
 * document loader site-gen uses): every key is the built-in theme's word. */
Test(words, builtin_file_parses_and_every_key_is_a_word)
{
	char *path = sg_xasprintf("%s/themes/default/words.yml", t_root());
	size_t len, keys = 0;
	char *text = t_read(path, &len);
	yaml_parser_t p;
	yaml_event_t e;
	int depth = 0, key = 1, done = 0;
	char *k = NULL;

	cr_assert_not_null(text);
	cr_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done) {
		cr_assert(yaml_parser_parse(&p, &e), "words.yml: %s", p.problem);
		if (e.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (e.type == YAML_SCALAR_EVENT) {
			cr_assert_eq(depth, 1, "a nested value in words.yml");
			const char *s = (const char *)e.data.scalar.value;
			if (key) {
				k = sg_xstrdup(s);
			} else {
				char *w = sg_theme_word(sg_theme_builtin(), k,
				    NULL);
				/* {names} stay when no value is given. */
				cr_assert_str_eq(w, s, "key %s", k);
				free(w);
				free(k);
				keys++;
			}
			key = !key;
		} else if (e.type == YAML_STREAM_END_EVENT)
			done = 1;
		else
			cr_assert(e.type != YAML_SEQUENCE_START_EVENT);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	cr_assert_gt(keys, 50);
	free(text);
	free(path);
}

/* {name}s are filled, other braces kept; a key no theme has is itself. */
Test(words, placeholders_are_filled)
{
	const struct sg_theme *b = sg_theme_builtin();
	char *w;

	w = sg_theme_word(b, "indicators_title", "year", SG_WORD_NUM(2024),
	    NULL);
	cr_assert_str_eq(w, "2024 年度附表");
	free(w);
	w = sg_theme_word(NULL, "case_title", "n", "3", "title", "{x} 实训",
	    NULL);
	cr_assert_str_eq(w, "案例 3 {x} 实训");
	free(w);
	w = sg_theme_word(b, "case_title", "n", "3", NULL);
	cr_assert_str_eq(w, "案例 3 {title}");
	free(w);
	w = sg_theme_word(b, "no_such_word", NULL);
	cr_assert_str_eq(w, "no_such_word");
	free(w);
}

/* A theme's own word comes first; a key it lacks has the built-in one. */
Test(words, missing_key_falls_back_to_the_builtin_word)
{
	struct sg_theme *t = sg_theme_new("");
	struct sg_diag d = {0};
	const char *yml = "crumb_home: Home\n"
	    "indicators_title: \"Appendix tables {year}\"\n";
	char *w;

	cr_assert_eq(sg_theme_add_words(t, yml, strlen(yml), &d), 0);
	cr_assert_eq(d.n, 0);
	w = sg_theme_word(t, "crumb_home", NULL);
	cr_assert_str_eq(w, "Home");
	free(w);
	w = sg_theme_word(t, "indicators_title", "year", "2024", NULL);
	cr_assert_str_eq(w, "Appendix tables 2024");
	free(w);
	w = sg_theme_word(t, "trends_title", NULL);
	cr_assert_str_eq(w, "历年指标趋势");
	free(w);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* A theme folder's words.yml is loaded with it, the built-in words for
 * the keys it leaves out. */
Test(words, theme_folder_words_load_with_fallback)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_theme *t;
	char *w;

	t_write(dir, "layout.html", "<!DOCTYPE html><html><body><main "
	    "data-sg-slot=\"main\"></main></body></html>\n");
	t_write(dir, "words.yml", "# a few\nsearch_title: \"Search\"\n");
	t = sg_theme_load(dir, &d);
	cr_assert_not_null(t);
	w = sg_theme_word(t, "search_title", NULL);
	cr_assert_str_eq(w, "Search");
	free(w);
	w = sg_theme_word(t, "ledger_title", NULL);
	cr_assert_str_eq(w, "发布与修订记录");
	free(w);
	sg_theme_free(t);
	sg_diag_clear(&d);
	sg_rm_rf(dir);
	free(dir);
}

static void
assert_bad(const char *yml, int line)
{
	char *dir = t_tmpdir(), *file = sg_xasprintf("%s/words.yml", dir);
	struct sg_diag d = {0};

	t_write(dir, "layout.html", "<!DOCTYPE html><html><body><main "
	    "data-sg-slot=\"main\"></main></body></html>\n");
	t_write(dir, "words.yml", yml);
	cr_assert_null(sg_theme_load(dir, &d));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.v[0].file, file);
	cr_assert_eq(d.v[0].line, line, "line %d, expected %d: %s",
	    d.v[0].line, line, d.v[0].msg);
	cr_assert_eq(d.v[0].sev, SG_ERROR);
	sg_diag_clear(&d);
	sg_rm_rf(dir);
	free(file);
	free(dir);
}

/* Not a map of keys to text: an error naming words.yml and the line. */
Test(words, malformed_words_are_an_error_at_file_line)
{
	assert_bad("crumb_home: Home\ncases_title: [案例, 个案]\n", 2);
	assert_bad("crumb_home: Home\n\ncases_title: \"案例\n", 3);
	assert_bad("crumb_home: Home\nsearch_title:\n  zh: 搜索\n", 3);
	assert_bad("crumb_home: Home\ncrumb_home: 首页\n", 2);
	assert_bad("- 首页\n", 1);
}
