/*
 * search: the Chinese search index, the last thing a build writes next to
 * the pages.  See search.h for what is indexed and which files hold it;
 * search_docs.c makes the documents.
 *
 *   search/index.json  {"v":2,"docs":N,"chunk":C,"shards":S,"stamp":"…"}
 *   search/k/XX.json   {"k":{"禁毒":P,"ai":P,…},"t":{"禁毒":P,…}}
 *   search/d/XX.json   [[kind,year,"title","url","context","snippet",
 *                        "passage"],…]
 *
 * P is the ascending list of document numbers in one of two forms, the
 * shorter one.  As gaps: each number as the difference from the previous
 * one (see put_gap) in ASCII letters and digits.  As a bitmap (for keys in
 * more than about one document in six): "~" then one character of
 * base64url per six documents, the low bit for the lowest document.
 * The stamp changes with the contents: FNV-1a of each file's path and of
 * its sum (the FNV-1a of its bytes, made by the job that writes it, and
 * kept with it in the build cache).  The page adds it to the URLs of the
 * other files so a browser never mixes two builds.
 *
 * The tokenizer here and the one in search.js must agree: Han is U+3007,
 * U+3400–4DBF, U+4E00–9FFF, U+F900–FAFF and U+20000–2FA1F; full-width ASCII
 * U+FF01–FF5E folds to ASCII; a word is a run of [0-9a-z] after folding;
 * everything else separates tokens.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "markdown.h"
#include "pool.h"
#include "search.h"
#include "search_docs.h"
#include "table.h"
#include "theme.h"
#include "util.h"

#define WORD_MAX	40	/* longer ASCII runs are not indexed */

/*
 * A key as a number: a Han character c alone is c << 21, a bigram ab is
 * a << 21 | b (code points fit in 21 bits and no Han one is 0); a word is
 * K_WORD | its number in the word table.  K_TITLE marks the postings of
 * titles only.
 */
#define K_WORD	(1ULL << 62)
#define K_TITLE	(1ULL << 63)

/* 32 bytes: most keys of a site are in few documents, and the table is
 * at most half full.  A key's gaps grow from 8 bytes; their length fits
 * 32 bits as document numbers fit an int. */
struct entry {
	uint64_t	 key;		/* 0: an empty slot */
	char		*gaps;		/* as put_gap writes them, no NUL */
	uint32_t	 len, cap;
	int		 last;		/* the last document posted */
	uint32_t	 n;		/* documents */
};

/* Keys of the document being indexed, so that each is looked up in the
 * big table once per document: a small table that stays in cache, whose
 * slots belong to the document whose number + 1 they hold. */
#define SEEN_SLOTS	16384

struct seen {
	uint64_t	 key;
	int		 doc;
};

/* Han characters of the BMP's blocks (U+3400–U+9FFF): the single
 * characters a document posted, one bit each, cleared for each document —
 * a third of the keys, looked up with no hash. */
#define UNI_LO		0x3400
#define UNI_HI		0xA000

struct index {
	struct entry	*v;
	size_t		 cap, n;
	struct sg_map	 words;		/* word → its number + 1 */
	struct sg_strv	 wordv;		/* number → word */
	struct seen	*seen;
	int		 seen_doc;
	size_t		 seen_n;
	uint64_t	 uni[(UNI_HI - UNI_LO) / 64];
	int		 uni_doc;	/* the document uni is of, + 1 */
};

/* Full-width ASCII to ASCII, ASCII letters to lower case. */
static int
fold(int cp)
{
	cp = sg_utf8_narrow(cp);
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

static int
is_word_char(int cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
}

static size_t
slot_of(uint64_t key, size_t cap)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static struct entry *
find(struct entry *v, size_t cap, uint64_t key)
{
	size_t i = slot_of(key, cap);

	while (v[i].key && v[i].key != key)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Room in e's gaps for extra more characters. */
static void
gaps_room(struct entry *e, size_t extra)
{
	size_t need = (size_t)e->len + extra, cap = e->cap ? e->cap : 8;

	if (need <= e->cap)
		return;
	while (cap < need)
		cap *= 2;
	e->gaps = sg_xrealloc(e->gaps, cap);
	e->cap = (uint32_t)cap;
}

static const char low36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/*
 * A gap g is written as g / 36 in base 26 with the letters A–Z (nothing
 * when it is 0), then g % 36 as one of 0–9 a–z, which ends the number.
 * Most gaps take one character.
 */
static void
put_gap(struct entry *e, int gap)
{
	char tmp[8];
	int q = gap / 36, k = sizeof(tmp) - 1;

	/* At most 7 characters: gap / 36 < 26^6. */
	gaps_room(e, sizeof(tmp));
	tmp[k] = low36[gap % 36];
	while (q > 0) {
		tmp[--k] = (char)('A' + q % 26);
		q /= 26;
	}
	memcpy(e->gaps + e->len, tmp + k, sizeof(tmp) - (size_t)k);
	e->len += (uint32_t)(sizeof(tmp) - (size_t)k);
}

/* key's entry, added if it is new. */
static inline struct entry *
entry_get(struct index *ix, uint64_t key)
{
	struct entry *e;

	if (2 * (ix->n + 1) > ix->cap) {
		size_t ncap = ix->cap ? ix->cap * 2 : 4096;
		struct entry *nv = sg_xcalloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < ix->cap; i++)
			if (ix->v[i].key)
				*find(nv, ncap, ix->v[i].key) = ix->v[i];
		free(ix->v);
		ix->v = nv;
		ix->cap = ncap;
	}
	e = find(ix->v, ix->cap, key);
	if (e->key == 0) {
		e->key = key;
		ix->n++;
	}
	return e;
}

/* Adds document id to key's postings (ids arrive in ascending order).
 * Out of line: post_once, inline in the tokenizer, calls it for about
 * half of the keys it sees. */
static void __attribute__((noinline))
post(struct index *ix, uint64_t key, int id)
{
	struct entry *e = entry_get(ix, key);
	int gap = e->n ? id - e->last : id;

	if (e->n > 0 && gap == 0)
		return;
	/* Most gaps are one character. */
	if (gap < 36 && e->len < e->cap)
		e->gaps[e->len++] = low36[gap];
	else
		put_gap(e, gap);
	e->last = id;
	e->n++;
}

/* Posts key for document id unless this document posted it already. */
static inline void
post_once(struct index *ix, uint64_t key, int id)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ULL;
	size_t i = (size_t)(h >> 40) & (SEEN_SLOTS - 1);

	if (ix->seen_doc != id + 1) {
		ix->seen_doc = id + 1;
		ix->seen_n = 0;
	}
	/* A document with very many keys posts the rest directly. */
	if (ix->seen_n < SEEN_SLOTS / 2) {
		for (;; i = (i + 1) & (SEEN_SLOTS - 1)) {
			struct seen *s = &ix->seen[i];
			if (s->doc != id + 1) {
				s->doc = id + 1;
				s->key = key;
				ix->seen_n++;
				break;
			}
			if (s->key == key)
				return;
		}
	}
	post(ix, key, id);
}

static uint64_t
word_key(struct index *ix, const char *word)
{
	uintptr_t n = (uintptr_t)sg_map_get(&ix->words, word);

	if (n == 0) {
		sg_strv_push(&ix->wordv, sg_xstrdup(word));
		n = ix->wordv.n;
		sg_map_put(&ix->words, word, (void *)n);
	}
	return K_WORD | (uint64_t)(n - 1);
}

/* Posts every token of text for document id; a title's also under
 * K_TITLE. */
static void
index_text(struct index *ix, int id, const char *text, int title)
{
	const char *s = text;
	char word[WORD_MAX + 1];
	size_t wn = 0;
	int prev = 0, wlong = 0;

	for (;;) {
		int cp = *s ? sg_search_next_cp(&s) : 0;
		uint64_t k;

		if (cp < 0) {		/* not UTF-8: skip the byte */
			s++;
			cp = ' ';
		}
		cp = fold(cp);
		if (is_word_char(cp)) {
			if (wn < WORD_MAX)
				word[wn++] = (char)cp;
			else
				wlong = 1;
			prev = 0;
			continue;
		}
		if (wn > 0) {
			word[wn] = '\0';
			if (!wlong) {
				k = word_key(ix, word);
				post_once(ix, k, id);
				if (title)
					post_once(ix, k | K_TITLE, id);
			}
			wn = 0;
			wlong = 0;
		}
		if (cp == 0)
			break;
		if (!sg_search_is_han(cp)) {
			prev = 0;
			continue;
		}
		k = (uint64_t)cp << 21;
		if (cp >= UNI_LO && cp < UNI_HI) {
			uint64_t *w = &ix->uni[(cp - UNI_LO) >> 6];
			uint64_t bit = 1ULL << ((cp - UNI_LO) & 63);
			if (ix->uni_doc != id + 1) {
				memset(ix->uni, 0, sizeof(ix->uni));
				ix->uni_doc = id + 1;
			}
			if (!(*w & bit)) {
				*w |= bit;
				post(ix, k, id);
			}
		} else
			post_once(ix, k, id);
		if (title)
			post_once(ix, k | K_TITLE, id);
		if (prev) {
			k = (uint64_t)prev << 21 | (uint64_t)cp;
			post_once(ix, k, id);
			if (title)
				post_once(ix, k | K_TITLE, id);
		}
		prev = cp;
	}
}

/* The text of d indexed after its title and text: the passage when it
 * holds the body, else the body. */
static const char *
doc_rest(const struct sg_search_doc *d)
{
	if (d->covered && (d->passage || d->snippet))
		return d->passage ? d->passage : d->snippet;
	return d->body.data;
}

/* Every token of d: its title, text and rest (doc_rest). */
static void
index_all(struct index *ix, int id, const struct sg_search_doc *d,
    const char *rest)
{
	index_text(ix, id, d->title, 1);
	if (d->text.data)
		index_text(ix, id, d->text.data, 0);
	if (rest)
		index_text(ix, id, rest, 0);
}

static size_t
put_utf8(char *out, int cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The key as text (caller frees). */
static char *
key_str(const struct index *ix, uint64_t key)
{
	char s[9];
	size_t n;

	key &= ~K_TITLE;
	if (key & K_WORD)
		return sg_xstrdup(ix->wordv.v[key & ~K_WORD]);
	n = put_utf8(s, (int)(key >> 21));
	if (key & 0x1FFFFF)
		n += put_utf8(s + n, (int)(key & 0x1FFFFF));
	s[n] = '\0';
	return sg_xstrdup(s);
}

size_t
sg_search_shard(const char *key, size_t n)
{
	uint32_t h = sg_fnv1a32(SG_FNV32_INIT, key, strlen(key));

	return n ? h % n : 0;
}

char *
sg_search_part_name(size_t i, size_t n)
{
	int w = 2;

	for (size_t m = n > 0 ? (n - 1) >> 8 : 0; m > 0; m >>= 4)
		w++;
	return sg_xasprintf("%0*zx.json", w, i);
}

/* Length of e's postings as a bitmap, with its mark. */
static size_t
bitmap_len(const struct entry *e)
{
	return (size_t)e->last / 6 + 2;
}

/* A key's postings for the files: the gaps, or the bitmap when that is
 * shorter. */
static void
put_postings(struct sg_buf *b, const struct entry *e)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t nbits = bitmap_len(e) - 1;
	int acc = 0, id = 0;
	unsigned char *bits;

	if (e->len <= bitmap_len(e)) {
		sg_buf_add(b, e->gaps, e->len);
		return;
	}
	/* The six-document groups in place, then each as its character. */
	sg_buf_grow(b, nbits + 1);
	b->data[b->len++] = '~';
	bits = (unsigned char *)b->data + b->len;
	memset(bits, 0, nbits);
	for (size_t i = 0; i < e->len; i++) {
		char c = e->gaps[i];
		if (c >= 'A' && c <= 'Z') {
			acc = acc * 26 + (c - 'A');
			continue;
		}
		id += acc * 36 + (c <= '9' ? c - '0' : c - 'a' + 10);
		acc = 0;
		bits[id / 6] |= (unsigned char)(1 << (id % 6));
	}
	for (size_t i = 0; i < nbits; i++)
		bits[i] = (unsigned char)b64[bits[i]];
	b->len += nbits;
	b->data[b->len] = '\0';
}

/* A key ready to be written. */
struct outkey {
	char			*s;
	size_t			 shard;
	int			 title;
	struct entry		*e;
};

static int
cmp_outkey(const void *pa, const void *pb)
{
	const struct outkey *a = pa, *b = pb;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	if (a->title != b->title)
		return a->title - b->title;
	return strcmp(a->s, b->s);
}

/* Room for n more files after the ones out has; returns the first. */
static struct sg_search_file *
add_files(struct sg_search_index *out, size_t n)
{
	struct sg_search_file *f;

	out->files = sg_xrealloc(out->files, (out->nfiles + n) *
	    sizeof(*out->files));
	f = &out->files[out->nfiles];
	memset(f, 0, n * sizeof(*f));
	out->nfiles += n;
	return f;
}

static void
set_file(struct sg_search_file *f, char *path, struct sg_buf *b)
{
	f->path = path;
	f->len = b->len;
	f->data = b->data ? sg_buf_take(b) : sg_xstrdup("");
}

/* A file's sum in 4 bytes, little-endian. */
static void
sum_put(unsigned char *p, uint32_t sum)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(sum >> (8 * i));
}

/* 1 if the cache holds file path made with key: f has its bytes, which
 * the cache owns.  path is f's either way.  The entry is the file's
 * bytes, then its sum (sum_put). */
static int
file_cached(struct sg_cache *c, struct sg_search_file *f, char *path,
    uint64_t key)
{
	const unsigned char *p;
	const char *data;
	size_t len;

	f->path = path;
	if (!sg_cache_get(c, "search", path, key, &data, &len) || len < 4)
		return 0;
	f->len = len - 4;
	f->data = (char *)data;
	f->cached = 1;
	p = (const unsigned char *)data + f->len;
	f->sum = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	return 1;
}

/* f made of b at path; with a cache, kept there under path with key. */
static void
file_made(struct sg_cache *c, struct sg_search_file *f, char *path,
    struct sg_buf *b, uint64_t key)
{
	uint32_t sum = sg_fnv1a32(SG_FNV32_INIT, b->data, b->len);
	unsigned char p[4];
	size_t len = b->len;

	if (c) {
		sum_put(p, sum);
		sg_buf_add(b, (const char *)p, sizeof(p));
		sg_cache_put(c, "search", path, key, b->data, b->len);
	}
	set_file(f, path, b);
	/* The sum after the bytes is not the file's. */
	f->len = len;
	f->sum = sum;
}

/* The shards, one job each: keys sorted by shard, first[s] the first of
 * shard s (first[nshards] = all). */
struct shard_jobs {
	struct sg_cache		*cache;
	struct outkey		*v;
	size_t			*first;
	size_t			 n;
	struct sg_search_file	*files;
};

static void
shard_job(void *arg, size_t s)
{
	struct shard_jobs *j = arg;
	struct sg_buf b = {0};
	int title = -1, first = 1;
	uint64_t key = 0;
	char *name, *path;

	name = sg_search_part_name(s, j->n);
	path = sg_xasprintf("search/k/%s", name);
	free(name);
	if (j->cache) {
		/* A shard is its keys and their postings, whose gaps give
		 * the document numbers. */
		key = sg_cache_mix_str(SG_CACHE_KEY0, "search shard 1");
		key = sg_cache_mix_u64(key, j->n);
		for (size_t i = j->first[s]; i < j->first[s + 1]; i++) {
			const struct outkey *k = &j->v[i];
			key = sg_cache_mix(key, k->s, strlen(k->s) + 1);
			key = sg_cache_mix_u64(key, (uint64_t)k->title << 32 |
			    k->e->len);
			key = sg_cache_mix(key, k->e->gaps, k->e->len);
		}
		if (file_cached(j->cache, &j->files[s], path, key)) {
			for (size_t i = j->first[s]; i < j->first[s + 1]; i++) {
				free(j->v[i].e->gaps);
				j->v[i].e->gaps = NULL;
			}
			return;
		}
	}
	sg_buf_puts(&b, "{\"k\":{");
	for (size_t i = j->first[s]; i < j->first[s + 1]; i++) {
		struct outkey *k = &j->v[i];
		if (k->title && title != 1) {
			sg_buf_puts(&b, "},\n\"t\":{");
			first = 1;
		}
		title = k->title;
		if (!first)
			sg_buf_puts(&b, ",\n");
		first = 0;
		sg_buf_json(&b, k->s);
		sg_buf_puts(&b, ":\"");
		put_postings(&b, k->e);
		sg_buf_putc(&b, '"');
		/* Written: the shards and the postings are not both held
		 * whole. */
		free(k->e->gaps);
		k->e->gaps = NULL;
	}
	if (title != 1)
		sg_buf_puts(&b, "},\n\"t\":{");
	sg_buf_puts(&b, "}}\n");
	file_made(j->cache, &j->files[s], path, &b, key);
}

/* search/k/: every key in the shard its text hashes to. */
static void
write_shards(struct sg_search_index *out, struct index *ix,
    struct sg_cache *cache)
{
	struct outkey *v = sg_xcalloc(ix->n ? ix->n : 1, sizeof(*v));
	struct shard_jobs j = {0};
	size_t n = 0, total = 0, nshards = 1;

	for (size_t i = 0; i < ix->cap; i++) {
		struct entry *e = &ix->v[i];
		if (e->key == 0)
			continue;
		v[n].e = e;
		v[n].s = key_str(ix, e->key);
		v[n].title = (e->key & K_TITLE) != 0;
		total += strlen(v[n].s) + 6 + (e->len < bitmap_len(e) ?
		    e->len : bitmap_len(e));
		if (!v[n].title) {
			out->st.keys++;
			out->st.postings += e->n;
		}
		n++;
	}
	while (total / nshards > SG_SEARCH_SHARD_BYTES &&
	    nshards < SG_SEARCH_SHARDS_MAX)
		nshards *= 2;
	for (size_t i = 0; i < n; i++)
		v[i].shard = sg_search_shard(v[i].s, nshards);
	qsort(v, n, sizeof(*v), cmp_outkey);

	j.cache = cache;
	j.v = v;
	j.n = nshards;
	j.first = sg_xcalloc(nshards + 1, sizeof(*j.first));
	for (size_t s = 0, i = 0; s <= nshards; s++) {
		while (i < n && v[i].shard < s)
			i++;
		j.first[s] = i;
	}
	j.files = add_files(out, nshards);
	sg_pool_run(nshards, shard_job, &j);
	for (size_t s = 0; s < nshards; s++) {
		out->st.shard_bytes += j.files[s].len;
		if (j.files[s].len > out->st.shard_max)
			out->st.shard_max = j.files[s].len;
	}
	out->st.shards = nshards;
	for (size_t i = 0; i < n; i++)
		free(v[i].s);
	free(v);
	free(j.first);
}

/* The chunks of documents, one job each. */
struct chunk_jobs {
	struct sg_search_docs		*ds;	/* each job frees the fields
						   of its documents */
	size_t				 n;
	struct sg_search_file		*files;
	struct sg_cache			*cache;
};

/* Chunk c's key: the fields of its documents, which tell their numbers
 * too (a document added before them shifts them all). */
static uint64_t
chunk_key(const struct chunk_jobs *j, size_t c)
{
	uint64_t key = sg_cache_mix_str(SG_CACHE_KEY0, "search chunk 1");

	key = sg_cache_mix_u64(key, j->n);
	for (size_t i = c * SG_SEARCH_CHUNK;
	    i < j->ds->n && i < (c + 1) * SG_SEARCH_CHUNK; i++) {
		const struct sg_search_doc *d = &j->ds->v[i];
		key = sg_cache_mix_u64(key, (uint64_t)d->kind << 32 |
		    (uint32_t)d->year);
		key = sg_cache_mix_str(key, d->title);
		key = sg_cache_mix_str(key, d->url);
		key = sg_cache_mix_str(key, d->context);
		key = sg_cache_mix_str(key, d->snippet);
		key = sg_cache_mix_str(key, d->passage);
	}
	return key;
}

static void
chunk_job(void *arg, size_t c)
{
	struct chunk_jobs *j = arg;
	struct sg_search_docs *ds = j->ds;
	struct sg_buf b = {0};
	uint64_t key = j->cache ? chunk_key(j, c) : 0;
	char *name, *path;

	name = sg_search_part_name(c, j->n);
	path = sg_xasprintf("search/d/%s", name);
	free(name);
	if (j->cache && file_cached(j->cache, &j->files[c], path, key)) {
		for (size_t i = c * SG_SEARCH_CHUNK;
		    i < ds->n && i < (c + 1) * SG_SEARCH_CHUNK; i++) {
			free(ds->v[i].passage);
			ds->v[i].passage = NULL;
		}
		return;
	}
	sg_buf_putc(&b, '[');
	for (size_t i = c * SG_SEARCH_CHUNK;
	    i < ds->n && i < (c + 1) * SG_SEARCH_CHUNK; i++) {
		struct sg_search_doc *d = &ds->v[i];
		sg_buf_printf(&b, "%s[%d,%d,", i % SG_SEARCH_CHUNK ?
		    ",\n" : "", d->kind, d->year);
		sg_buf_json(&b, d->title);
		sg_buf_putc(&b, ',');
		sg_buf_json(&b, d->url);
		sg_buf_putc(&b, ',');
		sg_buf_json(&b, d->context);
		sg_buf_putc(&b, ',');
		sg_buf_json(&b, d->snippet);
		sg_buf_putc(&b, ',');
		sg_buf_json(&b, d->passage);
		sg_buf_putc(&b, ']');
		/* Written: the passages and the chunks are not both held
		 * whole. */
		free(d->passage);
		d->passage = NULL;
	}
	sg_buf_puts(&b, "]\n");
	file_made(j->cache, &j->files[c], path, &b, key);
}

/* search/d/: the documents, SG_SEARCH_CHUNK to a file. */
static void
write_chunks(struct sg_search_index *out, struct sg_search_docs *ds,
    struct sg_cache *cache)
{
	struct chunk_jobs j = {ds, 0, NULL, cache};

	j.n = (ds->n + SG_SEARCH_CHUNK - 1) / SG_SEARCH_CHUNK;
	j.files = add_files(out, j.n);
	sg_pool_run(j.n, chunk_job, &j);
	for (size_t c = 0; c < j.n; c++)
		out->st.doc_bytes += j.files[c].len;
	out->st.chunks = j.n;
}

/*
 * Building runs on the render pool.  The cases, chapters and indicator
 * tables (units) are split into runs of about equal Markdown; one job
 * per run makes each unit's documents and indexes them right away,
 * numbered from 0 within the run, then drops their text: only the
 * fields of search/d/ stay.  The runs' indexes are merged in order,
 * each run's numbers shifted by the documents before it, which gives
 * the same postings as indexing every document one after another.
 */

/* What one extraction job turns into documents. */
struct unit {
	enum { U_CASE, U_PREFACE, U_CHAPTER, U_INDICATORS } kind;
	struct sg_report	*r;
	size_t			 i;
	size_t			 weight;	/* unit_weight */
	struct sg_search_docs	 ds;
	char			*name;		/* its file, or its report's
						   folder for the indicators */
	int			 group;		/* with a cache: it begins a
						   group (see index_group) */
};

static void
unit_docs(struct unit *u)
{
	struct sg_report *r = u->r;
	char *s;

	switch (u->kind) {
	case U_CASE:
		/* Made when the case was parsed, if it could be. */
		if (sg_md_search_take(&r->cases[u->i].doc, &u->ds) == 0)
			sg_search_docs_case(&u->ds, r->year, &r->cases[u->i]);
		break;
	case U_PREFACE:
		s = sg_xasprintf("%d/", r->year);
		sg_search_docs_chapter(&u->ds, r->year, r->preface,
		    r->preface->title ? r->preface->title : r->title, s);
		free(s);
		break;
	case U_CHAPTER:
		s = sg_theme_word(u->ds.theme, "chapter_heading", "number",
		    r->chapters[u->i].number, "title",
		    r->chapters[u->i].doc.title, NULL);
		sg_search_docs_chapter(&u->ds, r->year,
		    &r->chapters[u->i].doc, s, r->chapters[u->i].doc.page);
		free(s);
		break;
	case U_INDICATORS:
		sg_search_docs_indicators(&u->ds, r);
		break;
	}
}

/* About how much text a unit gives, to split the work evenly. */
static size_t
unit_weight(const struct unit *u)
{
	const struct sg_report *r = u->r;
	size_t w = 64;

	switch (u->kind) {
	case U_CASE:
		w += r->cases[u->i].doc.size;
		break;
	case U_PREFACE:
		w += r->preface->size;
		break;
	case U_CHAPTER:
		w += r->chapters[u->i].doc.size;
		break;
	case U_INDICATORS:
		for (size_t i = 0; i < r->nindicators; i++)
			if (r->indicators[i].table)
				w += 16 * r->indicators[i].table->nrows *
				    r->indicators[i].table->ncols;
		break;
	}
	return w;
}

/* Runs per thread (for balance), and the text a run has at least: below
 * that, merging costs more than the threads save. */
#define RUNS_PER_THREAD	2
#define RUN_MIN		(64 * 1024)

/* A run of units and its index, whose documents are numbered from 0. */
struct run {
	size_t		 lo, hi;	/* units */
	struct index	 ix;
	size_t		 ndocs;
};

struct runs {
	struct sg_cache	*cache;
	struct unit	*u;
	struct run	*v;
	size_t		 n;
};

static void
index_clear(struct index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->v[i].gaps);
	free(ix->v);
	free(ix->seen);
	sg_map_clear(&ix->words);
	sg_strv_clear(&ix->wordv);
	memset(ix, 0, sizeof(*ix));
}

/* Appends src's postings to dst, their numbers shifted by off (all past
 * dst's); src is left empty. */
static void
merge(struct index *dst, struct index *src, int off)
{
	for (size_t i = 0; i < src->cap; i++) {
		struct entry *e = &src->v[i], *d;
		uint64_t k = e->key;
		size_t j = 0;
		int first = 0;

		if (k == 0)
			continue;
		if (k & K_WORD)
			k = word_key(dst,
			    src->wordv.v[k & ~(K_WORD | K_TITLE)]) |
			    (k & K_TITLE);
		d = entry_get(dst, k);
		/* src's first gap is its first document: written again as
		 * the gap from dst's last. */
		for (; j < e->len; j++) {
			char c = e->gaps[j];
			if (c >= 'A' && c <= 'Z') {
				first = first * 26 + (c - 'A');
				continue;
			}
			first = first * 36 +
			    (c <= '9' ? c - '0' : c - 'a' + 10);
			j++;
			break;
		}
		first += off;
		put_gap(d, d->n ? first - d->last : first);
		gaps_room(d, e->len - j);
		memcpy(d->gaps + d->len, e->gaps + j, e->len - j);
		d->len += (uint32_t)(e->len - j);
		d->last = e->last + off;
		d->n += e->n;
	}
	index_clear(src);
}

/*
 * With a cache, a run indexes its units in groups, each on its own, its
 * documents numbered from 0, and merges each into the run's index as the
 * runs are merged: a group whose documents' indexed text (title, text
 * and body or passage) is unchanged takes its postings from the cache
 * instead of tokenizing and posting them again.  A group begins at a unit
 * whose name hashes to 0 modulo the group size (group_every), so that a
 * unit added or removed changes the group it is in only, and the numbers
 * a group's documents have in the index (which move then) are not in its
 * entry.  Groups are large: most keys are in few documents, and a group
 * costs its keys to merge, so that small ones cost a warm build about
 * what posting every document does.
 */
#define GROUPS		32	/* about, in a site */
#define GROUP_MAX	256	/* units, on average */

/* Units in a group on average among n: a power of two, at least 4. */
static size_t
group_every(size_t n)
{
	size_t every = 4;

	while (every < GROUP_MAX && every * GROUPS < n)
		every *= 2;
	return every;
}

/* A key as a cache entry writes it: its title bit, and a word as its
 * text, since word numbers follow the order words are first met. */
static void
key_write(struct sg_buf *b, const struct index *ix, uint64_t k)
{
	uint64_t t = k & K_TITLE ? 2 : 0;

	if (k & K_WORD) {
		sg_cache_w_u64(b, t | 1);
		sg_cache_w_str(b, ix->wordv.v[k & ~(K_WORD | K_TITLE)]);
	} else
		sg_cache_w_u64(b, (k & ~K_TITLE) << 2 | t);
}

/* key_write's key, 0 if it is damaged. */
static uint64_t
key_read(struct sg_cache_r *r, struct index *ix)
{
	uint64_t v = sg_cache_r_u64(r), k = v >> 2;
	char *w;

	if (v & 1) {
		w = sg_cache_r_str(r);
		if (w == NULL || *w == '\0' || strlen(w) > WORD_MAX || k != 0) {
			free(w);
			return 0;
		}
		k = word_key(ix, w);
		free(w);
	} else if (k & K_WORD)
		return 0;
	return k == 0 ? 0 : v & 2 ? k | K_TITLE : k;
}

/* A group's index g of ndocs documents as its entry. */
static void
group_write(struct sg_buf *b, const struct index *g, size_t ndocs)
{
	sg_cache_w_u64(b, ndocs);
	sg_cache_w_u64(b, g->n);
	for (size_t i = 0; i < g->cap; i++) {
		const struct entry *e = &g->v[i];
		if (e->key == 0)
			continue;
		key_write(b, g, e->key);
		sg_cache_w_u64(b, e->n);
		sg_cache_w_u64(b, (uint64_t)e->last);
		sg_cache_w_u64(b, e->len);
		sg_buf_add(b, e->gaps, e->len);
	}
}

/* 1 if gaps (len bytes) are n documents, the last one last. */
static int
gaps_check(const char *gaps, size_t len, uint64_t n, uint64_t last)
{
	uint64_t acc = 0, id = 0, k = 0, gap;

	for (size_t i = 0; i < len; i++) {
		char c = gaps[i];
		if (c >= 'A' && c <= 'Z') {
			acc = acc * 26 + (uint64_t)(c - 'A');
			if (acc > INT32_MAX)
				return 0;
			continue;
		}
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
			return 0;
		gap = acc * 36 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		acc = 0;
		/* Ascending: only the first may be 0. */
		if ((k > 0 && gap == 0) || (id += gap) > last)
			return 0;
		k++;
	}
	return len > 0 && (gaps[len - 1] < 'A' || gaps[len - 1] > 'Z') &&
	    k == n && id == last;
}

/* group_write's entry into the empty index g; -1 if it is damaged. */
static int
group_read(struct index *g, const char *data, size_t len, size_t ndocs)
{
	struct sg_cache_r r;
	uint64_t n;

	sg_cache_r_init(&r, data, len);
	if (sg_cache_r_u64(&r) != ndocs || (n = sg_cache_r_u64(&r)) > len)
		return -1;
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		uint64_t k = key_read(&r, g), np = sg_cache_r_u64(&r);
		uint64_t last = sg_cache_r_u64(&r), gl = sg_cache_r_u64(&r);
		struct entry *e;

		if (k == 0 || r.bad || gl > (uint64_t)(r.end - r.p) ||
		    last >= ndocs || np == 0 ||
		    !gaps_check((const char *)r.p, gl, np, last))
			return -1;
		e = entry_get(g, k);
		if (e->n)
			return -1;	/* twice */
		e->gaps = sg_xmalloc(gl);
		memcpy(e->gaps, r.p, gl);
		e->len = e->cap = (uint32_t)gl;
		e->n = (uint32_t)np;
		e->last = (int)last;
		r.p += gl;
	}
	return sg_cache_r_done(&r) ? 0 : -1;
}

/* Indexes units lo … hi - 1, a group, into ix as documents *id on
 * (which *id moves past), from the cache or made and kept there. */
static void
index_group(struct sg_cache *c, struct unit *units, size_t lo, size_t hi,
    struct index *ix, int *id)
{
	uint64_t key = sg_cache_mix_str(SG_CACHE_KEY0, "search group 1");
	struct index g = {0};
	size_t ndocs = 0, len;
	const char *data;
	int hit = 0;

	for (size_t i = lo; i < hi; i++) {
		unit_docs(&units[i]);
		for (size_t k = 0; k < units[i].ds.n; k++, ndocs++) {
			const struct sg_search_doc *d = &units[i].ds.v[k];
			key = sg_cache_mix_str(key, d->title);
			key = sg_cache_mix_str(key, d->text.data);
			key = sg_cache_mix_str(key, doc_rest(d));
		}
	}
	key = sg_cache_mix_u64(key, ndocs);
	if (sg_cache_get(c, "search", units[lo].name, key, &data, &len)) {
		hit = group_read(&g, data, len, ndocs) == 0;
		if (!hit)
			index_clear(&g);
		sg_cache_done(c, data);
	}
	if (!hit) {
		struct sg_buf b = {0};
		int gid = 0;

		/* The run's table of keys seen, whose slots hold numbers of
		 * the run's documents: cleared for the group's. */
		g.seen = ix->seen;
		memset(g.seen, 0, SEEN_SLOTS * sizeof(*g.seen));
		for (size_t i = lo; i < hi; i++)
			for (size_t k = 0; k < units[i].ds.n; k++, gid++)
				index_all(&g, gid, &units[i].ds.v[k],
				    doc_rest(&units[i].ds.v[k]));
		g.seen = NULL;
		group_write(&b, &g, ndocs);
		sg_cache_put(c, "search", units[lo].name, key, b.data, b.len);
		sg_buf_clear(&b);
	}
	for (size_t i = lo; i < hi; i++)
		for (size_t k = 0; k < units[i].ds.n; k++) {
			sg_buf_clear(&units[i].ds.v[k].text);
			sg_buf_clear(&units[i].ds.v[k].body);
		}
	merge(ix, &g, *id);
	*id += (int)ndocs;
}

static void
run_job(void *arg, size_t t)
{
	struct runs *rs = arg;
	struct run *rn = &rs->v[t];
	struct index *ix = &rn->ix;
	int id = 0;

	ix->seen = sg_xcalloc(SEEN_SLOTS, sizeof(*ix->seen));
	for (size_t i = rn->lo; i < rn->hi; i++) {
		struct unit *u = &rs->u[i];
		if (rs->cache) {
			size_t end = i + 1;
			while (end < rn->hi && !rs->u[end].group)
				end++;
			index_group(rs->cache, rs->u, i, end, ix, &id);
			i = end - 1;
			continue;
		}
		unit_docs(u);
		for (size_t k = 0; k < u->ds.n; k++, id++) {
			struct sg_search_doc *d = &u->ds.v[k];
			index_all(ix, id, d, doc_rest(d));
			sg_buf_clear(&d->text);
			sg_buf_clear(&d->body);
		}
	}
	free(ix->seen);
	ix->seen = NULL;
	rn->ndocs = (size_t)id;
}

void
sg_search_build(struct sg_site *site, struct sg_search_index *out)
{
	struct sg_search_docs ds = {0};
	struct unit *units;
	struct runs rs = {0};
	struct sg_buf b = {0};
	size_t nu = 0, max = 0, total = 0, nruns, acc = 0, off, every;
	uint32_t stamp = SG_FNV32_INIT;

	memset(out, 0, sizeof(*out));
	out->cache = site->cache;
	for (size_t y = 0; y < site->nreports; y++)
		max += site->reports[y].ncases + site->reports[y].nchapters + 2;
	units = sg_xcalloc(max + 1, sizeof(*units));
	/* Newest year first: documents are numbered in the order hits of
	 * equal score are shown.  Within a year, cases first: on equal rank
	 * a case is what a reader wants. */
	for (size_t y = site->nreports; y > 0; y--) {
		struct sg_report *r = &site->reports[y - 1];
		for (size_t i = 0; i < r->ncases; i++)
			units[nu++] = (struct unit){U_CASE, r, i, 0, {0},
			    sg_xstrdup(r->cases[i].doc.path), 0};
		if (r->preface)
			units[nu++] = (struct unit){U_PREFACE, r, 0, 0, {0},
			    sg_xstrdup(r->preface->path), 0};
		for (size_t i = 0; i < r->nchapters; i++)
			units[nu++] = (struct unit){U_CHAPTER, r, i, 0, {0},
			    sg_xstrdup(r->chapters[i].doc.path), 0};
		if (r->nindicators)
			units[nu++] = (struct unit){U_INDICATORS, r, 0, 0, {0},
			    sg_xasprintf("%s/indicators", r->dir), 0};
	}
	every = group_every(nu);
	for (size_t u = 0; u < nu; u++)
		units[u].group = u == 0 || sg_fnv1a32(SG_FNV32_INIT,
		    units[u].name, strlen(units[u].name)) % every == 0;

	for (size_t u = 0; u < nu; u++)
		units[u].ds.theme = site->parts;
	/* Runs of about total / nruns each; a unit is never split. */
	for (size_t u = 0; u < nu; u++)
		total += units[u].weight = unit_weight(&units[u]);
	nruns = sg_pool_threads() > 1 ?
	    (size_t)sg_pool_threads() * RUNS_PER_THREAD : 1;
	if (nruns > total / RUN_MIN)
		nruns = total / RUN_MIN;
	if (nruns > nu)
		nruns = nu;
	if (nruns == 0)
		nruns = 1;
	rs.cache = site->cache;
	rs.u = units;
	rs.v = sg_xcalloc(nruns, sizeof(*rs.v));
	for (size_t u = 0; u < nu; u++) {
		acc += units[u].weight;
		/* With a cache, a group is never split either. */
		if (rs.n + 1 < nruns && acc >= (rs.n + 1) * (total / nruns) &&
		    (site->cache == NULL || (u + 1 < nu && units[u + 1].group))) {
			rs.v[rs.n].hi = u + 1;
			rs.v[++rs.n].lo = u + 1;
		}
	}
	rs.v[rs.n++].hi = nu;
	sg_pool_run(rs.n, run_job, &rs);

	for (size_t u = 0; u < nu; u++)
		ds.cap += units[u].ds.n;
	ds.v = sg_xcalloc(ds.cap + 1, sizeof(*ds.v));
	for (size_t u = 0; u < nu; u++) {
		if (units[u].ds.n)
			memcpy(ds.v + ds.n, units[u].ds.v,
			    units[u].ds.n * sizeof(*ds.v));
		ds.n += units[u].ds.n;
		free(units[u].ds.v);
		free(units[u].name);
	}
	free(units);
	off = rs.v[0].ndocs;
	for (size_t t = 1; t < rs.n; t++) {
		merge(&rs.v[0].ix, &rs.v[t].ix, (int)off);
		off += rs.v[t].ndocs;
	}

	add_files(out, 1);
	write_shards(out, &rs.v[0].ix, site->cache);
	write_chunks(out, &ds, site->cache);
	out->st.docs = ds.n;
	for (size_t i = 1; i < out->nfiles; i++) {
		const struct sg_search_file *f = &out->files[i];
		unsigned char sum[4];

		sum_put(sum, f->sum);
		stamp = sg_fnv1a32(stamp, f->path, strlen(f->path));
		stamp = sg_fnv1a32(stamp, sum, sizeof(sum));
	}
	sg_buf_printf(&b, "{\"v\":2,\"docs\":%zu,\"chunk\":%d,\"shards\":%zu,"
	    "\"stamp\":\"%08x\"}\n", ds.n, SG_SEARCH_CHUNK, out->st.shards,
	    (unsigned)stamp);
	set_file(&out->files[0], sg_xstrdup("search/index.json"), &b);
	for (size_t i = 0; i < out->nfiles; i++)
		out->st.bytes += out->files[i].len;

	sg_search_docs_clear(&ds);
	index_clear(&rs.v[0].ix);
	free(rs.v);
}

void
sg_search_clear(struct sg_search_index *ix)
{
	for (size_t i = 0; i < ix->nfiles; i++) {
		free(ix->files[i].path);
		if (ix->files[i].cached)
			sg_cache_done(ix->cache, ix->files[i].data);
		else
			free(ix->files[i].data);
	}
	free(ix->files);
	memset(ix, 0, sizeof(*ix));
}

