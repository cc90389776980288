/*
 * frontmatter: splits a content file into its YAML front matter (between
 * '---' lines) and its Markdown body, and checks that the file is UTF-8.
 */
#ifndef SG_FRONTMATTER_H
#define SG_FRONTMATTER_H

#include <stddef.h>

#include "config.h"

struct sg_diag;

struct sg_fm {
	struct sg_yaml	 yaml;		/* empty if the file has none */
	const char	*body;		/* borrowed from the text */
	int		 body_line;	/* file line of body[0] */
};

/*
 * Splits text (len bytes, NUL-terminated) from file.  Returns 0, or -1
 * after adding an error (invalid UTF-8, front matter not closed, malformed
 * YAML).  Clear fm with sg_fm_clear either way.
 */
int sg_fm_parse(struct sg_fm *fm, const char *file, const char *text,
    size_t len, struct sg_diag *d);
void sg_fm_clear(struct sg_fm *fm);

#endif
