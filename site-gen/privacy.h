/*
 * privacy: finds personal data in content text — mainland resident
 * ID-card numbers (18 digits, GB 11643 check digit), mobile phone numbers
 * and email addresses.  check.c reports what it finds and applies the
 * allowances of the file; this module only looks at text.
 */
#ifndef SG_PRIVACY_H
#define SG_PRIVACY_H

#include <stddef.h>

struct sg_match;
struct sg_strv;

enum sg_privacy_kind {
	SG_PRIVACY_IDCARD,	/* 居民身份证号码 */
	SG_PRIVACY_MOBILE,	/* 手机号码 */
	SG_PRIVACY_EMAIL,
	SG_PRIVACY_BANKCARD,	/* 银行卡号: 16–19 digits, Luhn */
	SG_PRIVACY_IDCARD15	/* 15 位旧身份证号码 */
};

struct sg_privacy_hit {
	enum sg_privacy_kind	 kind;
	int			 line;		/* line0 + line within the text */
	int			 col;		/* 1-based byte column */
	char			*value;		/* as sg_privacy_norm gives it */
	char			*masked;	/* for messages: 138****5678 */
};

/*
 * Finds personal data in text, whose first line is line line0 + 1 of its
 * file.  Full-width digits count as digits; a mobile number may be written
 * 138 1234 5678, 138-1234-5678, 138.1234.5678 or with +86, an ID number
 * in groups of 6, 8 and 4; any space (U+3000, NBSP …) separates, invisible
 * zero-width characters do not, and HTML character references (&#49;)
 * count as what they show.  Returns the hits in text
 * order (*n set); free with sg_privacy_free.
 */
struct sg_privacy_hit *sg_privacy_scan(const char *text, int line0,
    size_t *n);
void sg_privacy_free(struct sg_privacy_hit *h, size_t n);

/*
 * The identifiers sg_privacy_scan does not look for: bank card numbers
 * (16–19 digits, also in groups of four, passing the Luhn check, not an ID
 * number) and old 15-digit ID numbers (a region code starting 1–8 and a
 * birth date 19YYMMDD that exists).  A number followed by one of units
 * (folded words such as 元, 人; may be NULL) is a statistic, not an
 * identifier.  Returns the hits as sg_privacy_scan does.
 */
struct sg_privacy_hit *sg_privacy_scan_more(const char *text, int line0,
    const struct sg_strv *units, size_t *n);
/*
 * Both scans in one reading of text: returns what sg_privacy_scan finds
 * (*n set), and *more (*nmore) gets what sg_privacy_scan_more finds with
 * the units of the automaton units (match.h; NULL: none).  Free both with
 * sg_privacy_free.
 */
struct sg_privacy_hit *sg_privacy_scan_all(const char *text, int line0,
    const struct sg_match *units, size_t *n, struct sg_privacy_hit **more,
    size_t *nmore);
/* 1 if the n digits of s pass the Luhn check. */
int sg_privacy_luhn_ok(const char *s, size_t n);
/* 1 if s starts with a valid 15-digit ID number. */
int sg_privacy_idcard15_ok(const char *s);

/*
 * 1 if s starts with an 18-character mainland resident ID number: a region
 * code starting 1–8, a birth date YYYYMMDD that exists (1800–2099), and the
 * GB 11643-1999 check digit (0–9 or X) matching the first 17 digits.
 */
int sg_privacy_idcard_ok(const char *s);

/* A value as allowance lists compare it: an address lower-cased, anything
 * else its digits (and X).  Caller frees. */
char *sg_privacy_norm(const char *s);

#endif
