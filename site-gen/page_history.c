/*
 * page_history: history pages filled from history.c's revisions.  What
 * changed is given to history.html as lists of values, never markup; the
 * template shows it so that it reads without colour: a value table with
 * old and new columns, and each edited passage old and new with the
 * changed words in <del> and <ins>.
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "check.h"
#include "history.h"
#include "page_indicators.h"
#include "output.h"
#include "pages_int.h"
#include "pdf.h"
#include "sitemap.h"
#include "theme.h"
#include "util.h"

static int
is_current(const struct sg_site *s, int year)
{
	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].year == year)
			return 1;
	return 0;
}

/* ---- changes as values for history.html ---- */

/* Text as its lines: the template breaks the line after each but the
 * last. */
static void
lines(struct sg_vars *v, const char *s)
{
	const char *nl;
	struct sg_vars *ln;

	while ((nl = strchr(s, '\n')) != NULL) {
		char *line = sg_xstrndup(s, (size_t)(nl - s));
		ln = sg_vars_item(v, "ln");
		sg_vars_text(ln, "ln_text", line);
		sg_page_flag(ln, "ln_br", 1);
		free(line);
		s = nl + 1;
	}
	sg_vars_text(sg_vars_item(v, "ln"), "ln_text", s);
}

/* One side of a passage (list name): the unchanged words and those of op,
 * marked. */
static void
side(struct sg_vars *v, const char *name, const struct sg_textdiff_hunk *h,
    enum sg_textdiff_op op)
{
	for (size_t i = 0; i < h->nparts; i++) {
		const struct sg_textdiff_part *p = &h->parts[i];
		struct sg_vars *pt;
		if (p->op != SG_TD_EQ && p->op != op)
			continue;
		pt = sg_vars_item(v, name);
		sg_page_flag(pt, "pt_mark", p->op == op);
		lines(pt, p->text);
	}
}

/* The cells of a pipe-table row "| a | b |", trimmed; 0 if line is not
 * one.  The cells point into line, which is cut. */
static size_t
pipe_cells(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *p = line, *e;

	while (*p == ' ')
		p++;
	if (*p != '|')
		return 0;
	p++;
	while (n < max && (e = strchr(p, '|')) != NULL) {
		char *a = p, *z = e;
		while (a < z && *a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			z--;
		*z = '\0';
		cells[n++] = a;
		p = e + 1;
	}
	return n;
}

/*
 * A hunk that changes one row of a pipe table, as readers think of it:
 * the row by its first cell, and each changed cell old → new, instead of
 * Markdown with marks inside the pipes.  1 if it was one, else 0.
 */
static int
row_hunk(struct sg_vars *v, const struct sg_textdiff_hunk *h)
{
	char *o = sg_xstrdup(h->old), *n = sg_xstrdup(h->new);
	char *oc[64], *nc[64];
	size_t on, nn;
	int done = 0;

	if (strchr(o, '\n') || strchr(n, '\n') ||
	    (on = pipe_cells(o, oc, 64)) == 0 ||
	    (nn = pipe_cells(n, nc, 64)) != on)
		goto out;
	sg_page_flag(v, "hk_row", 1);
	sg_vars_text(v, "hk_row_name", *oc[0] ? oc[0] : nc[0]);
	for (size_t i = 0; i < on; i++) {
		struct sg_vars *c;
		if (strcmp(oc[i], nc[i]) == 0)
			continue;
		c = sg_vars_item(v, "hk_cells");
		sg_vars_textf(c, "cell_n", "%zu", i + 1);
		sg_vars_text(c, "cell_old", oc[i]);
		sg_vars_text(c, "cell_new", nc[i]);
	}
	done = 1;
out:
	free(o);
	free(n);
	return done;
}

static void
hunks(struct sg_vars *v, const struct sg_textdiff *td)
{
	for (size_t i = 0; i < td->n; i++) {
		const struct sg_textdiff_hunk *h = &td->v[i];
		struct sg_vars *hk = sg_vars_item(v, "ce_hunks");
		if (*h->old && *h->new && row_hunk(hk, h))
			continue;
		sg_page_flag(hk, "hk_old", *h->old != '\0');
		sg_page_flag(hk, "hk_new", *h->new != '\0');
		if (*h->old)
			side(hk, "hk_old_parts", h, SG_TD_DEL);
		if (*h->new)
			side(hk, "hk_new_parts", h, SG_TD_INS);
	}
}

/* What a change is of, as one flag the template names in words. */
static const char *
obj_flag(enum sg_change_obj o)
{
	switch (o) {
	case SG_CH_REPORT:	return "obj_report";
	case SG_CH_INDICATOR:	return "obj_indicator";
	case SG_CH_TABLE:	return "obj_table";
	case SG_CH_PREFACE:	return "obj_preface";
	case SG_CH_CHAPTER:	return "obj_chapter";
	case SG_CH_CASE:	return "obj_case";
	case SG_CH_FIGURE:	return "obj_figure";
	default:		return "obj_reftable";
	}
}

/* A changed value of a table, a row of history.html's value table. */
static void
value_item(struct sg_vars *v, const struct sg_change *ch)
{
	sg_vars_text(v, "cv_table", ch->name);
	sg_vars_text(v, "cv_row", ch->row);
	sg_vars_text(v, "cv_col", ch->col);
	sg_vars_text(v, "cv_old", ch->old);
	sg_vars_text(v, "cv_new", ch->new);
	sg_vars_text(v, "cv_unit", ch->unit);
}

/* Rows, columns and files added or removed; renames; report fields: one
 * item of the list, flagged with its kind. */
static void
structure_item(struct sg_vars *v, const struct sg_change *ch)
{
	switch (ch->op) {
	case SG_CH_ADDED:
	case SG_CH_REMOVED:
		sg_page_flag(v, ch->op == SG_CH_ADDED ? "k_added" :
		    "k_removed", 1);
		sg_page_flag(v, obj_flag(ch->obj), 1);
		sg_vars_text(v, "cs_name", ch->name);
		sg_page_flag(v, "k_extra", ch->old || ch->new);
		sg_vars_text(v, "cs_extra", ch->old ? ch->old : ch->new);
		break;
	case SG_CH_ROW_ADDED:
	case SG_CH_ROW_REMOVED:
		sg_page_flag(v, ch->op == SG_CH_ROW_ADDED ? "k_row_added" :
		    "k_row_removed", 1);
		sg_vars_text(v, "cs_name", ch->name);
		sg_vars_text(v, "cs_row", ch->op == SG_CH_ROW_ADDED ? ch->new :
		    ch->old);
		break;
	case SG_CH_COL_ADDED:
	case SG_CH_COL_REMOVED:
		sg_page_flag(v, ch->op == SG_CH_COL_ADDED ? "k_col_added" :
		    "k_col_removed", 1);
		sg_vars_text(v, "cs_name", ch->name);
		sg_vars_text(v, "cs_col", ch->col);
		break;
	case SG_CH_RENAMED:
		sg_page_flag(v, "k_renamed", 1);
		sg_page_flag(v, "k_file", strcmp(ch->col, "file") == 0);
		sg_page_flag(v, obj_flag(ch->obj), 1);
		sg_vars_text(v, "cs_old", ch->old);
		sg_vars_text(v, "cs_new", ch->new);
		break;
	default:	/* SG_CH_VALUE of the report */
		sg_page_flag(v, "k_field", 1);
		sg_vars_text(v, "cs_col", ch->col);
		sg_vars_text(v, "cs_old", ch->old);
		sg_vars_text(v, "cs_new", ch->new);
		break;
	}
}

/*
 * What changed, as the lists history.html shows: ch_values (the value
 * table), ch_structure (增删与更名), ch_edits (文字修改, each with its
 * hunks); ch_none when there is nothing to list.
 */
static void
changes_vars(struct sg_vars *v, const struct sg_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_change *ch = &c->v[i];
		if (ch->op == SG_CH_VALUE && ch->obj != SG_CH_REPORT)
			value_item(sg_vars_item(v, "ch_values"), ch);
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_change *ch = &c->v[i];
		if (ch->op != SG_CH_EDITED && !(ch->op == SG_CH_VALUE &&
		    ch->obj != SG_CH_REPORT))
			structure_item(sg_vars_item(v, "ch_structure"), ch);
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_change *ch = &c->v[i];
		struct sg_vars *e;
		if (ch->op != SG_CH_EDITED)
			continue;
		e = sg_vars_item(v, "ch_edits");
		sg_page_flag(e, "ce_report", ch->obj == SG_CH_REPORT);
		sg_vars_text(e, "ce_name", ch->name);
		sg_vars_textf(e, "ce_count", "%zu", ch->text.n);
		hunks(e, &ch->text);
	}
	sg_page_flag(v, "ch_none", c->n == 0);
}

/* ---- pages ---- */

/* A withdrawal as readers see it: what, when, why, and the hash of the
 * bytes taken down — never the bytes. */
static void
withdrawal_item(struct sg_vars *it, const struct sg_withdrawal *w)
{
	const char *rel = w->path + strlen("content/0000/");

	sg_page_flag(it, "wd_passage", w->passage);
	sg_vars_text(it, "wd_file", rel);
	sg_vars_textf(it, "wd_rev", "r%d", w->from);
	sg_vars_textf(it, "wd_year", "%d", w->year);
	sg_vars_text(it, "wd_date", w->date);
	sg_vars_text(it, "wd_iso", w->iso);
	sg_vars_text(it, "wd_reason", w->reason);
	sg_vars_text(it, "wd_sha256", w->sha256);
}

/* A finding recorded in a tag, "file:line:col: severity: message", as
 * readers see it: the file and its line (none when 0), then the message. */
static void
finding_item(const struct sg_theme *t, struct sg_vars *it, const char *f)
{
	char *s = sg_xstrdup(f), *p = s, *file = s, *msg = NULL;
	long line = 0;

	/* file:LINE:COL: SEV: MSG — the file may hold a ':' itself. */
	while ((p = strchr(p, ':')) != NULL) {
		char *end;
		long ln = strtol(p + 1, &end, 10);
		if (end > p + 1 && *end == ':' && strtol(end + 1, &end, 10) >= 0 &&
		    *end == ':' && end[1] == ' ') {
			*p = '\0';
			line = ln;
			msg = strchr(end + 2, ':');
			msg = msg ? msg + 2 : end + 2;
			break;
		}
		p++;
	}
	if (msg == NULL) {
		sg_vars_text(it, "finding_msg", f);
		free(s);
		return;
	}
	sg_vars_text(it, "finding_file", file);
	if (line > 0)
		sg_vars_textf(it, "finding_line", "%ld", line);
	/* "… [rule]": the rule said in Chinese, the detail as written. */
	size_t n = strlen(msg);
	char *lb = n > 2 && msg[n - 1] == ']' ? strrchr(msg, '[') : NULL;
	char *title = NULL;
	if (lb && lb > msg && lb[-1] == ' ') {
		msg[n - 1] = '\0';
		title = sg_check_rule_title(t, lb + 1);
		if (title)
			lb[-1] = '\0';
		else
			msg[n - 1] = ']';
	}
	sg_vars_text(it, "finding_title", title);
	sg_vars_text(it, "finding_msg", msg);
	free(title);
	free(s);
}

static void
rev_item(struct sg_vars *it, const struct sg_site *s, const struct sg_rev *r,
    const char *page)
{
	char *p;

	sg_vars_textf(it, "rev_id", "r%d", r->n);
	sg_vars_textf(it, "rev_name", "r%d", r->n);
	sg_page_flag(it, "rev_first", r->n == 1);
	sg_vars_text(it, "rev_date", r->date);
	sg_vars_text(it, "rev_when", r->when);
	sg_vars_text(it, "rev_iso", r->iso);
	sg_vars_text(it, "rev_tag", r->tag);
	sg_vars_text(it, "rev_commit", r->short_id);
	sg_vars_text(it, "rev_author", *r->author ? r->author : NULL);
	sg_vars_text(it, "rev_note", r->note);
	sg_vars_textf(it, "rev_year", "%d", r->year);
	if (is_current(s, r->year)) {
		p = sg_xasprintf("%d/history/", r->year);
		sg_page_link(it, "rev_history_url", page, p);
		free(p);
	}
	if (r->report) {
		p = sg_xasprintf("%d/r%d/", r->year, r->n);
		sg_page_link(it, "rev_url", page, p);
		free(p);
	}
	if (r->allowed) {
		sg_vars_text(it, "rev_allowed", r->allowed);
		sg_vars_textf(it, "rev_nfindings", "%zu", r->findings.n);
		for (size_t i = 0; i < r->findings.n; i++)
			finding_item(s->parts, sg_vars_item(it, "rev_findings"),
			    r->findings.v[i]);
	}
	for (size_t i = 0; s->hist && i < s->hist->nwd; i++) {
		const struct sg_withdrawal *w = &s->hist->wd[i];
		if (w->year != r->year || w->from != r->n)
			continue;
		withdrawal_item(sg_vars_item(it, "rev_withdrawals"), w);
	}
	for (size_t i = 0; i < r->fixity.n; i++) {
		struct sg_vars *f = sg_vars_item(it, "rev_files");
		char *path = sg_xstrdup(r->fixity.v[i]), *tab = strchr(path, '\t');
		const char *base;
		*tab = '\0';
		base = strrchr(path, '/');
		sg_page_link(f, "file_url", page, path);
		sg_vars_text(f, "file_name", base ? base + 1 : path);
		sg_vars_text(f, "file_sha256", tab + 1);
		free(path);
	}
	if (r->has_changes) {
		char *sum = sg_changes_summary_zh(&r->changes);
		sg_vars_text(it, "rev_summary", sum);
		free(sum);
		sg_page_flag(it, "rev_changed", 1);
		changes_vars(it, &r->changes);
	}
}

static void
history_page(struct sg_pages *p, struct sg_report *r)
{
	struct sg_site *s = p->site;
	char *page = sg_xasprintf("%d/history/", r->year);
	char *title = sg_theme_word(p->theme, "history_title", "year",
	    SG_WORD_NUM(r->year), NULL);
	struct sg_vars *v = sg_page_vars(p, page, title, NULL);
	size_t n;
	struct sg_rev *revs = sg_history_year(s->hist, r->year, &n);

	sg_page_crumb_home(p, v, page);
	sg_page_crumb(v, page, r->title, r->prefix);
	sg_vars_text(v, "heading", title);
	sg_vars_text(v, "report_title", r->title);
	sg_vars_text(v, "report_published", r->published);
	sg_page_link(v, "report_url", page, r->prefix);
	sg_vars_textf(v, "report_year", "%d", r->year);
	if (n) {
		sg_vars_text(v, "first_date", revs[0].date);
		sg_vars_textf(v, "amendments", "%zu", n - 1);
	}
	for (size_t i = n; i > 0; i--) {
		struct sg_vars *it = sg_vars_item(v, "revs");
		rev_item(it, s, &revs[i - 1], page);
		/* A theme exported before history.html listed the changes
		 * itself shows them as rev_changes. */
		if (revs[i - 1].has_changes)
			sg_page_part_var(p, it, "rev_changes",
			    "revision-changes");
	}
	sg_page_render(p, "history", page, v);
	sg_page_ref_dated(p, page, n ? revs[n - 1].iso : NULL, title, NULL, 0);
	free(title);
	free(page);
}

static int
cmp_newest(const void *a, const void *b)
{
	const struct sg_rev *x = *(const struct sg_rev *const *)a;
	const struct sg_rev *y = *(const struct sg_rev *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	return x->year != y->year ? y->year - x->year : y->n - x->n;
}

static void
ledger_page(struct sg_pages *p)
{
	struct sg_site *s = p->site;
	struct sg_history *h = s->hist;
	const char *page = "history/";
	char *title = sg_theme_word(p->theme, "ledger_title", NULL);
	struct sg_vars *v = sg_page_vars(p, page, title, NULL);
	const struct sg_rev **all = NULL;
	size_t n = h ? h->nrevs : 0;

	sg_page_crumb_home(p, v, page);
	sg_vars_text(v, "heading", title);
	if (n) {
		all = sg_xcalloc(n, sizeof(*all));
		for (size_t i = 0; i < n; i++)
			all[i] = &h->revs[i];
		qsort(all, n, sizeof(*all), cmp_newest);
		sg_vars_textf(v, "rev_total", "%zu", n);
	}
	for (size_t i = 0; i < n; i++)
		rev_item(sg_vars_item(v, "revs"), s, all[i], page);
	for (size_t i = h ? h->nwd : 0; i > 0; i--)
		withdrawal_item(sg_vars_item(v, "withdrawals"), &h->wd[i - 1]);
	sg_page_render(p, "ledger", page, v);
	sg_page_ref_dated(p, page, n ? all[0]->iso : NULL, title, NULL, 0);
	free(title);
	free(all);
}

/* One feed entry per publication and amendment. */
static void
feed_entry(struct sg_pages *p, const struct sg_rev *r,
    const struct sg_report *cur)
{
	char *path = sg_xasprintf("%d/r%d/", r->year, r->n);
	char *title = sg_theme_word(p->theme, r->n == 1 ?
	    "feed_published" : "feed_amended", "title", cur->title, "n",
	    SG_WORD_NUM(r->n), NULL);
	struct sg_buf sum = {0};

	sg_buf_puts(&sum, *r->note ? r->note : title);
	if (r->has_changes) {
		char *c = sg_changes_summary_zh(&r->changes);
		char *w = sg_theme_word(p->theme, "feed_summary",
		    "note", sum.data, "changes", c, NULL);
		sg_buf_clear(&sum);
		sg_buf_puts(&sum, w);
		free(w);
		free(c);
	}
	sg_page_ref_dated(p, path, r->iso, title, sum.data, 1);
	sg_buf_clear(&sum);
	free(title);
	free(path);
}

/* The SHA-256 of each download rev published, from the files just
 * written for its archive: what anyone can check a copy against. */
static void
fixity(struct sg_pages *p, struct sg_rev *rev)
{
	struct sg_strv files = {0};
	char hex[65];

	sg_strv_clear(&rev->fixity);
	sg_indpage_downloads(rev->report, &files);
	for (size_t i = 0; i < files.n; i++)
		if (sg_output_digest(p->o, files.v[i], hex) == 0)
			sg_strv_push(&rev->fixity, sg_xasprintf("%s\t%s",
			    files.v[i], hex));
	sg_strv_clear(&files);
	/* Its PDF, when the build typeset one (pdf.h). */
	char *rel = sg_page_pdf_name(rev->report);
	const struct sg_pdf_file *pdf = sg_pdf_find(p->st->pdf, rel);
	if (pdf)
		sg_strv_push(&rev->fixity, sg_xasprintf("%s\t%s", pdf->rel,
		    pdf->sha256));
	free(rel);
}

/* /history/ledger.json: every revision with its downloads' SHA-256, for
 * machines; the ledger page says the same for people. */
static void
ledger_json(struct sg_pages *p)
{
	struct sg_site *s = p->site;
	struct sg_history *h = s->hist;
	struct sg_buf b = {0};

	sg_buf_puts(&b, "{\"school\":");
	sg_buf_json(&b, s->school ? s->school : "");
	sg_buf_puts(&b, ",\"revisions\":[");
	for (size_t i = 0; h && i < h->nrevs; i++) {
		const struct sg_rev *r = &h->revs[i];
		char *url = sg_xasprintf("%d/r%d/", r->year, r->n), *abs;
		if (i)
			sg_buf_putc(&b, ',');
		sg_buf_printf(&b, "\n{\"year\":%d,\"revision\":%d,\"tag\":",
		    r->year, r->n);
		sg_buf_json(&b, r->tag);
		sg_buf_puts(&b, ",\"commit\":");
		sg_buf_json(&b, r->commit);
		sg_buf_puts(&b, ",\"date\":");
		sg_buf_json(&b, r->date);
		sg_buf_puts(&b, ",\"time\":");
		sg_buf_json(&b, r->iso);
		sg_buf_puts(&b, ",\"note\":");
		sg_buf_json(&b, r->note ? r->note : "");
		abs = sg_sitemap_url(s, url);
		sg_buf_puts(&b, ",\"url\":");
		sg_buf_json(&b, r->report ? abs : "");
		free(abs);
		free(url);
		sg_buf_puts(&b, ",\"files\":[");
		for (size_t k = 0; k < r->fixity.n; k++) {
			char *path = sg_xstrdup(r->fixity.v[k]);
			char *tab = strchr(path, '\t');
			*tab = '\0';
			abs = sg_sitemap_url(s, path);
			sg_buf_puts(&b, k ? ",{\"path\":" : "{\"path\":");
			sg_buf_json(&b, path);
			sg_buf_puts(&b, ",\"url\":");
			sg_buf_json(&b, abs);
			sg_buf_puts(&b, ",\"sha256\":");
			sg_buf_json(&b, tab + 1);
			sg_buf_putc(&b, '}');
			free(abs);
			free(path);
		}
		sg_buf_puts(&b, "]}");
	}
	sg_buf_puts(&b, "\n],\"withdrawals\":[");
	for (size_t i = 0; h && i < h->nwd; i++) {
		const struct sg_withdrawal *w = &h->wd[i];
		sg_buf_printf(&b, "%s\n{\"year\":%d,\"revision\":%d,\"tag\":",
		    i ? "," : "", w->year, w->from);
		sg_buf_json(&b, w->tag);
		sg_buf_puts(&b, ",\"path\":");
		sg_buf_json(&b, w->path + strlen("content/"));
		sg_buf_printf(&b, ",\"passage\":%s,\"date\":", w->passage ?
		    "true" : "false");
		sg_buf_json(&b, w->date);
		sg_buf_puts(&b, ",\"time\":");
		sg_buf_json(&b, w->iso);
		sg_buf_puts(&b, ",\"reason\":");
		sg_buf_json(&b, w->reason);
		sg_buf_puts(&b, ",\"sha256\":");
		sg_buf_json(&b, w->sha256);
		sg_buf_putc(&b, '}');
	}
	sg_buf_puts(&b, "\n]}\n");
	if (sg_output_write(p->o, "history/ledger.json", b.data, b.len,
	    p->d) == -1)
		p->failed = 1;
	else
		p->st->files++;
	sg_buf_clear(&b);
}

void
sg_page_history_archive(struct sg_pages *p, struct sg_rev *rev,
    const struct sg_report *cur)
{
	fixity(p, rev);
	feed_entry(p, rev, cur);
}

void
sg_page_history(struct sg_pages *p)
{
	struct sg_site *s = p->site;

	for (size_t y = 0; y < s->nreports; y++)
		history_page(p, &s->reports[y]);
	ledger_page(p);
	ledger_json(p);
}
