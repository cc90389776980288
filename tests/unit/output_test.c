/*
 * Unit tests of the output stage: unchanged files are kept (same inode,
 * same mtime), changed ones rewritten and listed, files a build no longer
 * makes disappear, an aborted build leaves the old output alone; and
 * sg_mkdir_p, which every write goes through.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "helpers.h"
#include "output.h"
#include "util.h"

static void
put(struct sg_output *o, const char *rel, const char *text)
{
	struct sg_diag d = {0};

	cr_assert_eq(sg_output_write(o, rel, text, strlen(text), &d), 0);
	cr_assert_eq(d.n, 0);
}

static ino_t
inode(const char *dir, const char *rel)
{
	char *p = sg_path_join(dir, rel);
	struct stat st;

	cr_assert_eq(stat(p, &st), 0, "%s missing", rel);
	free(p);
	return st.st_ino;
}

Test(output, keeps_unchanged_rewrites_changed)
{
	char *tmp = t_tmpdir();
	char *pub = sg_path_join(tmp, "public");
	struct sg_output o = {0};
	struct sg_diag d = {0};

	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	put(&o, "index.html", "home");
	put(&o, "2024/a/index.html", "a");
	put(&o, "2024/b/index.html", "b");
	put(&o, "gone.txt", "x");
	cr_assert_eq(sg_output_commit(&o, &d), 0);
	cr_assert_eq(o.written, 4);
	sg_output_clear(&o);
	ino_t home = inode(pub, "index.html"), a = inode(pub, "2024/a/index.html");
	ino_t b = inode(pub, "2024/b/index.html");

	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	put(&o, "index.html", "home");
	put(&o, "2024/a/index.html", "a, changed");
	put(&o, "2024/b/index.html", "b");
	put(&o, "new.txt", "n");
	cr_assert_eq(sg_output_commit(&o, &d), 0);
	cr_assert_eq(o.kept, 2);
	cr_assert_eq(o.written, 2);
	cr_assert_eq(o.changed.n, 2);
	cr_assert_str_eq(o.changed.v[0], "2024/a/index.html");
	cr_assert_str_eq(o.changed.v[1], "new.txt");
	sg_output_clear(&o);
	cr_assert_eq(inode(pub, "index.html"), home);
	cr_assert_eq(inode(pub, "2024/b/index.html"), b);
	cr_assert_neq(inode(pub, "2024/a/index.html"), a);
	char *g = sg_path_join(pub, "gone.txt");
	cr_assert(!sg_is_file(g), "a file no longer built stayed");
	free(g);
	char *p = sg_path_join(pub, "2024/a/index.html");
	char *text = t_read(p, NULL);
	cr_assert_str_eq(text, "a, changed");
	free(text);
	free(p);

	/* An aborted build: the output is as it was, no staging left. */
	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	put(&o, "index.html", "half");
	sg_output_abort(&o);
	cr_assert_eq(inode(pub, "index.html"), home);
	size_t n;
	char **files = t_files(tmp, &n);
	/* Beside public/ only the mark that a build made it. */
	for (size_t i = 0; i < n; i++)
		cr_assert(strncmp(files[i], "public/", 7) == 0 ||
		    strcmp(files[i], ".public.sg-output") == 0, "left: %s",
		    files[i]);
	t_free_list(files, n);
	sg_rm_rf(tmp);
	free(pub);
	free(tmp);
}

Test(output, mkdir_p)
{
	char *tmp = t_tmpdir();
	char *deep = sg_path_join(tmp, "a/b/c/");
	char *file = sg_path_join(tmp, "f");
	char *under = sg_path_join(tmp, "f/g");

	cr_assert_eq(sg_mkdir_p(deep), 0);
	cr_assert(sg_is_dir(deep));
	cr_assert_eq(sg_mkdir_p(deep), 0);
	t_write(tmp, "f", "x");
	cr_assert_eq(sg_mkdir_p(file), -1);
	cr_assert_eq(errno, ENOTDIR);
	cr_assert_eq(sg_mkdir_p(under), -1);
	sg_rm_rf(tmp);
	free(deep);
	free(file);
	free(under);
	free(tmp);
}

Test(output, a_file_written_twice_never_touches_the_old_output)
{
	char *tmp = t_tmpdir();
	char *pub = sg_path_join(tmp, "public");
	char *f = sg_path_join(pub, "a.txt");
	struct sg_output o = {0};
	struct sg_diag d = {0};

	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	put(&o, "a.txt", "old");
	cr_assert_eq(sg_output_commit(&o, &d), 0);
	sg_output_clear(&o);

	/* Kept (a link to public/a.txt), then written again differently. */
	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	put(&o, "a.txt", "old");
	put(&o, "a.txt", "new");
	char *text = t_read(f, NULL);
	cr_assert_str_eq(text, "old", "public/ changed before the swap");
	free(text);
	cr_assert_eq(sg_output_commit(&o, &d), 0);
	sg_output_clear(&o);
	text = t_read(f, NULL);
	cr_assert_str_eq(text, "new");
	free(text);
	sg_rm_rf(tmp);
	free(f);
	free(pub);
	free(tmp);
}
