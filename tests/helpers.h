/*
 * helpers: what the unit and end-to-end tests share — temporary
 * folders, writing fixture files, running the site-gen binary, walking an
 * output tree, and parsing HTML with libxml2.
 */
#ifndef SG_TEST_HELPERS_H
#define SG_TEST_HELPERS_H

#include <libxml/HTMLparser.h>
#include <stddef.h>

#include "diag.h"

/* A new empty folder under /tmp; caller frees (and may remove it). */
char *t_tmpdir(void);
/* Writes text to dir/rel, creating folders. */
void t_write(const char *dir, const char *rel, const char *text);
/* Replaces the first occurrence of from with to in dir/rel, asserting
 * the file holds it. */
void t_replace(const char *dir, const char *rel, const char *from,
    const char *to);
/* Reads a file (NULL if missing); caller frees. */
char *t_read(const char *path, size_t *len);
/* Runs site-gen (SG_BIN, else build/site-gen) with args in shell syntax;
 * returns its exit status and stores its stderr in *err (caller frees). */
int t_run(const char *args, char **err);
/* Runs a shell command; returns its exit status and stores its stdout and
 * stderr in *out and *err (either may be NULL; caller frees). */
int t_sh(const char *cmd, char **out, char **err);
/* The repository root (SG_ROOT, else "."). */
const char *t_root(void);
/* Every file below dir, relative paths, sorted; *n set. Caller frees with
 * t_free_list. */
char **t_files(const char *dir, size_t *n);
void t_free_list(char **v, size_t n);
/* Parses an HTML file with libxml2; NULL if it cannot. */
htmlDocPtr t_html(const char *path);
/* Number of nodes matching an XPath expression. */
int t_count(htmlDocPtr doc, const char *xpath);
/* Text content of the first match, or NULL; caller frees with free(). */
char *t_text(htmlDocPtr doc, const char *xpath);
/* 1 if d has a finding of sev whose message contains needle (and, when
 * line > 0, on that line). */
int t_has(const struct sg_diag *d, enum sg_sev sev, int line,
    const char *needle);
/* Builds the site in dir into dir/public (opts: more build options, or
 * ""), asserting it succeeds; returns dir/public (caller frees). */
char *t_build(const char *dir, const char *opts);
/* Parses pub/rel as HTML, asserting it parses; free with xmlFreeDoc. */
htmlDocPtr t_page(const char *pub, const char *rel);
/* The example site copied to a new temporary folder; caller frees. */
char *t_copy_example(void);

struct sg_site;
struct sg_source;
/* Initialises the libraries as main() does. */
void t_init(void);
/* Writes a minimal site.yml and report.yml for year 2024 into dir. */
void t_minimal_site(const char *dir);
/* Loads the site in dir; *src must be freed after the site. */
struct sg_site *t_load(const char *dir, struct sg_source **src,
    struct sg_diag *d);

struct git_repository;
/* Commits content/, site.yml and themes/ of repo's work tree at time t
 * (seconds since the epoch) on HEAD, asserting each step. */
void t_git_commit(struct git_repository *repo, const char *msg, long long t);
/* The lastmod of page rel in dir/public/sitemap.xml ("" if none); caller
 * frees. */
char *t_lastmod(const char *dir, const char *rel);

#endif
