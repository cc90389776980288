/*
 * import_text: how a report's lines are read — typed numbering (一、
 * （一） 1. （1） ①), 案例 N, 图/表 captions, source notes and the titles of
 * the statement, preface, contents and appendix.
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "util.h"

const char *
sg_import_skip_ws(const char *s)
{
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (strncmp(s, "\u3000", 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* A Chinese numeral 一 … 九十九 at s; returns its value and sets *end. */
static int
cn_number(const char *s, const char **end)
{
	static const char *const dg[] = {"零", "一", "二", "三", "四", "五", "六",
	    "七", "八", "九"};
	int v = 0, cur = -1, any = 0;

	for (;;) {
		int k;
		for (k = 0; k < 10; k++)
			if (strncmp(s, dg[k], strlen(dg[k])) == 0)
				break;
		if (k < 10) {
			cur = k;
			s += strlen(dg[k]);
			any = 1;
			continue;
		}
		if (strncmp(s, "十", 3) == 0) {
			v += (cur < 0 ? 1 : cur) * 10;
			cur = -1;
			s += 3;
			any = 1;
			continue;
		}
		break;
	}
	*end = s;
	return any ? v + (cur < 0 ? 0 : cur) : 0;
}

static int
dec_number(const char *s, const char **end)
{
	int v = 0, n = 0;

	while (*s >= '0' && *s <= '9' && n < 4) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	*end = s;
	return n ? v : 0;
}

static int
starts(const char *s, const char *p, const char **end)
{
	size_t n = strlen(p);

	if (strncmp(s, p, n) != 0)
		return 0;
	*end = s + n;
	return 1;
}

/*
 * The typed numbering at the start of s: 1 一、  2 （一）  3 1. 1、
 * 4 （1）  5 ①; 0 none.  *ord its number, *rest the text after it.
 */
int
sg_import_number_kind(const char *s, int *ord, const char **rest)
{
	const char *p, *e;
	int v;

	s = sg_import_skip_ws(s);
	*ord = 0;
	*rest = s;
	if ((starts(s, "（", &p) || starts(s, "(", &p))) {
		p = sg_import_skip_ws(p);
		int kind = 0;
		if ((v = cn_number(p, &e)) > 0)
			kind = 2;
		else if ((v = dec_number(p, &e)) > 0)
			kind = 4;
		e = sg_import_skip_ws(e);
		if (kind && (starts(e, "）", &e) || starts(e, ")", &e))) {
			*ord = v;
			*rest = sg_import_skip_ws(e);
			return kind;
		}
		return 0;
	}
	if ((v = cn_number(s, &e)) > 0 && (starts(e, "、", &p) ||
	    starts(e, "．", &p) || starts(e, ".", &p))) {
		*ord = v;
		*rest = sg_import_skip_ws(p);
		return 1;
	}
	if ((v = dec_number(s, &e)) > 0 && (starts(e, "、", &p) ||
	    starts(e, "．", &p) || (*e == '.' && !(e[1] >= '0' &&
	    e[1] <= '9') && (p = e + 1)))) {
		*ord = v;
		*rest = sg_import_skip_ws(p);
		return 3;
	}
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
	    (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3) {
		*ord = (unsigned char)s[2] - 0xA0 + 1;	/* ① … ⑳ */
		*rest = sg_import_skip_ws(s + 3);
		return 5;
	}
	return 0;
}

/* "案例 3 标题" (or 案例三：标题): the number and the title after it. */
int
sg_import_case_heading(const char *s, int *num, const char **title)
{
	const char *p, *e;

	s = sg_import_skip_ws(s);
	if (!starts(s, "案例", &p))
		return 0;
	p = sg_import_skip_ws(p);
	if ((*num = dec_number(p, &e)) == 0 && (*num = cn_number(p, &e)) == 0)
		return 0;
	e = sg_import_skip_ws(e);
	if (starts(e, "：", &p) || starts(e, ":", &p) || starts(e, "、", &p) ||
	    starts(e, "．", &p) || starts(e, ".", &p))
		e = sg_import_skip_ws(p);
	*title = e;
	return 1;
}

/* "图 2-1 标题" / "表3：标题": the title without the number, or NULL. */
const char *
sg_import_caption(const char *s, const char *word)
{
	const char *p, *e;

	s = sg_import_skip_ws(s);
	if (!starts(s, word, &p))
		return NULL;
	p = sg_import_skip_ws(p);
	if (dec_number(p, &e) == 0)
		return NULL;
	for (;;) {
		const char *q = sg_import_skip_ws(e), *r;
		if ((starts(q, "-", &r) || starts(q, "－", &r) ||
		    starts(q, "–", &r) || starts(q, "—", &r) ||
		    starts(q, ".", &r) || starts(q, "．", &r)) &&
		    dec_number(sg_import_skip_ws(r), &e) > 0)
			continue;
		break;
	}
	e = sg_import_skip_ws(e);
	if (starts(e, "：", &p) || starts(e, ":", &p) || starts(e, "、", &p))
		e = sg_import_skip_ws(p);
	return *e ? e : NULL;
}

int
sg_import_is_note(const char *s)
{
	static const char *const p[] = {"数据来源：", "资料来源：", "统计时间：",
	    "注：", "数据来源:", "资料来源:", "注:", NULL};
	const char *e;

	s = sg_import_skip_ws(s);
	for (size_t i = 0; p[i]; i++)
		if (starts(s, p[i], &e))
			return 1;
	return 0;
}

/* s without spaces; caller frees. */
static char *
squeeze(const char *s)
{
	struct sg_buf b = {0};

	for (; *s; ) {
		const char *n = sg_import_skip_ws(s);
		if (n != s) {
			s = n;
			continue;
		}
		sg_buf_putc(&b, *s++);
	}
	return b.data ? sg_buf_take(&b) : sg_xstrdup("");
}

enum sg_import_special
sg_import_special(const char *s)
{
	char *q = squeeze(s);
	enum sg_import_special r = SP_NONE;
	const char *e;

	if (strstr(q, "责任声明") || strstr(q, "真实性声明"))
		r = SP_STATEMENT;
	else if (strcmp(q, "前言") == 0 || strcmp(q, "序言") == 0 ||
	    strcmp(q, "引言") == 0)
		r = SP_PREFACE;
	else if (strcmp(q, "目录") == 0 || strcmp(q, "图目录") == 0 ||
	    strcmp(q, "表目录") == 0 || strcmp(q, "案例目录") == 0 ||
	    strcmp(q, "图表目录") == 0 || strcmp(q, "插图目录") == 0)
		r = SP_TOC;
	else if (starts(q, "附表", &e) || starts(q, "附件", &e))
		r = SP_APPENDIX;
	free(q);
	return r;
}

const char *
sg_import_chapter_title(const char *text, int *kind, int *ord)
{
	const char *rest, *p;

	if ((*kind = sg_import_number_kind(text, ord, &rest)) == 1)
		return rest;
	rest = text;
	if (starts(sg_import_skip_ws(text), "第", &p)) {
		cn_number(p, &p);
		if (starts(p, "章", &p) || starts(p, "部分", &p))
			rest = sg_import_skip_ws(p);
	}
	return rest;
}

/* text with its line breaks as spaces; caller frees. */
char *
sg_import_one_line(const char *text)
{
	char *s = sg_xstrdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return s;
}
