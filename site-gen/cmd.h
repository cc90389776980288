/*
 * cmd: one function per subcommand — its options, its --help, and the
 * pipeline calls it makes.  Each returns an exit status (0, 1, 2, 3).
 */
#ifndef SG_CMD_H
#define SG_CMD_H

#include <stdio.h>

struct sg_diag;

struct sg_opts {
	const char	*dir;		/* -C: the site directory */
	int		 quiet;
	int		 verbose;
	int		 colour;	/* stderr is a terminal, NO_COLOR unset */
	int		 json;		/* a command asks main to print findings
					   as JSON on stdout (check) */
	const char	*what;		/* a command's name for the summary */
};

int sg_cmd_build(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_build_help(FILE *fp);
int sg_cmd_serve(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_serve_help(FILE *fp);
int sg_cmd_new(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_new_help(FILE *fp);

/* sg_cmd_build_run's flags. */
#define SG_BUILD_KEEP_GOING	1	/* write the site despite content errors
					   (a publication with --allow-findings) */
#define SG_BUILD_FORCE		2	/* build even if the build stamp says
					   nothing changed (stamp.h) */
#define SG_BUILD_NO_PDF		4	/* typeset no PDF (pdf.h) */

/* Builds the site in the current directory into out with its history,
 * or replays the last build's findings when nothing it depends on
 * changed (unless SG_BUILD_FORCE).  Returns the exit status. */
int sg_cmd_build_run(struct sg_opts *g, const char *out, const char *theme_opt,
    int flags, struct sg_diag *d);
/* The PDF maker for a build into out (NULL for none: off, no engine —
 * a warning in d, once —, or a theme without pdf.html).  Free with
 * sg_pdf_free. */
struct sg_theme;
struct sg_pdf *sg_cmd_pdf_maker(const char *engine, int off,
    const struct sg_theme *theme, const char *out, struct sg_diag *d);
/* cmd_pdf.c: one report's PDF. */
int sg_cmd_pdf(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_pdf_help(FILE *fp);
/* The theme folder for --theme opt or site.yml's theme name; caller frees. */
char *sg_cmd_theme_dir(const char *opt, const char *name);

/* cmd_hist.c: publish, history, diff. */
int sg_cmd_publish(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_publish_help(FILE *fp);
int sg_cmd_history(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_history_help(FILE *fp);
int sg_cmd_diff(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_diff_help(FILE *fp);
int sg_cmd_check(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_check_help(FILE *fp);

#endif
