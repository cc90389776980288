/*
 * textdiff: sentence- and word-level differences of report text.  Both
 * levels use Myers' O(ND) shortest edit script over items compared by
 * hash and bytes; a common head and tail are cut first, so an amendment
 * of a few sentences in a long chapter costs little.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textdiff.h"
#include "util.h"

/* Beyond this many items (after the common head and tail are cut), or
 * this many edits, the middle is shown as one replacement rather than
 * diffed: Myers keeps O(D²) state, 16 MB at MAX_EDITS. */
#define MAX_ITEMS	100000
#define MAX_EDITS	2000
/* words(): an unchanged token folded into the changes around it. */
#define BOTH		3

struct item {
	const char	*s;
	size_t		 len;
	uint64_t	 h;
	int		 nl;	/* sentence: starts a new line */
};

struct items {
	struct item	*v;
	size_t		 n;
	size_t		 cap;
};

static uint64_t
hash(const char *s, size_t n)
{
	return sg_fnv1a64(SG_FNV64_INIT, s, n);
}

static void
push(struct items *it, const char *s, size_t len, int nl)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 64;
		it->v = sg_xrealloc(it->v, it->cap * sizeof(*it->v));
	}
	it->v[it->n].s = s;
	it->v[it->n].len = len;
	it->v[it->n].h = hash(s, len);
	it->v[it->n].nl = nl;
	it->n++;
}

static int
eq(const struct item *a, const struct item *b)
{
	return a->h == b->h && a->len == b->len &&
	    memcmp(a->s, b->s, a->len) == 0;
}

/* Sentence ends and what may follow them. */
static int
is_end(int cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B;
}

static int
is_closer(int cp)
{
	return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F ||
	    cp == 0xFF09 || cp == 0x3011 || cp == 0x300B || cp == ')' ||
	    cp == '"';
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Adds [s, e) trimmed, if anything is left. */
static void
add_trimmed(struct items *it, const char *s, const char *e, int *nl)
{
	while (s < e && is_space((unsigned char)*s))
		s++;
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	/* A full-width space (U+3000) is also space at the ends. */
	while (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
		s += 3;
	while (e - s >= 3 && memcmp(e - 3, "\xe3\x80\x80", 3) == 0)
		e -= 3;
	if (s < e) {
		push(it, s, (size_t)(e - s), *nl);
		*nl = 0;
	}
}

static void
split(const char *text, struct items *it)
{
	const char *p = text, *start = text;
	int nl = 1;

	while (*p) {
		if (*p == '\n') {
			add_trimmed(it, start, p, &nl);
			nl = 1;
			start = ++p;
			continue;
		}
		const char *q = p;
		int cp = sg_utf8_next(&q);
		if (cp < 0) {
			p++;
			continue;
		}
		p = q;
		if (!is_end(cp))
			continue;
		for (;;) {
			const char *r = p;
			int c2 = sg_utf8_next(&r);
			if (c2 >= 0 && (is_end(c2) || is_closer(c2)))
				p = r;
			else
				break;
		}
		add_trimmed(it, start, p, &nl);
		start = p;
	}
	add_trimmed(it, start, p, &nl);
}

void
sg_textdiff_sentences(const char *text, struct sg_strv *out)
{
	struct items it = {0};

	split(text, &it);
	for (size_t i = 0; i < it.n; i++)
		sg_strv_push(out, sg_xstrndup(it.v[i].s, it.v[i].len));
	free(it.v);
}

/* Word tokens: a run of ASCII letters and digits (with . % inside numbers),
 * a run of spaces, or one other code point. */
static void
tokens(const char *s, size_t len, struct items *it)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *q = p;
		unsigned char c = (unsigned char)*p;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z')) {
			while (q < end && (((c = (unsigned char)*q) >= '0' &&
			    c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || c == '.' || c == '%'))
				q++;
		} else if (is_space(c)) {
			while (q < end && is_space((unsigned char)*q))
				q++;
		} else if (sg_utf8_next(&q) < 0 || q > end)
			q = p + 1;
		push(it, p, (size_t)(q - p), 0);
		p = q;
	}
}

/*
 * Myers' shortest edit script between a[0..n) and b[0..m).  Appends one op
 * per step to *ops (EQ consumes one of each, DEL one of a, INS one of b).
 * Returns 0, or -1 if the inputs differ too much to diff.
 */
static int
myers(const struct item *a, size_t n, const struct item *b, size_t m,
    unsigned char **ops, size_t *nops)
{
	long max = (long)(n + m), d, k, x, y, found = -1;
	int *v, **trace;
	unsigned char *rev;
	size_t nrev = 0;

	if (n + m > MAX_ITEMS)
		return -1;
	v = sg_xcalloc((size_t)(2 * max + 3), sizeof(*v));
	trace = sg_xcalloc((size_t)(max + 1), sizeof(*trace));
#define V(k)	v[(k) + max + 1]
	for (d = 0; d <= max && found < 0; d++) {
		if (d > MAX_EDITS) {
			for (k = 0; k < d; k++)
				free(trace[k]);
			free(trace);
			free(v);
			return -1;
		}
		/* v as it was before step d, for k in [-d-1, d+1]. */
		trace[d] = sg_xmalloc((size_t)(2 * d + 3) * sizeof(int));
		memcpy(trace[d], &V(-d - 1), (size_t)(2 * d + 3) * sizeof(int));
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && V(k - 1) < V(k + 1)))
				x = V(k + 1);
			else
				x = V(k - 1) + 1;
			y = x - k;
			while (x < (long)n && y < (long)m && eq(&a[x], &b[y])) {
				x++;
				y++;
			}
			V(k) = (int)x;
			if (x >= (long)n && y >= (long)m) {
				found = d;
				break;
			}
		}
	}
#undef V
	/* Walk back from (n, m), collecting ops in reverse. */
	rev = sg_xmalloc((size_t)max + 1);
	x = (long)n;
	y = (long)m;
	for (d = found; d >= 0; d--) {
		int *t = trace[d];
		long pk, px, py;
#define T(k)	t[(k) + d + 1]
		k = x - y;
		if (k == -d || (k != d && T(k - 1) < T(k + 1)))
			pk = k + 1;
		else
			pk = k - 1;
		px = T(pk);
#undef T
		py = px - pk;
		while (x > px && y > py) {
			rev[nrev++] = SG_TD_EQ;
			x--;
			y--;
		}
		if (d > 0)
			rev[nrev++] = x == px ? SG_TD_INS : SG_TD_DEL;
		x = px;
		y = py;
	}
	*ops = sg_xrealloc(*ops, *nops + nrev + 1);
	for (size_t i = 0; i < nrev; i++)
		(*ops)[(*nops)++] = rev[nrev - 1 - i];
	free(rev);
	for (d = 0; d <= max; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return 0;
}

/* The edit script of a and b: common head, Myers on the middle, common
 * tail.  A middle too long to diff becomes one replacement. */
static void
script(const struct items *a, const struct items *b, unsigned char **ops,
    size_t *nops)
{
	size_t head = 0, tail = 0, i;

	*ops = NULL;
	*nops = 0;
	while (head < a->n && head < b->n && eq(&a->v[head], &b->v[head]))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	    eq(&a->v[a->n - 1 - tail], &b->v[b->n - 1 - tail]))
		tail++;
	*ops = sg_xmalloc(a->n + b->n + 1);
	for (i = 0; i < head; i++)
		(*ops)[(*nops)++] = SG_TD_EQ;
	if (myers(a->v + head, a->n - head - tail, b->v + head,
	    b->n - head - tail, ops, nops) == -1) {
		*ops = sg_xrealloc(*ops, a->n + b->n + 1);
		for (i = head; i < a->n - tail; i++)
			(*ops)[(*nops)++] = SG_TD_DEL;
		for (i = head; i < b->n - tail; i++)
			(*ops)[(*nops)++] = SG_TD_INS;
	}
	*ops = sg_xrealloc(*ops, *nops + tail + 1);
	for (i = 0; i < tail; i++)
		(*ops)[(*nops)++] = SG_TD_EQ;
}

static void
add_part(struct sg_textdiff_hunk *h, enum sg_textdiff_op op, const char *s,
    size_t len)
{
	if (len == 0)
		return;
	if (h->nparts && h->parts[h->nparts - 1].op == op) {
		struct sg_textdiff_part *p = &h->parts[h->nparts - 1];
		size_t old = strlen(p->text);
		p->text = sg_xrealloc(p->text, old + len + 1);
		memcpy(p->text + old, s, len);
		p->text[old + len] = '\0';
		return;
	}
	h->parts = sg_xrealloc(h->parts, (h->nparts + 1) * sizeof(*h->parts));
	h->parts[h->nparts].op = op;
	h->parts[h->nparts].text = sg_xstrndup(s, len);
	h->nparts++;
}

/*
 * Word-level parts of a hunk.  Each run of changes is shown as its
 * deletions then its insertions; a single unchanged token between two
 * changes is folded into them, and a pair with little in common is shown
 * as one deletion and one insertion.
 */
static void
words(struct sg_textdiff_hunk *h)
{
	struct items a = {0}, b = {0};
	unsigned char *ops;
	size_t nops, ia = 0, ib = 0, same = 0, i;
	struct sg_buf del = {0}, ins = {0};

	tokens(h->old, strlen(h->old), &a);
	tokens(h->new, strlen(h->new), &b);
	script(&a, &b, &ops, &nops);
	/* A lone unchanged token between changes joins them. */
	for (i = 1; i + 1 < nops; i++)
		if (ops[i] == SG_TD_EQ && ops[i - 1] != SG_TD_EQ &&
		    ops[i + 1] != SG_TD_EQ)
			ops[i] = BOTH;
	for (i = 0; i < nops; i++) {
		if (ops[i] == SG_TD_EQ) {
			if (del.len || ins.len) {
				add_part(h, SG_TD_DEL, del.data, del.len);
				add_part(h, SG_TD_INS, ins.data, ins.len);
				sg_buf_clear(&del);
				sg_buf_clear(&ins);
			}
			add_part(h, SG_TD_EQ, a.v[ia].s, a.v[ia].len);
			same += a.v[ia].len;
			ia++;
			ib++;
		} else if (ops[i] == SG_TD_DEL) {
			sg_buf_add(&del, a.v[ia].s, a.v[ia].len);
			ia++;
		} else if (ops[i] == SG_TD_INS) {
			sg_buf_add(&ins, b.v[ib].s, b.v[ib].len);
			ib++;
		} else {
			sg_buf_add(&del, a.v[ia].s, a.v[ia].len);
			sg_buf_add(&ins, b.v[ib].s, b.v[ib].len);
			ia++;
			ib++;
		}
	}
	add_part(h, SG_TD_DEL, del.data, del.len);
	add_part(h, SG_TD_INS, ins.data, ins.len);
	sg_buf_clear(&del);
	sg_buf_clear(&ins);
	/* Little in common: word changes would be noise. */
	size_t longest = strlen(h->old) > strlen(h->new) ? strlen(h->old) :
	    strlen(h->new);
	if (*h->old && *h->new && same * 3 < longest) {
		for (i = 0; i < h->nparts; i++)
			free(h->parts[i].text);
		h->nparts = 0;
		add_part(h, SG_TD_DEL, h->old, strlen(h->old));
		add_part(h, SG_TD_INS, h->new, strlen(h->new));
	}
	free(ops);
	free(a.v);
	free(b.v);
}

/* Joins sentences of a run; a sentence that began a line starts a new
 * line in the joined text too. */
static void
join(struct sg_buf *b, const struct item *it)
{
	if (b->len && it->nl)
		sg_buf_putc(b, '\n');
	sg_buf_add(b, it->s, it->len);
}

static void
flush(struct sg_textdiff *td, struct sg_buf *old, struct sg_buf *new)
{
	struct sg_textdiff_hunk *h;

	if (old->len == 0 && new->len == 0)
		return;
	td->v = sg_xrealloc(td->v, (td->n + 1) * sizeof(*td->v));
	h = &td->v[td->n++];
	memset(h, 0, sizeof(*h));
	h->old = old->len ? sg_buf_take(old) : sg_xstrdup("");
	h->new = new->len ? sg_buf_take(new) : sg_xstrdup("");
	words(h);
}

void
sg_textdiff_run(const char *a, const char *b, struct sg_textdiff *td)
{
	struct items sa = {0}, sb = {0};
	struct sg_buf old = {0}, new = {0};
	unsigned char *ops;
	size_t nops, ia = 0, ib = 0;

	memset(td, 0, sizeof(*td));
	split(a ? a : "", &sa);
	split(b ? b : "", &sb);
	script(&sa, &sb, &ops, &nops);
	for (size_t i = 0; i < nops; i++) {
		switch (ops[i]) {
		case SG_TD_EQ:
			flush(td, &old, &new);
			ia++;
			ib++;
			break;
		case SG_TD_DEL:
			join(&old, &sa.v[ia++]);
			td->removed++;
			break;
		default:
			join(&new, &sb.v[ib++]);
			td->added++;
			break;
		}
	}
	flush(td, &old, &new);
	sg_buf_clear(&old);
	sg_buf_clear(&new);
	free(ops);
	free(sa.v);
	free(sb.v);
}

void
sg_textdiff_clear(struct sg_textdiff *td)
{
	for (size_t i = 0; i < td->n; i++) {
		free(td->v[i].old);
		free(td->v[i].new);
		for (size_t j = 0; j < td->v[i].nparts; j++)
			free(td->v[i].parts[j].text);
		free(td->v[i].parts);
	}
	free(td->v);
	memset(td, 0, sizeof(*td));
}
