/* tjson: see tjson.h. */
#include <stdlib.h>
#include <string.h>

#include "tjson.h"
#include "util.h"

struct rd {
	const char	*s, *end;
	int		 bad;
};

static void
ws(struct rd *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\n' ||
	    *r->s == '\t' || *r->s == '\r'))
		r->s++;
}

static int
hex4(struct rd *r)
{
	int v = 0;

	if (r->end - r->s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *r->s++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
utf8(struct sg_buf *b, long cp)
{
	char u[4];

	if (cp < 0x80) {
		sg_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sg_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sg_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sg_buf_add(b, u, 4);
	}
}

static char *
string(struct rd *r)
{
	struct sg_buf b = {0};

	if (r->s >= r->end || *r->s != '"') {
		r->bad = 1;
		return NULL;
	}
	for (r->s++; r->s < r->end && *r->s != '"'; ) {
		unsigned char c = (unsigned char)*r->s++;
		if (c < 0x20) {
			r->bad = 1;
			break;
		}
		if (c != '\\') {
			sg_buf_putc(&b, (char)c);
			continue;
		}
		if (r->s >= r->end) {
			r->bad = 1;
			break;
		}
		c = (unsigned char)*r->s++;
		switch (c) {
		case '"': case '\\': case '/':
			sg_buf_putc(&b, (char)c);
			break;
		case 'n': sg_buf_putc(&b, '\n'); break;
		case 't': sg_buf_putc(&b, '\t'); break;
		case 'r': sg_buf_putc(&b, '\r'); break;
		case 'b': sg_buf_putc(&b, '\b'); break;
		case 'f': sg_buf_putc(&b, '\f'); break;
		case 'u': {
			long cp = hex4(r);
			if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->s >= 6 &&
			    r->s[0] == '\\' && r->s[1] == 'u') {
				long lo;
				r->s += 2;
				lo = hex4(r);
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (cp < 0)
				r->bad = 1;
			else
				utf8(&b, cp);
			break;
		}
		default:
			r->bad = 1;
		}
	}
	if (r->s >= r->end)
		r->bad = 1;
	else
		r->s++;
	if (b.data == NULL)
		return sg_xstrdup("");
	return sg_buf_take(&b);
}

static void value(struct rd *r, struct tj *j);

static void
push(struct tj *j, struct rd *r, char *key)
{
	j->v = sg_xrealloc(j->v, (j->n + 1) * sizeof(*j->v));
	if (j->t == TJ_OBJ) {
		j->keys = sg_xrealloc(j->keys, (j->n + 1) * sizeof(*j->keys));
		j->keys[j->n] = key;
	}
	memset(&j->v[j->n], 0, sizeof(*j->v));
	value(r, &j->v[j->n]);
	j->n++;
}

static void
value(struct rd *r, struct tj *j)
{
	ws(r);
	if (r->s >= r->end) {
		r->bad = 1;
		return;
	}
	if (*r->s == '"') {
		j->t = TJ_STR;
		j->str = string(r);
	} else if (*r->s == '[' || *r->s == '{') {
		char close = *r->s == '[' ? ']' : '}';
		j->t = *r->s == '[' ? TJ_ARR : TJ_OBJ;
		r->s++;
		ws(r);
		if (r->s < r->end && *r->s == close) {
			r->s++;
			return;
		}
		for (;;) {
			char *key = NULL;
			if (j->t == TJ_OBJ) {
				ws(r);
				key = string(r);
				ws(r);
				if (r->bad || r->s >= r->end || *r->s != ':') {
					free(key);
					r->bad = 1;
					return;
				}
				r->s++;
			}
			push(j, r, key);
			ws(r);
			if (r->bad || r->s >= r->end) {
				r->bad = 1;
				return;
			}
			if (*r->s == ',') {
				r->s++;
				continue;
			}
			if (*r->s == close) {
				r->s++;
				return;
			}
			r->bad = 1;
			return;
		}
	} else if (*r->s == '-' || (*r->s >= '0' && *r->s <= '9')) {
		char *e;
		j->t = TJ_NUM;
		j->num = strtod(r->s, &e);
		r->s = e;
	} else if (r->end - r->s >= 4 && strncmp(r->s, "true", 4) == 0) {
		j->t = TJ_BOOL;
		j->num = 1;
		r->s += 4;
	} else if (r->end - r->s >= 5 && strncmp(r->s, "false", 5) == 0) {
		j->t = TJ_BOOL;
		r->s += 5;
	} else if (r->end - r->s >= 4 && strncmp(r->s, "null", 4) == 0) {
		r->s += 4;
	} else
		r->bad = 1;
}

static void
clear(struct tj *j)
{
	for (size_t i = 0; i < j->n; i++) {
		clear(&j->v[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->v);
	free(j->keys);
	free(j->str);
}

struct tj *
tj_parse(const char *s, size_t len)
{
	struct rd r = {s, s + len, 0};
	struct tj *j = sg_xcalloc(1, sizeof(*j));

	value(&r, j);
	ws(&r);
	if (r.bad || r.s != r.end) {
		tj_free(j);
		return NULL;
	}
	return j;
}

void
tj_free(struct tj *j)
{
	if (j == NULL)
		return;
	clear(j);
	free(j);
}

const struct tj *
tj_get(const struct tj *obj, const char *key)
{
	if (obj == NULL || obj->t != TJ_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->v[i];
	return NULL;
}
