/*
 * check: the rules a careful reviewer of a disclosure applies to the loaded
 * model — the appendix tables against their template (core indicators
 * filled in, units, 序号, ranges, parts and totals, change from last year,
 * restatements of what an earlier report disclosed), figures that must
 * agree across tables, narrative tables and text, and personal data in any
 * content file.  The rule data (plausible ranges, change factors, figures
 * and where the narrative states them, ratios, sums) is the checks: block of
 * the template file (schemas/<id>.yml), so a new template year is a data
 * change.  No I/O: check.c reads the model and adds findings.
 *
 * Every finding carries a rule id.  A rule has one severity for `build` and
 * one for `check` and `publish`: build reports a missing image as a warning
 * and renders the page without it; check makes it an error, so publish
 * refuses.  The rules check raises to errors: image-missing, case-sequence,
 * core-empty, unit, date-invalid, privacy-birthdate, privacy-address.
 * privacy-idcard, privacy-mobile, privacy-bankcard and confidential are
 * errors in both.  The reviewer's rules (check_review.c) read their word
 * lists from schemas/checks/.
 */
#ifndef SG_CHECK_H
#define SG_CHECK_H

#include <stddef.h>

#include "diag.h"

struct sg_site;
struct sg_theme;

struct sg_check_opts {
	int	publish;	/* 1: the severities of check and publish;
				   0: build's */
	int	strict;		/* count warnings as errors in the result */
};

/* The rule's title for readers, theme t's word rule_<id> (图片缺失), or
 * NULL for an unknown id.  Caller frees. */
char *sg_check_rule_title(const struct sg_theme *t, const char *id);

struct sg_check_rule {
	const char	*id;
	enum sg_sev	 build;		/* severity in build */
	enum sg_sev	 publish;	/* severity in check and publish */
	const char	*what;
};

/*
 * Runs every check on the report of year (0: every report) of site, which
 * sg_load_site loaded, adding findings to d.  d should hold the findings of
 * that load: with opts->publish, findings of the rules check raises (a
 * missing image, a case out of sequence) are raised to errors there too.
 * Returns the number of errors in d that concern year — its files under
 * content/<year>/ and the site's own files (site.yml, schemas/) — or every
 * error when year is 0; warnings count too when opts->strict.  publish goes
 * on only when this is 0.
 */
int sg_check_run(struct sg_site *site, int year,
    const struct sg_check_opts *opts, struct sg_diag *d);

/* Drops the findings of other years' files (content/<other year>/…) from d,
 * for `check YEAR`. */
void sg_check_only_year(struct sg_diag *d, int year);

/* The rules (*n set), for --help and the documentation. */
const struct sg_check_rule *sg_check_rules(size_t *n);

#endif
