/*
 * serve: the preview server.  The site is built into a temporary folder
 * (public/ is never touched) and served from it with libmicrohttpd on
 * 127.0.0.1; content/, the theme and site.yml are watched with inotify
 * (watch.c) and every change rebuilds the site.
 *
 * What a change costs: the site is loaded again (numbering, contents and
 * case cards depend on every file, so a partial load would be wrong), but
 * through the build cache (cache.h) beside the preview folder, so that
 * only the documents that changed, and what shows them, are parsed,
 * checked and rendered again; the output module writes only the files
 * whose bytes changed (output.c).  Nothing of a build is held between
 * builds: memory stays what one build takes.  Open pages are told over
 * Server-Sent Events which files changed and reload only when their own
 * page, the 404 page they show or an asset changed.
 *
 * The reload script is served by serve (/__sg/reload.js) and inserted into
 * HTML responses only — built files never contain it — as an external
 * script, which the pages' Content-Security-Policy (script-src 'self')
 * allows.  A failed build keeps the last good one served, and the errors
 * show in the terminal and over open pages (/__sg/errors lists them).
 *
 * Requests are confined to the served folder: ".." segments (also sent
 * percent-encoded: libmicrohttpd decodes before we see the path) get 403,
 * and the path is opened one segment at a time with O_NOFOLLOW, so no
 * symbolic link is followed (403).  Threads: libmicrohttpd's, one per
 * connection; the main thread watches and builds.  Shared state is under
 * one mutex.  SIGINT/SIGTERM arrive through a signalfd in the main loop.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "load.h"
#include "output.h"
#include "pages.h"
#include "serve.h"
#include "source.h"
#include "theme.h"
#include "util.h"
#include "watch.h"

/*
 * Bounds, so that no client can lock the others out: a browser holds one
 * reload stream (its tabs share it), and a new stream beyond SSE_MAX ends
 * the oldest; a connection that sends nothing for IDLE_S seconds is
 * closed, and the streams' keep-alive comes more often than that; a
 * client other than this computer may hold PER_IP connections.
 */
#define SSE_MAX		32
#define IDLE_S		10
#define KEEPALIVE_S	4
#define CONN_MAX	1000
#define PER_IP		64

struct sse;

struct serve {
	const struct sg_serve_opts *opt;
	char		*tmp;		/* the temporary folder */
	char		*root;		/* tmp/site: what is served */
	char		*url;		/* http://127.0.0.1:PORT/ */
	char		*tdir;		/* --theme's folder, watched too */

	pthread_mutex_t	 mu;		/* guards what follows */
	pthread_cond_t	 cv;		/* signalled on a new build or stop */
	unsigned	 gen;		/* builds so far */
	int		 ok;		/* the last build succeeded */
	int		 have_site;	/* a good build is being served */
	char		*changed;	/* JSON array: files the last build changed */
	char		*errors;	/* JSON array: findings of the failed build */
	struct sg_strv	 errlines;
	int		 stopping;
	struct sse	*streams[SSE_MAX];	/* the open reload streams,
					   oldest first */
	size_t		 nstreams;
};

static char *
json_list(const struct sg_strv *v)
{
	struct sg_buf b = {0};

	sg_buf_putc(&b, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			sg_buf_putc(&b, ',');
		sg_buf_json(&b, v->v[i]);
	}
	sg_buf_putc(&b, ']');
	return sg_buf_take(&b);
}

/* ---- the browser side ---------------------------------------------- */

static const char reload_js[] =
"/* site-gen serve: reloads this page when a rebuild changed it and shows\n"
"   build errors over it.  Served in preview only.\n"
"\n"
"   One event stream per browser, not one per tab: browsers open at most\n"
"   six connections to a host, so with a stream in each, the seventh tab\n"
"   would never load.  The tab that holds the lock 'sg-reload' reads the\n"
"   stream and passes each event to the other tabs over a BroadcastChannel;\n"
"   when it closes or reloads, another tab takes the lock. */\n"
"(function () {\n"
"  'use strict';\n"
"  var me = document.currentScript;\n"
"  var page = me ? me.getAttribute('data-page') : '';\n"
"  var box = null;\n"
"  function show(errors) {\n"
"    if (!box) {\n"
"      var css = document.createElement('link');\n"
"      css.rel = 'stylesheet';\n"
"      css.href = '/__sg/overlay.css';\n"
"      document.head.appendChild(css);\n"
"      box = document.createElement('div');\n"
"      box.id = 'sg-overlay';\n"
"      box.setAttribute('role', 'alert');\n"
"      document.body.appendChild(box);\n"
"    }\n"
"    box.textContent = '';\n"
"    var h = document.createElement('h2');\n"
"    h.textContent = '内容有错误，页面显示的是上一次成功的构建';\n"
"    var pre = document.createElement('pre');\n"
"    pre.textContent = errors.join('\\n');\n"
"    var p = document.createElement('p');\n"
"    p.textContent = '改正后保存，页面会自动刷新。';\n"
"    box.appendChild(h);\n"
"    box.appendChild(pre);\n"
"    box.appendChild(p);\n"
"  }\n"
"  function handle(type, data) {\n"
"    var m = JSON.parse(data);\n"
"    if (type === 'failed') {\n"
"      show(m.errors);\n"
"      return;\n"
"    }\n"
"    var mine = function (f) {\n"
"      return f === page || !/\\.html$/.test(f);\n"
"    };\n"
"    if (box || m.all || page === '404.html' || page.indexOf('__sg/') === 0 ||\n"
"        m.changed.some(mine))\n"
"      location.reload();\n"
"  }\n"
"  function listen(on) {\n"
"    var es = new EventSource('/__sg/events');\n"
"    ['reload', 'failed'].forEach(function (type) {\n"
"      es.addEventListener(type, function (e) { on(type, e.data); });\n"
"    });\n"
"  }\n"
"  if (!window.EventSource) return;\n"
"  if (!window.BroadcastChannel || !navigator.locks) {\n"
"    listen(handle);\n"
"    return;\n"
"  }\n"
"  var bc = new BroadcastChannel('sg-reload');\n"
"  var leader = false, failed = null;\n"
"  bc.onmessage = function (e) {\n"
"    var m = e.data;\n"
"    if (m.type === 'ask') {\n"
"      /* A tab opened while the build is broken shows the errors too. */\n"
"      if (leader && failed) bc.postMessage(failed);\n"
"    } else if (!leader) {\n"
"      handle(m.type, m.data);\n"
"    }\n"
"  };\n"
"  navigator.locks.request('sg-reload', function () {\n"
"    leader = true;\n"
"    listen(function (type, data) {\n"
"      failed = type === 'failed' ? { type: type, data: data } : null;\n"
"      bc.postMessage({ type: type, data: data });\n"
"      handle(type, data);\n"
"    });\n"
"    return new Promise(function () {});\t/* held while the tab lives */\n"
"  });\n"
"  bc.postMessage({ type: 'ask' });\n"
"})();\n";

static const char overlay_css[] =
"#sg-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;\n"
"  margin: 0; padding: 1.5rem; background: rgba(255, 255, 255, .97);\n"
"  color: #000; font: 16px/1.5 sans-serif; border-top: .5rem solid #b00020; }\n"
"#sg-overlay h2, #sg-overlay h1 { margin: 0 0 1rem; font-size: 1.25rem;\n"
"  color: #b00020; }\n"
"#sg-overlay pre { white-space: pre-wrap; word-break: break-word;\n"
"  font: 14px/1.5 monospace; }\n";

/* ---- responses ------------------------------------------------------ */

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *type,
    void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", (void *)text,
	    strlen(text), MHD_RESPMEM_PERSISTENT);
}

static const char *
mime_type(const char *name)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".json", "application/json"},
		{".csv", "text/csv; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{"atom.xml", "application/atom+xml"},
		{".xml", "application/xml"},
		{".txt", "text/plain; charset=utf-8"},
		{".png", "image/png"},
		{".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},
		{".gif", "image/gif"},
		{".webp", "image/webp"},
		{".avif", "image/avif"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".pdf", "application/pdf"},
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (sg_has_suffix(name, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* html with the reload script inserted before </head>.  Caller frees. */
static char *
inject(const char *html, size_t len, const char *page, size_t *outlen)
{
	const char *at = memmem(html, len, "</head>", 7);
	size_t head = at ? (size_t)(at - html) : len;
	struct sg_buf b = {0};

	sg_buf_add(&b, html, head);
	sg_buf_puts(&b, "<script src=\"/__sg/reload.js\" data-page=\"");
	sg_buf_html(&b, page);
	sg_buf_puts(&b, "\" defer></script>");
	sg_buf_add(&b, html + head, len - head);
	*outlen = b.len;
	return sg_buf_take(&b);
}

static enum MHD_Result
reply_html_fd(struct MHD_Connection *c, unsigned status, int fd,
    const char *page)
{
	struct sg_buf b = {0};
	char chunk[16384];
	ssize_t n;
	size_t len;
	char *out;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0)
			sg_buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n == -1) {
		sg_buf_clear(&b);
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot read the page\n");
	}
	out = inject(b.data ? b.data : "", b.len, page, &len);
	sg_buf_clear(&b);
	return reply(c, status, "text/html; charset=utf-8", out, len,
	    MHD_RESPMEM_MUST_FREE);
}

/* The errors of the failed build as a page (or that there are none). */
static enum MHD_Result
reply_errors(struct serve *sv, struct MHD_Connection *c, unsigned status)
{
	struct sg_buf b = {0};

	sg_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">"
	    "<title>site-gen：构建错误</title>"
	    "<link rel=\"stylesheet\" href=\"/__sg/overlay.css\">"
	    "<script src=\"/__sg/reload.js\" data-page=\"__sg/errors\" defer>"
	    "</script></head><body><div id=\"sg-overlay\">");
	pthread_mutex_lock(&sv->mu);
	if (sv->ok)
		sg_buf_puts(&b, "<h1>没有构建错误</h1>");
	else {
		sg_buf_puts(&b, "<h1>内容有错误，网站未能重新构建</h1><pre>");
		for (size_t i = 0; i < sv->errlines.n; i++) {
			sg_buf_html(&b, sv->errlines.v[i]);
			sg_buf_putc(&b, '\n');
		}
		sg_buf_puts(&b, "</pre><p>改正后保存，页面会自动刷新。</p>");
	}
	pthread_mutex_unlock(&sv->mu);
	sg_buf_puts(&b, "</div></body></html>\n");
	size_t len = b.len;
	return reply(c, status, "text/html; charset=utf-8", sg_buf_take(&b),
	    len, MHD_RESPMEM_MUST_FREE);
}

/* ---- Server-Sent Events --------------------------------------------- */

struct sse {
	struct serve	*sv;
	unsigned	 seen;		/* the build this client knows */
	int		 hello;
	int		 evicted;	/* ended for a newer stream */
	struct sg_buf	 out;		/* bytes not yet sent */
	size_t		 off;
};

/* The event for the current build (under the lock). */
static void
event(struct sse *s)
{
	struct serve *sv = s->sv;

	if (!sv->ok)
		sg_buf_printf(&s->out, "event: failed\ndata: {\"build\":%u,"
		    "\"errors\":%s}\n\n", sv->gen, sv->errors);
	else if (s->seen + 1 == sv->gen)
		sg_buf_printf(&s->out, "event: reload\ndata: {\"build\":%u,"
		    "\"changed\":%s}\n\n", sv->gen, sv->changed);
	else
		sg_buf_printf(&s->out, "event: reload\ndata: {\"build\":%u,"
		    "\"all\":true,\"changed\":[]}\n\n", sv->gen);
	s->seen = sv->gen;
}

/* Fills s->out: waits for a build (or sends a keep-alive comment).
 * -1 when the server is stopping. */
static int
sse_fill(struct sse *s)
{
	struct serve *sv = s->sv;
	struct timespec until;
	int rc = 0;

	s->out.len = 0;
	s->off = 0;
	pthread_mutex_lock(&sv->mu);
	if (!s->hello) {
		s->hello = 1;
		s->seen = sv->gen;
		sg_buf_printf(&s->out, "retry: 1000\nevent: hello\ndata: "
		    "{\"build\":%u}\n\n", sv->gen);
		if (!sv->ok)
			event(s);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += KEEPALIVE_S;
	while (!sv->stopping && !s->evicted && s->seen == sv->gen)
		if (pthread_cond_timedwait(&sv->cv, &sv->mu, &until) == ETIMEDOUT)
			break;
	if (sv->stopping || s->evicted)
		rc = -1;
	else if (s->seen == sv->gen)
		sg_buf_puts(&s->out, ": keep-alive\n\n");
	else
		event(s);
out:
	pthread_mutex_unlock(&sv->mu);
	return rc;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	size_t n;

	(void)pos;
	if (s->off >= s->out.len && sse_fill(s) == -1)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = s->out.len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->out.data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
sse_free(void *cls)
{
	struct sse *s = cls;
	struct serve *sv = s->sv;

	pthread_mutex_lock(&sv->mu);
	for (size_t i = 0; i < sv->nstreams; i++)
		if (sv->streams[i] == s) {
			memmove(&sv->streams[i], &sv->streams[i + 1],
			    (sv->nstreams - i - 1) * sizeof(*sv->streams));
			sv->nstreams--;
			break;
		}
	pthread_mutex_unlock(&sv->mu);
	sg_buf_clear(&s->out);
	free(s);
}

/* Counts s among the open streams, ending the oldest if there are
 * SSE_MAX already: hundreds of streams must not hold every connection. */
static void
sse_register(struct serve *sv, struct sse *s)
{
	pthread_mutex_lock(&sv->mu);
	if (sv->nstreams == SSE_MAX) {
		sv->streams[0]->evicted = 1;
		memmove(&sv->streams[0], &sv->streams[1],
		    (SSE_MAX - 1) * sizeof(*sv->streams));
		sv->nstreams--;
		pthread_cond_broadcast(&sv->cv);
	}
	sv->streams[sv->nstreams++] = s;
	pthread_mutex_unlock(&sv->mu);
}

static enum MHD_Result
reply_events(struct serve *sv, struct MHD_Connection *c)
{
	struct sse *s = sg_xcalloc(1, sizeof(*s));
	struct MHD_Response *r;
	enum MHD_Result ret;

	s->sv = sv;
	sse_register(sv, s);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read,
	    s, sse_free);
	if (r == NULL) {
		sse_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- files ---------------------------------------------------------- */

/*
 * Opens the file url names below root without leaving it: returns an fd
 * and sets *rel (caller frees), or -1 and *status 403, 404 or 301 (a
 * folder asked for without its '/'; *rel is then the folder's path,
 * empty segments dropped, so that a redirect for //2024 goes to /2024/
 * on this host and not to a host called 2024).
 */
static int
open_beneath(const char *root, const char *url, char **rel, unsigned *status)
{
	struct sg_strv segs = {0};
	struct sg_buf r = {0};
	const char *p = url, *name;
	int dfd = -1, fd = -1, trailing;
	struct stat st;

	*rel = NULL;
	*status = MHD_HTTP_NOT_FOUND;
	if (*url != '/')
		return -1;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && strncmp(p, "..", 2) == 0) {
			*status = MHD_HTTP_FORBIDDEN;
			goto out;
		}
		if (n > 0 && !(n == 1 && *p == '.'))
			sg_strv_push(&segs, sg_xstrndup(p, n));
		p += n;
		if (*p == '/')
			p++;
	}
	trailing = segs.n == 0 || url[strlen(url) - 1] == '/';
	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	for (size_t i = 0; i + !trailing < segs.n; i++) {
		int nfd = openat(dfd, segs.v[i], O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (nfd == -1) {
			if (fstatat(dfd, segs.v[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				*status = MHD_HTTP_FORBIDDEN;
			goto out;
		}
		close(dfd);
		dfd = nfd;
		sg_buf_printf(&r, "%s/", segs.v[i]);
	}
	name = trailing ? "index.html" : segs.v[segs.n - 1];
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ELOOP)
			*status = MHD_HTTP_FORBIDDEN;
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode) && !trailing) {
			*status = MHD_HTTP_MOVED_PERMANENTLY;
			sg_buf_puts(&r, name);
			*rel = sg_buf_take(&r);
		} else
			*status = MHD_HTTP_FORBIDDEN;
		close(fd);
		fd = -1;
		goto out;
	}
	sg_buf_puts(&r, name);
	*rel = sg_buf_take(&r);
	*status = MHD_HTTP_OK;
out:
	if (dfd != -1)
		close(dfd);
	sg_buf_clear(&r);
	sg_strv_clear(&segs);
	return fd;
}

static enum MHD_Result
reply_file(struct serve *sv, struct MHD_Connection *c, const char *url)
{
	unsigned status;
	char *rel;
	int fd, have;
	struct stat st;
	enum MHD_Result ret;

	pthread_mutex_lock(&sv->mu);
	have = sv->have_site;
	pthread_mutex_unlock(&sv->mu);
	if (!have)
		return reply_errors(sv, c, MHD_HTTP_SERVICE_UNAVAILABLE);
	fd = open_beneath(sv->root, url, &rel, &status);
	if (status == MHD_HTTP_FORBIDDEN)
		return reply_text(c, status, "forbidden: outside the site\n");
	if (status == MHD_HTTP_MOVED_PERMANENTLY) {
		struct sg_buf loc = {0};
		struct MHD_Response *r;
		sg_buf_putc(&loc, '/');
		sg_buf_urlenc(&loc, rel);
		sg_buf_putc(&loc, '/');
		free(rel);
		r = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
		ret = MHD_queue_response(c, status, r);
		MHD_destroy_response(r);
		sg_buf_clear(&loc);
		return ret;
	}
	if (status == MHD_HTTP_NOT_FOUND) {
		char *nf = sg_path_join(sv->root, "404.html");
		int nfd = open(nf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		free(nf);
		if (nfd == -1)
			return reply_text(c, status, "not found\n");
		return reply_html_fd(c, status, nfd, "404.html");
	}
	if (sg_has_suffix(rel, ".html")) {
		ret = reply_html_fd(c, MHD_HTTP_OK, fd, rel);
		free(rel);
		return ret;
	}
	if (fstat(fd, &st) == -1) {
		close(fd);
		free(rel);
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read\n");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size,
	    fd);
	if (r == NULL) {
		close(fd);
		free(rel);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(rel));
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	free(rel);
	return ret;
}

/*
 * libmicrohttpd's unescaping, except that a text with %00 is left as it
 * is: decoded, the NUL would end the path early, and /index.html%00.txt
 * would serve index.html.  handle() refuses such a path.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	if (strstr(s, "%00"))
		return strlen(s);
	return MHD_http_unescape(s);
}

/* 1 if the decoded path holds a NUL (left as %00) or a control byte. */
static int
bad_path(const char *url)
{
	if (strstr(url, "%00"))
		return 1;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct serve *sv = cls;

	(void)version;
	(void)upload;
	(void)ctx;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD\n");
	if (*upload_size) {
		*upload_size = 0;	/* a body on a GET: ignored */
		return MHD_YES;
	}
	if (bad_path(url))
		return reply_text(c, MHD_HTTP_BAD_REQUEST, "bad request: a NUL or "
		    "control character in the path\n");
	if (strncmp(url, "/__sg/", 6) == 0) {
		const char *what = url + 6;
		if (strcmp(what, "reload.js") == 0)
			return reply(c, MHD_HTTP_OK, "text/javascript; charset=utf-8",
			    (void *)reload_js, sizeof(reload_js) - 1,
			    MHD_RESPMEM_PERSISTENT);
		if (strcmp(what, "overlay.css") == 0)
			return reply(c, MHD_HTTP_OK, "text/css; charset=utf-8",
			    (void *)overlay_css, sizeof(overlay_css) - 1,
			    MHD_RESPMEM_PERSISTENT);
		if (strcmp(what, "events") == 0)
			return reply_events(sv, c);
		if (strcmp(what, "errors") == 0)
			return reply_errors(sv, c, MHD_HTTP_OK);
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	return reply_file(sv, c, url);
}

/* ---- building ------------------------------------------------------- */

/* Findings as "file:line:col: severity: message" lines. */
static void
diag_lines(const struct sg_diag *d, struct sg_strv *out)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		return;
	sg_diag_print(d, fp, 0);
	fclose(fp);
	for (line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		sg_strv_push(out, sg_xstrdup(line));
	free(text);
}

/* Tells the open pages about a build (under the lock). */
static void
announce(struct serve *sv, int ok, const struct sg_strv *changed,
    const struct sg_diag *d)
{
	pthread_mutex_lock(&sv->mu);
	sv->gen++;
	sv->ok = ok;
	free(sv->changed);
	free(sv->errors);
	sv->changed = sv->errors = NULL;
	sg_strv_clear(&sv->errlines);
	if (ok) {
		sv->have_site = 1;
		sv->changed = json_list(changed);
	} else {
		struct sg_diag errs = {0};
		for (size_t i = 0; i < d->n; i++)
			if (d->v[i].sev >= SG_ERROR)
				sg_diag_add(&errs, d->v[i].sev, d->v[i].file,
				    d->v[i].line, d->v[i].col, "%s", d->v[i].msg);
		diag_lines(&errs, &sv->errlines);
		sg_diag_clear(&errs);
		sv->errors = json_list(&sv->errlines);
	}
	pthread_cond_broadcast(&sv->cv);
	pthread_mutex_unlock(&sv->mu);
}

/* One build into sv->root: the build pipeline's preview of the working
 * tree.  0 ok, -1 failed (findings in d); *nchanged files written. */
static int
build(struct serve *sv, struct sg_diag *d, size_t *nchanged)
{
	struct sg_build_opts o = {sv->root, sv->opt->theme, SG_BUILD_DRAFTS |
	    SG_BUILD_NO_STAMP | SG_BUILD_CACHE | SG_BUILD_FORCE_OUTPUT, sv->url, 0, NULL, NULL,
	    NULL};
	struct sg_build_res res;
	int rc;

	rc = sg_build_run(&o, &res, d) == 0 ? 0 : -1;
	*nchanged = res.written;
	announce(sv, rc == 0, &res.changed, d);
	sg_build_res_clear(&res);
	return rc;
}

/* Prints a build's findings: all on the first build, errors (and with
 * -v everything) on rebuilds. */
static void
print_findings(struct serve *sv, struct sg_diag *d, int first)
{
	struct sg_diag show = {0};

	sg_diag_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		enum sg_sev s = d->v[i].sev;
		if (s >= SG_ERROR || (s == SG_WARNING && first) ||
		    sv->opt->verbose)
			sg_diag_add(&show, s, d->v[i].file, d->v[i].line,
			    d->v[i].col, "%s", d->v[i].msg);
	}
	sg_diag_print(&show, stderr, sv->opt->colour);
	sg_diag_clear(&show);
}

static void
rebuild(struct serve *sv, struct sg_strv *paths)
{
	struct sg_diag d = {0};
	double t0 = sg_time_now();
	size_t n;
	int rc;

	rc = build(sv, &d, &n);
	print_findings(sv, &d, 0);
	if (!sv->opt->quiet) {
		/* Name a file that is there now: editors save through
		 * temporary files that are gone again. */
		const char *one = paths->v[0];
		for (size_t i = 0; i < paths->n; i++)
			if (access(paths->v[i], F_OK) == 0) {
				one = paths->v[i];
				break;
			}
		char *what = paths->n == 1 ? sg_xasprintf("%s changed", one) :
		    sg_xasprintf("%s and %zu more changed", one, paths->n - 1);
		if (rc == 0)
			printf("site-gen: %s; rebuilt: %zu files written; %zu "
			    "warnings; %.2f s\n", what, n,
			    sg_diag_count(&d, SG_WARNING), sg_time_now() - t0);
		else
			printf("site-gen: %s; the build failed (errors: %zu); "
			    "still serving the last good build\n", what,
			    sg_diag_count(&d, SG_ERROR) + sg_diag_count(&d,
			    SG_FATAL));
		fflush(stdout);
		free(what);
	}
	sg_diag_clear(&d);
}

/* ---- the loop ------------------------------------------------------- */

static int
watch_all(struct serve *sv, struct sg_watch *w, struct sg_diag *d)
{
	if (sg_watch_add_name(w, ".", "site.yml", d) == -1 ||
	    sg_watch_add_name(w, ".", "content", d) == -1 ||
	    sg_watch_add_name(w, ".", "themes", d) == -1)
		return -1;
	if (sg_is_dir("content") && sg_watch_add_tree(w, "content", d) == -1)
		return -1;
	if (sg_is_dir("themes") && sg_watch_add_tree(w, "themes", d) == -1)
		return -1;
	if (sv->tdir && sg_is_dir(sv->tdir) &&
	    sg_watch_add_tree(w, sv->tdir, d) == -1)
		return -1;
	return 0;
}

static struct MHD_Daemon *
start(struct serve *sv, struct sg_diag *d)
{
	const struct sg_serve_opts *opt = sv->opt;
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD;
	struct MHD_Daemon *daemon;
	const union MHD_DaemonInfo *info;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN];

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, opt->bind, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)opt->port);
	} else if (inet_pton(AF_INET6, opt->bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)opt->port);
		flags |= MHD_USE_IPv6;
	} else {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "--bind '%s' is not an IP "
		    "address; expected one like 127.0.0.1 or ::1", opt->bind);
		return NULL;
	}
	/* Every client is this computer on the loopback address, so the
	 * limit per address is for a --bind to the network only. */
	int loopback = strcmp(opt->bind, "127.0.0.1") == 0 ||
	    strcmp(opt->bind, "::1") == 0;
	daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, sv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, loopback ? 0u : (unsigned)PER_IP,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, (void *)NULL,
	    MHD_OPTION_END);
	if (daemon == NULL) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "cannot listen on %s port "
		    "%d (in use? another port: --port N, any free one: --port 0)",
		    opt->bind, opt->port);
		return NULL;
	}
	info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_LISTEN_FD);
	if (info == NULL || getsockname(info->listen_fd, (struct sockaddr *)&ss,
	    &sl) == -1) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "cannot read the server's "
		    "port: %s", strerror(errno));
		MHD_stop_daemon(daemon);
		return NULL;
	}
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		sv->url = sg_xasprintf("http://[%s]:%u/", host,
		    ntohs(in6->sin6_port));
	} else {
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		sv->url = sg_xasprintf("http://%s:%u/", host,
		    ntohs(in4->sin_port));
	}
	return daemon;
}

/* Gathers a burst of changes (an editor saving several files, a copy):
 * reads until 40 ms pass without an event, at most a second.  An editor
 * writes a save (a temporary file renamed, a backup) within a few
 * milliseconds; the quiet time is all a save waits before its build. */
static int
settle(struct sg_watch *w, struct sg_strv *paths, struct sg_diag *d)
{
	double until = sg_time_now() + 1.0;
	struct pollfd p = {sg_watch_fd(w), POLLIN, 0};

	while (sg_time_now() < until) {
		int r = poll(&p, 1, 40);
		if (r == 0)
			break;
		if (r > 0 && sg_watch_read(w, paths, d) == -1)
			return -1;
	}
	return 0;
}

/*
 * Removes the preview folders of servers that were killed (SIGKILL gives
 * no chance to clean up): site-gen-serve-PID-* of this user whose process
 * is gone.
 */
static void
sweep_tmp(const char *tmpdir)
{
	static const char pfx[] = "site-gen-serve-";
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *rest = de->d_name + sizeof(pfx) - 1;
		char *end, *p;
		struct stat st;
		long pid;

		if (strncmp(de->d_name, pfx, sizeof(pfx) - 1) != 0)
			continue;
		pid = strtol(rest, &end, 10);
		if (end == rest || *end != '-' || !sg_pid_gone(pid))
			continue;
		p = sg_path_join(tmpdir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == getuid())
			sg_rm_rf(p);
		free(p);
	}
	closedir(d);
}

int
sg_serve_run(const struct sg_serve_opts *opt, struct sg_diag *d)
{
	struct serve sv;
	struct sg_watch *w = NULL;
	struct MHD_Daemon *daemon = NULL;
	struct sg_diag first = {0};
	pthread_condattr_t ca;
	sigset_t sigs, old;
	int sfd = -1, rc = 3;
	size_t n;

	memset(&sv, 0, sizeof(sv));
	sv.opt = opt;
	pthread_mutex_init(&sv.mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv.cv, &ca);
	pthread_condattr_destroy(&ca);

	/* Blocked before any thread starts, so only the signalfd sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) == -1) {
		sg_diag_add(d, SG_FATAL, NULL, 0, 0, "signalfd: %s",
		    strerror(errno));
		goto out;
	}
	const char *tmpdir = getenv("TMPDIR");
	tmpdir = tmpdir && *tmpdir ? tmpdir : "/tmp";
	sweep_tmp(tmpdir);
	sv.tmp = sg_xasprintf("%s/site-gen-serve-%ld-XXXXXX", tmpdir,
	    (long)getpid());
	if (mkdtemp(sv.tmp) == NULL) {
		sg_diag_add(d, SG_FATAL, sv.tmp, 0, 0, "cannot create the "
		    "preview folder: %s", strerror(errno));
		free(sv.tmp);
		sv.tmp = NULL;
		goto out;
	}
	sv.root = sg_path_join(sv.tmp, "site");
	if ((w = sg_watch_new(d)) == NULL || (daemon = start(&sv, d)) == NULL)
		goto out;

	sv.tdir = opt->theme ? sg_xstrdup(opt->theme) : NULL;
	build(&sv, &first, &n);
	print_findings(&sv, &first, 1);
	if (watch_all(&sv, w, d) == -1)
		goto out;
	if (!opt->quiet) {
		printf("site-gen: %s; %zu warnings\n", sg_diag_failed(&first) ?
		    "the build failed: fix the errors and save" :
		    "built the site", sg_diag_count(&first, SG_WARNING));
		if (opt->verbose)
			printf("site-gen: building into %s\n", sv.root);
	}
	/* The address line is the last of start-up: scripts wait for it. */
	printf("site-gen: serving %s (Ctrl-C stops)\n", sv.url);
	fflush(stdout);
	if (strcmp(opt->bind, "127.0.0.1") != 0 && strcmp(opt->bind, "::1") != 0)
		fprintf(stderr, "site-gen: warning: listening on %s, not only "
		    "on this computer: others on the network can read the "
		    "preview\n", opt->bind);
	sg_diag_clear(&first);

	for (;;) {
		struct pollfd p[2] = {{sfd, POLLIN, 0}, {sg_watch_fd(w), POLLIN, 0}};
		struct sg_strv paths = {0};

		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			sg_diag_add(d, SG_FATAL, NULL, 0, 0, "poll: %s",
			    strerror(errno));
			goto out;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			/* Consumed, so that it is not delivered again when the
			 * old mask comes back. */
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
			    !opt->quiet)
				printf("site-gen: %s: stopping\n",
				    strsignal((int)si.ssi_signo));
			break;
		}
		if (sg_watch_read(w, &paths, d) == -1 ||
		    settle(w, &paths, d) == -1) {
			sg_strv_clear(&paths);
			goto out;
		}
		/* content/ or themes/ created after start. */
		for (size_t i = 0; i < paths.n; i++)
			if ((strcmp(paths.v[i], "./content") == 0 ||
			    strcmp(paths.v[i], "./themes") == 0) &&
			    sg_is_dir(paths.v[i]))
				sg_watch_add_tree(w, paths.v[i] + 2, d);
		if (paths.n) {
			if (opt->verbose)
				for (size_t i = 0; i < paths.n; i++)
					printf("site-gen: changed: %s\n", paths.v[i]);
			rebuild(&sv, &paths);
			if (sv.tdir && sg_is_dir(sv.tdir))
				sg_watch_add_tree(w, sv.tdir, d);
		}
		sg_strv_clear(&paths);
	}
	rc = 0;
out:
	pthread_mutex_lock(&sv.mu);
	sv.stopping = 1;
	pthread_cond_broadcast(&sv.cv);
	pthread_mutex_unlock(&sv.mu);
	if (daemon)
		MHD_stop_daemon(daemon);
	if (rc == 0 && !opt->quiet) {
		printf("site-gen: stopped\n");
		fflush(stdout);
	}
	sg_diag_clear(&first);
	sg_watch_free(w);
	if (sv.tmp)
		sg_rm_rf(sv.tmp);
	free(sv.tmp);
	free(sv.root);
	free(sv.url);
	free(sv.tdir);
	free(sv.changed);
	free(sv.errors);
	sg_strv_clear(&sv.errlines);
	if (sfd != -1)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_cond_destroy(&sv.cv);
	pthread_mutex_destroy(&sv.mu);
	return rc;
}
