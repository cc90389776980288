/*
 * output: a build writes into a staging folder beside public/ and swaps it
 * in only when everything succeeded, so a failed or killed build leaves the
 * previous public/ complete and untouched.
 */
#ifndef SG_OUTPUT_H
#define SG_OUTPUT_H

#include <pthread.h>
#include <stddef.h>

#include "util.h"

struct sg_diag;

struct sg_output {
	char		*final;		/* public/ */
	char		*stage;		/* .public.stage-XXXXXX beside it */
	char		*prev;		/* final if it existed: unchanged files
					   are kept from it (see output.c) */
	size_t		 written;	/* files whose bytes changed */
	size_t		 kept;		/* files kept as they were */
	struct sg_strv	 changed;	/* rel paths of the written files */
	pthread_mutex_t	 lock;		/* the counts and list: render
					   threads write files at once */
};

/*
 * Whether final may be replaced by a build of the site in the current
 * folder: never the site itself, a folder above it, or one inside its
 * content/, themes/, schemas/ or .git (nor inside theme_dir, the theme in
 * use, which may be NULL); and a folder that already holds files only when
 * a previous build made it (its build stamp is beside it) or force is set.
 * 0, or -1 with an error finding naming the folder and what to do.
 */
int sg_output_check(const char *final, const char *theme_dir, int force,
    struct sg_diag *d);
/* Creates the staging folder for final. 0, or -1 with a fatal finding. */
int sg_output_begin(struct sg_output *o, const char *final, struct sg_diag *d);
/* Writes a file at rel (relative to the output root). 0 or -1 (finding). */
int sg_output_write(struct sg_output *o, const char *rel, const char *data,
    size_t len, struct sg_diag *d);
/* Copies the file at src to rel. 0 or -1 (finding). */
int sg_output_copy(struct sg_output *o, const char *src, const char *rel,
    struct sg_diag *d);
/* Copies a folder tree to rel. 0 or -1 (finding). */
int sg_output_copy_tree(struct sg_output *o, const char *src, const char *rel,
    struct sg_diag *d);
/* The SHA-256 of the file written at rel in this build, as hex into
 * hex[65].  0, or -1 if there is no such file. */
int sg_output_digest(struct sg_output *o, const char *rel, char hex[65]);
/* Swaps the staging folder in as final and removes the old one.  The
 * counts and the changed list stay for the caller to read. */
int sg_output_commit(struct sg_output *o, struct sg_diag *d);
/* Removes the staging folder (after a failure). */
void sg_output_abort(struct sg_output *o);
/* Frees what o holds (the changed list too) and removes any staging
 * folder left; o can be used again with sg_output_begin. */
void sg_output_clear(struct sg_output *o);

#endif
