/*
 * End to end: `site-gen serve` in a child process on an ephemeral port of
 * 127.0.0.1, spoken to with raw sockets — status codes, MIME types, path
 * escapes, the reload events after an edit, the last good build kept
 * through a broken file, and a clean stop.  Every server is stopped by its
 * test (SIGTERM, then SIGKILL after a bound) and dies with the test process.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(serve, .init = t_init, .timeout = 60);

struct server {
	pid_t	 pid;
	int	 port;
	int	 out;		/* the child's stdout */
	char	*site;		/* the site directory */
	char	*served;	/* the folder it serves */
	char	*errf;		/* the child's stderr */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the child printed and was not read yet. */
static char buf[8192];
static size_t len;

/* Reads the child's stdout until a line starting with prefix; returns the
 * line's rest (caller frees) or NULL after timeout seconds. */
static char *
read_line(struct server *s, const char *prefix, double timeout)
{
	double until = now() + timeout;

	for (;;) {
		char *nl;
		while ((nl = memchr(buf, '\n', len)) != NULL) {
			size_t n = (size_t)(nl - buf);
			char *line = sg_xstrndup(buf, n);
			memmove(buf, nl + 1, len - n - 1);
			len -= n + 1;
			if (strncmp(line, prefix, strlen(prefix)) == 0) {
				char *rest = sg_xstrdup(line + strlen(prefix));
				free(line);
				return rest;
			}
			free(line);
		}
		struct pollfd p = {s->out, POLLIN, 0};
		int ms = (int)((until - now()) * 1000);
		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			return NULL;
		ssize_t r = read(s->out, buf + len, sizeof(buf) - len - 1);
		if (r <= 0)
			return NULL;
		len += (size_t)r;
	}
}

static void
start(struct server *s, const char *site)
{
	const char *bin = getenv("SG_BIN");
	int fds[2];
	char *line;

	memset(s, 0, sizeof(*s));
	len = 0;
	s->site = sg_xstrdup(site);
	s->errf = sg_xasprintf("%s.serve-err", site);
	cr_assert_eq(pipe(fds), 0);
	s->pid = fork();
	cr_assert_neq(s->pid, -1);
	if (s->pid == 0) {
		/* The server must not outlive a test that was killed. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		int e = open(s->errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(e, 2);
		execl(bin ? bin : "build/site-gen", "site-gen", "-v", "-C", site,
		    "serve", "--port", "0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	s->out = fds[0];
	s->served = read_line(s, "site-gen: building into ", 30);
	cr_assert_not_null(s->served, "serve did not start");
	line = read_line(s, "site-gen: serving http://127.0.0.1:", 30);
	cr_assert_not_null(line, "serve printed no address");
	s->port = atoi(line);
	cr_assert_gt(s->port, 0);
	free(line);
}

/* Stops the server (SIGTERM or sig) and returns its exit status. */
static int
stop(struct server *s, int sig)
{
	int st = 0;
	double until = now() + 10;
	pid_t r;

	kill(s->pid, sig);
	while ((r = waitpid(s->pid, &st, WNOHANG)) == 0 && now() < until)
		usleep(20000);
	if (r == 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &st, 0);
	}
	char *err = t_read(s->errf, NULL);
	if (err && (strstr(err, "Sanitizer") || strstr(err, "runtime error:")))
		fprintf(stderr, "site-gen serve:\n%s\n", err);
	free(err);
	unlink(s->errf);
	close(s->out);
	free(s->errf);
	free(s->site);
	free(s->served);
	if (r == 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fprintf(stderr, "serve stop: r=%d status=%#x\n", (int)r, st);
	return r == 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int
dial(int port)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {10, 0};

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

struct resp {
	int	 status;
	char	*head;		/* status line and headers */
	char	*body;
};

/* Sends "METHOD path" exactly as given (no normalising) over HTTP/1.0. */
static void
request(int port, const char *method, const char *path, struct resp *r)
{
	int fd = dial(port);
	char *req = sg_xasprintf("%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
	    method, path);
	struct sg_buf b = {0};
	char buf[8192];
	ssize_t n;

	cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	free(req);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sg_buf_add(&b, buf, (size_t)n);
	close(fd);
	cr_assert_not_null(b.data, "no response to %s", path);
	char *sep = strstr(b.data, "\r\n\r\n");
	cr_assert_not_null(sep);
	r->head = sg_xstrndup(b.data, (size_t)(sep - b.data));
	r->body = sg_xstrdup(sep + 4);
	r->status = atoi(strchr(r->head, ' ') + 1);
	sg_buf_clear(&b);
}

static void
get(int port, const char *path, struct resp *r)
{
	request(port, "GET", path, r);
}

/* The value of header name (caller frees), or NULL. */
static char *
header(const struct resp *r, const char *name)
{
	for (const char *p = strstr(r->head, "\r\n"); p; p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, strlen(name)) == 0 &&
		    p[2 + strlen(name)] == ':') {
			const char *v = p + 3 + strlen(name);
			while (*v == ' ')
				v++;
			return sg_xstrndup(v, strcspn(v, "\r\n"));
		}
	return NULL;
}

static void
resp_free(struct resp *r)
{
	free(r->head);
	free(r->body);
}

static void
expect(int port, const char *path, int status, const char *type)
{
	struct resp r;

	get(port, path, &r);
	cr_expect_eq(r.status, status, "%s: status %d, expected %d", path,
	    r.status, status);
	if (type) {
		char *t = header(&r, "Content-Type");
		cr_expect(t && strcmp(t, type) == 0, "%s: type %s, expected %s",
		    path, t ? t : "(none)", type);
		free(t);
	}
	resp_free(&r);
}

Test(serve, statuses_types_and_pages)
{
	char *site = t_copy_example();
	struct server s;
	struct resp r;

	start(&s, site);
	get(s.port, "/", &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body, "<script src=\"/__sg/reload.js\" "
	    "data-page=\"index.html\" defer></script></head>") != NULL,
	    "reload script not inserted");
	resp_free(&r);
	expect(s.port, "/2024/", 200, "text/html; charset=utf-8");
	expect(s.port, "/2024/cases/1/index.html", 200, "text/html; charset=utf-8");
	expect(s.port, "/assets/style.css", 200, "text/css; charset=utf-8");
	expect(s.port, "/2024/indicators/1-scorecard.csv", 200,
	    "text/csv; charset=utf-8");
	expect(s.port, "/atom.xml", 200, "application/atom+xml");
	expect(s.port, "/sitemap.xml", 200, "application/xml");
	expect(s.port, "/__sg/reload.js", 200, "text/javascript; charset=utf-8");
	/* Chinese path segments arrive percent-encoded. */
	expect(s.port, "/cases/tags/%E5%BE%B7%E8%82%B2/", 200,
	    "text/html; charset=utf-8");

	/* Types of files the build does not make yet: planted. */
	char *svg = sg_path_join(s.served, "2024/chart.svg");
	char *json = sg_path_join(s.served, "2024/data.json");
	sg_file_write(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 41);
	sg_file_write(json, "{}", 2);
	expect(s.port, "/2024/chart.svg", 200, "image/svg+xml");
	expect(s.port, "/2024/data.json", 200, "application/json");
	free(svg);
	free(json);

	/* A folder without its '/' is redirected, so relative links work. */
	get(s.port, "/2024", &r);
	cr_assert_eq(r.status, 301);
	char *loc = header(&r, "Location");
	cr_assert(loc && sg_has_suffix(loc, "/2024/"), "Location %s", loc);
	free(loc);
	resp_free(&r);

	/* Missing: the theme's 404 page, status 404. */
	get(s.port, "/2024/no-such-page/", &r);
	cr_assert_eq(r.status, 404);
	cr_assert(strstr(r.body, "页面未找到") != NULL);
	cr_assert(strstr(r.body, "data-page=\"404.html\"") != NULL);
	resp_free(&r);

	request(s.port, "POST", "/", &r);
	cr_assert_eq(r.status, 405);
	resp_free(&r);
	request(s.port, "HEAD", "/2024/", &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(r.body, "");
	resp_free(&r);

	/* serve never writes public/. */
	char *pub = sg_path_join(site, "public");
	cr_assert(!sg_is_dir(pub), "serve created public/");
	free(pub);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

Test(serve, no_path_leaves_the_served_folder)
{
	char *site = t_copy_example();
	char *secret = sg_path_join(site, "secret.txt");
	struct server s;

	sg_file_write(secret, "secret", 6);
	start(&s, site);
	expect(s.port, "/../secret.txt", 403, NULL);
	expect(s.port, "/2024/../../secret.txt", 403, NULL);
	expect(s.port, "/%2e%2e/secret.txt", 403, NULL);
	expect(s.port, "/%2E%2E/%2E%2E/etc/passwd", 403, NULL);
	expect(s.port, "/2024/..%2f..%2fsecret.txt", 403, NULL);
	expect(s.port, "/..", 403, NULL);
	expect(s.port, "/%252e%252e/secret.txt", 404, NULL);

	/* Links planted in the served folder are not followed. */
	char *l1 = sg_path_join(s.served, "2024/leak.txt");
	char *l2 = sg_path_join(s.served, "up");
	cr_assert_eq(symlink(secret, l1), 0);
	cr_assert_eq(symlink(site, l2), 0);
	expect(s.port, "/2024/leak.txt", 403, NULL);
	expect(s.port, "/up/secret.txt", 403, NULL);
	expect(s.port, "/up/", 403, NULL);
	free(l1);
	free(l2);

	struct resp r;
	get(s.port, "/2024/leak.txt", &r);
	cr_assert_null(strstr(r.body, "secret"));
	resp_free(&r);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(secret);
	free(site);
}

struct events {
	int		fd;
	struct sg_buf	b;
};

static void
events_open(struct events *e, int port)
{
	const char *req = "GET /__sg/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";

	memset(e, 0, sizeof(*e));
	e->fd = dial(port);
	cr_assert_eq(write(e->fd, req, strlen(req)), (ssize_t)strlen(req));
}

/* Waits up to timeout seconds for needle in the stream; returns what
 * follows it up to the end of the event (caller frees) or NULL. */
static char *
events_wait(struct events *e, const char *needle, double timeout)
{
	double until = now() + timeout;
	size_t from = 0;

	for (;;) {
		char *hit = e->b.data ? strstr(e->b.data + from, needle) : NULL;
		if (hit) {
			char *end = strstr(hit, "\n\n");
			if (end) {
				char *ev = sg_xstrndup(hit, (size_t)(end - hit));
				/* Consume it. */
				size_t used = (size_t)(end + 2 - e->b.data);
				memmove(e->b.data, end + 2, e->b.len - used + 1);
				e->b.len -= used;
				return ev;
			}
		}
		struct pollfd p = {e->fd, POLLIN, 0};
		int ms = (int)((until - now()) * 1000);
		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			return NULL;
		char buf[4096];
		ssize_t n = read(e->fd, buf, sizeof(buf));
		if (n <= 0)
			return NULL;
		sg_buf_add(&e->b, buf, (size_t)n);
		(void)from;
	}
}

static void
events_close(struct events *e)
{
	close(e->fd);
	sg_buf_clear(&e->b);
}

Test(serve, an_edit_rebuilds_and_reloads_within_two_seconds)
{
	char *site = t_copy_example();
	struct server s;
	struct events e;
	struct resp r;
	char *ev;

	start(&s, site);
	events_open(&e, s.port);
	ev = events_wait(&e, "event: hello", 10);
	cr_assert_not_null(ev, "no hello event");
	free(ev);

	double t0 = now();
	t_replace(site, "content/2024/cases/03-party-building-ai-painting.md",
	    "\n\n", "\n\n新加的一段说明文字。\n\n");
	ev = events_wait(&e, "event: reload", 2.0);
	cr_assert_not_null(ev, "no reload event within 2 s");
	double took = now() - t0;
	cr_assert_lt(took, 2.0);
	/* The event names the pages that changed: the case and the print
	 * view show the text; the contents page does not. */
	cr_assert(strstr(ev, "\"2024/cases/3/index.html\"") != NULL, "%s", ev);
	cr_assert(strstr(ev, "\"2024/print/index.html\"") != NULL, "%s", ev);
	cr_assert_null(strstr(ev, "\"2024/index.html\""), "%s", ev);
	free(ev);
	get(s.port, "/2024/cases/3/", &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body, "新加的一段说明文字。") != NULL);
	resp_free(&r);

	/* A theme change rebuilds too. */
	t_replace(site, "themes/default/404.html", "页面未找到", "找不到这个页面");
	ev = events_wait(&e, "event: reload", 2.0);
	cr_assert_not_null(ev, "no reload after a theme edit");
	cr_assert(strstr(ev, "\"404.html\"") != NULL, "%s", ev);
	free(ev);
	get(s.port, "/missing", &r);
	cr_assert_eq(r.status, 404);
	cr_assert(strstr(r.body, "找不到这个页面") != NULL);
	resp_free(&r);

	events_close(&e);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

Test(serve, a_broken_file_keeps_the_last_good_build)
{
	char *site = t_copy_example();
	struct server s;
	struct events e;
	struct resp r;
	char *ev;

	start(&s, site);
	events_open(&e, s.port);
	free(events_wait(&e, "event: hello", 10));

	/* Malformed front matter in chapter 1. */
	t_replace(site, "content/2024/01-school.md", "title: 学校情况",
	    "title: [学校情况");
	t_replace(site, "content/2024/01-school.md", "## （一）学校概况",
	    "## （一）学校概况（修改后）");
	ev = events_wait(&e, "event: failed", 2.0);
	cr_assert_not_null(ev, "no failed event");
	cr_assert(strstr(ev, "content/2024/01-school.md:2") != NULL, "%s", ev);
	free(ev);
	get(s.port, "/2024/01-school/", &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body, "学校概况") != NULL);
	cr_assert_null(strstr(r.body, "修改后"), "the broken build was served");
	resp_free(&r);
	get(s.port, "/__sg/errors", &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body, "content/2024/01-school.md:2") != NULL);
	resp_free(&r);

	/* A page opened now learns of the errors at once. */
	struct events e2;
	events_open(&e2, s.port);
	ev = events_wait(&e2, "event: failed", 5);
	cr_assert_not_null(ev, "a new page was not told of the errors");
	free(ev);
	events_close(&e2);

	/* Fixed: the new text is served and the pages reload. */
	t_replace(site, "content/2024/01-school.md", "title: [学校情况",
	    "title: 学校情况");
	ev = events_wait(&e, "event: reload", 2.0);
	cr_assert_not_null(ev, "no reload after the fix");
	free(ev);
	get(s.port, "/2024/01-school/", &r);
	cr_assert(strstr(r.body, "修改后") != NULL);
	resp_free(&r);
	get(s.port, "/__sg/errors", &r);
	cr_assert(strstr(r.body, "没有构建错误") != NULL);
	resp_free(&r);

	events_close(&e);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

Test(serve, ctrl_c_stops_cleanly)
{
	char *site = t_copy_example();
	struct server s;
	struct events e;

	start(&s, site);
	char *served = sg_xstrdup(s.served);
	cr_assert(sg_is_dir(served));
	/* An open event stream must not hold the stop up. */
	events_open(&e, s.port);
	free(events_wait(&e, "event: hello", 10));
	double t0 = now();
	cr_assert_eq(stop(&s, SIGINT), 0);
	cr_assert_lt(now() - t0, 5.0);
	cr_assert(!sg_is_dir(served), "the temporary folder was left");
	events_close(&e);
	free(served);
	sg_rm_rf(site);
	free(site);
}

Test(serve, usage_errors)
{
	cr_assert_eq(t_run("serve --port 70000", NULL), 2);
	cr_assert_eq(t_run("serve --port x", NULL), 2);
	cr_assert_eq(t_run("serve extra", NULL), 2);
	char *err = NULL;
	cr_assert_eq(t_run("-C /nonexistent-site serve", &err), 3);
	free(err);
}

Test(serve, a_site_broken_from_the_start_shows_its_errors)
{
	char *site = t_copy_example();
	struct server s;
	struct events e;
	struct resp r;

	t_write(site, "content/2024/cases/07-bad.md", "---\ntitle: [x\n---\n");
	start(&s, site);
	get(s.port, "/2024/", &r);
	cr_assert_eq(r.status, 503);
	cr_assert(strstr(r.body, "content/2024/cases/07-bad.md:2") != NULL);
	cr_assert(strstr(r.body, "/__sg/reload.js") != NULL);
	resp_free(&r);

	events_open(&e, s.port);
	char *ev = events_wait(&e, "event: failed", 10);
	cr_assert_not_null(ev);
	free(ev);
	char *bad = sg_path_join(site, "content/2024/cases/07-bad.md");
	unlink(bad);
	free(bad);
	ev = events_wait(&e, "event: reload", 2.0);
	cr_assert_not_null(ev, "no reload after the fix");
	free(ev);
	expect(s.port, "/2024/", 200, "text/html; charset=utf-8");
	events_close(&e);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

Test(serve, redirects_stay_on_the_host_and_a_nul_is_refused)
{
	char *site = t_copy_example();
	struct server s;
	struct resp r;

	start(&s, site);
	/* //2024 must not redirect to //2024/, a host called 2024. */
	static const char *const dirs[] = {"//2024", "///2024", "/2024//cases",
	    "/./2024"};
	static const char *const want[] = {"/2024/", "/2024/", "/2024/cases/",
	    "/2024/"};
	for (size_t i = 0; i < 4; i++) {
		get(s.port, dirs[i], &r);
		cr_assert_eq(r.status, 301, "%s: %d", dirs[i], r.status);
		char *loc = header(&r, "Location");
		cr_assert(loc && strcmp(loc, want[i]) == 0, "%s: Location %s",
		    dirs[i], loc);
		free(loc);
		resp_free(&r);
	}
	/* A NUL ended the path early: index.html%00.txt served index.html. */
	static const char *const nul[] = {"/index.html%00.txt", "/index.html%00",
	    "/2024/%00/", "/a%0d%0aX-Injected:%20yes"};
	for (size_t i = 0; i < 4; i++) {
		get(s.port, nul[i], &r);
		cr_assert(r.status == 400 || r.status == 404, "%s: %d", nul[i],
		    r.status);
		cr_assert_null(strstr(r.head, "X-Injected"));
		resp_free(&r);
	}
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

/* 1 if fd is closed by the other end within timeout seconds. */
static int
closed_within(int fd, double timeout)
{
	double until = now() + timeout;
	char buf[4096];

	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int ms = (int)((until - now()) * 1000);
		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			return 0;
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 1;
		if (n < 0)
			return 0;
	}
}

Test(serve, no_client_locks_the_others_out, .timeout = 120)
{
	char *site = t_copy_example();
	struct server s;
	struct events ev[40];
	struct resp r;
	int idle[300];

	start(&s, site);
	/* 300 connections that never send a request. */
	for (size_t i = 0; i < 300; i++)
		idle[i] = dial(s.port);
	get(s.port, "/2024/", &r);
	cr_assert_eq(r.status, 200, "locked out by idle connections");
	resp_free(&r);
	/* 40 reload streams: the oldest end, the newest and pages work. */
	for (size_t i = 0; i < 40; i++) {
		events_open(&ev[i], s.port);
		char *h = events_wait(&ev[i], "event: hello", 10);
		cr_assert_not_null(h, "stream %zu got no hello", i);
		free(h);
	}
	cr_assert(closed_within(ev[0].fd, 10), "the oldest stream is still open");
	get(s.port, "/", &r);
	cr_assert_eq(r.status, 200);
	resp_free(&r);
	char *k = events_wait(&ev[39], ": keep-alive", 10);
	cr_assert_not_null(k, "the newest stream is not served");
	free(k);
	/* The idle ones are closed after a while. */
	cr_assert(closed_within(idle[0], 20), "an idle connection stays open");
	for (size_t i = 0; i < 300; i++)
		close(idle[i]);
	for (size_t i = 0; i < 40; i++)
		events_close(&ev[i]);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	sg_rm_rf(site);
	free(site);
}

Test(serve, a_killed_servers_folder_is_swept_by_the_next, .timeout = 120)
{
	char *site = t_copy_example();
	char *tmp = t_tmpdir();
	struct server s;

	setenv("TMPDIR", tmp, 1);
	start(&s, site);
	char *mine = sg_path_dir(s.served);	/* TMPDIR/site-gen-serve-…/ */
	cr_assert(strncmp(mine, tmp, strlen(tmp)) == 0, "%s", mine);
	char *site2 = sg_xstrdup(site);
	stop(&s, SIGKILL);
	cr_assert(sg_is_dir(mine));
	start(&s, site2);
	cr_assert(!sg_is_dir(mine), "%s is still there", mine);
	cr_assert_eq(stop(&s, SIGTERM), 0);
	unsetenv("TMPDIR");
	sg_rm_rf(tmp);
	sg_rm_rf(site2);
	free(site2);
	free(mine);
	free(tmp);
	free(site);
}
