/*
 * match: the automaton finds what strncmp and strstr over each word would
 * — the longest word at a place, the first word of the list anywhere —
 * on words that share beginnings and ends, Chinese text among them, and
 * on random texts over a small alphabet checked against that reading.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

TestSuite(match, .timeout = 30);

static size_t
naive_at(const char *const *w, size_t n, const char *s)
{
	size_t best = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(w[i]);
		if (k > best && strncmp(s, w[i], k) == 0)
			best = k;
	}
	return best;
}

static size_t
naive_first(const char *const *w, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (*w[i] && strstr(s, w[i]))
			return i;
	return SG_MATCH_NONE;
}

Test(match, longest_word_at_a_place)
{
	static const char *const w[] = {"逐年", "逐年上升", "上升", "年上"};
	struct sg_match *m = sg_match_new(w, 4);

	cr_assert_eq(sg_match_at(m, "逐年上升明显"), strlen("逐年上升"));
	cr_assert_eq(sg_match_at(m, "逐年下降"), strlen("逐年"));
	cr_assert_eq(sg_match_at(m, "年上升"), strlen("年上"));
	/* A word further on is not at the place. */
	cr_assert_eq(sg_match_at(m, "稳步上升"), 0);
	cr_assert_eq(sg_match_at(m, ""), 0);
	sg_match_free(m);
}

Test(match, first_word_of_the_list_anywhere)
{
	static const char *const w[] = {"机密", "", "内部", "部资"};
	struct sg_match *m = sg_match_new(w, 4);

	/* 内部 comes first in the text, 机密 first in the list. */
	cr_assert_eq(sg_match_first(m, "内部资料，机密"), 0);
	cr_assert_eq(sg_match_first(m, "内部资料"), 2);
	cr_assert_eq(sg_match_first(m, "部资"), 3);
	/* The empty word is never found. */
	cr_assert_eq(sg_match_first(m, "公开"), SG_MATCH_NONE);
	sg_match_free(m);
}

Test(match, empty_list_finds_nothing)
{
	struct sg_match *m = sg_match_new(NULL, 0);

	cr_assert_eq(sg_match_at(m, "abc"), 0);
	cr_assert_eq(sg_match_first(m, "abc"), SG_MATCH_NONE);
	sg_match_free(m);
}

Test(match, as_strncmp_and_strstr_on_random_texts)
{
	char words[12][6], text[40];
	const char *w[12];
	unsigned seed = 7;

	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 12);
		for (size_t i = 0; i < n; i++) {
			size_t k = (size_t)(rand_r(&seed) % 5);
			for (size_t j = 0; j < k; j++)
				words[i][j] = (char)('a' + rand_r(&seed) % 3);
			words[i][k] = '\0';
			w[i] = words[i];
		}
		struct sg_match *m = sg_match_new(w, n);
		for (int t = 0; t < 20; t++) {
			size_t k = (size_t)(rand_r(&seed) % sizeof(text));
			for (size_t j = 0; j < k; j++)
				text[j] = (char)('a' + rand_r(&seed) % 4);
			text[k] = '\0';
			cr_assert_eq(sg_match_first(m, text),
			    naive_first(w, n, text), "%s", text);
			for (size_t j = 0; j <= k; j++)
				cr_assert_eq(sg_match_at(m, text + j),
				    naive_at(w, n, text + j), "%s", text + j);
		}
		sg_match_free(m);
	}
}

struct hits {
	size_t	n;
	size_t	word[64], end[64];
};

static void
hit(void *arg, size_t word, size_t end)
{
	struct hits *h = arg;

	if (h->n < 64) {
		h->word[h->n] = word;
		h->end[h->n] = end;
	}
	h->n++;
}

Test(match, each_place_every_word_ends)
{
	/* 学生 twice: two lists of the data may hold one word. */
	static const char *const w[] = {"学生", "生", "学生", "学"};
	struct sg_match *m = sg_match_new(w, 4);
	struct hits h = {0};

	sg_match_each(m, "大学生", hit, &h);
	cr_assert_eq(h.n, 4);
	/* 学 ends first; at the end of 学生, the longer words first. */
	cr_assert_eq(h.word[0], 3);
	cr_assert_eq(h.end[0], strlen("大学"));
	cr_assert_eq(h.word[1], 0);
	cr_assert_eq(h.word[2], 2);
	cr_assert_eq(h.word[3], 1);
	cr_assert_eq(h.end[3], strlen("大学生"));
	sg_match_free(m);
}
