/*
 * privacy: personal data in text.  A line is decoded into code points
 * (full-width digits folded to ASCII), then digit runs are tested as ID
 * numbers and mobile numbers, and address-shaped words as email.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "privacy.h"
#include "util.h"

/*
 * Full-width ASCII folded as everywhere (sg_utf8_narrow: ０–９ → '0'–'9',
 * Ｘ → 'X', － → '-', ． → '.').  The other spaces, hyphens and dots
 * that Word, WPS and web pages put between digit groups (an ideographic
 * space U+3000, a no-break space, en dashes, a full-width full stop …)
 * → ' ', '-' and '.', so that 138　1234　5678 reads as 138 1234 5678.
 */
static int
fold(int cp)
{
	cp = sg_utf8_narrow(cp);
	if (cp == '\t' || cp == 0xA0 || cp == 0x3000 || cp == 0x202F ||
	    cp == 0x205F || (cp >= 0x2000 && cp <= 0x200A))
		return ' ';
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
		return '-';
	if (cp == 0xB7 || cp == 0x30FB || cp == 0xFF65)
		return '.';
	return cp;
}

/* Characters that show nothing (zero-width space and joiners, a soft
 * hyphen, a BOM): a number split by them still reads as one. */
static int
invisible(int cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
	    cp == 0xFEFF || cp == 0xAD;
}

/*
 * The code point of the HTML character reference at s (&#49; &#x31;
 * &nbsp; …), which Markdown shows as that character; its length in *len.
 * -1 if s does not start one.
 */
static int
entity(const char *s, size_t avail, size_t *len)
{
	static const struct {
		const char	*name;
		int		 cp;
	} named[] = {
		{"&nbsp;", 0xA0}, {"&ensp;", 0x2002}, {"&emsp;", 0x2003},
		{"&thinsp;", 0x2009}, {"&zwnj;", 0x200C}, {"&zwj;", 0x200D},
		{"&shy;", 0xAD}, {"&hyphen;", 0x2010}, {"&dash;", 0x2010},
		{"&ndash;", 0x2013}, {"&minus;", 0x2212}, {"&period;", '.'},
		{"&middot;", 0xB7},
	};
	size_t i = 2;
	long v = 0;
	int hex;

	for (size_t k = 0; k < sizeof(named) / sizeof(*named); k++) {
		size_t n = strlen(named[k].name);
		if (n <= avail && strncmp(s, named[k].name, n) == 0) {
			*len = n;
			return named[k].cp;
		}
	}
	if (avail < 4 || s[0] != '&' || s[1] != '#')
		return -1;
	hex = s[2] == 'x' || s[2] == 'X';
	if (hex)
		i++;
	size_t first = i;
	for (; i < avail && i - first < 7; i++) {
		int c = (unsigned char)s[i];
		if (isdigit(c))
			v = v * (hex ? 16 : 10) + (c - '0');
		else if (hex && isxdigit(c))
			v = v * 16 + (tolower(c) - 'a' + 10);
		else
			break;
	}
	if (i == first || i >= avail || s[i] != ';' || v <= 0 || v > 0x10FFFF)
		return -1;
	*len = i + 1;
	return (int)v;
}

static int
is_digit(int cp)
{
	return cp >= '0' && cp <= '9';
}

static int
is_alnum(int cp)
{
	return cp < 0x80 && isalnum(cp);
}

int
sg_privacy_idcard_ok(const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
	    4, 2};
	static const char check[] = "10X98765432";
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};
	int sum = 0, y, m, d;

	for (int i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)s[i]))
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	if (s[0] < '1' || s[0] > '8')
		return 0;
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
	    (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y < 1800 || y > 2099 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return toupper((unsigned char)s[17]) == check[sum % 11];
}

char *
sg_privacy_norm(const char *s)
{
	struct sg_buf b = {0};

	sg_buf_puts(&b, "");
	if (strchr(s, '@')) {
		for (; *s; s++)
			if (!isspace((unsigned char)*s))
				sg_buf_putc(&b, (char)tolower((unsigned char)*s));
		return sg_buf_take(&b);
	}
	while (*s) {
		int cp = sg_utf8_next(&s);
		if (cp < 0) {
			s++;
			continue;
		}
		cp = fold(cp);
		if (is_digit(cp) || cp == 'X' || cp == 'x')
			sg_buf_putc(&b, (char)toupper(cp));
	}
	return sg_buf_take(&b);
}

struct line {
	int	*cp;	/* folded code points */
	size_t	*off;	/* byte offset of each in the line */
	size_t	 n;
	size_t	 len;	/* bytes of the line */
};

struct scan {
	struct sg_privacy_hit	*v;
	size_t			 n;
	int			 line;
};

static void
add(struct scan *sc, enum sg_privacy_kind k, size_t col, char *value,
    char *masked)
{
	struct sg_privacy_hit *h;

	sc->v = sg_xrealloc(sc->v, (sc->n + 1) * sizeof(*sc->v));
	h = &sc->v[sc->n++];
	h->kind = k;
	h->line = sc->line;
	h->col = (int)col + 1;
	h->value = value;
	h->masked = masked;
}

/* The digits of cp[a..b) (separators skipped). */
static char *
digits(const struct line *l, size_t a, size_t b)
{
	struct sg_buf s = {0};

	sg_buf_puts(&s, "");
	for (size_t i = a; i < b; i++)
		if (is_digit(l->cp[i]) || l->cp[i] == 'X' || l->cp[i] == 'x')
			sg_buf_putc(&s, (char)toupper(l->cp[i]));
	return sg_buf_take(&s);
}

static char *
mask(const char *v, size_t keep_head, size_t keep_tail)
{
	size_t n = strlen(v);
	char *m = sg_xstrdup(v);

	for (size_t i = keep_head; i + keep_tail < n; i++)
		m[i] = '*';
	return m;
}

static size_t
run_end(const struct line *l, size_t i)
{
	while (i < l->n && is_digit(l->cp[i]))
		i++;
	return i;
}

static int
mobile_prefix(const struct line *l, size_t i)
{
	return l->cp[i] == '1' && i + 1 < l->n && l->cp[i + 1] >= '3' &&
	    l->cp[i + 1] <= '9';
}

/* The end of a run of one to two separators (' ', '-', '.') at i that
 * a digit follows, or 0. */
static size_t
sep_end(const struct line *l, size_t i)
{
	size_t e = i;

	while (e < l->n && e - i < 2 && (l->cp[e] == ' ' || l->cp[e] == '-' ||
	    l->cp[e] == '.'))
		e++;
	return e > i && e < l->n && is_digit(l->cp[e]) ? e : 0;
}

/*
 * A number written in groups from i: a mobile number 138 1234 5678,
 * 138-1234-5678, 138.1234.5678 or 138 12345678, or an ID number
 * 110105 19491231 002X or 110105 1949 1231 002X (six digits first).
 * Returns the end (*kind set), or 0.
 */
static size_t
grouped(const struct line *l, size_t i, enum sg_privacy_kind *kind)
{
	size_t g[6], ng = 0, total = 0, e = i, s;
	int x = 0;

	for (;;) {
		size_t end = run_end(l, e);
		g[ng++] = end - e;
		total += end - e;
		e = end;
		if (total >= 17 && e < l->n && (l->cp[e] == 'X' ||
		    l->cp[e] == 'x')) {
			x = 1;
			e++;
			break;
		}
		if (ng == 6 || total > 18 || (s = sep_end(l, e)) == 0)
			break;
		e = s;
	}
	if (ng < 2 || (e < l->n && is_alnum(l->cp[e])))
		return 0;
	if (g[0] == 6 && total + (size_t)x == 18) {
		char *v = digits(l, i, e);
		int ok = sg_privacy_idcard_ok(v);
		free(v);
		if (ok) {
			*kind = SG_PRIVACY_IDCARD;
			return e;
		}
	}
	if (!x && total == 11 && mobile_prefix(l, i) && g[0] == 3 &&
	    ((ng == 3 && g[1] == 4) || (ng == 2 && g[1] == 8))) {
		*kind = SG_PRIVACY_MOBILE;
		return e;
	}
	return 0;
}

static int
local_char(int cp)
{
	return is_alnum(cp) || cp == '.' || cp == '_' || cp == '%' ||
	    cp == '+' || cp == '-';
}

/* An address around the '@' at i: [a, b).  Returns 1 if it is one. */
static int
email_at(const struct line *l, size_t i, size_t *a, size_t *b)
{
	size_t s = i, e = i + 1, dots = 0, last_dot = 0;

	while (s > 0 && local_char(l->cp[s - 1]))
		s--;
	while (s < i && l->cp[s] == '.')
		s++;
	if (s == i)
		return 0;
	while (e < l->n && (is_alnum(l->cp[e]) || l->cp[e] == '-' ||
	    l->cp[e] == '.')) {
		if (l->cp[e] == '.') {
			dots++;
			last_dot = e;
		}
		e++;
	}
	while (e > i + 1 && l->cp[e - 1] == '.') {
		e--;
		dots--;
		last_dot = 0;
		for (size_t k = i + 1; k < e; k++)
			if (l->cp[k] == '.')
				last_dot = k;
	}
	if (dots == 0 || last_dot == 0 || e - last_dot < 3)
		return 0;
	for (size_t k = last_dot + 1; k < e; k++)
		if (!(l->cp[k] < 0x80 && isalpha(l->cp[k])))
			return 0;
	*a = s;
	*b = e;
	return 1;
}

static void
scan_line(struct scan *sc, const struct line *l, const char *text)
{
	size_t i = 0;

	while (i < l->n) {
		size_t a, b;
		if (l->cp[i] == '@' && email_at(l, i, &a, &b)) {
			char *v = sg_xstrndup(text + l->off[a], (b < l->n ?
			    l->off[b] : l->len) - l->off[a]);
			char *nv = sg_privacy_norm(v);
			char *at = strchr(nv, '@');
			char *m = sg_xasprintf("%c***%s", nv[0], at);
			add(sc, SG_PRIVACY_EMAIL, l->off[a], nv, m);
			free(v);
			i = b;
			continue;
		}
		if (!is_digit(l->cp[i]) || (i > 0 && (is_alnum(l->cp[i - 1]) ||
		    l->cp[i - 1] == '.'))) {
			i++;
			continue;
		}
		enum sg_privacy_kind gk;
		size_t g = grouped(l, i, &gk);
		if (g != 0) {
			char *v = digits(l, i, g);
			add(sc, gk, l->off[i], v, gk == SG_PRIVACY_IDCARD ?
			    mask(v, 4, 4) : mask(v, 3, 4));
			i = g;
			continue;
		}
		size_t e = run_end(l, i), len = e - i;
		int after = e < l->n ? l->cp[e] : 0;
		if (len == 17 && (after == 'X' || after == 'x') &&
		    !(e + 1 < l->n && is_alnum(l->cp[e + 1]))) {
			e++;
			len++;
		}
		after = e < l->n ? l->cp[e] : 0;
		if (is_alnum(after) || (after == '.' && e + 1 < l->n &&
		    is_digit(l->cp[e + 1]))) {
			i = e;
			continue;
		}
		/* Only runs of 11, 13 or 18 digits are read as one number:
		 * most runs are years and counts. */
		char *v = len == 11 || len == 13 || len == 18 ?
		    digits(l, i, e) : NULL;
		if (len == 18 && sg_privacy_idcard_ok(v)) {
			add(sc, SG_PRIVACY_IDCARD, l->off[i], v, mask(v, 4, 4));
		} else if (len == 11 && mobile_prefix(l, i)) {
			add(sc, SG_PRIVACY_MOBILE, l->off[i], v, mask(v, 3, 4));
		} else if (len == 13 && v[0] == '8' && v[1] == '6' &&
		    mobile_prefix(l, i + 2)) {
			char *m = sg_xstrdup(v + 2);
			free(v);
			add(sc, SG_PRIVACY_MOBILE, l->off[i], m, mask(m, 3, 4));
		} else
			free(v);
		i = e;
	}
}

/* What the scans see of a character no identifier is made of: Chinese,
 * punctuation, any other non-ASCII.  A run of them is one such entry, as
 * the scans only ask whether a neighbour is a digit, a letter or a sign. */
#define OTHER	0xFFFD

/*
 * The line at start (len bytes) as folded code points with their byte
 * offsets into l, character references read as the character they show,
 * invisible characters left out and each run of other characters one
 * OTHER; l's arrays grow (cap) as needed.  Returns 1 if the line has an
 * '@' or a digit (full-width ０–９ too): every finding starts at one.
 */
static int
decode(const char *start, size_t len, struct line *l, size_t *cap)
{
	const unsigned char *s = (const unsigned char *)start, *q = s;
	const unsigned char *end = s + len;
	int worth = 0;

	while (q < end) {
		const unsigned char *c = q;
		int cp;
		if (*q >= 0xE4 && *q <= 0xEC && (q[1] & 0xC0) == 0x80 &&
		    (q[2] & 0xC0) == 0x80) {
			/* U+4000–U+CFFF, most of a Chinese text: no sign
			 * folds from there. */
			q += 3;
			cp = OTHER;
		} else if (*q < 0x80 && *q != '&') {
			cp = *q++;
			worth |= cp == '@' || is_digit(cp);
			if (cp == '\t')
				cp = ' ';
		} else {
			size_t elen;
			const char *p = (const char *)q;
			cp = *q == '&' ? entity(p, (size_t)(end - q), &elen) : -1;
			if (cp >= 0) {
				q += elen;
				for (const unsigned char *k = c; k < q; k++)
					worth |= is_digit(*k);
			} else if ((cp = sg_utf8_next(&p)) < 0) {
				q = c + 1;
				cp = OTHER;
			} else {
				q = (const unsigned char *)p;
				worth |= cp >= 0xFF10 && cp <= 0xFF19;
			}
			if (q > end)
				break;
			if (invisible(cp))
				continue;
			if ((cp = fold(cp)) >= 0x80)
				cp = OTHER;
		}
		if (cp == OTHER && l->n > 0 && l->cp[l->n - 1] == OTHER)
			continue;
		if (l->n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			l->cp = sg_xrealloc(l->cp, *cap * sizeof(*l->cp));
			l->off = sg_xrealloc(l->off, *cap * sizeof(*l->off));
		}
		l->cp[l->n] = cp;
		l->off[l->n++] = (size_t)(c - s);
	}
	return worth;
}

static void scan_line_more(struct scan *sc, const struct line *l,
    const char *text, const struct sg_match *units);

/* Both scans: every line decoded once, then read by the identifiers of
 * privacy-* (more: the newer ones, with units; NULL: not looked for). */
static struct sg_privacy_hit *
scan_text(const char *text, int line0, const struct sg_match *units,
    size_t *n, struct sg_privacy_hit **more, size_t *nmore)
{
	struct scan sc = {NULL, 0, line0}, sm = {NULL, 0, line0};
	struct line l = {NULL, NULL, 0, 0};
	size_t cap = 0;
	const char *p = text;

	while (*p) {
		const char *start = p, *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		sc.line++;
		sm.line++;
		l.n = 0;
		l.len = len;
		/* Only lines with a digit or an '@' can hold anything. */
		if (decode(start, len, &l, &cap)) {
			scan_line(&sc, &l, start);
			if (more)
				scan_line_more(&sm, &l, start, units);
		}
		p += len + (e ? 1 : 0);
	}
	free(l.cp);
	free(l.off);
	*n = sc.n;
	if (more) {
		*more = sm.v;
		*nmore = sm.n;
	}
	return sc.v;
}

struct sg_privacy_hit *
sg_privacy_scan(const char *text, int line0, size_t *n)
{
	return scan_text(text, line0, NULL, n, NULL, NULL);
}

struct sg_privacy_hit *
sg_privacy_scan_all(const char *text, int line0, const struct sg_match *units,
    size_t *n, struct sg_privacy_hit **more, size_t *nmore)
{
	return scan_text(text, line0, units, n, more, nmore);
}

void
sg_privacy_free(struct sg_privacy_hit *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].value);
		free(h[i].masked);
	}
	free(h);
}

/* ---- bank cards and old ID numbers ---- */

int
sg_privacy_luhn_ok(const char *s, size_t n)
{
	int sum = 0;

	for (size_t i = 0; i < n; i++) {
		int d = s[n - 1 - i] - '0';
		if (d < 0 || d > 9)
			return 0;
		if (i % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return n > 0 && sum % 10 == 0;
}

int
sg_privacy_idcard15_ok(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};
	int y, m, d;

	for (int i = 0; i < 15; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	if (s[0] < '1' || s[0] > '8')
		return 0;
	y = 1900 + (s[6] - '0') * 10 + (s[7] - '0');
	m = (s[8] - '0') * 10 + (s[9] - '0');
	d = (s[10] - '0') * 10 + (s[11] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && y % 4 != 0);
}

/* 1 if the text at byte p starts with one of units (after spaces). */
static int
unit_follows(const char *p, const struct sg_match *units)
{
	while (*p == ' ')
		p++;
	return units && sg_match_at(units, p) > 0;
}

static void
scan_line_more(struct scan *sc, const struct line *l, const char *text,
    const struct sg_match *units)
{
	size_t i = 0;

	while (i < l->n) {
		if (!is_digit(l->cp[i]) || (i > 0 && (is_alnum(l->cp[i - 1]) ||
		    l->cp[i - 1] == '.' || l->cp[i - 1] == ','))) {
			i++;
			continue;
		}
		/* Digits, in groups of four or more split by one space or
		 * '-' (6222 0212 3456 7890). */
		struct sg_buf b = {0};
		size_t e = i, seps = 0;
		sg_buf_puts(&b, "");
		for (;;) {
			size_t gs = e, g = run_end(l, e);
			for (size_t k = e; k < g; k++)
				sg_buf_putc(&b, (char)l->cp[k]);
			e = g;
			if (g - gs >= 4 && e + 1 < l->n && (l->cp[e] == ' ' ||
			    l->cp[e] == '-') && run_end(l, e + 1) - (e + 1) >= 4) {
				e++;
				seps++;
				continue;
			}
			break;
		}
		int after = e < l->n ? l->cp[e] : 0;
		size_t nd = b.len;
		if (is_alnum(after) || (after == '.' && e + 1 < l->n &&
		    is_digit(l->cp[e + 1])) || unit_follows(text + (e < l->n ?
		    l->off[e] : l->len), units)) {
			sg_buf_clear(&b);
			i = e;
			continue;
		}
		if (nd >= 16 && nd <= 19 && b.data[0] >= '3' && b.data[0] <= '6' &&
		    sg_privacy_luhn_ok(b.data, nd) && !(nd == 18 &&
		    sg_privacy_idcard_ok(b.data))) {
			char *v = sg_buf_take(&b);
			add(sc, SG_PRIVACY_BANKCARD, l->off[i], v, mask(v, 4, 4));
		} else if (nd == 15 && seps == 0 && sg_privacy_idcard15_ok(b.data)) {
			char *v = sg_buf_take(&b);
			add(sc, SG_PRIVACY_IDCARD15, l->off[i], v, mask(v, 4, 3));
		} else
			sg_buf_clear(&b);
		i = e;
	}
}

struct sg_privacy_hit *
sg_privacy_scan_more(const char *text, int line0, const struct sg_strv *units,
    size_t *n)
{
	struct sg_match *m = units && units->n ? sg_match_new((const char *
	    const *)units->v, units->n) : NULL;
	struct sg_privacy_hit *h, *more;
	size_t n1;

	h = scan_text(text, line0, m, &n1, &more, n);
	sg_privacy_free(h, n1);
	sg_match_free(m);
	return more;
}
