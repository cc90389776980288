/*
 * tjson: a small JSON reader for tests that check what site-gen writes as
 * JSON (the search index).  Strict enough to reject what a browser's
 * JSON.parse would: trailing commas, bare words, unescaped control
 * characters.  \u escapes become UTF-8 (surrogate pairs joined).
 */
#ifndef SG_TEST_TJSON_H
#define SG_TEST_TJSON_H

#include <stddef.h>

enum tj_type { TJ_NULL, TJ_BOOL, TJ_NUM, TJ_STR, TJ_ARR, TJ_OBJ };

struct tj {
	enum tj_type	 t;
	double		 num;	/* TJ_NUM, TJ_BOOL (0 or 1) */
	char		*str;	/* TJ_STR */
	struct tj	*v;	/* TJ_ARR, TJ_OBJ: n values */
	char		**keys;	/* TJ_OBJ: n keys */
	size_t		 n;
};

/* Parses a whole document; NULL if it is not JSON.  Free with tj_free. */
struct tj *tj_parse(const char *s, size_t len);
void tj_free(struct tj *j);
/* The value of key in an object, or NULL. */
const struct tj *tj_get(const struct tj *obj, const char *key);

#endif
