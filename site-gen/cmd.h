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
int sg_cmd_check(struct sg_opts *g, int argc, char **argv, struct sg_diag *d);
void sg_cmd_check_help(FILE *fp);

#endif
