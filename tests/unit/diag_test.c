/* Findings: what content puts into a message cannot act on a terminal or
 * forge another finding. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

Test(diag, control_characters_are_shown_not_printed)
{
	struct sg_diag d = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	sg_diag_add(&d, SG_ERROR, "content/2024/a\nb.md", 3, 0, "tag '%s' is "
	    "odd", "\x1b[2J\x1b]0;title\x07\nfake.md:1: error: forged\r\t"
	    "\xc2\x9b" "31m\xe2\x80\xae" "evil\xff" "好");
	fp = open_memstream(&text, &len);
	sg_diag_print(&d, fp, 0);
	fclose(fp);
	cr_assert_str_eq(text, "content/2024/a\\nb.md:3: error: tag '\\x1B[2J"
	    "\\x1B]0;title\\x07\\nfake.md:1: error: forged\\r\\t\\u{009B}31m"
	    "\\u{202E}evil\\xFF好' is odd\n");
	free(text);
	sg_diag_clear(&d);
}
