/*
 * pdf: the engine run and the record of what each PDF was made from.
 *
 * WeasyPrint typesets HTML with CSS Paged Media (page counters,
 * target-counter() for the contents' page numbers, string-set for the
 * running header, bookmarks), embeds the fonts as subsets and keeps text
 * as text; it is Debian's `weasyprint` package.  It is run with
 * posix_spawn on argv (never a shell): the print document is written into
 * the staging output beside the page it stands for, so that its relative
 * URLs find the staged images, and removed once typeset; the PDF is read
 * back and written through sg_output_write like any file.
 *
 * A typeset takes seconds, so the key of a PDF — the SHA-256 of the
 * engine (path, size and time of the program), the print document and
 * every input file's bytes — is recorded beside the output with the
 * PDF's own digest.  When the key is unchanged and the previous output
 * still holds that very PDF, it is kept instead of typeset again.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "pdf.h"
#include "util.h"

extern char **environ;

#define SG_PDF_TIMEOUT	900	/* seconds a typeset may take */
#define SG_PDF_ERRMAX	4096	/* bytes of the engine's stderr kept */

struct entry {
	char	*rel;
	char	 key[65];
	char	 sha256[65];
};

struct sg_pdf {
	char			*engine;
	char			*record;	/* .public.sg-pdf, or NULL */
	char			*only;		/* a report prefix, or NULL */
	struct entry		*last;		/* the last build's record */
	size_t			 nlast;
	struct entry		*now;		/* this build's, parallel to */
	struct sg_pdf_file	*files;		/* the files made */
	size_t			 n;
};

int
sg_pdf_off(void)
{
	const char *no = getenv("SG_NO_PDF");

	return no && *no && strcmp(no, "0") != 0;
}

char *
sg_pdf_engine(void)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *found = NULL;

	dirs = sg_xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		char *p = sg_path_join(*dir ? dir : ".", "weasyprint");
		if (sg_is_file(p) && access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(dirs);
	return found;
}

static int
hex64(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Reads the last build's record; a missing or damaged one is empty. */
static void
load_record(struct sg_pdf *q)
{
	char *data, *line, *save = NULL;
	size_t len;

	if (q->record == NULL || sg_file_read(q->record, &data, &len) == -1)
		return;
	line = strtok_r(data, "\n", &save);
	if (line == NULL || strcmp(line, "sg-pdf 1") != 0) {
		free(data);
		return;
	}
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char key[65], sha[65];
		int off = 0;
		if (sscanf(line, "%64s %64s %n", key, sha, &off) != 2 ||
		    off == 0 || !hex64(key) || !hex64(sha) || line[off] == '\0')
			continue;
		q->last = sg_xrealloc(q->last, (q->nlast + 1) * sizeof(*q->last));
		q->last[q->nlast].rel = sg_xstrdup(line + off);
		memcpy(q->last[q->nlast].key, key, 65);
		memcpy(q->last[q->nlast].sha256, sha, 65);
		q->nlast++;
	}
	free(data);
}

char *
sg_pdf_record_path(const char *final)
{
	size_t n = strlen(final);
	char *f, *dir, *p;
	const char *b;

	while (n > 1 && final[n - 1] == '/')
		n--;
	f = sg_xstrndup(final, n);
	dir = sg_path_dir(f);
	b = strrchr(f, '/');
	p = sg_xasprintf("%s.%s.sg-pdf", dir, b ? b + 1 : f);
	free(dir);
	free(f);
	return p;
}

struct sg_pdf *
sg_pdf_new(const char *engine, const char *final)
{
	struct sg_pdf *q = sg_xcalloc(1, sizeof(*q));

	q->engine = sg_xstrdup(engine);
	if (final) {
		q->record = sg_pdf_record_path(final);
		load_record(q);
	}
	return q;
}

void
sg_pdf_free(struct sg_pdf *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->nlast; i++)
		free(q->last[i].rel);
	for (size_t i = 0; i < q->n; i++) {
		free(q->now[i].rel);
		free(q->files[i].rel);
	}
	free(q->last);
	free(q->now);
	free(q->files);
	free(q->engine);
	free(q->record);
	free(q->only);
	free(q);
}

void
sg_pdf_only(struct sg_pdf *q, const char *prefix)
{
	free(q->only);
	q->only = prefix ? sg_xstrdup(prefix) : NULL;
}

int
sg_pdf_wanted(const struct sg_pdf *q, const char *prefix)
{
	return q && (q->only == NULL || strcmp(q->only, prefix) == 0);
}

/* A file's bytes, after their length.  Not its name: the document names
 * it, relative to itself, and a report and its revision's copy are the
 * same document. */
static void
add_file_bytes(struct sg_buf *b, const char *path)
{
	char *data;
	size_t len;

	if (sg_file_read(path, &data, &len) == -1) {
		sg_buf_puts(b, "missing");
		sg_buf_add(b, "", 1);
		return;
	}
	sg_buf_printf(b, "%zu", len);
	sg_buf_add(b, "", 1);
	sg_buf_add(b, data, len);
	free(data);
}

/* What the PDF is made from, as one digest. */
static void
make_key(const struct sg_pdf *q, const char *html, size_t len,
    const struct sg_strv *inputs, char key[65])
{
	struct sg_buf b = {0};
	struct stat st;

	sg_buf_add(&b, "sg-pdf 1", 9);
	sg_buf_add(&b, q->engine, strlen(q->engine) + 1);
	if (stat(q->engine, &st) == 0)
		sg_buf_printf(&b, "%lld %lld.%09ld", (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	sg_buf_add(&b, "", 1);
	sg_buf_add(&b, html, len);
	for (size_t i = 0; inputs && i < inputs->n; i++)
		add_file_bytes(&b, inputs->v[i]);
	sg_sha256_hex(b.data, b.len, key);
	sg_buf_clear(&b);
}

static void
add_file(struct sg_pdf *q, const char *rel, const char *key,
    const char *data, size_t len, int reused)
{
	q->now = sg_xrealloc(q->now, (q->n + 1) * sizeof(*q->now));
	q->files = sg_xrealloc(q->files, (q->n + 1) * sizeof(*q->files));
	q->now[q->n].rel = sg_xstrdup(rel);
	memcpy(q->now[q->n].key, key, 65);
	sg_sha256_hex(data, len, q->now[q->n].sha256);
	q->files[q->n].rel = sg_xstrdup(rel);
	q->files[q->n].size = len;
	memcpy(q->files[q->n].sha256, q->now[q->n].sha256, 65);
	q->files[q->n].reused = reused;
	q->n++;
}

/* The previous output's PDF at rel if the record says it was made from
 * key and it is still that file: its bytes (caller frees), else NULL. */
static char *
reusable(const struct sg_pdf *q, const struct sg_output *o, const char *rel,
    const char *key, size_t *len)
{
	char sha[65], *path, *data;

	if (o->prev == NULL)
		return NULL;
	for (size_t i = 0; i < q->nlast; i++) {
		if (strcmp(q->last[i].rel, rel) != 0 ||
		    strcmp(q->last[i].key, key) != 0)
			continue;
		path = sg_path_join(o->prev, rel);
		if (sg_file_read(path, &data, len) == -1) {
			free(path);
			return NULL;
		}
		free(path);
		sg_sha256_hex(data, *len, sha);
		if (strcmp(sha, q->last[i].sha256) == 0)
			return data;
		free(data);
		return NULL;
	}
	return NULL;
}

/* The last line of the engine's messages, for the finding. */
static const char *
last_line(char *err)
{
	char *e = err + strlen(err), *s;

	while (e > err && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		*--e = '\0';
	s = strrchr(err, '\n');
	return s ? s + 1 : err;
}

/*
 * Runs the engine on src into dst.  0 when it exited 0; otherwise -1 with
 * why (a new string, caller frees).
 */
static int
run_engine(const struct sg_pdf *q, const char *src, const char *dst,
    const char *ident, char **why)
{
	char *argv[] = {q->engine, "--quiet", "--pdf-identifier",
	    (char *)ident, (char *)src, (char *)dst, NULL};
	posix_spawn_file_actions_t fa;
	int pfd[2], status = 0, rc = -1, timed_out = 0, e;
	pid_t pid;
	char err[SG_PDF_ERRMAX + 1];
	size_t nerr = 0;
	time_t end = time(NULL) + SG_PDF_TIMEOUT;

	*why = NULL;
	if (pipe2(pfd, O_CLOEXEC) == -1) {
		*why = sg_xasprintf("cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	e = posix_spawn(&pid, q->engine, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (e != 0) {
		*why = sg_xasprintf("cannot run %s: %s", q->engine, strerror(e));
		close(pfd[0]);
		return -1;
	}
	/* Its messages, the first SG_PDF_ERRMAX bytes, until it ends. */
	for (;;) {
		struct pollfd p = {pfd[0], POLLIN, 0};
		char buf[1024];
		ssize_t k;
		int left = (int)(end - time(NULL));
		if (left <= 0) {
			timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&p, 1, left * 1000) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents == 0)
			continue;
		k = read(pfd[0], buf, sizeof(buf));
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (nerr < SG_PDF_ERRMAX) {
			size_t m = (size_t)k < SG_PDF_ERRMAX - nerr ? (size_t)k :
			    SG_PDF_ERRMAX - nerr;
			memcpy(err + nerr, buf, m);
			nerr += m;
		}
	}
	err[nerr] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (timed_out)
		*why = sg_xasprintf("%s took more than %d s and was stopped",
		    q->engine, SG_PDF_TIMEOUT);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = 0;
	else if (WIFEXITED(status))
		*why = sg_xasprintf("%s exited with status %d: %s", q->engine,
		    WEXITSTATUS(status), nerr ? last_line(err) : "no message");
	else
		*why = sg_xasprintf("%s was killed by signal %d", q->engine,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return rc;
}

/* A new file from template tmpl (ending in XXXXXX + suffix of slen). */
static char *
temp_file(const char *tmpl, int slen, const char *data, size_t len)
{
	char *p = sg_xstrdup(tmpl);
	int fd = mkstemps(p, slen);

	if (fd == -1 || sg_fd_write(fd, data, len) == -1) {
		if (fd != -1)
			unlink(p);
		free(p);
		return NULL;
	}
	return p;
}

int
sg_pdf_render(struct sg_pdf *q, struct sg_output *o, const char *rel,
    const char *page, const char *html, size_t len,
    const struct sg_strv *inputs, struct sg_diag *d)
{
	char key[65], ident[33], *data = NULL, *dir, *tmpl, *src = NULL;
	char *dst = NULL;
	char *why = NULL;
	size_t n;
	int rc = -1;

	make_key(q, html, len, inputs, key);
	if ((data = reusable(q, o, rel, key, &n)) != NULL) {
		rc = sg_output_write(o, rel, data, n, d);
		if (rc == 0)
			add_file(q, rel, key, data, n, 1);
		free(data);
		return rc;
	}
	/* Beside the page it stands for, so that its relative URLs hold;
	 * "./" keeps a folder name starting with '-' from being an option. */
	dir = sg_xasprintf("%s%s/%s", o->stage[0] == '/' ? "" : "./",
	    o->stage, page);
	if (sg_mkdir_p(dir) == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot create folder: %s",
		    strerror(errno));
		free(dir);
		return -1;
	}
	tmpl = sg_xasprintf("%s.sg-pdf-XXXXXX.html", dir);
	src = temp_file(tmpl, 5, html, len);
	free(tmpl);
	tmpl = sg_xasprintf("%s.sg-pdf-XXXXXX.pdf", dir);
	dst = temp_file(tmpl, 4, "", 0);
	free(tmpl);
	if (src == NULL || dst == NULL) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot write the print "
		    "document for %s: %s", rel, strerror(errno));
		goto out;
	}
	/* The identifier is the key's first half: the same inputs give the
	 * same file. */
	memcpy(ident, key, 32);
	ident[32] = '\0';
	if (run_engine(q, src, dst, ident, &why) == -1) {
		sg_diag_add(d, SG_WARNING, rel, 0, 0, "no PDF made: %s; "
		    "expected the typesetting engine to make it", why);
		rc = 0;
		goto out;
	}
	if (sg_file_read(dst, &data, &n) == -1 || n == 0) {
		sg_diag_add(d, SG_WARNING, rel, 0, 0, "no PDF made: %s left "
		    "no file; expected the typeset PDF", q->engine);
		rc = 0;
		goto out;
	}
	rc = sg_output_write(o, rel, data, n, d);
	if (rc == 0)
		add_file(q, rel, key, data, n, 0);
out:
	if (src)
		unlink(src);
	if (dst)
		unlink(dst);
	free(why);
	free(data);
	free(src);
	free(dst);
	free(dir);
	return rc;
}

const struct sg_pdf_file *
sg_pdf_find(const struct sg_pdf *q, const char *rel)
{
	for (size_t i = 0; q && i < q->n; i++)
		if (strcmp(q->files[i].rel, rel) == 0)
			return &q->files[i];
	return NULL;
}

const struct sg_pdf_file *
sg_pdf_files(const struct sg_pdf *q, size_t *n)
{
	*n = q ? q->n : 0;
	return q ? q->files : NULL;
}

void
sg_pdf_save(struct sg_pdf *q, struct sg_diag *d)
{
	struct sg_buf b = {0};
	char *tmp;
	int fd;

	if (q == NULL || q->record == NULL)
		return;
	sg_buf_puts(&b, "sg-pdf 1\n");
	for (size_t i = 0; i < q->n; i++)
		sg_buf_printf(&b, "%s %s %s\n", q->now[i].key, q->now[i].sha256,
		    q->now[i].rel);
	tmp = sg_xasprintf("%s.XXXXXX", q->record);
	if ((fd = mkstemp(tmp)) == -1 || sg_fd_write(fd, b.data, b.len) == -1 ||
	    rename(tmp, q->record) == -1) {
		sg_diag_add(d, SG_NOTE, q->record, 0, 0, "cannot record what the "
		    "PDFs were made from (%s); the next build typesets them "
		    "again", strerror(errno));
		if (fd != -1)
			unlink(tmp);
	}
	free(tmp);
	sg_buf_clear(&b);
}
