/*
 * withdrawal: published content taken down without rewriting history.
 *
 * `site-gen withdraw` records a withdrawal as an annotated tag
 * withdrawal/<year>/w<K> on the revision it names (publish.c writes it).
 * The record holds what identifies the withdrawn bytes — the file's git
 * blob, or the length and SHA-256 of a passage of it — never the bytes
 * themselves.  Every tagged tree the site is rendered from is then read
 * through a source that puts a notice where those bytes were, in every
 * revision that published them, so no page, download, search index or
 * feed holds them again.
 */
#ifndef SG_WITHDRAWAL_H
#define SG_WITHDRAWAL_H

#include <stddef.h>

struct git_tree;
struct sg_source;

struct sg_withdrawal {
	char	*tag;		/* withdrawal/2024/w1 */
	int	 year;
	int	 from;		/* the revision it names: r<from> */
	char	*path;		/* site-relative: content/2024/tables/x.csv */
	char	 blob[41];	/* the file's blob in r<from>, hex */
	char	 sha256[65];	/* of the bytes withdrawn (file or passage) */
	size_t	 passage;	/* bytes of the passage; 0: the whole file */
	char	*reason;
	char	 date[11];	/* YYYY-MM-DD, the tagger's zone */
	char	 iso[21];	/* YYYY-MM-DDTHH:MM:SSZ */
	long long time;
};

/* The tag message for w (its tag, date and time are the tag's own).
 * Caller frees. */
char *sg_withdrawal_message(const struct sg_withdrawal *w);
/* Reads a withdrawal tag's message into w (path, blob, sha256, passage,
 * reason, year, from).  0, or -1 if it is not one. */
int sg_withdrawal_parse(const char *msg, struct sg_withdrawal *w);
void sg_withdrawal_clear(struct sg_withdrawal *w);

/*
 * Where in data (len bytes) the passage w names starts, found by its
 * length and SHA-256 at character boundaries; -1 if it is not there.
 */
long sg_withdrawal_find(const struct sg_withdrawal *w, const char *data,
    size_t len);

/*
 * A source over tree (a site folder's tree) in which each of the n
 * withdrawals that applies — same path, and the same blob or the passage
 * found in it — reads as its notice: a Markdown file as a page that says
 * it was withdrawn, with the reason and date; a CSV as a one-cell table
 * saying so; a passage replaced in place; any other file (an image) as
 * absent.  v is borrowed and must outlive the source.  NULL if libgit2
 * fails.  Free with sg_source_free.
 */
struct sg_source *sg_withdrawal_source(const struct git_tree *tree,
    const struct sg_withdrawal *v, size_t n);

#endif
