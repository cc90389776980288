build-fuzz/frontmatter.o: site-gen/frontmatter.c site-gen/diag.h \
  site-gen/frontmatter.h site-gen/config.h site-gen/util.h

site-gen/diag.h:

site-gen/frontmatter.h:

site-gen/config.h:

site-gen/util.h:
