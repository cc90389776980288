/*
 * publish: the one writer of the repository.  Steps, each of which stops
 * the run before anything is created if it fails: take the lock, refuse a
 * detached HEAD or a merge in progress, know the author, run the checks;
 * then stage exactly content/<year>/, site.yml and themes/, write the
 * commit's tree from HEAD's tree plus those paths (whatever else the user
 * has staged stays staged and out of the commit), commit on the current
 * branch if the tree changed, and tag it.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "output.h"
#include "pages.h"
#include "publish.h"
#include "source.h"
#include "theme.h"
#include "util.h"

#define LOCK_NAME	"site-gen-publish.lock"
#define LOCK_GRACE	10	/* seconds a lock may stay without its pid */

int
sg_publish_parse_author(const char *s, char **name, char **email)
{
	const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *e = lt;

	*name = *email = NULL;
	if (lt == NULL || gt == NULL || gt[1] != '\0' || gt == lt + 1)
		return -1;
	while (e > s && e[-1] == ' ')
		e--;
	while (*s == ' ')
		s++;
	if (e <= s)
		return -1;
	*name = sg_xstrndup(s, (size_t)(e - s));
	*email = sg_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

/* ---- the lock ---- */

/*
 * A publish killed while it wrote to the repository left git's lock files
 * behind: the index lock it takes (index_lock_take) or libgit2 took to
 * write the index, and the locks libgit2 takes to move a branch, HEAD or
 * a tag.  Each such file made after the killed publish took its own lock
 * (ours, whose process is gone) is removed with it: it was made while
 * that publish held the repository.  An older one belongs to something
 * else and is left.
 */
static int
newer(const struct stat *b, const struct stat *a)
{
	return b->st_mtim.tv_sec > a->st_mtim.tv_sec ||
	    (b->st_mtim.tv_sec == a->st_mtim.tv_sec &&
	    b->st_mtim.tv_nsec >= a->st_mtim.tv_nsec);
}

static void
stale_lock(const char *path, const struct stat *ours, struct sg_diag *d)
{
	struct stat b;

	if (lstat(path, &b) == 0 && S_ISREG(b.st_mode) && newer(&b, ours)) {
		sg_diag_add(d, SG_WARNING, path, 0, 0, "removed the git lock "
		    "that the killed publish left");
		unlink(path);
	}
}

static void
stale_ref_locks(const char *dir, const struct stat *ours, struct sg_diag *d)
{
	struct sg_strv names = {0};
	DIR *dh = opendir(dir);
	struct dirent *e;

	if (dh == NULL)
		return;
	while ((e = readdir(dh)) != NULL)
		if (*e->d_name != '.')
			sg_strv_push(&names, sg_xstrdup(e->d_name));
	closedir(dh);
	for (size_t i = 0; i < names.n; i++) {
		char *p = sg_path_join(dir, names.v[i]);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			stale_ref_locks(p, ours, d);
		else if (sg_has_suffix(names.v[i], ".lock"))
			stale_lock(p, ours, d);
		free(p);
	}
	sg_strv_clear(&names);
}

static void
stale_git_locks(git_repository *repo, const char *ours, struct sg_diag *d)
{
	static const char *const top[] = {"index.lock", "HEAD.lock",
	    "packed-refs.lock", NULL};
	const char *gd = git_repository_path(repo);
	struct stat a;

	if (stat(ours, &a) != 0)
		return;
	for (size_t i = 0; top[i]; i++) {
		char *p = sg_xasprintf("%s%s", gd, top[i]);
		stale_lock(p, &a, d);
		free(p);
	}
	char *refs = sg_xasprintf("%srefs", gd);
	stale_ref_locks(refs, &a, d);
	free(refs);
}

static int
lock_take(git_repository *repo, char **path, struct sg_diag *d)
{
	*path = sg_xasprintf("%s" LOCK_NAME, git_repository_path(repo));
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(*path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		char *text = NULL;
		size_t len;
		long pid = 0;

		if (fd >= 0) {
			dprintf(fd, "%ld\n", (long)getpid());
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			break;
		struct stat st;
		char *end = NULL;
		if (sg_file_read(*path, &text, &len) == 0)
			pid = strtol(text, &end, 10);
		if (pid <= 0 || end == NULL || (*end != '\n' && *end != '\0'))
			pid = 0;
		free(text);
		if (sg_pid_gone(pid)) {
			/* Left by a publish that was killed. */
			sg_diag_add(d, SG_WARNING, *path, 0, 0, "removed the lock of "
			    "process %ld, which is no longer running", pid);
			stale_git_locks(repo, *path, d);
			unlink(*path);
			continue;
		}
		/* Empty or garbage: a publish writes its process id at once,
		 * so such a lock older than a few seconds was left by a
		 * publish killed in between, or by something else. */
		if (pid == 0 && stat(*path, &st) == 0 &&
		    time(NULL) - st.st_mtime > LOCK_GRACE) {
			sg_diag_add(d, SG_WARNING, *path, 0, 0, "removed a lock "
			    "without a process id, left %lld s ago",
			    (long long)(time(NULL) - st.st_mtime));
			unlink(*path);
			continue;
		}
		sg_diag_add(d, SG_FATAL, *path, 0, 0, "another site-gen publish "
		    "is running in this repository (process %ld); expected one "
		    "at a time: wait for it to finish, or remove this file if "
		    "no publish is running", pid);
		free(*path);
		*path = NULL;
		return -1;
	}
	sg_diag_add(d, SG_FATAL, *path, 0, 0, "cannot create the lock: %s",
	    strerror(errno));
	free(*path);
	*path = NULL;
	return -1;
}

static void
lock_release(char *path)
{
	if (path)
		unlink(path);
	free(path);
}

/*
 * git's own lock on the index, taken as git takes it (create
 * index.lock, fail if it exists), and held from reading the index until
 * just before it is written: with another git process at work, publish
 * must refuse before it commits, not commit and then find that the index
 * cannot follow — which left the user's index holding a staged reversal
 * of the publication.
 */
static int
index_lock_take(git_repository *repo, char **path, struct sg_diag *d)
{
	int fd;

	*path = sg_xasprintf("%sindex.lock", git_repository_path(repo));
	if ((fd = open(*path, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		sg_diag_add(d, SG_FATAL, *path, 0, 0, "another git process seems "
		    "to be running in this repository, so nothing was "
		    "published; expected it finished first (if no git process "
		    "is running, remove this file and publish again)");
	else
		sg_diag_add(d, SG_FATAL, *path, 0, 0, "cannot create the index "
		    "lock: %s", strerror(errno));
	free(*path);
	*path = NULL;
	return -1;
}

/* ---- the repository's state ---- */

static int
head_ok(git_repository *repo, struct sg_diag *d)
{
	git_index *idx = NULL;
	int st = git_repository_state(repo), rc = 0;

	if (git_repository_head_detached(repo) == 1) {
		git_oid id;
		char hex[8] = "?";
		if (git_reference_name_to_id(&id, repo, "HEAD") == 0)
			git_oid_tostr(hex, sizeof(hex), &id);
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "HEAD is detached (at %s), "
		    "so there is no branch to add the publication to; expected "
		    "a branch checked out, e.g. 'git switch main'", hex);
		return -1;
	}
	if (st != GIT_REPOSITORY_STATE_NONE) {
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "a merge, rebase or similar "
		    "operation is in progress in the repository; expected it "
		    "finished or aborted before publishing");
		return -1;
	}
	if (git_repository_index(&idx, repo) == 0 &&
	    git_index_has_conflicts(idx)) {
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "the git index has "
		    "unresolved conflicts; expected them resolved before "
		    "publishing");
		rc = -1;
	}
	git_index_free(idx);
	return rc;
}

/* The author: given, else user.name and user.email from the repository's
 * (or the user's) git configuration. */
static int
author(git_repository *repo, struct sg_publish *p, git_signature **sig,
    struct sg_diag *d)
{
	git_config *cfg = NULL;
	git_config_entry *n = NULL, *e = NULL;
	int rc = -1;

	if (p->name)
		rc = git_signature_now(sig, p->name, p->email);
	else if (repo)
		rc = git_signature_default(sig, repo);
	else if (git_config_open_default(&cfg) == 0 &&
	    git_config_get_entry(&n, cfg, "user.name") == 0 &&
	    git_config_get_entry(&e, cfg, "user.email") == 0)
		rc = git_signature_now(sig, n->value, e->value);
	git_config_entry_free(n);
	git_config_entry_free(e);
	git_config_free(cfg);
	if (rc < 0 && p->name)
		sg_diag_add(d, SG_ERROR, NULL, 0, 0, "author '%s <%s>' cannot "
		    "sign a commit (%s); expected --author \"name <email>\"",
		    p->name, p->email, sg_history_git_msg());
	else if (rc < 0)
		sg_diag_add(d, SG_ERROR, NULL, 0, 0, "no author for the commit "
		    "and tag; expected --author \"name <email>\", or user.name "
		    "and user.email in the git configuration");
	return rc < 0 ? -1 : 0;
}

/* ---- checks ---- */

/*
 * The checks a publication must pass: every finding of loading the site
 * (front matter, Markdown, links, CSV — the findings a build reports),
 * then the rules of `site-gen check` for the year at check's severities,
 * added to d.  Nothing is rendered: the build after the tag renders the
 * site once.  Returns the number of errors; their text goes to findings
 * for the tag message.
 */
static int
run_checks(struct sg_site *site, int year, struct sg_strv *findings,
    struct sg_diag *d)
{
	int errors = 0;

	sg_check_run(site, year, &(struct sg_check_opts){1, 0}, d);
	/* Only what concerns this year (and the files all years share)
	 * decides, and is said. */
	sg_check_only_year(d, year);
	for (size_t i = 0; i < d->n; i++) {
		const struct sg_diag_item *it = &d->v[i];
		if (it->sev < SG_ERROR)
			continue;
		errors++;
		/* One line each in the tag: shown as the terminal shows it. */
		char *file = sg_diag_visible(it->file ? it->file : "site-gen");
		char *msg = sg_diag_visible(it->msg);
		/* The rule's id last, in brackets: the history page names the
		 * rule to readers in Chinese. */
		sg_strv_push(findings, sg_xasprintf("%s:%d:%d: %s: %s%s%s%s",
		    file, it->line, it->col, sg_diag_sevname(it->sev), msg,
		    it->rule ? " [" : "", it->rule ? it->rule : "",
		    it->rule ? "]" : ""));
		free(file);
		free(msg);
	}
	return errors;
}

/* ---- staging and the commit's tree ---- */

struct spec {
	char		*v[3];
	git_strarray	 arr;
};

static void
spec_init(struct spec *s, const char *prefix, int year)
{
	s->v[0] = sg_xasprintf("%scontent/%d", prefix, year);
	s->v[1] = sg_xasprintf("%ssite.yml", prefix);
	s->v[2] = sg_xasprintf("%sthemes", prefix);
	s->arr.strings = s->v;
	s->arr.count = 3;
}

static void
spec_clear(struct spec *s)
{
	for (int i = 0; i < 3; i++)
		free(s->v[i]);
}

static int
in_spec(const struct spec *s, const char *path)
{
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(s->v[i]);
		if (strncmp(path, s->v[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* HEAD's commit and tree, or NULLs on an unborn branch. */
static int
head_tree(git_repository *repo, git_commit **c, git_tree **t)
{
	git_oid id;

	*c = NULL;
	*t = NULL;
	if (git_repository_head_unborn(repo) == 1)
		return 0;
	if (git_reference_name_to_id(&id, repo, "HEAD") < 0 ||
	    git_commit_lookup(c, repo, &id) < 0 || git_commit_tree(t, *c) < 0)
		return -1;
	return 0;
}

/*
 * Stages the publication's paths in the repository's index (in memory:
 * the caller writes *idx out once it commits) and writes the tree to
 * commit: HEAD's tree with those paths as they are now.
 */
static int
stage(git_repository *repo, const struct spec *sp, git_tree *ht,
    git_oid *tree, git_index **idxp, struct sg_diag *d)
{
	git_index *idx = NULL, *tidx = NULL;
	int rc = -1;

	if (git_repository_index(&idx, repo) < 0 || git_index_read(idx, 1) < 0 ||
	    git_index_add_all(idx, &sp->arr, GIT_INDEX_ADD_DEFAULT, NULL,
	    NULL) < 0 || git_index_update_all(idx, &sp->arr, NULL, NULL) < 0 ||
	    git_index_new(&tidx) < 0 || (ht && git_index_read_tree(tidx, ht) < 0))
		goto fail;
	for (size_t i = 0; i < git_index_entrycount(idx); i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (in_spec(sp, e->path) && git_index_entry_stage(e) == 0 &&
		    git_index_add(tidx, e) < 0)
			goto fail;
	}
	for (size_t i = git_index_entrycount(tidx); i > 0; i--) {
		const git_index_entry *e = git_index_get_byindex(tidx, i - 1);
		if (in_spec(sp, e->path) &&
		    git_index_get_bypath(idx, e->path, 0) == NULL &&
		    git_index_remove(tidx, e->path, 0) < 0)
			goto fail;
	}
	if (git_index_write_tree_to(tree, tidx, repo) < 0)
		goto fail;
	*idxp = idx;
	idx = NULL;
	rc = 0;
	goto out;
fail:
	sg_diag_add(d, SG_FATAL, ".", 0, 0, "cannot stage the publication: %s",
	    sg_history_git_msg());
out:
	git_index_free(tidx);
	git_index_free(idx);
	return rc;
}

/* 1 if the publication's paths are the same in trees a and b. */
static int
same_paths(git_repository *repo, const git_oid *a, const git_oid *b,
    const struct spec *sp)
{
	git_tree *ta = NULL, *tb = NULL;
	int same = 1;

	if (git_tree_lookup(&ta, repo, a) < 0 || git_tree_lookup(&tb, repo, b) < 0)
		same = 0;
	for (int i = 0; same && i < 3; i++) {
		git_tree_entry *ea = NULL, *eb = NULL;
		int ra = git_tree_entry_bypath(&ea, ta, sp->v[i]);
		int rb = git_tree_entry_bypath(&eb, tb, sp->v[i]);
		if ((ra == 0) != (rb == 0) || (ra == 0 &&
		    !git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))))
			same = 0;
		git_tree_entry_free(ea);
		git_tree_entry_free(eb);
	}
	git_tree_free(ta);
	git_tree_free(tb);
	return same;
}

/* What the publication leaves alone: every other change in the work tree. */
static void
left_alone(git_repository *repo, struct sg_strv *out)
{
	git_status_options o;
	git_status_list *sl = NULL;

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED;
	if (git_status_list_new(&sl, repo, &o) < 0)
		return;
	for (size_t i = 0; i < git_status_list_entrycount(sl); i++) {
		const git_status_entry *e = git_status_byindex(sl, i);
		const git_diff_delta *dl = e->index_to_workdir ?
		    e->index_to_workdir : e->head_to_index;
		unsigned f = e->status;
		/* git status --short: the index's column, then the work
		 * tree's. */
		char x = f & GIT_STATUS_INDEX_NEW ? 'A' :
		    f & GIT_STATUS_INDEX_MODIFIED ? 'M' :
		    f & GIT_STATUS_INDEX_DELETED ? 'D' :
		    f & GIT_STATUS_INDEX_RENAMED ? 'R' :
		    f & GIT_STATUS_INDEX_TYPECHANGE ? 'T' : ' ';
		char y = f & GIT_STATUS_WT_MODIFIED ? 'M' :
		    f & GIT_STATUS_WT_DELETED ? 'D' :
		    f & GIT_STATUS_WT_RENAMED ? 'R' :
		    f & GIT_STATUS_WT_TYPECHANGE ? 'T' : ' ';
		if (dl == NULL || f == GIT_STATUS_CURRENT ||
		    (f & GIT_STATUS_IGNORED))
			continue;
		if (f & GIT_STATUS_WT_NEW)
			x = y = '?';
		sg_strv_push(out, sg_xasprintf("%c%c %s", x, y, dl->new_file.path));
	}
	git_status_list_free(sl);
}

static int
init_repo(git_repository **repo, struct sg_diag *d)
{
	git_repository_init_options o;
	char *exclude;
	const char *ignore = "# site-gen: build output\n/public/\n/.public.*\n";

	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	o.initial_head = "main";
	if (git_repository_init_ext(repo, ".", &o) < 0) {
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "cannot create a git "
		    "repository: %s", sg_history_git_msg());
		return -1;
	}
	/* The build output is not content: keep it out of git's status
	 * without adding a file to the site. */
	exclude = sg_xasprintf("%sinfo/exclude", git_repository_path(*repo));
	if (sg_file_write(exclude, ignore, strlen(ignore)) == -1)
		sg_diag_add(d, SG_WARNING, exclude, 0, 0, "cannot write: %s",
		    strerror(errno));
	free(exclude);
	return 0;
}

/* "2024-12-20T10:00:00+08:00" in the signer's zone. */
static char *
sig_time(const git_signature *s)
{
	time_t t = (time_t)(s->when.time + (git_time_t)s->when.offset * 60);
	int off = s->when.offset < 0 ? -s->when.offset : s->when.offset;
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return sg_xasprintf("%s%c%02d:%02d", buf, s->when.offset < 0 ? '-' :
	    '+', off / 60, off % 60);
}

static char *
first_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? sg_xstrndup(s, (size_t)(nl - s)) : sg_xstrdup(s);
}

int
sg_publish_run(struct sg_publish *p, struct sg_diag *d)
{
	struct sg_history *h = NULL;
	git_repository *repo;
	git_signature *sig = NULL;
	git_commit *hc = NULL;
	git_tree *ht = NULL;
	git_object *target = NULL;
	git_index *idx = NULL;
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	struct spec sp;
	char *lock = NULL, *ilock = NULL;
	char *dir = sg_xasprintf("content/%d", p->year);
	git_oid tree, cid, tid;
	int rc = 3, errors;

	memset(&sp, 0, sizeof(sp));
	if (!sg_is_dir(dir)) {
		sg_diag_add(d, SG_ERROR, dir, 0, 0, "no such report; expected "
		    "the folder %s with report.yml and chapters", dir);
		rc = 1;
		goto out;
	}
	if (sg_history_open(".", &h, d) == -1)
		goto out;
	if (h && (lock_take(h->repo, &lock, d) == -1 ||
	    head_ok(h->repo, d) == -1))
		goto out;
	if (author(h ? h->repo : NULL, p, &sig, d) == -1) {
		rc = 2;
		goto out;
	}

	/* Nothing is created unless the checks pass (or are overridden). */
	src = sg_source_fs_new(".");
	site = sg_load_site(src, d);
	errors = run_checks(site, p->year, &p->findings, d);
	if (errors && p->allow == NULL) {
		/* Refused: the findings that block it, nothing else. */
		size_t w = 0;
		for (size_t i = 0; i < d->n; i++) {
			if (d->v[i].sev < SG_ERROR) {
				free(d->v[i].file);
				free(d->v[i].msg);
				continue;
			}
			d->v[w++] = d->v[i];
		}
		d->n = w;
		p->refused = (size_t)errors;
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (h == NULL) {
		if (init_repo(&repo, d) == -1)
			goto out;
		h = sg_history_wrap(repo, ".", d);
		p->initialised = 1;
		if (lock_take(h->repo, &lock, d) == -1)
			goto out;
	}
	repo = h->repo;
	if (sg_history_read(h, d) == -1 || head_tree(repo, &hc, &ht) == -1) {
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "cannot read HEAD: %s",
		    sg_history_git_msg());
		goto out;
	}
	spec_init(&sp, h->prefix, p->year);
	if (index_lock_take(repo, &ilock, d) == -1 ||
	    stage(repo, &sp, ht, &tree, &idx, d) == -1)
		goto out;

	size_t nrev;
	struct sg_rev *revs = sg_history_year(h, p->year, &nrev);
	if (nrev) {
		git_oid last;
		git_commit *lc = NULL;
		int same = 0;
		if (git_oid_fromstr(&last, revs[nrev - 1].commit) == 0 &&
		    git_commit_lookup(&lc, repo, &last) == 0)
			same = same_paths(repo, git_commit_tree_id(lc), &tree, &sp);
		git_commit_free(lc);
		if (same) {
			p->nochange = 1;
			p->tag = sg_xstrdup(revs[nrev - 1].tag);
			memcpy(p->commit, revs[nrev - 1].commit, 41);
			left_alone(repo, &p->left);
			rc = 0;
			goto out;
		}
	}

	if (nrev && revs[nrev - 1].n == INT_MAX) {
		sg_diag_add(d, SG_FATAL, revs[nrev - 1].tag, 0, 0, "r%d is the "
		    "highest revision number there can be, so nothing was "
		    "published; expected revisions numbered 1, 2, 3 … (this tag "
		    "was not made by site-gen)", INT_MAX);
		goto out;
	}
	git_reference *head = NULL;
	if (git_reference_lookup(&head, repo, "HEAD") == 0) {
		const char *t = git_reference_symbolic_target(head);
		p->branch = sg_xstrdup(t && strncmp(t, "refs/heads/", 11) == 0 ?
		    t + 11 : t ? t : "HEAD");
		git_reference_free(head);
	}
	char *note1 = first_line(p->note);
	if (ht == NULL || !git_oid_equal(&tree, git_tree_id(ht))) {
		git_tree *t = NULL;
		char *msg = sg_xasprintf("Disclose %d r%d: %s\n", p->year,
		    nrev ? revs[nrev - 1].n + 1 : 1, note1);
		const git_commit *parents[1] = {hc};
		int r = git_tree_lookup(&t, repo, &tree);
		if (r == 0)
			r = git_commit_create(&cid, repo, "HEAD", sig, sig, NULL,
			    msg, t, hc ? 1 : 0, parents);
		git_tree_free(t);
		free(msg);
		if (r < 0) {
			sg_diag_add(d, SG_FATAL, ".", 0, 0, "cannot commit: %s",
			    sg_history_git_msg());
			free(note1);
			goto out;
		}
		p->committed = 1;
		/* The index now says what HEAD says for these paths;
		 * libgit2 writes it under the same lock, so ours goes just
		 * before. */
		lock_release(ilock);
		ilock = NULL;
		if (git_index_write(idx) < 0)
			sg_diag_add(d, SG_WARNING, ".git/index", 0, 0, "committed, "
			    "but cannot update the index: %s", sg_history_git_msg());
	} else
		git_oid_cpy(&cid, git_commit_id(hc));
	free(note1);

	int n = nrev ? revs[nrev - 1].n + 1 : 1;
	char *when = sig_time(sig);
	char *msg = sg_history_message(p->note, p->year, n, when, p->allow,
	    &p->findings);
	p->tag = sg_xasprintf("disclosure/%d/r%d", p->year, n);
	int r = git_object_lookup(&target, repo, &cid, GIT_OBJECT_COMMIT);
	if (r == 0)
		r = git_tag_create(&tid, repo, p->tag, target, sig, msg, 0);
	free(msg);
	free(when);
	if (r < 0) {
		sg_diag_add(d, SG_FATAL, p->tag, 0, 0, "cannot create the tag: %s",
		    sg_history_git_msg());
		goto out;
	}
	git_oid_tostr(p->commit, sizeof(p->commit), &cid);
	left_alone(repo, &p->left);
	rc = 0;
out:
	lock_release(ilock);
	lock_release(lock);
	git_index_free(idx);
	spec_clear(&sp);
	git_object_free(target);
	git_tree_free(ht);
	git_commit_free(hc);
	git_signature_free(sig);
	sg_load_free(site);
	sg_source_free(src);
	sg_history_free(h);
	free(dir);
	return rc;
}

void
sg_publish_clear(struct sg_publish *p)
{
	free(p->tag);
	free(p->branch);
	sg_strv_clear(&p->findings);
	sg_strv_clear(&p->left);
	p->tag = p->branch = NULL;
}

/* ---- withdraw ---- */

/* PATH as given, as a site-relative path in content/<year>/, or NULL. */
static char *
withdraw_path(int year, const char *given)
{
	char *in = sg_path_norm(given), *p = NULL, *pre;

	if (in == NULL)
		return NULL;
	pre = sg_xasprintf("content/%d/", year);
	if (strncmp(in, pre, strlen(pre)) == 0)
		p = sg_xstrdup(in);
	else if (strncmp(in, "content/", 8) != 0)
		p = sg_xasprintf("%s%s", pre, in);
	free(pre);
	free(in);
	return p;
}

int
sg_withdraw_run(struct sg_withdraw *q, struct sg_diag *d)
{
	struct sg_history *h = NULL;
	struct sg_rev *rev;
	struct sg_withdrawal w;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	git_object *target = NULL;
	git_signature *sig = NULL;
	char *lock = NULL, *path = NULL, *msg = NULL, *rel;
	struct sg_publish who = {0};
	int rc = 3, k = 1;

	memset(&w, 0, sizeof(w));
	if (sg_history_open(".", &h, d) == -1)
		goto out;
	if (h == NULL || sg_history_read(h, d) == -1 ||
	    (rev = sg_history_find(h, q->year, q->rev)) == NULL) {
		sg_diag_add(d, SG_ERROR, NULL, 0, 0, "%d has no published "
		    "revision %s; expected one that site-gen history %d lists",
		    q->year, q->rev, q->year);
		rc = 1;
		goto out;
	}
	if ((path = withdraw_path(q->year, q->path)) == NULL) {
		sg_diag_add(d, SG_ERROR, q->path, 0, 0, "not a file of the %d "
		    "report; expected a path in content/%d/", q->year, q->year);
		rc = 1;
		goto out;
	}
	rel = path + strlen("content/0000/");
	/* The appendix tables and report.yml hold no personal data as a
	 * whole; a passage of them can be withdrawn. */
	if (q->passage == NULL && (strncmp(rel, "indicators/", 11) == 0 ||
	    strcmp(rel, "report.yml") == 0)) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "an appendix table or "
		    "report.yml cannot be withdrawn whole; expected --passage "
		    "with the text to withdraw");
		rc = 1;
		goto out;
	}
	if (sg_history_tree(h, rev->commit, &tree, d) == -1)
		goto out;
	if (git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, h->repo, git_tree_entry_id(e)) < 0) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "%s did not publish this "
		    "file; expected a file of that revision", rev->tag);
		rc = 1;
		goto out;
	}
	w.year = q->year;
	w.from = rev->n;
	w.path = sg_xstrdup(path);
	w.reason = sg_xstrdup(q->reason);
	git_oid_tostr(w.blob, sizeof(w.blob), git_tree_entry_id(e));
	const char *bytes = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob);
	if (q->passage) {
		size_t n = strlen(q->passage);
		if (n == 0 || memmem(bytes, len, q->passage, n) == NULL) {
			sg_diag_add(d, SG_ERROR, path, 0, 0, "%s does not hold the "
			    "passage given; expected its text exactly as "
			    "published", rev->tag);
			rc = 1;
			goto out;
		}
		w.passage = n;
		sg_sha256_hex(q->passage, n, w.sha256);
	} else
		sg_sha256_hex(bytes, len, w.sha256);
	memcpy(q->sha256, w.sha256, sizeof(q->sha256));
	for (size_t i = 0; i < h->nwd; i++) {
		const struct sg_withdrawal *x = &h->wd[i];
		if (x->year == q->year)
			k++;
		if (strcmp(x->path, w.path) == 0 && x->passage == w.passage &&
		    strcmp(x->sha256, w.sha256) == 0 && (w.passage ||
		    strcmp(x->blob, w.blob) == 0)) {
			q->already = 1;
			q->tag = sg_xstrdup(x->tag);
			rc = 0;
			goto out;
		}
	}
	/* Every revision of the year that published the same bytes. */
	for (size_t i = 0; i < h->nrevs; i++) {
		git_tree *t = NULL;
		git_tree_entry *x = NULL;
		if (h->revs[i].year != q->year ||
		    sg_history_tree(h, h->revs[i].commit, &t, d) == -1)
			continue;
		if (git_tree_entry_bypath(&x, t, path) == 0) {
			git_blob *b = NULL;
			if (w.passage == 0)
				q->revs += git_oid_equal(git_tree_entry_id(x),
				    git_tree_entry_id(e));
			else if (git_blob_lookup(&b, h->repo,
			    git_tree_entry_id(x)) == 0)
				q->revs += sg_withdrawal_find(&w,
				    git_blob_rawcontent(b),
				    (size_t)git_blob_rawsize(b)) >= 0;
			git_blob_free(b);
		}
		git_tree_entry_free(x);
		git_tree_free(t);
	}
	if (lock_take(h->repo, &lock, d) == -1)
		goto out;
	who.name = q->name;
	who.email = q->email;
	if (author(h->repo, &who, &sig, d) == -1) {
		rc = 2;
		goto out;
	}
	q->tag = sg_xasprintf("withdrawal/%d/w%d", q->year, k);
	msg = sg_withdrawal_message(&w);
	git_oid tid;
	if (git_revparse_single(&target, h->repo, rev->commit) < 0 ||
	    git_tag_create(&tid, h->repo, q->tag, target, sig, msg, 0) < 0) {
		sg_diag_add(d, SG_FATAL, ".", 0, 0, "cannot create the tag %s: "
		    "%s", q->tag, sg_history_git_msg());
		goto out;
	}
	rc = 0;
out:
	lock_release(lock);
	free(msg);
	git_signature_free(sig);
	git_object_free(target);
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	sg_withdrawal_clear(&w);
	free(path);
	sg_history_free(h);
	return rc;
}

void
sg_withdraw_clear(struct sg_withdraw *w)
{
	free(w->tag);
	w->tag = NULL;
}
