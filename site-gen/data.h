/*
 * data: the files site-gen carries — the default theme (themes/default/)
 * and the templates (schemas/<id>.yml).  They are built into the binary
 * (tools/embed.sh writes them into a generated C file at build time), so
 * that a copy of the binary alone builds a site; `make install` also puts
 * them in the installed folder, <exe>/../share/site-gen/, found from the
 * running binary at run time (never a path fixed when it was compiled),
 * where an administrator may replace them for every site of the machine.
 *
 * The built-in copy is addressed by labels such as "built-in:themes/
 * default": a source over it reads like any other, and findings name
 * the label.
 */
#ifndef SG_DATA_H
#define SG_DATA_H

#include <stddef.h>

struct sg_source;
struct sg_strv;

/* One built-in file: its path in the source tree and its bytes, followed
 * by a NUL. */
struct sg_data_file {
	const char		*path;
	const unsigned char	*data;
	size_t			 len;
};

/* Every built-in file, sorted by path, ended by an entry with path NULL
 * (generated: $(BUILD)/embedded.c). */
extern const struct sg_data_file sg_data_files[];

#define SG_DATA_BUILTIN	"built-in:"

/* The installed data folder, <folder of the binary>/../share/site-gen
 * (normalised), or NULL if the binary's path is unknown.  Caller frees. */
char *sg_data_dir(void);

/* The built-in file at path ("schemas/zz-2024.yml"), or NULL. */
const struct sg_data_file *sg_data_find(const char *path);
/* 1 if some built-in file lies below folder dir ("themes/default"). */
int sg_data_has_dir(const char *dir);
/* 1 if label names the built-in copy ("built-in:themes/default"). */
int sg_data_is_builtin(const char *label);
/* Appends the names of built-in files directly in folder dir that end
 * with suffix (e.g. the template ids: "schemas", ".yml"), without the
 * suffix. */
void sg_data_names(const char *dir, const char *suffix, struct sg_strv *out);

/*
 * A source over the built-in files below folder dir, with paths relative
 * to it: label "built-in:themes/default" or plain "themes/default".
 * Free with sg_source_free.
 */
struct sg_source *sg_data_source(const char *dir);

#endif
