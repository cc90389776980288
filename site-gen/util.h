/*
 * util: allocators that never return NULL (out of memory ends the run with
 * exit 3), a growable byte buffer, path and file helpers, UTF-8 checks and
 * HTML/URL escaping.  Used by every stage of the pipeline.
 */
#ifndef SG_UTIL_H
#define SG_UTIL_H

#include <stddef.h>
#include <stdarg.h>

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
/* Appends s percent-encoded per RFC 3986 (unreserved and '/' kept). */
void sg_buf_urlenc(struct sg_buf *b, const char *s);
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

/* 1 if cp is a CJK ideograph or CJK/full-width punctuation. */
int sg_is_cjk(int cp);
/* 1 if cp is punctuation (ASCII or CJK/full-width). */
int sg_is_punct(int cp);

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void sg_sha256_hex(const void *data, size_t len, char hex[65]);

/* Compares strings for qsort. */
int sg_strcmp_p(const void *a, const void *b);
int sg_has_suffix(const char *s, const char *suffix);

/* Chinese numeral for 1..99 (一 … 九十九). Returns a static string pointer
 * into a thread-local buffer: copy it before the next call. */
const char *sg_cn_numeral(int n, char buf[32]);


/*
 * Normalises a relative '/'-separated path: removes "." and "x/.."
 * segments.  Returns a new string (caller frees), or NULL if the path is
 * absolute or climbs above its start.
 */
char *sg_path_norm(const char *path);
/*
 * URL of output path `to` as seen from the page directory `from` (both
 * relative to the output root; a directory ends with '/', "" is the root).
 * Caller frees.
 */
char *sg_path_rel(const char *from, const char *to);
/*
 * The name of a file kept beside the folder out: ".<base>.<what>" in out's
 * parent (public/ → .public.sg-stamp).  A trailing '/' of out is ignored.
 * Caller frees.
 */
char *sg_path_beside(const char *out, const char *what);
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
