/*
 * cache: the build cache (see cache.h).
 *
 * The file:
 *   "sg-cache 1\n\0" and the program's identity (8 bytes)
 *   the entries' bytes, one after another
 *   the index: per entry its kind, name, key, offset, length and the
 *   hash of its bytes
 *   the trailer: the index's offset, its entry count, its hash, and
 *   "sg-cache"
 * Numbers are little-endian 64-bit.  The index is checked when the file
 * is opened; an entry's bytes when it is looked up, so that a lookup
 * costs only what it uses.
 */
#include <sys/stat.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "doc.h"
#include "util.h"

static const char MAGIC[16] = "sg-cache 1\n";
#define HEAD	24		/* magic and identity */
#define TRAIL	32

struct ent {
	char		*kind, *name;
	uint64_t	 key, off, len, sum;
	int		 used;		/* old entries: hit in this build */
	int		 made;		/* old entries: made again */
};

/* An entry read for sg_cache_get: its bytes follow. */
struct got {
	uint64_t	 off;		/* in the old file */
	size_t		 slot;		/* in c->got */
};

struct sg_cache {
	char		*path, *tmp;
	char		*why;
	pthread_mutex_t	 lock;
	/* The old file, open: entries are read from it as they are asked
	 * for, each into a buffer of its own (struct got). */
	int		 oldfd;
	char		*index;		/* while it is read */
	struct got	**got;
	size_t		 ngot, capgot;
	struct ent	*old;
	size_t		 nold;
	struct sg_map	 byname;	/* "kind\37name" → struct ent * */
	/* The new one, written as entries come. */
	FILE		*out;
	uint64_t	 at;
	struct ent	*made;
	size_t		 nmade, capmade;
	struct sg_map	 madeby;	/* "kind\37name" → index + 1 */
	int		 failed;
	int		 appending;	/* c->out is the old file, grown */
	uint64_t	 oldsize;	/* its size before */
	size_t		 hits, misses;
	uint64_t	 id;
};

/* ---- keys ---- */

uint64_t
sg_cache_mix(uint64_t k, const void *p, size_t len)
{
	uint64_t h = sg_doc_hash(p, len);

	k ^= h + 0x9E3779B97F4A7C15ull + (k << 6) + (k >> 2);
	k *= 0xFF51AFD7ED558CCDull;
	return k ^ (k >> 31);
}

uint64_t
sg_cache_mix_str(uint64_t k, const char *s)
{
	/* NULL and "" differ: a length of -1 is no string's. */
	if (s == NULL)
		return sg_cache_mix_u64(k, UINT64_MAX);
	return sg_cache_mix(sg_cache_mix_u64(k, strlen(s)), s, strlen(s));
}

uint64_t
sg_cache_mix_u64(uint64_t k, uint64_t v)
{
	return sg_cache_mix(k, &v, sizeof(v));
}

/* ---- the program's identity ---- */

/* Each loaded object's GNU build id, else the stat of its file: a
 * rebuilt binary or an upgraded library makes a foreign cache. */
static int
add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	uint64_t *k = arg;
	int found = 0;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum && !found; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t nsz = (n->n_namesz + 3) & ~3u;
			size_t dsz = (n->n_descsz + 3) & ~3u;
			const unsigned char *desc = p + sizeof(*n) + nsz;

			if (desc + n->n_descsz > end)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(p + sizeof(*n), "GNU", 4) == 0) {
				*k = sg_cache_mix(*k, desc, n->n_descsz);
				found = 1;
				break;
			}
			p = desc + dsz;
		}
	}
	if (!found) {
		const char *name = info->dlpi_name && *info->dlpi_name ?
		    info->dlpi_name : "/proc/self/exe";
		struct stat st;

		*k = sg_cache_mix_str(*k, name);
		if (stat(name, &st) == 0) {
			*k = sg_cache_mix_u64(*k, (uint64_t)st.st_ino);
			*k = sg_cache_mix_u64(*k, (uint64_t)st.st_size);
			*k = sg_cache_mix_u64(*k, (uint64_t)st.st_mtim.tv_sec);
			*k = sg_cache_mix_u64(*k, (uint64_t)st.st_mtim.tv_nsec);
		}
	}
	return 0;
}

static uint64_t program;
static pthread_once_t program_once = PTHREAD_ONCE_INIT;

static void
program_init(void)
{
	uint64_t k = SG_CACHE_KEY0;

	dl_iterate_phdr(add_object, &k);
	program = k;
}

static uint64_t
program_id(void)
{
	pthread_once(&program_once, program_init);
	return program;
}

/* ---- bytes ---- */

static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void
sg_cache_w_u64(struct sg_buf *b, uint64_t v)
{
	unsigned char p[10];
	size_t n = 0;

	/* Seven bits a byte: most values are small. */
	do {
		p[n++] = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
		v >>= 7;
	} while (v);
	sg_buf_add(b, (const char *)p, n);
}

void
sg_cache_w_i64(struct sg_buf *b, int64_t v)
{
	sg_cache_w_u64(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void
sg_cache_w_dbl(struct sg_buf *b, double v)
{
	unsigned char p[8];
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	put64(p, u);
	sg_buf_add(b, (const char *)p, 8);
}

void
sg_cache_w_str(struct sg_buf *b, const char *s)
{
	if (s == NULL) {
		sg_cache_w_u64(b, 0);
		return;
	}
	sg_cache_w_u64(b, strlen(s) + 1);
	sg_buf_add(b, s, strlen(s));
}

void
sg_cache_w_strv(struct sg_buf *b, const struct sg_strv *v)
{
	sg_cache_w_u64(b, v->n);
	for (size_t i = 0; i < v->n; i++)
		sg_cache_w_str(b, v->v[i]);
}

void
sg_cache_r_init(struct sg_cache_r *r, const char *data, size_t len)
{
	r->p = (const unsigned char *)data;
	r->end = r->p + len;
	r->bad = 0;
}

uint64_t
sg_cache_r_u64(struct sg_cache_r *r)
{
	uint64_t v = 0;

	for (int sh = 0; sh < 70; sh += 7) {
		if (r->p >= r->end) {
			r->bad = 1;
			return 0;
		}
		unsigned c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

int64_t
sg_cache_r_i64(struct sg_cache_r *r)
{
	uint64_t u = sg_cache_r_u64(r);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

double
sg_cache_r_dbl(struct sg_cache_r *r)
{
	uint64_t u;
	double v;

	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	u = get64(r->p);
	r->p += 8;
	memcpy(&v, &u, sizeof(v));
	return v;
}

char *
sg_cache_r_str(struct sg_cache_r *r)
{
	uint64_t n = sg_cache_r_u64(r);

	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	char *s = sg_xstrndup((const char *)r->p, n - 1);
	r->p += n - 1;
	return s;
}

const char *
sg_cache_r_view(struct sg_cache_r *r, size_t *len)
{
	uint64_t n = sg_cache_r_u64(r);
	const char *s;

	*len = 0;
	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->p;
	*len = n - 1;
	r->p += n - 1;
	return s;
}

void
sg_cache_r_strv(struct sg_cache_r *r, struct sg_strv *v)
{
	uint64_t n = sg_cache_r_u64(r);

	/* Every string takes a byte at least. */
	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return;
	}
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		char *s = sg_cache_r_str(r);
		sg_strv_push(v, s ? s : sg_xstrdup(""));
	}
}

void
sg_cache_w_diag(struct sg_buf *b, const struct sg_diag *d, size_t from)
{
	sg_cache_w_u64(b, d->n > from ? d->n - from : 0);
	for (size_t i = from; i < d->n; i++) {
		const struct sg_diag_item *it = &d->v[i];
		sg_cache_w_u64(b, (uint64_t)it->sev);
		sg_cache_w_str(b, it->file);
		sg_cache_w_i64(b, it->line);
		sg_cache_w_i64(b, it->col);
		sg_cache_w_str(b, it->msg);
		sg_cache_w_str(b, it->rule);
	}
}

void
sg_cache_r_diag(struct sg_cache_r *r, struct sg_diag *d,
    const char *(*rule)(const char *id))
{
	uint64_t n = sg_cache_r_u64(r);

	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return;
	}
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		uint64_t sev = sg_cache_r_u64(r);
		char *file = sg_cache_r_str(r);
		int64_t line = sg_cache_r_i64(r), col = sg_cache_r_i64(r);
		char *msg = sg_cache_r_str(r), *id = sg_cache_r_str(r);
		const char *rid = id ? rule(id) : NULL;

		if (sev > SG_FATAL || msg == NULL || (id && rid == NULL))
			r->bad = 1;
		if (!r->bad) {
			sg_diag_rule(d, (enum sg_sev)sev, rid, file,
			    (int)line, (int)col, "%s", msg);
		}
		free(file);
		free(msg);
		free(id);
	}
}

int
sg_cache_r_done(const struct sg_cache_r *r)
{
	return !r->bad && r->p == r->end;
}

/* ---- the old file ---- */

static char *
ent_key(const char *kind, const char *name)
{
	return sg_xasprintf("%s\37%s", kind, name);
}

static int
broken(struct sg_cache *c, const char *why)
{
	free(c->why);
	c->why = sg_xstrdup(why);
	return -1;
}

/* len bytes of a file from off into buf.  0 or -1. */
static int
pread_all(int fd, char *buf, size_t len, uint64_t off)
{
	for (size_t got = 0; got < len; ) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Reads the index of the old file (len bytes) into c->old.  -1 (with
 * c->why) if the file is not a cache of this program's, or is broken. */
static int
read_index(struct sg_cache *c, int fd, size_t len)
{
	unsigned char head[HEAD], trail[TRAIL];
	const unsigned char *p, *end;
	uint64_t off, n;

	if (len < HEAD + TRAIL ||
	    pread_all(fd, (char *)head, HEAD, 0) == -1 ||
	    pread_all(fd, (char *)trail, TRAIL, len - TRAIL) == -1 ||
	    memcmp(head, MAGIC, 16) != 0 ||
	    memcmp(trail + TRAIL - 8, "sg-cache", 8) != 0)
		return broken(c, "the build cache is not one");
	if (get64(head + 16) != c->id)
		return broken(c, "the build cache was made by another program");
	off = get64(trail);
	n = get64(trail + 8);
	if (off < HEAD || off > len - TRAIL || n > (len - TRAIL - off) / 8)
		return broken(c, "the build cache is damaged");
	c->index = sg_xmalloc(len - TRAIL - off + 1);
	if (pread_all(fd, c->index, len - TRAIL - off, off) == -1 ||
	    sg_doc_hash(c->index, len - TRAIL - off) != get64(trail + 16))
		return broken(c, "the build cache is damaged");
	p = (const unsigned char *)c->index;
	end = p + (len - TRAIL - off);
	c->old = sg_xcalloc(n + 1, sizeof(*c->old));
	for (uint64_t i = 0; i < n; i++) {
		struct sg_cache_r r = {p, end, 0};
		struct ent *e = &c->old[i];

		e->kind = sg_cache_r_str(&r);
		e->name = sg_cache_r_str(&r);
		e->key = sg_cache_r_u64(&r);
		e->off = sg_cache_r_u64(&r);
		e->len = sg_cache_r_u64(&r);
		e->sum = sg_cache_r_u64(&r);
		c->nold = i + 1;
		if (r.bad || e->kind == NULL || e->name == NULL ||
		    e->off < HEAD || e->off > off || e->len > off - e->off)
			return broken(c, "the build cache is damaged");
		p = r.p;
		char *k = ent_key(e->kind, e->name);
		sg_map_put(&c->byname, k, e);
		free(k);
	}
	free(c->index);
	c->index = NULL;
	return 0;
}

static void
drop_old(struct sg_cache *c)
{
	for (size_t i = 0; i < c->nold; i++) {
		free(c->old[i].kind);
		free(c->old[i].name);
	}
	free(c->old);
	c->old = NULL;
	c->nold = 0;
	free(c->index);
	c->index = NULL;
	sg_map_clear(&c->byname);
	if (c->oldfd >= 0)
		close(c->oldfd);
	c->oldfd = -1;
}

static void
open_old(struct sg_cache *c)
{
	struct stat st;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		broken(c, errno == ENOENT ? "no build cache yet" :
		    "the build cache cannot be read");
		return;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		broken(c, "the build cache is not one");
		close(fd);
		return;
	}
	c->oldfd = fd;
	if (read_index(c, fd, (size_t)st.st_size) == -1)
		drop_old(c);
	else {
		free(c->why);
		c->why = sg_xstrdup("");
	}
}

char *
sg_cache_path(const char *out)
{
	return sg_path_beside(out, "sg-cache");
}

/* Starts the new cache in a temporary file.  0 or -1. */
static int
start_tmp(struct sg_cache *c)
{
	unsigned char head[HEAD] = {0};
	int fd;

	free(c->tmp);
	c->tmp = sg_xasprintf("%s.XXXXXX", c->path);
	if ((fd = mkstemp(c->tmp)) == -1 ||
	    (c->out = fdopen(fd, "w")) == NULL) {
		if (fd != -1) {
			close(fd);
			unlink(c->tmp);
		}
		free(c->tmp);
		c->tmp = NULL;
		return -1;
	}
	memcpy(head, MAGIC, 16);
	put64(head + 16, c->id);
	if (fwrite(head, 1, HEAD, c->out) != HEAD)
		c->failed = 1;
	c->at = HEAD;
	return 0;
}

struct sg_cache *
sg_cache_open(const char *out, int read)
{
	struct sg_cache *c = sg_xcalloc(1, sizeof(*c));
	struct stat st;
	int fd;

	pthread_mutex_init(&c->lock, NULL);
	c->oldfd = -1;
	c->id = program_id();
	c->path = sg_cache_path(out);
	if (read)
		open_old(c);
	else
		c->why = sg_xstrdup("the build cache is not read (--force)");
	/*
	 * A cache that was read grows: what this build makes is added after
	 * what is there, and a new index at the end says which entries are
	 * kept, so that an edit writes what it made, not the whole cache
	 * again.  When dead entries outweigh the live ones it is written
	 * anew (sg_cache_save).  Cut short, it no longer ends in an index:
	 * the next build ignores it, as any broken cache.
	 */
	if (c->oldfd >= 0 && (fd = open(c->path, O_RDWR | O_CLOEXEC)) >= 0) {
		if (fstat(fd, &st) == 0 && (c->out = fdopen(fd, "w")) != NULL &&
		    fseeko(c->out, 0, SEEK_END) == 0) {
			c->at = c->oldsize = (uint64_t)st.st_size;
			c->appending = 1;
			return c;
		}
		if (c->out)
			fclose(c->out);
		else
			close(fd);
		c->out = NULL;
	}
	if (start_tmp(c) == -1) {
		sg_cache_free(c);
		return NULL;
	}
	return c;
}

const char *
sg_cache_why(const struct sg_cache *c)
{
	return c && c->why ? c->why : "";
}

int
sg_cache_get(struct sg_cache *c, const char *kind, const char *name,
    uint64_t key, const char **data, size_t *len)
{
	struct ent *e;
	struct got *g = NULL;
	char *k;

	if (c == NULL)
		return 0;
	k = ent_key(kind, name);
	/* The old index is read-only once open. */
	e = sg_map_get(&c->byname, k);
	free(k);
	if (e && e->key == key) {
		/* Read, not mapped: bytes a caller is done with leave memory
		 * (sg_cache_done). */
		g = sg_xmalloc(sizeof(*g) + e->len + 1);
		char *b = (char *)(g + 1);
		if (pread_all(c->oldfd, b, e->len, e->off) == -1 ||
		    sg_doc_hash(b, e->len) != e->sum) {
			free(g);
			g = NULL;
		} else {
			b[e->len] = '\0';
			g->off = e->off;
			*data = b;
			*len = e->len;
		}
	}
	pthread_mutex_lock(&c->lock);
	if (g) {
		if (c->ngot == c->capgot) {
			c->capgot = c->capgot ? 2 * c->capgot : 256;
			c->got = sg_xrealloc(c->got, c->capgot *
			    sizeof(*c->got));
		}
		g->slot = c->ngot;
		c->got[c->ngot++] = g;
		e->used = 1;
		c->hits++;
	} else
		c->misses++;
	pthread_mutex_unlock(&c->lock);
	return g != NULL;
}

void
sg_cache_done(struct sg_cache *c, const char *data)
{
	struct got *g;

	if (c == NULL || data == NULL)
		return;
	g = (struct got *)(void *)data - 1;
	pthread_mutex_lock(&c->lock);
	if (g->slot < c->ngot && c->got[g->slot] == g) {
		c->got[g->slot] = NULL;
		free(g);
	}
	pthread_mutex_unlock(&c->lock);
}

uint64_t
sg_cache_at(const char *data)
{
	const struct got *g = (const struct got *)(const void *)data - 1;

	return g->off | SG_CACHE_OLD;
}

/* Appends an entry to the new file; under c->lock. */
static void
append(struct sg_cache *c, const char *kind, const char *name, uint64_t key,
    const void *data, size_t len, uint64_t sum)
{
	char *k = ent_key(kind, name);
	size_t at = (size_t)sg_map_get(&c->madeby, k);
	struct ent *e;

	if (at == 0) {
		if (c->nmade == c->capmade) {
			c->capmade = c->capmade ? 2 * c->capmade : 256;
			c->made = sg_xrealloc(c->made, c->capmade *
			    sizeof(*c->made));
		}
		e = &c->made[c->nmade++];
		memset(e, 0, sizeof(*e));
		e->kind = sg_xstrdup(kind);
		e->name = sg_xstrdup(name);
		sg_map_put(&c->madeby, k, (void *)c->nmade);
	} else
		e = &c->made[at - 1];
	free(k);
	e->key = key;
	e->off = c->at;
	e->len = len;
	e->sum = sum;
	if (len && fwrite(data, 1, len, c->out) != len)
		c->failed = 1;
	c->at += len;
}

uint64_t
sg_cache_put(struct sg_cache *c, const char *kind, const char *name,
    uint64_t key, const void *data, size_t len)
{
	struct ent *old;
	uint64_t at = UINT64_MAX;
	char *k;

	if (c == NULL)
		return at;
	k = ent_key(kind, name);
	old = sg_map_get(&c->byname, k);
	free(k);
	/* Hashed outside the lock: entries come from every thread. */
	uint64_t sum = sg_doc_hash(data, len);
	pthread_mutex_lock(&c->lock);
	if (old)
		old->made = 1;
	if (c->out) {
		at = c->at;
		append(c, kind, name, key, data, len, sum);
	}
	pthread_mutex_unlock(&c->lock);
	return at;
}

char *
sg_cache_fetch(struct sg_cache *c, uint64_t at, size_t len)
{
	char *buf;
	int fd = -1;

	if (c == NULL)
		return NULL;
	pthread_mutex_lock(&c->lock);
	if (at & SG_CACHE_OLD) {
		at &= ~SG_CACHE_OLD;
		fd = c->oldfd;
	} else if (c->out && !c->failed && at <= c->at &&
	    len <= c->at - at && fflush(c->out) == 0)
		fd = fileno(c->out);
	pthread_mutex_unlock(&c->lock);
	if (fd == -1)
		return NULL;
	buf = sg_xmalloc(len + 1);
	/* What was flushed stays: the file only grows until saved. */
	if (pread_all(fd, buf, len, at) == -1) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The index and trailer of the entries kept, at the end of c->out. */
static void
finish(struct sg_cache *c, const struct ent *const *v, size_t n)
{
	struct sg_buf idx = {0};
	unsigned char trail[TRAIL];

	for (size_t i = 0; i < n; i++) {
		sg_cache_w_str(&idx, v[i]->kind);
		sg_cache_w_str(&idx, v[i]->name);
		sg_cache_w_u64(&idx, v[i]->key);
		sg_cache_w_u64(&idx, v[i]->off);
		sg_cache_w_u64(&idx, v[i]->len);
		sg_cache_w_u64(&idx, v[i]->sum);
	}
	put64(trail, c->at);
	put64(trail + 8, n);
	put64(trail + 16, sg_doc_hash(idx.data ? idx.data : "", idx.len));
	memcpy(trail + 24, "sg-cache", 8);
	if ((idx.len && fwrite(idx.data, 1, idx.len, c->out) != idx.len) ||
	    fwrite(trail, 1, TRAIL, c->out) != TRAIL)
		c->failed = 1;
	if (fclose(c->out) != 0)
		c->failed = 1;
	c->out = NULL;
	sg_buf_clear(&idx);
}

int
sg_cache_save(struct sg_cache *c)
{
	const struct ent **keep;
	size_t nkeep = 0;
	uint64_t live = 0;
	int rc = 0;

	if (c == NULL || c->out == NULL)
		return -1;
	pthread_mutex_lock(&c->lock);
	keep = sg_xcalloc(c->nold + c->nmade + 1, sizeof(*keep));
	for (size_t i = 0; i < c->nold; i++)
		if (c->old[i].used && !c->old[i].made) {
			keep[nkeep++] = &c->old[i];
			live += c->old[i].len;
		}
	for (size_t i = 0; i < c->nmade; i++) {
		keep[nkeep++] = &c->made[i];
		live += c->made[i].len;
	}
	if (c->appending && !c->failed && c->at <= 2 * live + (1u << 20)) {
		finish(c, keep, nkeep);
		rc = c->failed ? -1 : 0;
		goto out;
	}
	/* Written anew: the entries kept copied into a new file, read again
	 * (a hit's bytes may be gone, sg_cache_done).  Into the one this
	 * build started, what it made is there already; a grown cache is
	 * copied whole, what it made included. */
	int compacting = c->appending;
	if (compacting) {
		if (fflush(c->out) != 0)
			c->failed = 1;
		fclose(c->out);
		c->out = NULL;
		c->appending = 0;
		if (c->failed || start_tmp(c) == -1) {
			rc = -1;
			goto out;
		}
	}
	struct ent *copied = sg_xcalloc(nkeep + 1, sizeof(*copied));
	const struct ent **v = sg_xcalloc(nkeep + 1, sizeof(*v));
	size_t n = 0, cap = 0;
	char *buf = NULL;
	for (size_t i = 0; i < nkeep; i++) {
		const struct ent *e = keep[i];
		int made = e >= c->made && e < c->made + c->nmade;
		if (made && !compacting) {
			v[n++] = e;
			continue;
		}
		if (e->len > cap)
			buf = sg_xrealloc(buf, cap = e->len);
		if (pread_all(c->oldfd, buf, e->len, e->off) == -1 ||
		    sg_doc_hash(buf, e->len) != e->sum)
			continue;
		copied[n] = *e;
		copied[n].off = c->at;
		if (e->len && fwrite(buf, 1, e->len, c->out) != e->len)
			c->failed = 1;
		c->at += e->len;
		v[n] = &copied[n];
		n++;
	}
	free(buf);
	finish(c, v, n);
	free(v);
	free(copied);
	if (c->failed || rename(c->tmp, c->path) == -1) {
		unlink(c->tmp);
		rc = -1;
	}
	free(c->tmp);
	c->tmp = NULL;
out:
	free(keep);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void
sg_cache_counts(const struct sg_cache *c, size_t *hits, size_t *misses)
{
	*hits = c ? c->hits : 0;
	*misses = c ? c->misses : 0;
}

void
sg_cache_free(struct sg_cache *c)
{
	if (c == NULL)
		return;
	if (c->out && c->appending) {
		/* Not saved: the old file as it was, without what was added. */
		if (fflush(c->out) != 0 ||
		    ftruncate(fileno(c->out), (off_t)c->oldsize) != 0)
			unlink(c->path);
		fclose(c->out);
	} else if (c->out) {
		fclose(c->out);
		unlink(c->tmp);
	}
	drop_old(c);
	for (size_t i = 0; i < c->ngot; i++)
		free(c->got[i]);
	free(c->got);
	for (size_t i = 0; i < c->nmade; i++) {
		free(c->made[i].kind);
		free(c->made[i].name);
	}
	free(c->made);
	sg_map_clear(&c->madeby);
	pthread_mutex_destroy(&c->lock);
	free(c->path);
	free(c->tmp);
	free(c->why);
	free(c);
}
