/*
 * docx_md: inline Markdown from a paragraph's runs — escaping what
 * Markdown would read as markup, and bold or italic marks placed inside
 * the punctuation at a run's edges, so that CommonMark's flanking rules
 * see emphasis in Chinese text.
 */
#include <ctype.h>
#include <string.h>

#include "docx.h"
#include "docx_int.h"
#include "util.h"

void
sg_docx_md_escape(struct sg_buf *b, const char *s, size_t n, int *line_start)
{
	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		if (strchr("\\`*_[]<>~|&", c) ||
		    (*line_start && strchr("#>-+=", c)))
			sg_buf_putc(b, '\\');
		else if (*line_start && isdigit((unsigned char)c)) {
			size_t e = k;
			while (e < n && isdigit((unsigned char)s[e]))
				e++;
			if (e < n && (s[e] == '.' || s[e] == ')')) {
				sg_buf_add(b, s + k, e - k);
				sg_buf_putc(b, '\\');
				k = e - 1;
				*line_start = 0;
				continue;
			}
		}
		if (c != ' ')
			*line_start = 0;
		sg_buf_putc(b, c);
	}
}

/* Length of the leading run of spaces and punctuation of s[0..n). */
static size_t
lead_punct(const char *s, size_t n)
{
	const char *p = s;

	while ((size_t)(p - s) < n) {
		const char *q = p;
		int cp = sg_utf8_next(&q);
		if (cp < 0 || !(cp == ' ' || sg_is_punct(cp)))
			break;
		p = q;
	}
	return (size_t)(p - s);
}

static size_t
trail_punct(const char *s, size_t n)
{
	size_t keep = 0, k = 0;

	/* Forward scan: the start of the final punctuation run. */
	while (k < n) {
		const char *q = s + k;
		int cp = sg_utf8_next(&q);
		size_t w = cp < 0 ? 1 : (size_t)(q - (s + k));
		if (cp < 0 || !(cp == ' ' || sg_is_punct(cp)))
			keep = k + w;
		k += w;
	}
	return n - keep;
}

void
sg_docx_md_run(struct sg_buf *b, const char *s, size_t n, int bold, int ital,
    int *line_start)
{
	const char *mark = bold && ital ? "***" : bold ? "**" : ital ? "*" : "";
	size_t lead = *mark ? lead_punct(s, n) : 0;
	size_t tail = *mark && lead < n ? trail_punct(s + lead, n - lead) : 0;

	/* Punctuation and spaces at a run's edges go outside the marks, so
	 * that CommonMark's flanking rules see the emphasis in Chinese. */
	sg_docx_md_escape(b, s, lead, line_start);
	if (lead < n) {
		sg_buf_puts(b, mark);
		*line_start = 0;
		sg_docx_md_escape(b, s + lead, n - lead - tail, line_start);
		sg_buf_puts(b, mark);
		sg_docx_md_escape(b, s + n - tail, tail, line_start);
	}
}

/* s without spaces (ASCII or U+3000) at either end, in place. */
char *
sg_docx_trim(char *s)
{
	size_t n = strlen(s), a = 0;

	for (;;) {
		if (n > a && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
			n--;
		else if (n >= a + 3 && memcmp(s + n - 3, "\u3000", 3) == 0)
			n -= 3;
		else
			break;
	}
	for (;;) {
		if (a < n && (s[a] == ' ' || s[a] == '\t'))
			a++;
		else if (a + 3 <= n && memcmp(s + a, "\u3000", 3) == 0)
			a += 3;
		else
			break;
	}
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return s;
}
