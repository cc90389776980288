/*
 * match: Aho–Corasick over bytes.  The trie of the words is completed into
 * a deterministic automaton: delta[state][class] is the next state for
 * every byte, so reading a text costs one table look-up a byte.  Bytes
 * that no word uses share class 0, which keeps a table row as wide as the
 * word list's alphabet (a list of Chinese words uses a few dozen bytes).
 * A state's depth tells a trie edge (depth + 1) from a fall back, which
 * lets sg_match_at walk the trie alone.  Once built, the table holds row
 * offsets (state << shift, rows a power of two wide) and hit[] says
 * whether any word ends at a state: a byte of text costs a few
 * instructions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "util.h"

#define NONE	UINT32_MAX

struct sg_match {
	unsigned char	 cls[256];	/* byte → class; 0: in no word */
	size_t		 ncls;		/* a power of two */
	unsigned	 shift;		/* log2 of ncls */
	unsigned char	*hit;		/* a word ends at the state */
	size_t		 nstates;
	uint32_t	*delta;		/* nstates × ncls */
	uint32_t	*depth;		/* length of the state's string */
	uint32_t	*own;		/* first word that is the state's
					   string, or NONE */
	uint32_t	*out;		/* first word that is a suffix of it */
	uint32_t	*dict;		/* the longest proper suffix that is a
					   word, or 0 */
	uint32_t	*same;		/* word → the next word written the
					   same, or NONE */
	size_t		 nwords;
};

static uint32_t
new_state(struct sg_match *m, size_t *cap, uint32_t depth)
{
	uint32_t q = (uint32_t)m->nstates++;

	if (m->nstates > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		m->delta = sg_xrealloc(m->delta, *cap * m->ncls *
		    sizeof(*m->delta));
		m->depth = sg_xrealloc(m->depth, *cap * sizeof(*m->depth));
		m->own = sg_xrealloc(m->own, *cap * sizeof(*m->own));
	}
	for (size_t c = 0; c < m->ncls; c++)
		m->delta[q * m->ncls + c] = NONE;
	m->depth[q] = depth;
	m->own[q] = NONE;
	return q;
}

struct sg_match *
sg_match_new(const char *const *words, size_t n)
{
	struct sg_match *m = sg_xcalloc(1, sizeof(*m));
	size_t cap = 0, head = 0, tail = 0;
	uint32_t *fail, *queue;

	m->ncls = 1;
	for (size_t i = 0; i < n; i++)
		for (const unsigned char *p = (const unsigned char *)words[i];
		    *p; p++)
			if (m->cls[*p] == 0)
				m->cls[*p] = (unsigned char)m->ncls++;
	while (((size_t)1 << m->shift) < m->ncls)
		m->shift++;
	m->ncls = (size_t)1 << m->shift;
	new_state(m, &cap, 0);
	m->nwords = n;
	m->same = sg_xmalloc((n ? n : 1) * sizeof(*m->same));
	for (size_t i = 0; i < n; i++)
		m->same[i] = NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t q = 0;
		if (*words[i] == '\0')
			continue;
		for (const unsigned char *p = (const unsigned char *)words[i];
		    *p; p++) {
			uint32_t *t = &m->delta[q * m->ncls + m->cls[*p]];
			if (*t == NONE) {
				uint32_t u = new_state(m, &cap, m->depth[q] + 1);
				/* new_state may have moved the table. */
				t = &m->delta[q * m->ncls + m->cls[*p]];
				*t = u;
			}
			q = *t;
		}
		if (m->own[q] == NONE)
			m->own[q] = (uint32_t)i;
		else {
			uint32_t k = m->own[q];
			while (m->same[k] != NONE)
				k = m->same[k];
			m->same[k] = (uint32_t)i;
		}
	}
	/* Breadth first, so that a state's fall back is complete before its
	 * children are looked at. */
	fail = sg_xcalloc(m->nstates, sizeof(*fail));
	queue = sg_xcalloc(m->nstates, sizeof(*queue));
	m->out = sg_xcalloc(m->nstates, sizeof(*m->out));
	m->dict = sg_xcalloc(m->nstates, sizeof(*m->dict));
	m->out[0] = NONE;
	for (size_t c = 0; c < m->ncls; c++) {
		uint32_t u = m->delta[c];
		if (u == NONE)
			m->delta[c] = 0;
		else {
			fail[u] = 0;
			m->out[u] = m->own[u];
			queue[tail++] = u;
		}
	}
	while (head < tail) {
		uint32_t q = queue[head++];
		for (size_t c = 0; c < m->ncls; c++) {
			uint32_t *t = &m->delta[q * m->ncls + c];
			uint32_t f = m->delta[fail[q] * m->ncls + c];
			if (*t == NONE) {
				*t = f;
				continue;
			}
			fail[*t] = f;
			m->dict[*t] = m->own[f] != NONE ? f : m->dict[f];
			m->out[*t] = m->own[*t] < m->out[f] ? m->own[*t] :
			    m->out[f];
			queue[tail++] = *t;
		}
	}
	free(fail);
	free(queue);
	/* The rows doubled as states were added: kept for the run, without
	 * the slack. */
	m->delta = sg_xrealloc(m->delta, m->nstates * m->ncls *
	    sizeof(*m->delta));
	m->depth = sg_xrealloc(m->depth, m->nstates * sizeof(*m->depth));
	m->own = sg_xrealloc(m->own, m->nstates * sizeof(*m->own));
	m->hit = sg_xmalloc(m->nstates);
	for (size_t q = 0; q < m->nstates; q++)
		m->hit[q] = m->own[q] != NONE || m->dict[q] != 0;
	for (size_t k = 0; k < m->nstates * m->ncls; k++)
		m->delta[k] <<= m->shift;
	return m;
}

void
sg_match_free(struct sg_match *m)
{
	if (m == NULL)
		return;
	free(m->delta);
	free(m->depth);
	free(m->own);
	free(m->out);
	free(m->dict);
	free(m->same);
	free(m->hit);
	free(m);
}

size_t
sg_match_at(const struct sg_match *m, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t q = 0;
	size_t best = 0;

	for (size_t i = 0; p[i]; i++) {
		uint32_t u = m->delta[q + m->cls[p[i]]] >> m->shift;
		if (m->depth[u] != i + 1)
			break;
		q = u << m->shift;
		if (m->own[u] != NONE)
			best = i + 1;
	}
	return best;
}

size_t
sg_match_first(const struct sg_match *m, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t q = 0, best = NONE;

	for (; *p; p++) {
		q = m->delta[q + m->cls[*p]];
		if (m->hit[q >> m->shift] && m->out[q >> m->shift] < best &&
		    (best = m->out[q >> m->shift]) == 0)
			break;
	}
	return best == NONE ? SG_MATCH_NONE : best;
}

void
sg_match_each(const struct sg_match *m, const char *s,
    void (*fn)(void *arg, size_t word, size_t end), void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t q = 0;

	for (size_t i = 0; p[i]; i++) {
		q = m->delta[q + m->cls[p[i]]];
		if (!m->hit[q >> m->shift])
			continue;
		uint32_t u = q >> m->shift;
		for (uint32_t t = m->own[u] != NONE ? u : m->dict[u]; t != 0;
		    t = m->dict[t])
			for (uint32_t w = m->own[t]; w != NONE; w = m->same[w])
				fn(arg, w, i + 1);
	}
}
