build-fuzz/load.o: site-gen/load.c site-gen/config.h site-gen/diag.h \
  site-gen/frontmatter.h site-gen/load.h site-gen/sg.h site-gen/util.h \
  site-gen/markdown.h site-gen/source.h site-gen/table.h

site-gen/config.h:

site-gen/diag.h:

site-gen/frontmatter.h:

site-gen/load.h:

site-gen/sg.h:

site-gen/util.h:

site-gen/markdown.h:

site-gen/source.h:

site-gen/table.h:
