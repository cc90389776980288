/*
 * frontmatter: YAML front matter is split here by hand: handed the whole
 * file, libyaml would read the Markdown body as a second document.
 */
#include <string.h>

#include "diag.h"
#include "frontmatter.h"
#include "util.h"

/* 1 if the line at s (up to '\n' or NUL) is exactly the marker. */
static int
is_marker(const char *s, const char *marker)
{
	size_t n = strlen(marker);

	if (strncmp(s, marker, n) != 0)
		return 0;
	s += n;
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return *s == '\n' || *s == '\0';
}

int
sg_fm_parse(struct sg_fm *fm, const char *file, const char *text, size_t len,
    struct sg_diag *d)
{
	const char *s, *yaml;
	int bad, line;

	memset(fm, 0, sizeof(*fm));
	fm->body = text;
	fm->body_line = 1;
	if ((bad = sg_utf8_check(text, len)) != 0) {
		sg_diag_add(d, SG_ERROR, file, bad, 0, "invalid UTF-8 (or a NUL "
		    "byte); expected the file saved as UTF-8 text");
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	fm->body = text;
	if (!is_marker(text, "---"))
		return 0;
	s = strchr(text, '\n');
	if (s == NULL) {
		sg_diag_add(d, SG_ERROR, file, 1, 1, "front matter opened with "
		    "'---' is not closed; expected a line '---' after it");
		return -1;
	}
	yaml = ++s;
	line = 2;
	for (;;) {
		if (*s == '\0') {
			sg_diag_add(d, SG_ERROR, file, 1, 1, "front matter opened "
			    "with '---' is not closed; expected a line '---' "
			    "after the 'key: value' lines");
			return -1;
		}
		if (is_marker(s, "---") || is_marker(s, "..."))
			break;
		const char *nl = strchr(s, '\n');
		if (nl == NULL) {
			s += strlen(s);
			continue;
		}
		s = nl + 1;
		line++;
	}
	if (sg_config_parse(&fm->yaml, file, 1, yaml, (size_t)(s - yaml),
	    d) == -1)
		return -1;
	const char *nl = strchr(s, '\n');
	fm->body = nl ? nl + 1 : s + strlen(s);
	fm->body_line = line + 1;
	return 0;
}

void
sg_fm_clear(struct sg_fm *fm)
{
	sg_config_clear(&fm->yaml);
}
