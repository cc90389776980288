/*
 * cache: the build cache, which lets a build take what it made of an
 * input last time instead of making it again.  An entry is a kind ("md",
 * "check", "page" …), a name (a content path, an output path) and a key
 * — a hash of everything the entry was made from, which its maker
 * computes — with the bytes made.  A lookup hits only when kind, name and
 * key all match and the entry's bytes are intact, so an entry whose
 * inputs changed is made again, never trusted.
 *
 * The cache lives beside the build stamp (.public.sg-cache next to
 * public/), never inside what is published.  Its file begins with the
 * identity of the program that wrote it (the build ids of the binary and
 * of every library loaded), and a cache written by another program, or
 * one whose index does not check, is ignored as a whole: the build makes
 * everything and writes a new one.  A build with --force reads none.
 *
 * A build keeps only the entries it looked up or made, so that the file
 * follows the site: it is written anew (a temporary file renamed over the
 * old one) by sg_cache_save.  Entries made in the build are streamed to
 * that file as they come, and the ones it hit are copied from the old
 * file, each read only when asked for: memory does not grow with the
 * cache.
 *
 * Safe to use from several threads at once.
 */
#ifndef SG_CACHE_H
#define SG_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct sg_cache;

/*
 * The cache for the output folder out: opens the file beside it when
 * read is set (a missing, foreign or broken file is an empty cache, and
 * sg_cache_why says which), and starts the new one.  NULL if the new one
 * cannot be made (the folder beside out is not writable): a build then
 * goes on without a cache.  Free with sg_cache_free.
 */
struct sg_cache *sg_cache_open(const char *out, int read);
/* What sg_cache_open found: "" when the cache was read, else why not.
 * A string c owns. */
const char *sg_cache_why(const struct sg_cache *c);

/*
 * 1 if the cache holds an intact entry (kind, name) made with key: *data
 * and *len get its bytes, which c owns until sg_cache_free, and the entry
 * is kept for the next build.  0 otherwise.  c may be NULL (always 0).
 * The bytes are NUL-terminated, and stay until sg_cache_done or
 * sg_cache_free.
 */
int sg_cache_get(struct sg_cache *c, const char *kind, const char *name,
    uint64_t key, const char **data, size_t *len);
/* The caller is done with the bytes sg_cache_get gave at data: they are
 * freed now instead of with c.  c may be NULL. */
void sg_cache_done(struct sg_cache *c, const char *data);
/* Where bytes sg_cache_get gave at data are in the last build's file, for
 * sg_cache_fetch (add the offset of what is wanted in them). */
#define SG_CACHE_OLD	(1ULL << 63)
uint64_t sg_cache_at(const char *data);
/*
 * Records what was made for (kind, name) with key; the bytes are copied.
 * An entry made twice in one build keeps the last.  c may be NULL.
 * Returns where the bytes went in the new file, for sg_cache_fetch, or
 * UINT64_MAX if they were not written.
 */
uint64_t sg_cache_put(struct sg_cache *c, const char *kind, const char *name,
    uint64_t key, const void *data, size_t len);
/*
 * Reads len bytes back from at in the new file (at being what
 * sg_cache_put returned, plus an offset into its bytes) or the old one
 * (what sg_cache_at gave, plus an offset): what a build made or took
 * early and needs late need not stay in memory meanwhile.  A
 * NUL-terminated copy the caller frees, or NULL if it cannot (c is NULL,
 * or saved already).
 */
char *sg_cache_fetch(struct sg_cache *c, uint64_t at, size_t len);
/*
 * Writes the new cache in place of the old: the entries hit and made in
 * this build.  0, or -1 when it could not (the old file is left, and is
 * as good as before).
 */
int sg_cache_save(struct sg_cache *c);
/* Lookups that hit and missed so far (for -v and tests). */
void sg_cache_counts(const struct sg_cache *c, size_t *hits, size_t *misses);
/* Removes an unsaved new cache and frees c (NULL is fine). */
void sg_cache_free(struct sg_cache *c);
/* The cache's file name for out: ".public.sg-cache" beside it.  Caller
 * frees. */
char *sg_cache_path(const char *out);

/* ---- keys ---- */

/* A key of nothing yet: add inputs with sg_cache_mix*. */
#define SG_CACHE_KEY0	0x243F6A8885A308D3ull
/* The key k with len bytes at p added, and with a string (NULL is not
 * ""), and with a number. */
uint64_t sg_cache_mix(uint64_t k, const void *p, size_t len);
uint64_t sg_cache_mix_str(uint64_t k, const char *s);
uint64_t sg_cache_mix_u64(uint64_t k, uint64_t v);

/* ---- entry bytes ---- */

/* Writing an entry: into a buffer, each value with its length. */
void sg_cache_w_u64(struct sg_buf *b, uint64_t v);
void sg_cache_w_i64(struct sg_buf *b, int64_t v);
void sg_cache_w_dbl(struct sg_buf *b, double v);
/* A string, NULL kept apart from "". */
void sg_cache_w_str(struct sg_buf *b, const char *s);
void sg_cache_w_strv(struct sg_buf *b, const struct sg_strv *v);

/* Findings d->v[from] on, with their rule ids. */
struct sg_diag;
void sg_cache_w_diag(struct sg_buf *b, const struct sg_diag *d, size_t from);

/* Reading one back: a reader over the bytes sg_cache_get gave.  A read
 * past the end or of a malformed value sets bad and gives 0 / NULL; the
 * caller checks bad once at the end and, if set, makes the entry again. */
struct sg_cache_r {
	const unsigned char	*p, *end;
	int			 bad;
};
void sg_cache_r_init(struct sg_cache_r *r, const char *data, size_t len);
uint64_t sg_cache_r_u64(struct sg_cache_r *r);
int64_t sg_cache_r_i64(struct sg_cache_r *r);
double sg_cache_r_dbl(struct sg_cache_r *r);
/* A string (caller frees), or NULL for a NULL written. */
char *sg_cache_r_str(struct sg_cache_r *r);
/* A string's bytes where they are (no NUL after them), for a caller that
 * keeps them as long as the cache; NULL for a NULL written. */
const char *sg_cache_r_view(struct sg_cache_r *r, size_t *len);
/* Appends the strings to v. */
void sg_cache_r_strv(struct sg_cache_r *r, struct sg_strv *v);
/* Adds the findings written to d; rule maps a rule id read back to the
 * static string findings hold (NULL: not a rule, and r is bad). */
void sg_cache_r_diag(struct sg_cache_r *r, struct sg_diag *d,
    const char *(*rule)(const char *id));
/* 1 if r read every byte and nothing was bad. */
int sg_cache_r_done(const struct sg_cache_r *r);

#endif
