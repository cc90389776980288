/*
 * match: many words looked for at once.  An automaton (Aho–Corasick, as a
 * table over the bytes the words use) is built once from a word list, and
 * a text is then read once, byte by byte, however many words there are —
 * instead of one strstr or strncmp per word.  The reviewer's word lists
 * (check_data.c) are searched with it.
 */
#ifndef SG_MATCH_H
#define SG_MATCH_H

#include <stddef.h>

struct sg_match;

/*
 * The automaton of the n words (NUL-terminated bytes; empty words are
 * never found).  The words are copied only as far as the automaton needs:
 * they may be freed after.  Caller frees with sg_match_free.
 */
struct sg_match *sg_match_new(const char *const *words, size_t n);
void sg_match_free(struct sg_match *m);

/* The length of the longest of the words that s starts with, or 0. */
size_t sg_match_at(const struct sg_match *m, const char *s);

/* The index of the first of the words (in the order given) that s
 * contains anywhere, or SG_MATCH_NONE. */
#define SG_MATCH_NONE	((size_t)-1)
size_t sg_match_first(const struct sg_match *m, const char *s);

/*
 * Calls fn(arg, word, end) for each place where one of the words ends in
 * s — end is the offset just past it — in the order of end, and at one
 * end the longer words first; a word given twice is reported twice.
 */
void sg_match_each(const struct sg_match *m, const char *s,
    void (*fn)(void *arg, size_t word, size_t end), void *arg);

#endif
