/*
 * config: YAML documents read with libyaml — site.yml, report.yml and the
 * front matter of content files.  libyaml hands every scalar over as a
 * string and accepts duplicate keys silently; this module checks both and
 * turns libyaml's marks into file:line findings.
 */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include <yaml.h>

struct sg_diag;

struct sg_yaml {
	yaml_document_t	 doc;
	int		 loaded;
	const char	*file;		/* borrowed, for findings */
	int		 line0;		/* lines before the YAML text */
};

/*
 * Parses len bytes of YAML text as one mapping.  file and line0 (the number
 * of lines before the text in its file) place findings.  Returns 0, or -1
 * after adding an error finding (syntax error, not a mapping, duplicate
 * key).  The caller clears y with sg_config_clear either way.
 */
int sg_config_parse(struct sg_yaml *y, const char *file, int line0,
    const char *text, size_t len, struct sg_diag *d);
void sg_config_clear(struct sg_yaml *y);

/* The root mapping node, or NULL. */
yaml_node_t *sg_config_root(struct sg_yaml *y);
/* Value node of key in mapping map, or NULL.  Borrowed. */
yaml_node_t *sg_config_get(struct sg_yaml *y, yaml_node_t *map, const char *key);
/* Scalar value of key; NULL if absent or not a scalar.  Borrowed. */
const char *sg_config_str(struct sg_yaml *y, yaml_node_t *map, const char *key);
/* File line of a node (1-based). */
int sg_config_line(struct sg_yaml *y, yaml_node_t *n);
/* Sequence item i (or NULL); count of items in *n. */
yaml_node_t *sg_config_item(struct sg_yaml *y, yaml_node_t *seq, size_t i);
size_t sg_config_len(yaml_node_t *seq);

/*
 * Checks that a mapping has the required keys (NULL-terminated list) as
 * non-empty scalars and reports unknown keys (allowed, NULL-terminated) as
 * warnings.  Returns the number of errors added.
 */
int sg_config_require(struct sg_yaml *y, yaml_node_t *map,
    const char *const *required, const char *const *allowed, const char *what,
    struct sg_diag *d);

#endif
