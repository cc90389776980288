/*
 * history: libgit2 reads for the disclosure history.  Tags are read once
 * per run; each revision's report is loaded from its tree through
 * source_git.c and load.c, exactly as the working tree is; file times come
 * from one first-parent walk of the current branch that stops as soon as
 * every current file has a date.  Nothing here writes to the repository
 * (publish.c does).
 */
#include <ctype.h>
#include <git2.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changes.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "source.h"
#include "util.h"

#define TAG_PREFIX	"disclosure/"

struct ftime {
	char		*path;	/* relative to the site folder */
	long long	 t;
};

struct sg_lastmod {
	struct ftime	*v;
	size_t		 n;
	size_t		 cap;
};

const char *
sg_history_git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

struct sg_history *
sg_history_wrap(git_repository *repo, const char *dir, struct sg_diag *d)
{
	struct sg_history *h = sg_xcalloc(1, sizeof(*h));
	const char *wd = git_repository_workdir(repo);
	char *real = realpath(dir, NULL), *realwd = wd ? realpath(wd, NULL) :
	    NULL;

	h->repo = repo;
	h->prefix = sg_xstrdup("");
	if (real && realwd && strcmp(real, realwd) != 0) {
		size_t n = strlen(realwd);
		if (strncmp(real, realwd, n) == 0 && real[n] == '/') {
			free(h->prefix);
			h->prefix = sg_xasprintf("%s/", real + n + 1);
		}
	}
	h->shallow = git_repository_is_shallow(repo) == 1;
	(void)d;
	free(real);
	free(realwd);
	return h;
}

int
sg_history_repo_open(const char *dir, git_repository **out)
{
	/* As git does: the search for .git stops below these folders. */
	return git_repository_open_ext(out, dir, 0,
	    getenv("GIT_CEILING_DIRECTORIES"));
}

int
sg_history_open(const char *dir, struct sg_history **out, struct sg_diag *d)
{
	git_repository *repo = NULL;
	int rc;

	*out = NULL;
	rc = sg_history_repo_open(dir, &repo);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0) {
		const char *m = sg_history_git_msg();
		if (strstr(m, "safe.directory") || rc == GIT_EOWNER)
			sg_diag_add(d, SG_FATAL, dir, 0, 0, "the git repository "
			    "here belongs to another user, so git refuses to "
			    "open it (%s); expected a repository you own, or "
			    "its folder listed in git's safe.directory", m);
		else
			sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot open the "
			    "git repository: %s", m);
		return -1;
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return 0;
	}
	*out = sg_history_wrap(repo, dir, d);
	return 0;
}

static void
free_rev(struct sg_rev *r)
{
	free(r->tag);
	free(r->author);
	free(r->email);
	free(r->note);
	free(r->allowed);
	sg_strv_clear(&r->findings);
	sg_strv_clear(&r->fixity);
	sg_load_free(r->site);
	sg_source_free(r->src);
	sg_changes_clear(&r->changes);
}

void
sg_history_free(struct sg_history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->nrevs; i++)
		free_rev(&h->revs[i]);
	free(h->revs);
	if (h->lastmod) {
		for (size_t i = 0; i < h->lastmod->n; i++)
			free(h->lastmod->v[i].path);
		free(h->lastmod->v);
		free(h->lastmod);
	}
	for (size_t i = 0; i < h->nwd; i++)
		sg_withdrawal_clear(&h->wd[i]);
	free(h->wd);
	free(h->clean);
	free(h->prefix);
	git_repository_free(h->repo);
	free(h);
}

/* ---- tag messages ---- */

static const char *const trailer_keys[] = {"Disclosure:", "Published:",
    "Allowed-Findings:", "Finding:", NULL};

static int
is_trailer(const char *line, size_t len)
{
	for (const char *const *k = trailer_keys; *k; k++)
		if (len >= strlen(*k) && strncmp(line, *k, strlen(*k)) == 0)
			return 1;
	return 0;
}

/* One line: newlines in a reason or finding become spaces. */
static void
oneline(struct sg_buf *b, const char *s)
{
	for (; *s; s++)
		sg_buf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
}

char *
sg_history_message(const char *note, int year, int n, const char *published,
    const char *allowed, const struct sg_strv *findings)
{
	struct sg_buf b = {0};
	size_t len = strlen(note);

	while (len && isspace((unsigned char)note[len - 1]))
		len--;
	while (len && isspace((unsigned char)*note)) {
		note++;
		len--;
	}
	sg_buf_add(&b, note, len);
	sg_buf_printf(&b, "\n\nDisclosure: %d r%d\nPublished: %s\n", year, n,
	    published);
	if (allowed) {
		sg_buf_puts(&b, "Allowed-Findings: ");
		oneline(&b, allowed);
		sg_buf_putc(&b, '\n');
		for (size_t i = 0; findings && i < findings->n; i++) {
			sg_buf_puts(&b, "Finding: ");
			oneline(&b, findings->v[i]);
			sg_buf_putc(&b, '\n');
		}
	}
	return sg_buf_take(&b);
}

/* Splits a tag message into its note and trailers. */
static void
parse_message(struct sg_rev *r, const char *msg)
{
	const char *block = msg, *p;
	size_t len = strlen(msg);

	while (len && isspace((unsigned char)msg[len - 1]))
		len--;
	/* The trailers are the last paragraph, if all its lines are ours. */
	for (p = msg; (p = strstr(p, "\n\n")) != NULL && (size_t)(p - msg) < len;
	    p++)
		block = p + 2;
	int ok = block != msg;
	for (p = block; ok && p < msg + len; ) {
		const char *e = memchr(p, '\n', (size_t)(msg + len - p));
		if (e == NULL)
			e = msg + len;
		if (!is_trailer(p, (size_t)(e - p)))
			ok = 0;
		p = e + 1;
	}
	if (!ok) {
		r->note = sg_xstrndup(msg, len);
		return;
	}
	size_t nl = (size_t)(block - msg);
	while (nl && isspace((unsigned char)msg[nl - 1]))
		nl--;
	r->note = sg_xstrndup(msg, nl);
	for (p = block; p < msg + len; ) {
		const char *e = memchr(p, '\n', (size_t)(msg + len - p));
		if (e == NULL)
			e = msg + len;
		if (strncmp(p, "Allowed-Findings: ", 18) == 0) {
			free(r->allowed);
			r->allowed = sg_xstrndup(p + 18, (size_t)(e - p - 18));
		} else if (strncmp(p, "Finding: ", 9) == 0)
			sg_strv_push(&r->findings, sg_xstrndup(p + 9,
			    (size_t)(e - p - 9)));
		p = e + 1;
	}
}

/* ---- reading tags ---- */

/* "disclosure/2024/r12" → year 2024, n 12; 0 if not that shape. */
static int
parse_tag(const char *name, int *year, int *n)
{
	const char *p = name + strlen(TAG_PREFIX);
	char *end;
	long v;

	if (strncmp(name, TAG_PREFIX, strlen(TAG_PREFIX)) != 0 ||
	    strspn(p, "0123456789") != 4 || p[4] != '/' || p[5] != 'r' ||
	    !isdigit((unsigned char)p[6]) || p[6] == '0')
		return 0;
	*year = atoi(p);
	v = strtol(p + 6, &end, 10);
	if (*end != '\0' || v <= 0 || v > INT_MAX)
		return 0;
	*n = (int)v;
	return 1;
}

static void
set_time(struct sg_rev *r, git_time_t t, int offset)
{
	time_t local = (time_t)(t + (git_time_t)offset * 60), utc = (time_t)t;
	struct tm tm;

	r->time = (long long)t;
	r->offset = offset;
	gmtime_r(&local, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%d", &tm);
	strftime(r->when, sizeof(r->when), "%Y-%m-%d %H:%M", &tm);
	gmtime_r(&utc, &tm);
	strftime(r->iso, sizeof(r->iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
cmp_rev(const void *a, const void *b)
{
	const struct sg_rev *x = a, *y = b;

	return x->year != y->year ? x->year - y->year : x->n - y->n;
}

static int
read_tag(struct sg_history *h, const char *name, struct sg_rev *r,
    struct sg_diag *d)
{
	char *ref = sg_xasprintf("refs/tags/%s", name);
	git_object *o = NULL, *c = NULL;
	const git_signature *sig;
	int rc = -1;

	if (git_revparse_single(&o, h->repo, ref) < 0 ||
	    git_object_peel(&c, o, GIT_OBJECT_COMMIT) < 0) {
		sg_diag_add(d, SG_WARNING, name, 0, 0, "tag cannot be read and "
		    "is left out of the history: %s", sg_history_git_msg());
		goto out;
	}
	r->tag = sg_xstrdup(name);
	git_oid_tostr(r->commit, sizeof(r->commit), git_object_id(c));
	memcpy(r->short_id, r->commit, 7);
	r->short_id[7] = '\0';
	if (git_object_type(o) == GIT_OBJECT_TAG) {
		const git_tag *t = (const git_tag *)o;
		sig = git_tag_tagger(t);
		parse_message(r, git_tag_message(t) ? git_tag_message(t) : "");
	} else {
		/* A lightweight tag made by hand: the commit speaks for it. */
		sig = git_commit_committer((const git_commit *)c);
		parse_message(r, git_commit_message((const git_commit *)c));
	}
	if (sig) {
		r->author = sg_xstrdup(sig->name ? sig->name : "");
		r->email = sg_xstrdup(sig->email ? sig->email : "");
		set_time(r, sig->when.time, sig->when.offset);
	} else {
		r->author = sg_xstrdup("");
		r->email = sg_xstrdup("");
		set_time(r, 0, 0);
	}
	rc = 0;
out:
	git_object_free(c);
	git_object_free(o);
	free(ref);
	return rc;
}

/* A withdrawal tag: the record in its message, the date its own.  A tag
 * that is not one is a warning, and applies to nothing. */
static int
read_withdrawal(struct sg_history *h, const char *name, struct sg_diag *d)
{
	char *ref = sg_xasprintf("refs/tags/%s", name);
	git_object *o = NULL;
	struct sg_withdrawal w;
	struct sg_rev when;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	if (git_revparse_single(&o, h->repo, ref) < 0 ||
	    git_object_type(o) != GIT_OBJECT_TAG ||
	    sg_withdrawal_parse(git_tag_message((const git_tag *)o) ?
	    git_tag_message((const git_tag *)o) : "", &w) == -1) {
		sg_diag_add(d, SG_WARNING, name, 0, 0, "not a withdrawal that "
		    "site-gen withdraw made; it is left out");
		sg_withdrawal_clear(&w);
		goto out;
	}
	const git_signature *sig = git_tag_tagger((const git_tag *)o);
	memset(&when, 0, sizeof(when));
	set_time(&when, sig ? sig->when.time : 0, sig ? sig->when.offset : 0);
	memcpy(w.date, when.date, sizeof(w.date));
	memcpy(w.iso, when.iso, sizeof(w.iso));
	w.time = when.time;
	w.tag = sg_xstrdup(name);
	h->wd = sg_xrealloc(h->wd, (h->nwd + 1) * sizeof(*h->wd));
	h->wd[h->nwd++] = w;
	rc = 0;
out:
	git_object_free(o);
	free(ref);
	return rc;
}

static int
cmp_withdrawal(const void *a, const void *b)
{
	const struct sg_withdrawal *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return strcmp(x->tag, y->tag);
}

int
sg_history_read(struct sg_history *h, struct sg_diag *d)
{
	git_strarray names = {0};

	if (git_tag_list_match(&names, TAG_PREFIX "*", h->repo) < 0) {
		sg_diag_add(d, SG_FATAL, ".git", 0, 0, "cannot list tags: %s",
		    sg_history_git_msg());
		return -1;
	}
	for (size_t i = 0; i < names.count; i++) {
		struct sg_rev r;
		memset(&r, 0, sizeof(r));
		if (!parse_tag(names.strings[i], &r.year, &r.n))
			continue;
		if (read_tag(h, names.strings[i], &r, d) == -1) {
			free_rev(&r);
			continue;
		}
		h->revs = sg_xrealloc(h->revs, (h->nrevs + 1) * sizeof(*h->revs));
		h->revs[h->nrevs++] = r;
	}
	git_strarray_dispose(&names);
	if (h->nrevs > 1)
		qsort(h->revs, h->nrevs, sizeof(*h->revs), cmp_rev);
	if (git_tag_list_match(&names, "withdrawal/*", h->repo) == 0) {
		for (size_t i = 0; i < names.count; i++)
			read_withdrawal(h, names.strings[i], d);
		git_strarray_dispose(&names);
	}
	if (h->nwd > 1)
		qsort(h->wd, h->nwd, sizeof(*h->wd), cmp_withdrawal);
	return 0;
}

int
sg_history_source(struct sg_history *h, const char *commit,
    struct sg_source **out, struct sg_diag *d)
{
	git_tree *tree;

	*out = NULL;
	if (sg_history_tree(h, commit, &tree, d) == -1)
		return -1;
	*out = sg_withdrawal_source(tree, h->wd, h->nwd);
	git_tree_free(tree);
	if (*out == NULL) {
		sg_diag_add(d, SG_FATAL, commit, 0, 0, "cannot read: %s",
		    sg_history_git_msg());
		return -1;
	}
	return 0;
}

struct sg_rev *
sg_history_year(const struct sg_history *h, int year, size_t *n)
{
	size_t i = 0, j;

	*n = 0;
	if (h == NULL)
		return NULL;
	while (i < h->nrevs && h->revs[i].year != year)
		i++;
	for (j = i; j < h->nrevs && h->revs[j].year == year; j++)
		;
	*n = j - i;
	return *n ? &h->revs[i] : NULL;
}

struct sg_rev *
sg_history_find(const struct sg_history *h, int year, const char *name)
{
	size_t n;
	struct sg_rev *v = sg_history_year(h, year, &n);
	const char *p = name;
	int y = year, k;

	if (strncmp(p, TAG_PREFIX, strlen(TAG_PREFIX)) == 0) {
		if (!parse_tag(p, &y, &k))
			return NULL;
	} else {
		if (*p == 'r' || *p == 'R')
			p++;
		if (*p == '\0' || strlen(p) > 9 ||
		    strspn(p, "0123456789") != strlen(p))
			return NULL;
		k = atoi(p);
	}
	for (size_t i = 0; i < n && y == year; i++)
		if (v[i].n == k)
			return &v[i];
	return NULL;
}

int
sg_history_tree(struct sg_history *h, const char *commit, git_tree **out,
    struct sg_diag *d)
{
	git_oid id;
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int rc = -1;

	*out = NULL;
	if (git_oid_fromstr(&id, commit) < 0 ||
	    git_commit_lookup(&c, h->repo, &id) < 0 ||
	    git_commit_tree(&root, c) < 0) {
		sg_diag_add(d, SG_WARNING, commit, 0, 0, "commit cannot be read "
		    "(a shallow clone?): %s", sg_history_git_msg());
		goto out;
	}
	if (*h->prefix == '\0') {
		*out = root;
		root = NULL;
		rc = 0;
		goto out;
	}
	char *p = sg_xstrndup(h->prefix, strlen(h->prefix) - 1);
	if (git_tree_entry_bypath(&e, root, p) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE ||
	    git_tree_lookup(out, h->repo, git_tree_entry_id(e)) < 0) {
		sg_diag_add(d, SG_WARNING, commit, 0, 0, "commit has no folder "
		    "%s", p);
		*out = NULL;
	} else
		rc = 0;
	free(p);
out:
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

int
sg_history_load_rev(struct sg_history *h, struct sg_rev *rev,
    struct sg_site *outer, struct sg_diag *d)
{
	struct sg_diag ad = {0};
	char *prefix;

	if (rev->site)
		return 0;
	if (sg_history_source(h, rev->commit, &rev->src, d) == -1)
		return -1;
	prefix = sg_xasprintf("%d/r%d/", rev->year, rev->n);
	rev->site = sg_load_archive(rev->src, rev->year, prefix, outer, &ad);
	free(prefix);
	sg_diag_clear(&ad);
	if (rev->site->nreports == 1) {
		rev->report = &rev->site->reports[0];
		rev->report->rev = rev;
	}
	return 0;
}

int
sg_history_load(struct sg_history *h, struct sg_site *site,
    struct sg_diag *d)
{
	for (size_t i = 0; i < h->nrevs; i++) {
		struct sg_rev *r = &h->revs[i];
		int current = site == NULL;
		for (size_t y = 0; site && y < site->nreports; y++)
			current |= site->reports[y].year == r->year;
		if (!current)
			continue;	/* a year no longer in content/ */
		sg_history_load_rev(h, r, site, d);
		if (i > 0 && h->revs[i - 1].year == r->year &&
		    h->revs[i - 1].report && r->report) {
			/* Named in the words of the theme pages use. */
			r->changes.theme = site ? site->parts : NULL;
			sg_changes_compute(h->revs[i - 1].report, r->report,
			    &r->changes);
			r->has_changes = 1;
		}
	}
	return 0;
}

/* History problems are warnings in a build: a site builds without its
 * history rather than not at all. */
static void
demote(struct sg_diag *d, struct sg_diag *hd)
{
	for (size_t i = 0; i < hd->n; i++)
		if (hd->v[i].sev > SG_WARNING) {
			char *m = hd->v[i].msg;
			hd->v[i].sev = SG_WARNING;
			hd->v[i].msg = sg_xasprintf("%s; building without the "
			    "disclosure history", m);
			free(m);
		}
	sg_diag_merge(d, hd);
	sg_diag_clear(hd);
}

struct sg_history *
sg_history_open_build(const char *dir, struct sg_diag *d)
{
	struct sg_diag hd = {0};
	struct sg_history *h = NULL;

	if (sg_history_open(dir, &h, &hd) == 0 && h &&
	    sg_history_read(h, &hd) == -1) {
		sg_history_free(h);
		h = NULL;
	}
	demote(d, &hd);
	return h;
}

void
sg_history_load_build(struct sg_history *h, struct sg_site *site,
    struct sg_diag *d)
{
	struct sg_diag hd = {0};

	if (h == NULL)
		return;
	sg_history_load(h, site, &hd);
	sg_history_times(h, &hd);
	demote(d, &hd);
}

/* ---- file times ---- */

static struct ftime *
ft_find(struct sg_lastmod *lm, const char *path)
{
	for (size_t i = 0; i < lm->n; i++)
		if (strcmp(lm->v[i].path, path) == 0)
			return &lm->v[i];
	return NULL;
}

/* Records t for path unless it has a (newer) time already; 1 if new. */
static int
ft_set(struct sg_lastmod *lm, const char *path, long long t, int force)
{
	struct ftime *f = ft_find(lm, path);

	if (f) {
		if (force)
			f->t = t;
		return 0;
	}
	if (lm->n == lm->cap) {
		lm->cap = lm->cap ? lm->cap * 2 : 64;
		lm->v = sg_xrealloc(lm->v, lm->cap * sizeof(*lm->v));
	}
	lm->v[lm->n].path = sg_xstrdup(path);
	lm->v[lm->n].t = t;
	lm->n++;
	return 1;
}

struct walkctx {
	const char	*prefix;
	struct sg_strv	 files;
};

static int
collect(const char *root, const git_tree_entry *e, void *payload)
{
	struct walkctx *w = payload;

	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		sg_strv_push(&w->files, sg_xasprintf("%s%s", root,
		    git_tree_entry_name(e)));
	return 0;
}

/* A repository path as a site path, or NULL if outside the site. */
static const char *
site_path(const struct sg_history *h, const char *path)
{
	size_t n = strlen(h->prefix);

	return strncmp(path, h->prefix, n) == 0 ? path + n : NULL;
}

static void
set_pathspec(const struct sg_history *h, git_strarray *ps, char **v)
{
	v[0] = sg_xasprintf("%scontent", h->prefix);
	v[1] = sg_xasprintf("%ssite.yml", h->prefix);
	ps->strings = v;
	ps->count = 2;
}

/* Walks the current branch, first parents only, newest first, dating
 * each file by the first commit seen to change it. */
static int
walk_times(struct sg_history *h, struct sg_lastmod *lm, struct sg_diag *d)
{
	git_revwalk *w = NULL;
	git_object *head = NULL;
	git_tree *ht = NULL;
	struct walkctx wc = {h->prefix, {0}};
	char *ps[2];
	git_diff_options o;
	git_oid id;
	size_t left;
	int rc = -1;

	if (git_repository_head_unborn(h->repo) == 1)
		return 0;
	if (git_revparse_single(&head, h->repo, "HEAD^{tree}") < 0) {
		sg_diag_add(d, SG_WARNING, ".git", 0, 0, "cannot read HEAD; "
		    "sitemap.xml has no lastmod: %s", sg_history_git_msg());
		return -1;
	}
	ht = (git_tree *)head;
	git_tree_walk(ht, GIT_TREEWALK_PRE, collect, &wc);
	left = 0;
	for (size_t i = 0; i < wc.files.n; i++) {
		const char *sp = site_path(h, wc.files.v[i]);
		if (sp && (strncmp(sp, "content/", 8) == 0 ||
		    strcmp(sp, "site.yml") == 0))
			left++;
		else {
			free(wc.files.v[i]);
			wc.files.v[i] = NULL;
		}
	}
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	set_pathspec(h, &o.pathspec, ps);
	if (git_revwalk_new(&w, h->repo) < 0 || git_revwalk_push_head(w) < 0)
		goto fail;
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(w);
	while (left > 0 && git_revwalk_next(&id, w) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *ct = NULL, *pt = NULL;
		git_diff *diff = NULL;

		if (git_commit_lookup(&c, h->repo, &id) < 0 ||
		    git_commit_tree(&ct, c) < 0 ||
		    (git_commit_parentcount(c) > 0 &&
		    (git_commit_parent(&p, c, 0) < 0 ||
		    git_commit_tree(&pt, p) < 0)) ||
		    git_diff_tree_to_tree(&diff, h->repo, pt, ct, &o) < 0) {
			git_tree_free(ct);
			git_tree_free(pt);
			git_commit_free(c);
			git_commit_free(p);
			goto fail;
		}
		long long t = (long long)git_commit_time(c);
		for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
			const git_diff_delta *dl = git_diff_get_delta(diff, i);
			const char *sp = site_path(h, dl->new_file.path);
			if (sp == NULL || !ft_set(lm, sp, t, 0))
				continue;
			for (size_t k = 0; k < wc.files.n; k++)
				if (wc.files.v[k] && strcmp(site_path(h,
				    wc.files.v[k]), sp) == 0) {
					free(wc.files.v[k]);
					wc.files.v[k] = NULL;
					left--;
				}
		}
		git_diff_free(diff);
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(c);
		git_commit_free(p);
	}
	rc = 0;
	goto out;
fail:
	sg_diag_add(d, SG_WARNING, ".git", 0, 0, "cannot read the history; "
	    "sitemap.xml has no lastmod: %s", sg_history_git_msg());
out:
	free(ps[0]);
	free(ps[1]);
	sg_strv_clear(&wc.files);	/* dated entries are NULL already */
	git_revwalk_free(w);
	git_object_free(head);
	return rc;
}

/* Files that differ in the working tree (or index) date from now. */
static int
status_times(struct sg_history *h, struct sg_lastmod *lm, long long now,
    struct sg_diag *d)
{
	git_status_options o;
	git_status_list *sl = NULL;
	char *ps[2];

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	set_pathspec(h, &o.pathspec, ps);
	if (git_status_list_new(&sl, h->repo, &o) < 0) {
		sg_diag_add(d, SG_WARNING, ".", 0, 0, "cannot compare the "
		    "working tree with git; sitemap.xml has no lastmod: %s",
		    sg_history_git_msg());
		free(ps[0]);
		free(ps[1]);
		return -1;
	}
	for (size_t i = 0; i < git_status_list_entrycount(sl); i++) {
		const git_status_entry *e = git_status_byindex(sl, i);
		const git_diff_delta *dl = e->index_to_workdir ?
		    e->index_to_workdir : e->head_to_index;
		const char *sp;
		if (dl == NULL)
			continue;
		if ((sp = site_path(h, dl->new_file.path)) != NULL)
			ft_set(lm, sp, now, 1);
		if ((sp = site_path(h, dl->old_file.path)) != NULL)
			ft_set(lm, sp, now, 1);
	}
	git_status_list_free(sl);
	free(ps[0]);
	free(ps[1]);
	return 0;
}

int
sg_history_times(struct sg_history *h, struct sg_diag *d)
{
	struct sg_lastmod *lm;

	if (h->lastmod)
		return 0;
	if (h->shallow) {
		sg_diag_add(d, SG_WARNING, ".git", 0, 0, "this is a shallow "
		    "clone, so the dates of pages' last changes are unknown and "
		    "sitemap.xml has no lastmod; expected the full history "
		    "(git fetch --unshallow)");
		return 0;
	}
	lm = sg_xcalloc(1, sizeof(*lm));
	if (walk_times(h, lm, d) == -1 ||
	    status_times(h, lm, (long long)time(NULL), d) == -1) {
		for (size_t i = 0; i < lm->n; i++)
			free(lm->v[i].path);
		free(lm->v);
		free(lm);
		return -1;
	}
	h->lastmod = lm;
	return 0;
}

/* The newest time of path: the file itself, or anything under it ("" is
 * everything). */
static long long
newest(const struct sg_lastmod *lm, const char *path)
{
	size_t n = strlen(path);
	long long t = -1;

	for (size_t i = 0; i < lm->n; i++) {
		const char *p = lm->v[i].path;
		if ((n == 0 || (strncmp(p, path, n) == 0 &&
		    (p[n] == '\0' || p[n] == '/'))) && lm->v[i].t > t)
			t = lm->v[i].t;
	}
	return t;
}

char *
sg_history_lastmod(const struct sg_history *h, const struct sg_report *r,
    const char *src, const struct sg_doc *doc)
{
	struct sg_strv paths = {0};
	long long t = -1;
	char buf[32];
	struct tm tm;
	time_t tt;

	if (r && r->rev)
		return sg_xstrdup(r->rev->iso);
	if (h == NULL || h->lastmod == NULL)
		return NULL;
	if (src)
		sg_strv_push(&paths, sg_xstrdup(src));
	if (doc) {
		sg_strv_push(&paths, sg_xstrdup(doc->path));
		if (r)
			sg_md_sources(r, doc, &paths);
	}
	for (size_t i = 0; i < paths.n; i++) {
		long long u = newest(h->lastmod, paths.v[i]);
		if (u > t)
			t = u;
	}
	sg_strv_clear(&paths);
	if (t < 0)
		return NULL;
	tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return sg_xstrdup(buf);
}

/* libgit2 objects are not to be used from two threads at once; pages
 * render in parallel and ask these two. */
static pthread_mutex_t git_lock = PTHREAD_MUTEX_INITIALIZER;

static int count_changes(struct sg_history *h, int year, int frame);

struct sg_site *
sg_history_view_at(const struct sg_site *s, const struct sg_report *r)
{
	const struct sg_history *h = s->hist;
	struct sg_site *v;

	if (r->rev == NULL || h == NULL)
		return NULL;
	v = sg_xmalloc(sizeof(*v));
	*v = *s;
	v->reports = sg_xcalloc(s->nreports + 1, sizeof(*v->reports));
	v->nreports = 0;
	/* revs are by year, then N: the last public one of each year. */
	for (size_t i = 0; i < h->nrevs; i++) {
		const struct sg_rev *x = &h->revs[i], *pick = NULL;
		if (i > 0 && h->revs[i - 1].year == x->year)
			continue;
		if (x->year == r->year)
			pick = r->rev;
		else
			for (size_t k = i; k < h->nrevs &&
			    h->revs[k].year == x->year; k++)
				if (h->revs[k].report &&
				    h->revs[k].time <= r->rev->time)
					pick = &h->revs[k];
		if (pick == NULL || (pick != r->rev && pick->report == NULL))
			continue;
		if (v->nreports == s->nreports + 1)
			break;
		v->reports[v->nreports++] = pick == r->rev ? *r : *pick->report;
	}
	return v;
}

void
sg_history_view_free(struct sg_site *v)
{
	if (v == NULL)
		return;
	free(v->reports);
	free(v);
}

int
sg_history_pending(struct sg_history *h, int year)
{
	int rc;

	pthread_mutex_lock(&git_lock);
	rc = count_changes(h, year, 0);
	pthread_mutex_unlock(&git_lock);
	return rc;
}

int
sg_history_clean(struct sg_history *h, int year)
{
	int rc;

	pthread_mutex_lock(&git_lock);
	rc = count_changes(h, year, 1) == 0;
	pthread_mutex_unlock(&git_lock);
	return rc;
}

/*
 * How many files of content/<year>/ (and, with frame, site.yml and
 * themes/) the working tree has changed, added or removed since the
 * year's latest revision; -1 when unknown (no revision, git failed).
 * Answers are kept: a build asks for every page.  Under git_lock.
 */
static int
count_changes(struct sg_history *h, int year, int frame)
{
	size_t n;
	struct sg_rev *v = sg_history_year(h, year, &n);
	git_diff_options o;
	git_object *tree = NULL;
	git_diff *diff = NULL;
	char *ps[3];
	int count = -1, key = frame ? -year : year;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < h->nclean; i++)
		if (h->clean[2 * i] == key)
			return h->clean[2 * i + 1];
	char *spec = sg_xasprintf("%s^{tree}", v[n - 1].commit);
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	ps[0] = sg_xasprintf("%scontent/%d", h->prefix, year);
	ps[1] = sg_xasprintf("%ssite.yml", h->prefix);
	ps[2] = sg_xasprintf("%sthemes", h->prefix);
	o.pathspec.strings = ps;
	o.pathspec.count = frame ? 3 : 1;
	if (git_revparse_single(&tree, h->repo, spec) == 0 &&
	    git_diff_tree_to_workdir_with_index(&diff, h->repo,
	    (git_tree *)tree, &o) == 0)
		count = (int)git_diff_num_deltas(diff);
	git_diff_free(diff);
	git_object_free(tree);
	for (int i = 0; i < 3; i++)
		free(ps[i]);
	free(spec);
	h->clean = sg_xrealloc(h->clean, (h->nclean + 1) * 2 * sizeof(int));
	h->clean[2 * h->nclean] = key;
	h->clean[2 * h->nclean + 1] = count;
	h->nclean++;
	return count;
}

int
sg_history_head(struct sg_history *h, char buf[8])
{
	git_oid id;
	int rc;

	pthread_mutex_lock(&git_lock);
	rc = git_reference_name_to_id(&id, h->repo, "HEAD");
	pthread_mutex_unlock(&git_lock);
	if (rc < 0)
		return -1;
	git_oid_tostr(buf, 8, &id);
	return 0;
}
