/*
 * theme: HTML templates, compiled once (libxml2 parses them) and run per
 * page.  A theme is a folder of plain HTML5 files with data-sg-* attributes
 * marking where values go:
 *
 *   data-sg-text="name"      the element's content becomes the text value
 *   data-sg-html="name"      the element's content becomes the HTML value
 *   data-sg-attr-X="name"    attribute X gets the value; the template's own
 *                            X (if any) stays when it is unset.  A value
 *                            with braces is a pattern: data-sg-attr-aria-
 *                            label="案例 {n}" writes the text with each
 *                            {name} replaced, when every one is set
 *   data-sg-if="name"        the element stays only if the value is set
 *   data-sg-unless="name"    the element stays only if it is not set
 *   data-sg-each="name"      the element repeats for each item of a list
 *   data-sg-include="name"   the element's content becomes part name
 *                            (below), inlined when the theme is compiled
 *   data-sg-bare             the element's own tags are left out, only its
 *                            content is written (text with no element)
 *   data-sg-slot="main"      (layout.html) where the page template goes
 *   <html data-sg-document>  a template that is a whole document of its
 *                            own (pdf.html), not put in the layout
 *
 * Parts are the small pieces of markup site-gen writes inside a page's
 * content — a figure, a table, a case card — one file each in the theme's
 * parts/ folder (parts/figure.html), without <html> or <body>, and the
 * file's last line break not part of it.  site-gen renders them with
 * sg_theme_part; templates and other parts may include them.  A theme
 * that lacks a part (one exported by an older site-gen, or one that only
 * changes a few) uses the built-in theme's part of that name, and a
 * built-in part that includes another includes the theme's own when the
 * theme has one.
 *
 * Words are the interface text site-gen writes outside the templates —
 * page titles that also go to <title>, the sitemap and the feed,
 * breadcrumbs, labels such as 图 2-1, the summary of a revision's changes.
 * The theme's words.yml is a flat map of keys to text, {name} where a
 * value goes (indicators_title: "{year} 年度附表"); a theme without the
 * file, or without a key, has the built-in theme's word for it, so a
 * theme may translate or reword only a few.
 *
 * Text is escaped by construction: it is always escaped, never pasted as
 * markup; HTML values are site-gen's own rendering.  Output is UTF-8, not
 * character entities.
 */
#ifndef SG_THEME_H
#define SG_THEME_H

#include <stdarg.h>
#include <stddef.h>

struct sg_buf;
struct sg_diag;
struct sg_vars;
struct sg_theme;

/* A set of named values; lists hold child sets.  Free with sg_vars_free. */
struct sg_vars *sg_vars_new(void);
void sg_vars_free(struct sg_vars *v);
/* Sets text (copied); NULL value means unset. */
void sg_vars_text(struct sg_vars *v, const char *name, const char *text);
void sg_vars_textf(struct sg_vars *v, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets an HTML fragment (copied). */
void sg_vars_html(struct sg_vars *v, const char *name, const char *html);
/* Takes ownership of an HTML string. */
void sg_vars_html_own(struct sg_vars *v, const char *name, char *html);
/* Appends an item to list name and returns it (owned by v). */
struct sg_vars *sg_vars_item(struct sg_vars *v, const char *name);

/*
 * The theme folder to load: opt (--theme) if given, else the site's
 * themes/<name>/, else the installed folder's, else the one built into
 * the binary (a "built-in:" label).  NULL after an error finding that
 * names every place looked in.  Caller frees.
 */
char *sg_theme_find(const char *opt, const char *name, struct sg_diag *d);

/*
 * Loads the theme in dir: layout.html, every <kind>.html, every
 * parts/<name>.html and words.yml, with the built-in theme's parts and
 * words for those it lacks.  Returns the theme (free with sg_theme_free)
 * or NULL after a finding (a template or part that is not HTML, an
 * include of a part found nowhere or in a loop, a words.yml that is not
 * a map of keys to text).
 */
struct sg_theme *sg_theme_load(const char *dir, struct sg_diag *d);
void sg_theme_free(struct sg_theme *t);
/* An empty theme whose assets are in dir (may be ""); templates come from
 * sg_theme_add.  For tests and fuzzing. */
struct sg_theme *sg_theme_new(const char *dir);
/* Adds template name ("layout", "chapter", …) from HTML bytes; a name
 * "parts/NAME" adds part NAME (add the parts a template includes first).
 * Returns 0, or -1 after a finding (not UTF-8, not HTML, a part it has
 * already or one it includes that it lacks). */
int sg_theme_add(struct sg_theme *t, const char *name, const char *html,
    size_t len, struct sg_diag *d);
/* Adds words from words.yml's bytes (those the theme has not got yet).
 * Returns 0, or -1 after a finding naming words.yml:line.  For tests. */
int sg_theme_add_words(struct sg_theme *t, const char *yml, size_t len,
    struct sg_diag *d);
/* 1 if the theme has a template for page kind. */
int sg_theme_has(const struct sg_theme *t, const char *kind);
/* The theme's folder (borrowed). */
const char *sg_theme_dir(const struct sg_theme *t);

/*
 * Renders page kind (e.g. "chapter") with vars into a complete HTML
 * document.  Returns the bytes (caller frees) and sets *len, or NULL after
 * a finding naming the template.  Safe to call from several threads.
 */
char *sg_theme_render(struct sg_theme *t, const char *kind,
    struct sg_vars *vars, size_t *len, struct sg_diag *d);

/*
 * Appends part name (parts/<name>.html) rendered with vars to out.  The
 * part was compiled with the theme: a call runs it, nothing is parsed.
 * Returns 0, or -1 after a finding naming the part's file (the theme has
 * no such part — one from sg_theme_load has every part the built-in theme
 * has — or it repeats without end); out is then as it was.  Safe to call
 * from several threads.
 */
int sg_theme_part(const struct sg_theme *t, const char *name,
    struct sg_vars *vars, struct sg_buf *out, struct sg_diag *d);

/*
 * The word key of theme t (NULL: the built-in theme), or the built-in
 * theme's when t has none, with each {name} replaced by the value given
 * for it: the arguments after key are name, value pairs of strings, ended
 * by NULL.  A {name} given no value stays as it is; a key no theme has
 * gives the key itself.  Returns plain text, unescaped (caller frees).
 * Safe to call from several threads.
 */
char *sg_theme_word(const struct sg_theme *t, const char *key, ...)
    __attribute__((sentinel));
/* The same with the name, value pairs in vals (not used up). */
char *sg_theme_vword(const struct sg_theme *t, const char *key,
    va_list vals);
/* v's digits in buf (24 bytes or more), returned: a number for
 * sg_theme_word, e.g. "year", SG_WORD_NUM(r->year). */
const char *sg_word_num(char *buf, long long v);
#define SG_WORD_NUM(v)	sg_word_num((char[24]){0}, (long long)(v))

/* The built-in theme, loaded the first time it is asked for (from any
 * thread), for rendering with no theme loaded (tests, check).  Borrowed:
 * it lives until the program ends.  NULL only if the binary's own theme
 * does not compile. */
const struct sg_theme *sg_theme_builtin(void);

#endif
