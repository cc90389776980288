/*
 * data: the built-in theme and templates, and the installed data folder
 * (see data.h).  The bytes themselves are in the generated embedded.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "source.h"
#include "util.h"

char *
sg_data_dir(void)
{
	char exe[PATH_MAX], *slash;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	/* /usr/local/bin/site-gen → /usr/local/share/site-gen */
	for (int i = 0; i < 2; i++) {
		if ((slash = strrchr(exe, '/')) == NULL)
			return NULL;
		*slash = '\0';
	}
	return sg_xasprintf("%s/share/site-gen", exe);
}

/* dir without the built-in label. */
static const char *
unlabel(const char *dir)
{
	size_t n = strlen(SG_DATA_BUILTIN);

	return strncmp(dir, SG_DATA_BUILTIN, n) == 0 ? dir + n : dir;
}

int
sg_data_is_builtin(const char *label)
{
	return label && strncmp(label, SG_DATA_BUILTIN,
	    strlen(SG_DATA_BUILTIN)) == 0;
}

const struct sg_data_file *
sg_data_find(const char *path)
{
	for (const struct sg_data_file *f = sg_data_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/* The part of path below folder dir, or NULL. */
static const char *
below(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) != 0 || path[n] != '/' || path[n + 1] == '\0')
		return NULL;
	return path + n + 1;
}

int
sg_data_has_dir(const char *dir)
{
	dir = unlabel(dir);
	for (const struct sg_data_file *f = sg_data_files; f->path; f++)
		if (below(dir, f->path))
			return 1;
	return 0;
}

void
sg_data_names(const char *dir, const char *suffix, struct sg_strv *out)
{
	for (const struct sg_data_file *f = sg_data_files; f->path; f++) {
		const char *rest = below(dir, f->path);
		if (rest && !strchr(rest, '/') && sg_has_suffix(rest, suffix))
			sg_strv_push(out, sg_xstrndup(rest,
			    strlen(rest) - strlen(suffix)));
	}
}

struct sg_source *
sg_data_source(const char *dir)
{
	struct sg_source *s = sg_source_mem_new();
	const char *rest;

	dir = unlabel(dir);
	for (const struct sg_data_file *f = sg_data_files; f->path; f++)
		if ((rest = below(dir, f->path)) != NULL)
			sg_source_mem_add(s, rest, (const char *)f->data, f->len);
	return s;
}
