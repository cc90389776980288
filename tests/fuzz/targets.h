/*
 * Fuzz targets: each takes arbitrary bytes and runs them through one input
 * path of site-gen in memory.  The libFuzzer driver (driver.c) calls one;
 * the regression test replays tests/fuzz/regress/<target>/ through all.
 */
#ifndef SG_FUZZ_TARGETS_H
#define SG_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Once per process, before any target. */
void sg_fuzz_init(void);
/* Front matter + Markdown of a chapter → numbered, rendered, themed page. */
int sg_fuzz_page(const uint8_t *data, size_t size);
/* CSV bytes → table → rendered in a chapter. */
int sg_fuzz_csv(const uint8_t *data, size_t size);
/* site.yml / report.yml (first byte chooses) → loaded site. */
int sg_fuzz_config(const uint8_t *data, size_t size);
/* A page template (before the first NUL) filled with values (after). */
int sg_fuzz_theme(const uint8_t *data, size_t size);
/* base_url, contact website and email of site.yml and a chapter's file
 * name (NUL-separated) → loaded site, links; the URL allowlist's promise
 * checked on each. */
int sg_fuzz_urls(const uint8_t *data, size_t size);
/* A template file schemas/<id>.yml → the site's appendix tables. */
int sg_fuzz_schema(const uint8_t *data, size_t size);
/* Lines → headings of a chapter; aborts if two get the same anchor. */
int sg_fuzz_anchors(const uint8_t *data, size_t size);

#endif
