/*
 * util: allocators that never return NULL (out of memory ends the run with
 * exit 3), a growable byte buffer, path and file helpers, UTF-8 checks and
 * HTML/URL/JSON escaping.  Used by every stage of the pipeline.
 */
#ifndef SG_UTIL_H
#define SG_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

struct sg_diag;

void *sg_xmalloc(size_t n);
void *sg_xcalloc(size_t n, size_t size);
void *sg_xrealloc(void *p, size_t n);
/* Copies of strings; caller frees with free(). */
char *sg_xstrdup(const char *s);
char *sg_xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees with free(). */
char *sg_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable buffer, always NUL-terminated once anything is added. */
struct sg_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void sg_buf_grow(struct sg_buf *b, size_t extra);
void sg_buf_add(struct sg_buf *b, const char *s, size_t n);
void sg_buf_puts(struct sg_buf *b, const char *s);
void sg_buf_putc(struct sg_buf *b, char c);
void sg_buf_printf(struct sg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' escaped for HTML text or attribute values. */
void sg_buf_html(struct sg_buf *b, const char *s);
/* Appends s with & < > escaped, and also what flags name: " as &quot;,
 * ' as &#39;, CR as &#13; (the template engine escapes as libxml2
 * serializes: text with SG_ESC_CR, a "-quoted attribute with both). */
enum { SG_ESC_QUOT = 1, SG_ESC_APOS = 2, SG_ESC_CR = 4 };
void sg_buf_escape(struct sg_buf *b, const char *s, int flags);
/* Appends s percent-encoded per RFC 3986 (unreserved and '/' kept). */
void sg_buf_urlenc(struct sg_buf *b, const char *s);
/* The same, keeping the bytes in keep as they are too. */
void sg_buf_urlenc_keep(struct sg_buf *b, const char *s, const char *keep);
/*
 * Appends s (NULL as "") as a JSON string with its quotes.  Escapes what
 * JSON requires, and also < > & U+2028 U+2029, so that the text is safe
 * inside a <script> too ("</script" comes out as "\u003c/script"); bytes
 * that are not UTF-8 become U+FFFD.
 */
void sg_buf_json(struct sg_buf *b, const char *s);
/* Takes the buffer's string; the buffer is left empty. Caller frees. */
char *sg_buf_take(struct sg_buf *b);
void sg_buf_clear(struct sg_buf *b);

/* A growable array of owned strings. */
struct sg_strv {
	char	**v;
	size_t	  n;
	size_t	  cap;
};
void sg_strv_push(struct sg_strv *sv, char *owned);
void sg_strv_clear(struct sg_strv *sv);
int sg_strv_has(const struct sg_strv *sv, const char *s);

/* Joins a and b with one '/'. Caller frees. */
char *sg_path_join(const char *a, const char *b);
/* Reads a whole file. Returns 0 and sets *out (NUL-terminated, caller frees)
 * and *len, or -1 with errno set. */
int sg_file_read(const char *path, char **out, size_t *len);
/* Writes all of data to fd and closes it. Returns 0 or -1 (errno). */
int sg_fd_write(int fd, const char *data, size_t len);
/* Writes a whole file, creating parent directories. Returns 0 or -1 (errno). */
int sg_file_write(const char *path, const char *data, size_t len);
/* mkdir -p. Returns 0 or -1 (errno). */
int sg_mkdir_p(const char *path);
/* rm -rf. Returns 0 or -1 (errno). */
int sg_rm_rf(const char *path);
/* 1 if no process pid is running (its owner may sweep what it left);
 * 0 if one is, or may be (another user's). */
int sg_pid_gone(long pid);
/* Copies a file, creating parent directories. Returns 0 or -1 (errno). */
int sg_file_copy(const char *from, const char *to);
int sg_is_dir(const char *path);
int sg_is_file(const char *path);

/* Checks UTF-8. Returns 0 if valid, else the 1-based line of the first bad
 * byte. */
int sg_utf8_check(const char *s, size_t len);
/* Decodes one code point at *s, advancing it; returns -1 on a bad byte. */
/* Inline: text scans (search keys, check phrases) call it per character. */
static inline int
sg_utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	int cp, n;

	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		n = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		n = 2;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		n = 3;
	} else
		return -1;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
	    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*sp += n + 1;
	return cp;
}

/* Full-width ASCII (U+FF01–U+FF5E, ！…～) to ASCII; other code points
 * as they are.  Chinese input methods type digits and Latin letters in
 * both widths. */
static inline int
sg_utf8_narrow(int cp)
{
	return cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp;
}

/* 1 if cp is a CJK ideograph or CJK/full-width punctuation. */
int sg_is_cjk(int cp);
/* 1 if cp is punctuation (ASCII or CJK/full-width). */
int sg_is_punct(int cp);

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void sg_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * FNV-1a over n bytes of p, continued from h: start from SG_FNV32_INIT or
 * SG_FNV64_INIT.  Inline: hash maps, template names and search keys call
 * it per lookup.
 */
#define SG_FNV32_INIT	2166136261u
#define SG_FNV64_INIT	14695981039346656037ULL
static inline uint32_t
sg_fnv1a32(uint32_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 16777619u;
	return h;
}
static inline uint64_t
sg_fnv1a64(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
	return h;
}

/* Parses s, all of it, as a decimal number from lo to hi: 0 with *out
 * set, or -1 (empty, other characters, out of range). */
int sg_parse_long(const char *s, long lo, long hi, long *out);

/* Seconds on the monotonic clock, for timings and timeouts. */
double sg_time_now(void);

/* Compares strings for qsort. */
int sg_strcmp_p(const void *a, const void *b);
int sg_has_suffix(const char *s, const char *suffix);
/* Chinese numeral for 1..99 (一 … 九十九), other numbers in digits,
 * written into buf; returns buf. */
const char *sg_cn_numeral(int n, char buf[32]);


/*
 * Normalises a relative '/'-separated path: removes "." and "x/.."
 * segments.  Returns a new string (caller frees), or NULL if the path is
 * absolute or climbs above its start.
 */
char *sg_path_norm(const char *path);
/*
 * URL of output path `to` as seen from the page directory `from` (both
 * relative to the output root; a directory ends with '/', "" is the root),
 * with a leading "./" if its first segment holds a ':'.  Caller frees.
 */
char *sg_path_rel(const char *from, const char *to);
/*
 * The name of a file kept beside the folder out: ".<base>.<what>" in out's
 * parent (public/ → .public.sg-stamp).  A trailing '/' of out is ignored.
 * Caller frees.
 */
char *sg_path_beside(const char *out, const char *what);
/*
 * url as it may be written into an href, src or action attribute: an
 * http, https, mailto or tel URL, or a relative one — which, if its first
 * segment holds a ':' but cannot be a scheme (图:1/), is given a leading
 * "./" so that no browser reads it as one (sg_path_rel does the same for
 * the paths it makes).  Tabs and line breaks,
 * which browsers drop from URLs, are dropped first.  NULL for any other
 * scheme (javascript:, data: but the empty "data:,", vbscript:, file: …).
 * Caller frees.
 */
char *sg_url_safe(const char *url);
/* Directory part of path including the trailing '/', or "" (caller frees). */
char *sg_path_dir(const char *path);

/* A string-keyed hash map; keys are copied, values borrowed. */
struct sg_map {
	char	**keys;
	void	**vals;
	size_t	  cap;		/* a power of two, or 0 */
	size_t	  n;
};
void sg_map_put(struct sg_map *m, const char *key, void *val);
void *sg_map_get(const struct sg_map *m, const char *key);
void sg_map_clear(struct sg_map *m);

#endif
