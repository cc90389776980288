/*
 * publish: `site-gen publish YEAR -m NOTE` — check, then commit the year's
 * content (and site.yml and themes/) and add the annotated tag
 * disclosure/<year>/r<N>, with libgit2 only.  Publishing only adds: it
 * never resets, rewrites, stages or discards anything outside those paths.
 */
#ifndef SG_PUBLISH_H
#define SG_PUBLISH_H

#include "util.h"

struct sg_diag;

struct sg_publish {
	/* Asked for: */
	int		 year;
	const char	*note;
	const char	*name;		/* author; NULL: the git configuration */
	const char	*email;
	const char	*allow;		/* --allow-findings reason, or NULL */
	const char	*theme_dir;	/* theme to render the check with */
	/* Done: */
	int		 initialised;	/* a repository was created */
	int		 committed;	/* a new commit was made */
	int		 nochange;	/* nothing changed since the last
					   revision: nothing was created */
	char		*tag;		/* the tag created, or the latest one
					   when nothing changed */
	char		 commit[41];	/* the commit tagged */
	char		*branch;	/* the branch committed to */
	struct sg_strv	 findings;	/* errors published with --allow-findings */
	size_t		 refused;	/* refused: the errors that block it (left
					   in the findings list, alone) */
	struct sg_strv	 left;		/* paths outside the year, left as they
					   were: "M path", "?? path" … */
};

/*
 * Publishes p->year of the site in the current directory.  Returns an exit
 * status: 0 published (or nothing to publish), 1 checks failed (nothing
 * created), 2 no author known, 3 repository, lock or I/O problem; every
 * problem is a finding in d.  Clear p with sg_publish_clear.
 */
int sg_publish_run(struct sg_publish *p, struct sg_diag *d);
void sg_publish_clear(struct sg_publish *p);

/* `site-gen withdraw YEAR rN PATH --reason R [--passage TEXT]`. */
struct sg_withdraw {
	/* Asked for: */
	int		 year;
	const char	*rev;		/* "r1" */
	const char	*path;		/* as given: tables/x.csv, or
					   content/<year>/tables/x.csv */
	const char	*passage;	/* NULL: the whole file */
	const char	*reason;
	const char	*name;		/* author; NULL: the git configuration */
	const char	*email;
	/* Done: */
	char		*tag;		/* withdrawal/<year>/w<K> created, or
					   the one that already says so */
	int		 already;	/* nothing created: recorded before */
	char		 sha256[65];	/* of the bytes withdrawn */
	int		 revs;		/* revisions that published them */
};

/*
 * Records a withdrawal as a new annotated tag on the revision, after
 * checking that the revision published the file (and the passage in it).
 * Nothing is rewritten or deleted.  Returns an exit status (0, 1 nothing
 * to withdraw, 2 no author, 3 repository, lock or I/O); problems are
 * findings in d.  Clear w with sg_withdraw_clear.
 */
int sg_withdraw_run(struct sg_withdraw *w, struct sg_diag *d);
void sg_withdraw_clear(struct sg_withdraw *w);

/* Splits "name <email>" into two new strings.  0, or -1 if malformed. */
int sg_publish_parse_author(const char *s, char **name, char **email);

#endif
