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

/* sg_cmd_build_run's flags are build.h's SG_BUILD_*. */
/* Runs the build pipeline (build.h) into out and prints what it did:
 * each year's line, the summary, with -v the stages.  Returns the exit
 * status. */
int sg_cmd_build_run(struct sg_opts *g, const char *out, const char *theme_opt,
    int flags, struct sg_diag *d);
/* cmd_pdf.c: one report's PDF. */
int sg_cmd_pdf(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_pdf_help(FILE *fp);

int sg_cmd_theme(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_theme_help(FILE *fp);

/* The year s names ("2024"), or 0 if it is not four digits. */
int sg_cmd_year(const char *s);

/* cmd_withdraw.c */
int sg_cmd_withdraw(struct sg_opts *g, int argc, char **argv,
    struct sg_diag *d);
void sg_cmd_withdraw_help(FILE *fp);
/* cmd_publish.c: publish; cmd_hist.c: history, diff. */
int sg_cmd_publish(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_publish_help(FILE *fp);
int sg_cmd_history(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_history_help(FILE *fp);
int sg_cmd_diff(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_diff_help(FILE *fp);
int sg_cmd_check(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_check_help(FILE *fp);

/* import_cmd.c: import. */
int sg_cmd_import(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_import_help(FILE *fp);

#endif
