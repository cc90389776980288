/*
 * util: allocation, buffers, files and text helpers shared by every stage.
 * Out of memory is the one failure handled here rather than passed up: the
 * run ends with exit status 3, as documented in site-gen(1).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "util.h"

static void
oom(void)
{
	fputs("site-gen: out of memory\n", stderr);
	exit(3);
}

void *
sg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
sg_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
sg_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *
sg_xstrdup(const char *s)
{
	return sg_xstrndup(s, strlen(s));
}

char *
sg_xstrndup(const char *s, size_t n)
{
	char *p = sg_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sg_xasprintf(const char *fmt, ...)
{
	struct sg_buf b = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	sg_buf_grow(&b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.data;
}

void
sg_buf_grow(struct sg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = sg_xrealloc(b->data, b->cap);
	b->data[b->len] = '\0';
}

void
sg_buf_add(struct sg_buf *b, const char *s, size_t n)
{
	sg_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
sg_buf_puts(struct sg_buf *b, const char *s)
{
	sg_buf_add(b, s, strlen(s));
}

void
sg_buf_putc(struct sg_buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	sg_buf_add(b, &c, 1);
}

void
sg_buf_printf(struct sg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sg_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sg_buf_escape(struct sg_buf *b, const char *s, int flags)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = flags & SG_ESC_QUOT ? "&quot;" : NULL; break;
		case '\'': rep = flags & SG_ESC_APOS ? "&#39;" : NULL; break;
		case '\r': rep = flags & SG_ESC_CR ? "&#13;" : NULL; break;
		default: continue;
		}
		if (rep == NULL)
			continue;
		sg_buf_add(b, run, (size_t)(s - run));
		sg_buf_puts(b, rep);
		run = s + 1;
	}
	sg_buf_add(b, run, (size_t)(s - run));
}

void
sg_buf_html(struct sg_buf *b, const char *s)
{
	sg_buf_escape(b, s, SG_ESC_QUOT | SG_ESC_APOS);
}

void
sg_buf_urlenc(struct sg_buf *b, const char *s)
{
	sg_buf_urlenc_keep(b, s, "/:#?=&");
}

void
sg_buf_urlenc_keep(struct sg_buf *b, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) ||
		    (c && strchr(keep, c))) {
			sg_buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			sg_buf_add(b, e, 3);
		}
	}
}

void
sg_buf_json(struct sg_buf *b, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = str ? str : "";

	sg_buf_putc(b, '"');
	while (*s) {
		const char *start = s;
		int cp = sg_utf8_next(&s);
		char e[7] = {'\\', 'u', '0', '0', 0, 0, 0};

		if (cp < 0) {
			sg_buf_puts(b, "\\ufffd");
			s = start + 1;
			continue;
		}
		switch (cp) {
		case '"':
			sg_buf_puts(b, "\\\"");
			continue;
		case '\\':
			sg_buf_puts(b, "\\\\");
			continue;
		case '\n':
			sg_buf_puts(b, "\\n");
			continue;
		case '\t':
			sg_buf_puts(b, "\\t");
			continue;
		case 0x2028:
			sg_buf_puts(b, "\\u2028");
			continue;
		case 0x2029:
			sg_buf_puts(b, "\\u2029");
			continue;
		default:
			break;
		}
		if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&') {
			e[4] = hex[cp >> 4];
			e[5] = hex[cp & 15];
			sg_buf_add(b, e, 6);
			continue;
		}
		sg_buf_add(b, start, (size_t)(s - start));
	}
	sg_buf_putc(b, '"');
}

char *
sg_buf_take(struct sg_buf *b)
{
	char *s;

	if (b->data == NULL)
		return sg_xstrdup("");
	s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
sg_buf_clear(struct sg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
sg_strv_push(struct sg_strv *sv, char *owned)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = sg_xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = owned;
}

void
sg_strv_clear(struct sg_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int
sg_strv_has(const struct sg_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

char *
sg_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la == 0)
		return sg_xstrdup(b);
	if (a[la - 1] == '/')
		return sg_xasprintf("%s%s", a, b);
	return sg_xasprintf("%s/%s", a, b);
}

int
sg_file_read(const char *path, char **out, size_t *len)
{
	struct sg_buf b = {0};
	char chunk[65536];
	ssize_t n;
	int fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	sg_buf_grow(&b, 0);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			sg_buf_clear(&b);
			errno = e;
			return -1;
		}
		sg_buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*out = sg_buf_take(&b);
	return 0;
}

int
sg_mkdir_p(const char *path)
{
	char *parent;
	size_t n = strlen(path);
	int rc;

	/* Deepest first: one mkdir per folder that is missing, rather than
	 * one per component of every path (this runs for every file). */
	if (mkdir(path, 0777) == 0)
		return 0;
	if (errno == EEXIST) {
		if (sg_is_dir(path))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	if (errno != ENOENT)
		return -1;
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0 || (n == 1 && path[0] == '/')) {
		errno = ENOENT;
		return -1;
	}
	parent = sg_xstrndup(path, n);
	rc = sg_mkdir_p(parent);
	free(parent);
	if (rc == -1)
		return -1;
	if (mkdir(path, 0777) == 0 || (errno == EEXIST && sg_is_dir(path)))
		return 0;
	return -1;
}

static int
mkparent(const char *path)
{
	const char *slash = strrchr(path, '/');
	int rc = 0;

	if (slash && slash != path) {
		char *dir = sg_xstrndup(path, (size_t)(slash - path));
		rc = sg_is_dir(dir) ? 0 : sg_mkdir_p(dir);
		int e = errno;
		free(dir);
		errno = e;
	}
	return rc;
}

int
sg_fd_write(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
}

int
sg_file_write(const char *path, const char *data, size_t len)
{
	int fd;

	if (mkparent(path) == -1)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) == -1)
		return -1;
	return sg_fd_write(fd, data, len);
}

int
sg_file_copy(const char *from, const char *to)
{
	char *data;
	size_t len;
	int rc;

	if (sg_file_read(from, &data, &len) == -1)
		return -1;
	rc = sg_file_write(to, data, len);
	int e = errno;
	free(data);
	errno = e;
	return rc;
}

int
sg_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *sub = sg_path_join(path, de->d_name);
		if (sg_rm_rf(sub) == -1)
			rc = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) == -1)
		rc = -1;
	return rc;
}

int
sg_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
sg_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The 1-based line of position at in s. */
static int
line_at(const char *s, const char *at)
{
	int line = 1;

	while ((s = memchr(s, '\n', (size_t)(at - s))) != NULL) {
		line++;
		s++;
	}
	return line;
}

int
sg_utf8_check(const char *s, size_t len)
{
	const char *start = s, *end = s + len;

	/* Runs once over every file: lines are counted only on an error, and
	 * the common three-byte (CJK) sequences are checked inline. */
	while (s < end) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned char c = u[0];
		size_t left = (size_t)(end - s);

		if (c < 0x80) {
			if (c == '\0')
				return line_at(start, s);
			s++;
			continue;
		}
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && left >= 3 &&
		    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
			s += 3;
			continue;
		}
		/* sg_utf8_next reads up to 4 bytes: make sure they exist. */
		size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
		if (left < need || sg_utf8_next(&s) < 0)
			return line_at(start, s);
	}
	return 0;
}

int
sg_is_cjk(int cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) ||	/* CJK punctuation */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF) ||		/* full-width forms */
	    (cp >= 0x2018 && cp <= 0x201F) ||		/* curly quotes */
	    cp == 0x2014 || cp == 0x2026 || cp == 0x00B7 ||
	    (cp >= 0x20000 && cp <= 0x2FA1F);
}

int
sg_is_punct(int cp)
{
	if (cp < 0x80)
		return cp > 0x20 && cp < 0x7F &&
		    !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z'));
	return (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0x2010 && cp <= 0x205E) || cp == 0x00B7 || cp == 0x00A0 ||
	    (cp >= 0x2460 && cp <= 0x24FF);	/* circled numbers ① */
}

int
sg_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sg_has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

const char *
sg_cn_numeral(int n, char buf[32])
{
	static const char *d[] = {"", "一", "二", "三", "四", "五", "六", "七",
	    "八", "九"};

	buf[0] = '\0';
	if (n <= 0 || n > 99) {
		snprintf(buf, 32, "%d", n);
		return buf;
	}
	if (n >= 10) {
		if (n >= 20)
			strcat(buf, d[n / 10]);
		strcat(buf, "十");
	}
	strcat(buf, d[n % 10]);
	return buf;
}

char *
sg_path_norm(const char *path)
{
	struct sg_buf b = {0};
	const char *s = path;
	size_t *marks = NULL, nmarks = 0;

	if (*path == '/')
		return NULL;
	marks = sg_xcalloc(strlen(path) + 1, sizeof(size_t));
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (nmarks == 0) {
				free(marks);
				sg_buf_clear(&b);
				return NULL;
			}
			b.len = marks[--nmarks];
			if (b.data)
				b.data[b.len] = '\0';
		} else {
			marks[nmarks++] = b.len;
			if (b.len)
				sg_buf_putc(&b, '/');
			sg_buf_add(&b, s, n);
		}
		if (!e)
			break;
		s = e + 1;
	}
	free(marks);
	return sg_buf_take(&b);
}

char *
sg_path_rel(const char *from, const char *to)
{
	struct sg_buf b = {0};
	size_t common = 0;

	/* Longest shared run of whole directories. */
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (const char *s = from + common; *s; s++)
		if (*s == '/')
			sg_buf_puts(&b, "../");
	/* A first segment with a ':' (a chapter javascript:x.md) would
	 * read as a scheme. */
	if (b.len == 0 && strcspn(to + common, ":/") < strcspn(to + common, "/"))
		sg_buf_puts(&b, "./");
	sg_buf_puts(&b, to + common);
	if (b.len == 0)
		sg_buf_puts(&b, "./");
	return sg_buf_take(&b);
}

int
sg_pid_gone(long pid)
{
	return pid > 0 && pid <= INT_MAX && kill((pid_t)pid, 0) == -1 &&
	    errno == ESRCH;
}

char *
sg_url_safe(const char *url)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel", NULL};
	struct sg_buf b = {0};
	const char *s;
	size_t n;

	/* What a browser does first: leading C0 controls and spaces go,
	 * tabs and line breaks anywhere. */
	while ((unsigned char)*url <= ' ' && *url)
		url++;
	for (s = url; *s; s++)
		if (*s != '\t' && *s != '\n' && *s != '\r')
			sg_buf_putc(&b, *s);
	if (b.data == NULL)
		return sg_xstrdup("");
	s = b.data;
	/* The empty data URL carries nothing: the theme's "no icon" icon,
	 * which keeps browsers from asking for /favicon.ico. */
	if (strcmp(s, "data:,") == 0)
		return sg_buf_take(&b);
	n = strcspn(s, ":/?#");
	if (s[n] != ':')
		return sg_buf_take(&b);
	/* A scheme is a letter, then letters, digits, + - . */
	int scheme = n > 0 && isalpha((unsigned char)s[0]);
	for (size_t i = 1; scheme && i < n; i++)
		scheme = isalnum((unsigned char)s[i]) || s[i] == '+' ||
		    s[i] == '-' || s[i] == '.';
	if (scheme) {
		for (size_t i = 0; ok[i]; i++)
			if (strlen(ok[i]) == n && strncasecmp(s, ok[i], n) == 0)
				return sg_buf_take(&b);
		sg_buf_clear(&b);
		return NULL;
	}
	/* Relative, with a ':' in its first segment. */
	char *r = sg_xasprintf("./%s", s);
	sg_buf_clear(&b);
	return r;
}

char *
sg_path_beside(const char *out, const char *what)
{
	size_t n = strlen(out);
	char *o, *dir, *p;
	const char *b;

	while (n > 1 && out[n - 1] == '/')
		n--;
	o = sg_xstrndup(out, n);
	dir = sg_path_dir(o);
	b = strrchr(o, '/');
	p = sg_xasprintf("%s.%s.%s", dir, b ? b + 1 : o, what);
	free(dir);
	free(o);
	return p;
}

char *
sg_path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? sg_xstrndup(path, (size_t)(slash - path) + 1) :
	    sg_xstrdup("");
}

static size_t
map_hash(const char *s)
{
	return (size_t)sg_fnv1a64(SG_FNV64_INIT, s, strlen(s));
}

void
sg_map_put(struct sg_map *m, const char *key, void *val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct sg_map g = {0};
		g.cap = m->cap ? m->cap * 2 : 64;
		g.keys = sg_xcalloc(g.cap, sizeof(char *));
		g.vals = sg_xcalloc(g.cap, sizeof(void *));
		for (size_t k = 0; k < m->cap; k++) {
			if (m->keys[k] == NULL)
				continue;
			for (i = map_hash(m->keys[k]) & (g.cap - 1); g.keys[i];
			    i = (i + 1) & (g.cap - 1))
				;
			g.keys[i] = m->keys[k];
			g.vals[i] = m->vals[k];
			g.n++;
		}
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	for (i = map_hash(key) & (m->cap - 1); m->keys[i];
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return;
		}
	m->keys[i] = sg_xstrdup(key);
	m->vals[i] = val;
	m->n++;
}

void *
sg_map_get(const struct sg_map *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	for (size_t i = map_hash(key) & (m->cap - 1); m->keys[i];
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	return NULL;
}

void
sg_map_clear(struct sg_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

void
sg_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

double
sg_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
sg_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	/* strtol takes leading blanks and a sign; a number here has none. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
