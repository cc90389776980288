/*
 * serve: `site-gen serve` — builds the site into a temporary folder, serves
 * it on loopback with libmicrohttpd, rebuilds on every change of content/,
 * the theme or site.yml, and reloads the open pages (Server-Sent Events).
 */
#ifndef SG_SERVE_H
#define SG_SERVE_H

struct sg_diag;

struct sg_serve_opts {
	const char	*bind;		/* IP address to listen on */
	int		 port;		/* 0: any free port */
	const char	*theme;		/* --theme, or NULL */
	int		 quiet;
	int		 verbose;
	int		 colour;	/* colour findings on stderr */
};

/*
 * Serves the site in the current directory until SIGINT or SIGTERM, then
 * stops the server and removes the temporary folder.  Prints its own
 * progress (it runs for long).  Returns 0 after a clean stop, or 3 after
 * a fatal finding in d (cannot listen, cannot watch).
 */
int sg_serve_run(const struct sg_serve_opts *opt, struct sg_diag *d);

#endif
