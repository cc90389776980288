/*
 * check_years: year and list arithmetic — rule years-founded ("建校/办学 N
 * 年" against the founding year the report states elsewhere, 创办于 1980
 * 年) and rule list-count ("N 个专业", 班级, 基地 … against the list that
 * follows it).  The words are schemas/checks/years.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "sg.h"
#include "util.h"

#define W(k) sg_check_words(c, "years", k)

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A number in digits or Chinese words (四十四, 四十余): its value, *n the
 * bytes read; -1 if none. */
static int
number(const char *s, size_t *n)
{
	static const char *const dig[] = {"零", "一", "二", "三", "四", "五",
	    "六", "七", "八", "九"};
	int v = 0, cur = -1, any = 0;

	*n = 0;
	if (is_d(*s)) {
		/* A count or a year: a longer run is neither. */
		while (is_d(s[*n]))
			if (++*n > 6)
				return -1;
		for (size_t i = 0; i < *n; i++)
			v = v * 10 + (s[i] - '0');
		return v;
	}
	for (int k = 0; k < 12; k++) {
		int hit = -1;
		for (int k = 0; k < 10 && hit < 0; k++)
			if (strncmp(s + *n, dig[k], 3) == 0)
				hit = k;
		if (hit >= 0) {
			cur = hit;
			*n += 3;
			any = 1;
			continue;
		}
		if (strncmp(s + *n, "十", 3) == 0) {
			v += (cur < 0 ? 1 : cur) * 10;
			cur = -1;
			*n += 3;
			any = 1;
			continue;
		}
		break;
	}
	if (!any || v > 100000)
		return -1;
	return v + (cur > 0 ? cur : 0);
}

static void
founded_and_age(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out)
{
	const char *f = l->f;
	const struct sg_check_words *founded = W("founded"), *age = W("age");

	if (!sg_check_line_word(l, founded) && !sg_check_line_word(l, age))
		return;
	size_t s = 0;	/* where the sentence holding f[i] starts */

	for (size_t i = 0; f[i]; i++) {
		size_t w, n;
		int v;
		if (i > 0 && sg_check_stop(f, i - 1))
			s = i;
		if ((w = sg_check_word_at(founded, f + i)) != 0 &&
		    is_d(f[i + w]) && (v = number(f + i + w, &n)) >= 1000 &&
		    n == 4 && strncmp(f + i + w + 4, "年", 3) == 0) {
			size_t from = i - s > 300 ? i - 300 : s;
			while (((unsigned char)f[from] & 0xC0) == 0x80)
				from++;
			char *sent = sg_xstrndup(f + from, i - from);
			int school = sg_check_word_in(W("school_words"), sent) ||
			    (c->s->school && strstr(sent, c->s->school));
			if (school && !sg_check_word_in(W("other_words"), sent)) {
				struct sg_check_fact *x = sg_check_fact_add(out,
				    SG_FACT_FOUNDED, NULL, NULL, sg_xasprintf(
				    "“%.*s”", (int)(w + 7), f + i), l->file,
				    l->line);
				x->year = v;
			}
			free(sent);
			i += w;
			continue;
		}
		if ((w = sg_check_word_at(age, f + i)) != 0 &&
		    (v = number(f + i + w, &n)) > 0) {
			size_t e = i + w + n, u;
			int approx = 0;
			if (strncmp(f + e, "余", 3) == 0 || strncmp(f + e, "多",
			    3) == 0) {
				approx = 1;
				e += 3;
			}
			if ((u = sg_check_word_at(W("age_units"), f + e)) != 0) {
				struct sg_check_fact *x = sg_check_fact_add(out,
				    SG_FACT_AGE, NULL, NULL, sg_xasprintf("“%.*s”",
				    (int)(e + u - i), f + i), l->file, l->line);
				x->v = v;
				x->approx = approx;
				x->year = c->r->year;
			}
			i = e;
		}
	}
}

/* "N个专业" and the list after it. */
static void
list_counts(struct sg_check_ctx *c, const struct sg_check_line *l)
{
	const char *f = l->f;

	if (strstr(f, "个") == NULL)
		return;
	for (size_t i = 0; f[i]; i++) {
		size_t n, w, e, a, b;
		int v;
		if (!is_d(f[i]) || (i > 0 && is_d(f[i - 1])) ||
		    (v = number(f + i, &n)) < 2 || strncmp(f + i + n, "个", 3) != 0 ||
		    (w = sg_check_word_at(W("list_nouns"), f + i + n + 3)) == 0)
			continue;
		char *noun = sg_xstrndup(f + i + n + 3, w);
		e = i + n + 3 + w;
		/* Where the list starts: a colon or bracket, a lead word, or
		 * the next sentence if it starts with one. */
		a = 0;
		if (f[e] == ':' || f[e] == '(')
			a = e + 1;
		else if (f[e] == '.' || f[e] == ',') {
			size_t k = sg_check_word_at(W("list_leads"), f + e + 1);
			if (k)
				a = e + 1 + k;
		} else {
			size_t k = sg_check_word_at(W("list_leads"), f + e);
			if (k)
				a = e + k;
		}
		if (a == 0) {
			free(noun);
			continue;
		}
		if (f[a] == ':')
			a++;
		for (b = a; f[b] && b - a < 600 && !sg_check_stop(f, b) &&
		    f[b] != ')'; b++)
			;
		while (b > a && ((unsigned char)f[b] & 0xC0) == 0x80)
			b--;
		char *seg = sg_xstrndup(f + a, b - a), *save = NULL;
		size_t items = 0, with = 0;
		int comma = strstr(seg, "、") == NULL;
		if (!comma) {
			/* Items split by 、: commas are inside them. */
			for (char *q = seg; *q; q++)
				if (*q == ',')
					*q = ';';
			sg_check_commas(seg);
		}
		if (strstr(seg, "等") == NULL) {
			for (char *it = strtok_r(seg, ",", &save); it;
			    it = strtok_r(NULL, ",", &save)) {
				items++;
				with += strstr(it, noun) != NULL;
			}
			/* Items split by commas are the list only if each is
			 * one (计算机应用专业290人). */
			if (comma)
				items = with == items ? items : 0;
			if (items >= 2 && (int)items != v)
				sg_check_emit(c, SG_RULE_LIST_COUNT, l->file, l->line,
				    "“%.*s” says %d %s, but the list that "
				    "follows names %zu; expected as many as it "
				    "says", (int)(e - i), f + i, v, noun, items);
		}
		free(seg);
		free(noun);
		i = e - 1;
	}
}

void
sg_check_years_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out)
{
	founded_and_age(c, l, out);
	list_counts(c, l);
}

void
sg_check_years(struct sg_check_ctx *c)
{
	const struct sg_check_fact *found = NULL;

	for (size_t i = 0; i < c->facts->n && !found; i++)
		if (c->facts->v[i].kind == SG_FACT_FOUNDED)
			found = &c->facts->v[i];
	if (found == NULL)
		return;
	for (size_t i = 0; i < c->facts->n; i++) {
		const struct sg_check_fact *x = &c->facts->v[i];
		int diff = c->r->year - found->year, n;
		if (x->kind != SG_FACT_AGE)
			continue;
		n = (int)x->v;
		if (x->approx ? (diff >= n && diff < n + 10) :
		    (diff - n <= 1 && n - diff <= 1))
			continue;
		sg_check_emit(c, SG_RULE_YEARS_FOUNDED, x->file, x->line, "%s, but %s "
		    "(%s:%d) gives %d years by %d; expected the years since "
		    "the founding", x->text, found->text, found->file,
		    found->line, diff, c->r->year);
	}
}
